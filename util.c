/*
 * util.c - error messages, logging (--debug, --log, --log-format), I/O
 * that retries EINTR, and the container id check.  runc counterpart: logrus
 * setup in main.go (its text and json formatters, measured beside runc
 * 1.1.5), the error line of utils.go fatal(),
 * libcontainer/factory_linux.go validateID(); and the fork + execve of the
 * helpers minirunc runs (iptables, newuidmap), which runc does with Go's
 * os/exec.
 */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

int log_debug_on;
int log_fd = 2;
int log_file = -1;
enum log_format log_fmt = LOG_TEXT;
const char *log_who = "runtime";

int
err_set(struct err *e, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	size_t n;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	/* A trailing ':' asks for the reason, as in suckless eprintf(). */
	if (n > 0 && e->msg[n - 1] == ':')
		snprintf(e->msg + n, sizeof(e->msg) - n, " %s", strerror(saved));
	errno = saved;
	return -1;
}

/*
 * runc's log lines are logrus': text is `time="..." level=debug msg="..."`,
 * --log-format json is {"level":...,"msg":...,"time":...} (keys sorted, as
 * Go's encoding/json writes a map).  The narration is the message.
 */

/* The body of a JSON string as Go's encoding/json writes it: \n \r \t, other
 * control bytes as \u00XX, and < > & escaped for HTML (\u003c ...). */
static size_t
log_json_escape(char *out, size_t cap, const char *s)
{
	size_t o = 0;

	for (; *s && o + 7 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		const char *two = c == '"'    ? "\\\""
				  : c == '\\' ? "\\\\"
				  : c == '\n' ? "\\n"
				  : c == '\r' ? "\\r"
				  : c == '\t' ? "\\t"
					      : NULL;
		if (two) {
			memcpy(out + o, two, 2);
			o += 2;
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return o;
}

/* logrus TextFormatter: a value is quoted (Go's %q) unless every byte is
 * one of [A-Za-z0-9-._/@^+]; an empty value stays bare. */
static bool
log_needs_quotes(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-._/@^+", *s))
			return true;
	return false;
}

/* Go's strconv.Quote for the bytes of s (UTF-8 kept as it is). */
static void
log_text_quote(char *out, size_t cap, const char *s)
{
	static const char esc[] = "\a"
				  "a"
				  "\b"
				  "b"
				  "\f"
				  "f"
				  "\n"
				  "n"
				  "\r"
				  "r"
				  "\t"
				  "t"
				  "\v"
				  "v";
	size_t o = 0;

	out[o++] = '"';
	for (; *s && o + 6 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		const char *k = c ? memchr(esc, c, sizeof(esc) - 1) : NULL;
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (k && (k - esc) % 2 == 0) {
			out[o++] = '\\';
			out[o++] = k[1];
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o++] = '"';
	out[o] = '\0';
}

/* One line in runc's shape, written to fd. */
static void
log_runc_line(int fd, const char *level, const char *msg)
{
	char esc[2300], line[2400], ts[40];
	struct timespec now;
	struct tm tm;
	int n;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (log_fmt == LOG_JSON) {
		log_json_escape(esc, sizeof(esc), msg);
		n = snprintf(line, sizeof(line),
			     "{\"level\":\"%s\",\"msg\":\"%s\",\"time\":\"%s\"}\n", level, esc, ts);
	} else {
		if (log_needs_quotes(msg))
			log_text_quote(esc, sizeof(esc), msg);
		else
			snprintf(esc, sizeof(esc), "%s", msg);
		n = snprintf(line, sizeof(line), "time=\"%s\" level=%s msg=%s\n", ts, level, esc);
	}
	if (n > (int)sizeof(line) - 1) {
		n = (int)sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	if (n > 0 && fd >= 0)
		write_all(fd, line, (size_t)n);
}

/* minirunc's own one-line form for the caller's stderr: "minirunc: msg". */
static void
log_plain_line(int fd, const char *prefix, const char *msg)
{
	char line[1100];
	int n = snprintf(line, sizeof(line), "%s%s\n", prefix, msg);

	if (n > (int)sizeof(line) - 1) {
		n = (int)sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	if (n > 0 && fd >= 0)
		write_all(fd, line, (size_t)n);
}

void
log_debug(const char *fmt, ...)
{
	char msg[1024];
	int saved = errno, n;
	va_list ap;

	if (!log_debug_on)
		return;
	n = snprintf(msg, sizeof(msg), "[%s] ", log_who);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	log_runc_line(log_file >= 0 ? log_file : log_fd, "debug", msg);
	errno = saved;
}

/* Without --log: "minirunc: warning: ..." on stderr; with it, a runc line
 * in the file, as runc's logrus writes warnings only there. */
void
log_warn(const char *fmt, ...)
{
	char msg[1024];
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (log_file >= 0)
		log_runc_line(log_file, "warning", msg);
	else
		log_plain_line(log_fd, "minirunc: warning: ", msg);
	errno = saved;
}

/* "minirunc: ..." on stderr always (runc prints the bare message there
 * when it has --log); with --log also an error line in the file, which is
 * where drivers (containerd's shim) look for runc's last error. */
void
log_error(const char *fmt, ...)
{
	char msg[1024];
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Engines (go-runc in the containerd shim) read stderr to tell
	 * "container not running" from other failures, --log or not. */
	log_plain_line(log_fd, "minirunc: ", msg);
	if (log_file >= 0)
		log_runc_line(log_file, "error", msg);
	errno = saved;
}

ssize_t
read_retry(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* unix(7), "Ancillary messages"; cmsg(3) for the layout of the control buffer. */
ssize_t
send_with_fd(int sock, const void *buf, size_t len, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align; /* CMSG_FIRSTHDR needs an aligned buffer */
	} u;
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *c;
	ssize_t n;

	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n;
}

/* The helper's side of run_program.  Never returns. */
static void __attribute__((noreturn))
run_program_child(const char *bin, char *const argv[], int errfd)
{
	static char *const envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};
	int nul = open("/dev/null", O_RDWR);

	if (nul < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0 || dup2(errfd, 2) < 0)
		_exit(127);
	signal(SIGPIPE, SIG_DFL); /* the runtime ignores it; the helper should not */
	/* No fd but 0-2 reaches a helper (SECURITY.md); close_range(2) since 5.9, else a loop. */
	if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0)
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
	execve(bin, argv, envp);
	dprintf(2, "execve %s: %s\n", bin, strerror(errno));
	_exit(127);
}

/* All the helper writes on stderr is read (so it never blocks on a full pipe); the
 * first line is kept. */
static void
run_program_stderr(int fd, char *buf, size_t cap)
{
	char tmp[512];
	size_t len = 0;
	ssize_t n;

	while ((n = read_retry(fd, tmp, sizeof(tmp))) > 0)
		for (ssize_t i = 0; i < n && len + 1 < cap; i++)
			buf[len++] = tmp[i];
	if (cap) {
		buf[len] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
	}
}

int
run_program(const char *bin, char *const argv[], char *errline, size_t cap)
{
	int p[2], status;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0)
		run_program_child(bin, argv, p[1]);
	close(p[1]);
	run_program_stderr(p[0], errline, cap);
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

char *
read_file(const char *path, size_t max, size_t *len)
{
	char *buf;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = read_file_fd(fd, max, len);
	saved = errno;
	close(fd);
	errno = saved;
	return buf;
}

char *
read_file_fd(int fd, size_t max, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	size_t cap = 0, have = 0;
	ssize_t n;

	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return NULL;
	}
	for (;;) {
		if (have == cap) {
			char *nb;
			if (cap > max) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap ? cap * 2 : 8192;
			nb = realloc(buf, cap + 1);
			if (!nb)
				goto fail;
			buf = nb;
		}
		n = read_retry(fd, buf + have, cap - have);
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		have += (size_t)n;
		if (have > max) {
			errno = EFBIG;
			goto fail;
		}
	}
	if (!buf && !(buf = malloc(1)))
		return NULL;
	buf[have] = '\0';
	*len = have;
	return buf;
fail:
	free(buf);
	return NULL;
}

int
id_check(const char *id, struct err *e)
{
	size_t n = strlen(id);

	errno = EINVAL;
	if (n == 0 || n > 1024 || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return err_set(e, "invalid container id \"%s\"", id);
	for (const char *p = id; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '+' || c == '-'))
			return err_set(
			    e, "invalid container id \"%s\": only [A-Za-z0-9_.+-] allowed", id);
	}
	return 0;
}
