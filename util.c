/*
 * util.c - error messages, logging (--debug, --log, --log-format), I/O
 * that retries EINTR, and the container id check.  runc counterpart: logrus
 * setup in main.go, the "runc: ..." error prefix in utils.go fatal(), and
 * libcontainer/factory_linux.go validateID().
 */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int log_debug_on;
int log_fd = 2;
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

/* Escape s into out as the body of a JSON string (for --log-format json). */
static void
json_escape_into(char *out, size_t cap, const char *s)
{
	size_t o = 0;

	for (; *s && o + 7 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20) {
			o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

/* One log line in the chosen format; runc's json shape is {"level","msg","time"}. */
static void log_line(const char *level, const char *prefix, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void
log_line(const char *level, const char *prefix, const char *fmt, va_list ap)
{
	char msg[1024], esc[2048], line[2304], ts[40];
	struct timespec now;
	struct tm tm;
	int saved = errno;
	int n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_fmt == LOG_JSON) {
		clock_gettime(CLOCK_REALTIME, &now);
		gmtime_r(&now.tv_sec, &tm);
		snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		json_escape_into(esc, sizeof(esc), msg);
		n = snprintf(line, sizeof(line),
			     "{\"level\":\"%s\",\"msg\":\"%s\",\"time\":\"%s\"}\n", level, esc, ts);
	} else {
		n = snprintf(line, sizeof(line), "%s%s\n", prefix, msg);
	}
	if (n > (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 1;
	if (n > 0)
		write_all(log_fd, line, (size_t)n);
	errno = saved;
}

void
log_debug(const char *fmt, ...)
{
	char prefix[32];
	va_list ap;

	if (!log_debug_on)
		return;
	snprintf(prefix, sizeof(prefix), "[%s] ", log_who);
	va_start(ap, fmt);
	log_line("debug", prefix, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("warning", "minirunc: warning: ", fmt, ap);
	va_end(ap);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("error", "minirunc: ", fmt, ap);
	va_end(ap);
	/* runc's fatal() writes the error to --log and to stderr too: engines
	 * (go-runc in the containerd shim) read stderr to tell "container not
	 * running" from other failures. */
	if (log_fd != 2) {
		char msg[1024];
		int n;

		va_start(ap, fmt);
		n = vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		if (n > (int)sizeof(msg) - 1)
			n = (int)sizeof(msg) - 1;
		if (n >= 0) {
			write_all(2, "minirunc: ", 10);
			write_all(2, msg, (size_t)n);
			write_all(2, "\n", 1);
		}
	}
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
