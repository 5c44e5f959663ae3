/*
 * util.h - the few helpers every chapter shares: error messages, the debug
 * narration and --log, I/O that survives EINTR and short writes, and the
 * container id check.
 */
#ifndef MINIRUNC_UTIL_H
#define MINIRUNC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * One error message, filled at the step that failed and printed once at the
 * top ("minirunc: <msg>").  As in suckless' eprintf(), a format that ends in
 * ':' gets ": strerror(errno)" appended.
 */
struct err {
	char msg[512];
};

/* Fill e (may be NULL) and return -1, so a step can `return err_set(e, ...)`. */
int err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Logging.  Debug lines are runc's (logrus) shape, text or json, in the
 * --log file or else on stderr.  Errors are "minirunc: msg" on stderr and,
 * with --log, also a runc error line in the file; warnings go to the file
 * when there is one, else to stderr.
 */
enum log_format { LOG_TEXT, LOG_JSON };
extern int log_debug_on; /* --debug */
extern int log_fd;	 /* the caller's stderr: "minirunc: ..." lines */
extern int log_file;	 /* --log FILE, or -1: runc-shaped lines (--debug too) go there */
extern enum log_format log_fmt;
extern const char *log_who; /* "runtime", "init", "hook": prefix of debug lines */

/*
 * --debug narration: one line a step, naming the runc counterpart, e.g.
 * log_debug("pivot_root(\".\", \".\")  (runc: rootfs_linux.go pivotRoot)").
 */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The one error line a command prints: "minirunc: msg" (or json). */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* read(2)/write(2) that retry EINTR; write_all loops over short writes. */
ssize_t read_retry(int fd, void *buf, size_t len);
int write_all(int fd, const void *buf, size_t len);

/*
 * One sendmsg(2) of buf with fd attached as SCM_RIGHTS (none when fd < 0), retrying
 * EINTR, never raising SIGPIPE.  Returns the bytes sent, or -1 with errno.
 */
ssize_t send_with_fd(int sock, const void *buf, size_t len, int fd);

/*
 * Run the program bin with argv as a helper is run here (iptables, newuidmap): fork
 * and execve by absolute path, never a shell; stdin and stdout /dev/null; no fd but
 * 0-2; an environment of PATH alone.  Returns its exit status (128 + N when signal N
 * ended it), with the first line of its stderr in errline; -1 with errno when it
 * could not be run at all (pipe, fork, waitpid).
 */
int run_program(const char *bin, char *const argv[], char *errline, size_t cap);

/*
 * Read a whole file (at most max bytes, else errno = EFBIG) into a malloc'd
 * buffer (caller frees), NUL-terminated for convenience; *len gets the size.
 */
char *read_file(const char *path, size_t max, size_t *len);
/* The same from an open fd (not closed). */
char *read_file_fd(int fd, size_t max, size_t *len);

/* A container id as runc allows: [A-Za-z0-9_.+-], 1..1024 bytes, not "." or "..".  Here,
 * below the runtime's state, so that the network recipe checks ids without it. */
int id_check(const char *id, struct err *e);

#endif
