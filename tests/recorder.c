/*
 * recorder.c - the hook tests' witness: run as an OCI hook, it appends one
 * block to a record file saying how it was run, so that the records of the
 * same bundle under runc and under minirunc can be compared with a diff
 * (tests/integration/hooks.bats, TESTING.md "Comparison against runc").
 *
 * Counterpart: none in runc itself; runc's tests/integration/hooks.bats
 * checks hooks one fact at a time with shell scripts.
 *
 *   recorder RECORD [ARG...]
 *
 * RECORD is the record file; beside it, DIR(RECORD)/hostns holds the
 * runtime's namespaces as lines "TYPE INODE" (the test writes it), so that
 * nothing but argv tells the recorder where it is (env is recorded).
 * The block, one "key: value" a line, in this order:
 *   the open fds (pipes and sockets as a word: their inode numbers vary),
 *   argv: each argument (argv[0] included), env: sorted, cwd, uid, CapEff
 *   and NoNewPrivs from /proc/self/status, stdin (the
 *   state JSON, on one line), the state's pid ("none" when absent), and for
 *   each namespace type: "ns: TYPE runtime|container|other" (this process
 *   against the runtime's and against the state pid's /proc/PID/ns/TYPE)
 *   and "initns: TYPE runtime|other|unreadable|none" (the state pid's own
 *   namespace against the runtime's).
 * (A createContainer hook compares with its parent, the init, as /proc
 * numbers it: /proc is still the host's there.)
 * RECORDER_FILE=PATH in the environment names the record instead of argv[1]
 * (for a hook whose argv is someone else's, as the seed's `netns create`).
 * RECORDER_EXIT=N in the hook's env makes it exit N after recording;
 * RECORDER_SLEEP=S makes it sleep S seconds first.
 * Left out: uid/caps/mounts (probe.c covers the container's process).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

#define REC_MAX (256 * 1024)

static char rec_buf[REC_MAX];
static size_t rec_len;

static const char *const rec_ns_types[] = {"cgroup", "ipc",  "mnt",  "net",
					   "pid",    "time", "user", "uts"};

static void __attribute__((format(printf, 1, 2))) rec_add(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (rec_len >= REC_MAX - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(rec_buf + rec_len, REC_MAX - rec_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		rec_len += (size_t)n < REC_MAX - rec_len ? (size_t)n : REC_MAX - 1 - rec_len;
}

static int
rec_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* First of all, before this program opens anything of its own. */
static void
rec_fds(void)
{
	char path[300], target[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int self = d ? dirfd(d) : -1;
	ssize_t n;

	if (!d) {
		rec_add("fds: unreadable\n");
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || atoi(de->d_name) == self)
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		if (strncmp(target, "pipe:", 5) == 0)
			strcpy(target, "pipe");
		else if (strncmp(target, "socket:", 7) == 0)
			strcpy(target, "socket");
		rec_add("fd: %s %s\n", de->d_name, target);
	}
	closedir(d);
}

static void
rec_env(void)
{
	size_t n = 0;
	char **v;

	while (environ[n])
		n++;
	v = calloc(n + 1, sizeof(char *));
	if (!v)
		return;
	memcpy(v, environ, n * sizeof(char *));
	qsort(v, n, sizeof(char *), rec_cmp);
	for (size_t i = 0; i < n; i++)
		rec_add("env: %s\n", v[i]);
	free(v);
}

/* stdin to EOF; newlines become spaces so the JSON is one line. */
static char *
rec_stdin(void)
{
	static char in[64 * 1024];
	size_t have = 0;
	ssize_t n;

	while (have < sizeof(in) - 1 && (n = read(0, in + have, sizeof(in) - 1 - have)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		have += (size_t)n;
	}
	in[have] = '\0';
	for (size_t i = 0; i < have; i++)
		if (in[i] == '\n')
			in[i] = ' ';
	return in;
}

/* The "pid" member of the state JSON, 0 when there is none. */
static long
rec_state_pid(const char *json)
{
	const char *p = strstr(json, "\"pid\"");

	if (!p)
		return 0;
	p += 5;
	while (*p == ' ' || *p == ':')
		p++;
	return isdigit((unsigned char)*p) ? strtol(p, NULL, 10) : 0;
}

/* The runtime's inode of one namespace type from DIR/hostns, 0 if unknown. */
static unsigned long
rec_host_ns(const char *hostns, const char *type)
{
	char t[32];
	unsigned long ino, found = 0;
	FILE *f = fopen(hostns, "re");

	if (!f)
		return 0;
	while (fscanf(f, "%31s %lu", t, &ino) == 2)
		if (strcmp(t, type) == 0)
			found = ino;
	fclose(f);
	return found;
}

static unsigned long
rec_ns_ino(const char *pid, const char *type)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%s/ns/%s", pid, type);
	return stat(path, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

/* One line of /proc/self/status as it is, e.g. "CapEff:". */
static void
rec_status_line(const char *key)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			rec_add("%s", line);
	if (f)
		fclose(f);
}

/* The parent's pid as /proc (maybe another pid namespace's) numbers it. */
static long
rec_proc_ppid(void)
{
	char line[256];
	long ppid = 0;
	FILE *f = fopen("/proc/self/status", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "PPid: %ld", &ppid) == 1)
			break;
	if (f)
		fclose(f);
	return ppid;
}

/*
 * The init to compare with is the state's pid.  A createContainer hook runs
 * before the container's /proc is in place, so /proc/1 there is the host's
 * pid 1: when the state's pid is our parent (the init runs these hooks),
 * use the parent as /proc numbers it.
 */
static void
rec_namespaces(const char *hostns, long pid)
{
	char pidstr[24];

	snprintf(pidstr, sizeof(pidstr), "%ld", pid);
	if (pid > 0 && pid == getppid() && rec_ns_ino(pidstr, "mnt") != rec_ns_ino("self", "mnt"))
		snprintf(pidstr, sizeof(pidstr), "%ld", rec_proc_ppid());
	for (size_t i = 0; i < sizeof(rec_ns_types) / sizeof(rec_ns_types[0]); i++) {
		const char *t = rec_ns_types[i];
		unsigned long self = rec_ns_ino("self", t), host = rec_host_ns(hostns, t);
		unsigned long init = pid > 0 ? rec_ns_ino(pidstr, t) : 0;

		if (self == 0)
			continue; /* a kernel without this type */
		rec_add("ns: %s %s\n", t,
			self == host   ? "runtime"
			: self == init ? "container"
				       : "other");
		rec_add("initns: %s %s\n", t,
			pid <= 0       ? "none"
			: init == 0    ? "unreadable"
			: init == host ? "runtime"
				       : "other");
	}
}

/* Append the block in one write(2), under an flock, O_APPEND. */
static int
rec_flush(const char *record)
{
	int fd = open(record, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, rec_buf, rec_len);
	close(fd);
	return n == (ssize_t)rec_len ? 0 : -1;
}

int
main(int argc, char **argv)
{
	char cwd[PATH_MAX], hostns[PATH_MAX], *json, *slash;
	const char *s, *record;
	long pid;

	rec_add("== hook\n");
	rec_fds();
	record = getenv("RECORDER_FILE");
	if (!record && argc < 2) {
		fprintf(stderr, "usage: recorder RECORD [ARG...]\n");
		return 2;
	}
	if (!record)
		record = argv[1];
	for (int i = 0; i < argc; i++)
		rec_add("argv: %s\n", argv[i]);
	rec_env();
	rec_add("cwd: %s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "unreadable");
	rec_add("uid: %d\n", (int)getuid());
	rec_status_line("CapEff:");
	rec_status_line("NoNewPrivs:");
	json = rec_stdin();
	rec_add("stdin: %s\n", json);
	pid = rec_state_pid(json);
	if (pid > 0)
		rec_add("state.pid: %s\n", pid == getppid() ? "parent" : pid == 1 ? "1" : "other");
	else
		rec_add("state.pid: none\n");
	snprintf(hostns, sizeof(hostns), "%s", record);
	slash = strrchr(hostns, '/');
	snprintf(slash ? slash + 1 : hostns,
		 sizeof(hostns) - (size_t)(slash ? slash + 1 - hostns : 0), "hostns");
	rec_namespaces(hostns, pid);
	if ((s = getenv("RECORDER_SLEEP")))
		sleep((unsigned)atoi(s));
	if (rec_flush(record) < 0) {
		fprintf(stderr, "recorder: %s: %s\n", record, strerror(errno));
		return 3;
	}
	if ((s = getenv("RECORDER_EXIT"))) {
		fprintf(stderr, "recorder: exiting %s as asked\n", s);
		return atoi(s);
	}
	return 0;
}
