/*
 * hooks.c - running one OCI hook (runtime-spec config.md "POSIX-platform
 * Hooks"; when each kind runs is runtime.md "Lifecycle" and container.c).
 *
 * A hook is a program run with fork + execve, never through a shell: its
 * argument vector and environment come from config.json as they are, the
 * container's state JSON arrives on its stdin, its stdout and stderr are
 * captured so that a failure can say why, and a timeout kills it.
 * runc counterpart: libcontainer/configs/config.go Command.Run(), which does
 * the same with Go's os/exec, a goroutine for Wait() and a timer.
 *
 * As runc: a hook without "env" gets the runtime's own environment (Go's
 * os/exec does that when Env is nil); "env": [] gives an empty one.
 *
 * Differences from runc, on purpose:
 *  - only fds 0-2 reach a hook (runc passes some of its own);
 *  - a hook that exits while a child of its own still holds its stdout is
 *    not waited for (Go's Wait() blocks until that pipe is closed);
 *  - the error message keeps one line of the hook's stderr, not all of
 *    both streams: "prestart hook /x: exit status 2: <stderr line>".
 * Left out: nothing of Command.Run; hooks run in the caller's namespaces and
 * working directory (the runtime sits in the bundle, as runc does).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "hooks.h"
#include "process.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Syscall numbers shared by every architecture (asm-generic/unistd.h),
 * for libcs whose headers predate them. */
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2) /* linux/close_range.h, kernel 5.11 */
#endif

#define HOOK_KEEP     4096    /* bytes of each output stream kept for the message */
#define HOOK_TICK_MS  20      /* poll tick when there is no pidfd to wait on */
#define HOOK_LINE_MAX 200     /* longest stderr line quoted in a message */
#define HOOK_FD_CAP   1048576 /* the close() fallback never walks further */

/* One captured stream: the first HOOK_KEEP bytes; the rest is read and dropped. */
struct hook_buf {
	char text[HOOK_KEEP];
	size_t n;
};

/* Everything the parent tracks while one hook runs. */
struct hook_proc {
	pid_t pid;
	int pidfd;	  /* pidfd_open(2); -1: fall back to a poll tick */
	int in, out, err; /* the parent's pipe ends; -1 once closed */
	int exec_r;	  /* exec-error pipe: EOF when execve worked */
	const char *state;
	size_t len, off; /* how much of the state JSON went to stdin */
	int status;	 /* from waitpid */
	bool timed_out;
	struct hook_buf outb, errb;
};

const char *
hook_kind_name(enum spec_hook_kind k)
{
	return spec_hook_name(k);
}

static void
hook_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int64_t
hook_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * pipe2(O_CLOEXEC) whose two ends are both >= 3.  If the runtime was started
 * with 0, 1 or 2 closed, a pipe could land there, and the child's dup2() onto
 * 0..2 would then clobber one stream with another.
 */
static int
hook_pipe(int p[2])
{
	int i, fd;

	if (pipe2(p, O_CLOEXEC) < 0) {
		p[0] = p[1] = -1;
		return -1;
	}
	for (i = 0; i < 2; i++) {
		if (p[i] >= 3)
			continue;
		fd = fcntl(p[i], F_DUPFD_CLOEXEC, 3);
		if (fd < 0) {
			int saved = errno;
			hook_close(&p[0]);
			hook_close(&p[1]);
			errno = saved;
			return -1;
		}
		close(p[i]);
		p[i] = fd;
	}
	return 0;
}

/*
 * In the child: every fd from 3 up goes at execve.  close_range(2) with
 * CLOSE_RANGE_CLOEXEC marks them instead of closing them, so the exec-error
 * pipe still works if execve fails.  Before Linux 5.11, close one by one.
 */
static void
hook_child_close_fds(int keep)
{
	struct rlimit rl;
	unsigned long fd, max = HOOK_FD_CAP;

	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < max)
		max = (unsigned long)rl.rlim_cur;
	for (fd = 3; fd < max; fd++)
		if ((int)fd != keep)
			close((int)fd);
}

/*
 * The child, between fork and execve: only async-signal-safe calls.  If
 * execve fails, its errno goes up the close-on-exec pipe (the classic
 * self-pipe trick); on success the pipe just closes.
 */
static void __attribute__((noreturn))
hook_child(const struct spec_hook *h, const int fds[3], int exec_w)
{
	static char *const no_env[] = {NULL};
	char *argv0[] = {(char *)h->path, NULL};
	char *const *argv = h->n_args > 0 ? h->args : argv0;
	/* runc's rule: no "env" in the hook inherits the runtime's environment. */
	char *const *envp = !h->has_env ? environ : h->n_env > 0 ? h->env : no_env;
	int i, saved;

	/* fds[] are all >= 3, so dup2 gives 0..2 without close-on-exec. */
	for (i = 0; i < 3; i++)
		if (dup2(fds[i], i) < 0)
			goto fail;
	hook_child_close_fds(exec_w);
	proc_reset_signals();
	execve(h->path, argv, envp);
fail:
	saved = errno;
	if (write(exec_w, &saved, sizeof(saved)) < 0) {
		/* nothing left to tell anyone */
	}
	_exit(127);
}

/* Make the three stream pipes and the exec-error pipe; child ends in child[]. */
static int
hook_make_pipes(struct hook_proc *p, int child[3], int *exec_w)
{
	int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, ex[2] = {-1, -1};

	if (hook_pipe(in) < 0 || hook_pipe(out) < 0 || hook_pipe(err) < 0 || hook_pipe(ex) < 0) {
		int saved = errno;
		hook_close(&in[0]), hook_close(&in[1]), hook_close(&out[0]), hook_close(&out[1]);
		hook_close(&err[0]), hook_close(&err[1]), hook_close(&ex[0]), hook_close(&ex[1]);
		errno = saved;
		return -1;
	}
	child[0] = in[0], child[1] = out[1], child[2] = err[1];
	p->in = in[1], p->out = out[0], p->err = err[0];
	p->exec_r = ex[0];
	*exec_w = ex[1];
	/* Only the parent's ends: O_NONBLOCK is per open file description, and
	 * the hook must see ordinary blocking stdin/stdout/stderr. */
	fcntl(p->in, F_SETFL, O_NONBLOCK);
	fcntl(p->out, F_SETFL, O_NONBLOCK);
	fcntl(p->err, F_SETFL, O_NONBLOCK);
	return 0;
}

/*
 * Fork the hook.  All signals are blocked across fork() so that none of the
 * runtime's handlers can run in the child before it resets them (what
 * posix_spawn does too).
 */
static int
hook_spawn(struct hook_proc *p, const struct spec_hook *h, int child[3], int exec_w,
	   const sigset_t *parent_mask)
{
	sigset_t all;
	int i, saved;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	p->pid = fork();
	if (p->pid == 0)
		hook_child(h, child, exec_w);
	saved = errno;
	sigprocmask(SIG_SETMASK, parent_mask, NULL);
	for (i = 0; i < 3; i++)
		close(child[i]);
	close(exec_w);
	if (p->pid < 0) {
		errno = saved;
		return -1;
	}
	/* A pidfd turns "the hook exited" into one more fd for poll()
	 * (pidfd_open(2), Linux 5.3).  Without it, poll ticks and waitpid
	 * WNOHANG notice the exit. */
	p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	return 0;
}

/* Read what is there into b: keep the first HOOK_KEEP bytes, drop the rest. */
static void
hook_read_stream(int *fd, struct hook_buf *b)
{
	char scratch[8192];
	ssize_t n;
	int round;

	/* Bounded, so a grandchild that keeps writing cannot hold us here. */
	for (round = 0; round < 64 && *fd >= 0; round++) {
		n = read_retry(*fd, scratch, sizeof(scratch));
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			hook_close(fd);
			return;
		}
		if (b->n < HOOK_KEEP) {
			size_t take = sizeof(b->text) - b->n;
			if (take > (size_t)n)
				take = (size_t)n;
			memcpy(b->text + b->n, scratch, take);
			b->n += take;
		}
	}
}

/*
 * Feed the state JSON to the hook's stdin as far as the pipe takes it.  A hook
 * that never reads stdin and exits gives EPIPE: not an error (runc's os/exec
 * ignores it too).  SIGPIPE is blocked by the caller, so it cannot kill us.
 */
static void
hook_write_state(struct hook_proc *p)
{
	ssize_t n;

	while (p->in >= 0 && p->off < p->len) {
		n = write(p->in, p->state + p->off, p->len - p->off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0)
			break;
		p->off += (size_t)n;
	}
	/* All written (or the hook has gone): EOF tells it the JSON is complete. */
	hook_close(&p->in);
}

/* waitpid(WNOHANG): 1 when the hook has been reaped, 0 if still running. */
static int
hook_try_reap(struct hook_proc *p)
{
	pid_t r;

	do
		r = waitpid(p->pid, &p->status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	return r == p->pid;
}

/* Past the timeout: SIGKILL cannot be caught, so the blocking wait is short. */
static int
hook_kill(struct hook_proc *p)
{
	pid_t r;

	kill(p->pid, SIGKILL);
	do
		r = waitpid(p->pid, &p->status, 0);
	while (r < 0 && errno == EINTR);
	p->timed_out = true;
	return r < 0 ? -1 : 0;
}

/* One poll() over the pidfd and the three pipes, then service what is ready. */
static int
hook_poll_once(struct hook_proc *p, int wait_ms)
{
	struct pollfd fds[4] = {
	    {.fd = p->pidfd, .events = POLLIN},
	    {.fd = p->in, .events = POLLOUT},
	    {.fd = p->out, .events = POLLIN},
	    {.fd = p->err, .events = POLLIN},
	};

	/* poll() skips negative fds, so closed ends simply drop out. */
	if (poll(fds, 4, wait_ms) < 0) {
		int saved = errno;
		if (saved == EINTR)
			return 0;
		hook_kill(p); /* do not leave it running behind a failed step */
		errno = saved;
		return -1;
	}
	if (fds[1].revents)
		hook_write_state(p);
	if (fds[2].revents)
		hook_read_stream(&p->out, &p->outb);
	if (fds[3].revents)
		hook_read_stream(&p->err, &p->errb);
	return 0;
}

/*
 * Wait for the hook while feeding its stdin and draining its output, until it
 * exits or the deadline passes (CLOCK_MONOTONIC, so a clock change cannot
 * stretch or cut it).  runc: the select on errC and the timer in Command.Run.
 */
static int
hook_wait(struct hook_proc *p, int timeout_s)
{
	int64_t deadline = timeout_s > 0 ? hook_now_ms() + (int64_t)timeout_s * 1000 : -1;
	int64_t left;
	int wait_ms, r;

	for (;;) {
		r = hook_try_reap(p);
		if (r != 0)
			break;
		wait_ms = -1;
		if (deadline >= 0) {
			left = deadline - hook_now_ms();
			if (left <= 0)
				return hook_kill(p);
			wait_ms = left > INT32_MAX ? INT32_MAX : (int)left;
		}
		if (p->pidfd < 0 && (wait_ms < 0 || wait_ms > HOOK_TICK_MS))
			wait_ms = HOOK_TICK_MS;
		if (hook_poll_once(p, wait_ms) < 0)
			return -1;
	}
	if (r < 0)
		return -1;
	/* Reaped: what it wrote before exiting is already in the pipes. */
	hook_read_stream(&p->out, &p->outb);
	hook_read_stream(&p->err, &p->errb);
	return 0;
}

/* The first non-empty line of b, printable, at most HOOK_LINE_MAX bytes. */
static void
hook_first_line(const struct hook_buf *b, char *out, size_t cap)
{
	size_t i = 0, o = 0;

	while (i < b->n && (b->text[i] == '\n' || b->text[i] == '\r'))
		i++;
	for (; i < b->n && b->text[i] != '\n' && o + 1 < cap && o < HOOK_LINE_MAX; i++) {
		unsigned char c = (unsigned char)b->text[i];
		if (c == '\r')
			continue;
		out[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	out[o] = '\0';
}

/* Turn how the hook ended into 0 or one line of error. */
static int
hook_report(const char *kind, const struct spec_hook *h, const struct hook_proc *p, int timeout,
	    struct err *e)
{
	char line[HOOK_LINE_MAX + 1];
	int exec_errno;

	if (p->timed_out)
		return err_set(e, "%s hook %s: ran past its timeout of %ds, killed", kind, h->path,
			       timeout);
	if (read_retry(p->exec_r, &exec_errno, sizeof(exec_errno)) == sizeof(exec_errno)) {
		errno = exec_errno;
		return err_set(e, "%s hook %s: exec:", kind, h->path);
	}
	/* runc's words for a hook killed by a signal are "error running hook:
	 * signal: bad system call" (Go's lower-case signal names; its
	 * seccomp.bats matches both phrases). */
	if (WIFSIGNALED(p->status)) {
		const char *name = strsignal(WTERMSIG(p->status));
		return err_set(e, "%s hook %s: error running hook: killed by signal %d (%c%s)",
			       kind, h->path, WTERMSIG(p->status),
			       name ? tolower((unsigned char)name[0]) : '?', name ? name + 1 : "");
	}
	if (WIFEXITED(p->status) && WEXITSTATUS(p->status) == 0)
		return 0;
	/* Like runc's "exit status 1, stdout: ..., stderr: ...", cut to one line:
	 * stderr's, or stdout's when the hook said nothing on stderr. */
	hook_first_line(p->errb.n > 0 ? &p->errb : &p->outb, line, sizeof(line));
	if (line[0] == '\0')
		return err_set(e, "%s hook %s: exit status %d", kind, h->path,
			       WEXITSTATUS(p->status));
	return err_set(e, "%s hook %s: exit status %d: %s", kind, h->path, WEXITSTATUS(p->status),
		       line);
}

/*
 * SIGPIPE from writing to a hook that closed its stdin is expected; it was
 * blocked, so take it off the pending set before the runtime's mask returns.
 */
static void
hook_discard_sigpipe(void)
{
	struct timespec zero = {0, 0};
	sigset_t pipe_only;

	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	while (sigtimedwait(&pipe_only, NULL, &zero) < 0 && errno == EINTR) {
	}
}

static void
hook_proc_close(struct hook_proc *p)
{
	hook_close(&p->in);
	hook_close(&p->out);
	hook_close(&p->err);
	hook_close(&p->exec_r);
	hook_close(&p->pidfd);
}

int
hook_run(enum spec_hook_kind kind, const struct spec_hook *h, const char *state, size_t len,
	 struct err *e)
{
	const char *name = hook_kind_name(kind);
	sigset_t old, with_pipe, pending;
	struct hook_proc p;
	int child[3], exec_w, rc;
	bool pipe_pending;

	if (!h->path || h->path[0] != '/')
		return err_set(e, "%s hook: path must be absolute", name);
	log_debug("run %s hook %s  (runc: configs/config.go Command.Run)", name, h->path);
	memset(&p, 0, sizeof(p));
	p.in = p.out = p.err = p.exec_r = p.pidfd = -1;
	p.state = state;
	p.len = state ? len : 0;

	sigprocmask(SIG_SETMASK, NULL, &old);
	with_pipe = old;
	sigaddset(&with_pipe, SIGPIPE);
	sigprocmask(SIG_SETMASK, &with_pipe, NULL);
	sigpending(&pending);
	pipe_pending = sigismember(&pending, SIGPIPE);

	if (hook_make_pipes(&p, child, &exec_w) < 0)
		rc = err_set(e, "%s hook %s: pipe:", name, h->path);
	else if (hook_spawn(&p, h, child, exec_w, &with_pipe) < 0)
		rc = err_set(e, "%s hook %s: fork:", name, h->path);
	else if (hook_wait(&p, h->timeout) < 0)
		rc = err_set(e, "%s hook %s: wait:", name, h->path);
	else
		rc = hook_report(name, h, &p, h->timeout, e);

	hook_proc_close(&p);
	if (!pipe_pending)
		hook_discard_sigpipe();
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

int
hooks_run(const struct spec *s, enum spec_hook_kind kind, const char *state, size_t len,
	  struct err *e)
{
	const struct spec_hook_list *l;
	size_t i;

	if ((unsigned)kind >= HOOK_KINDS)
		return err_set(e, "hooks: unknown kind %d", (int)kind);
	l = &s->hooks[kind];
	/* runtime-spec config.md: hooks of one kind run in order, and a failure
	 * stops the rest (runc: Hooks.Run returns at the first error). */
	for (i = 0; i < l->n; i++)
		if (hook_run(kind, &l->v[i], state, len, e) < 0)
			return -1;
	return 0;
}

int
hooks_run_all(const struct spec *s, enum spec_hook_kind kind, const char *state, size_t len,
	      void (*warn)(const char *msg))
{
	struct err e;
	int failed = 0;

	if ((unsigned)kind >= HOOK_KINDS)
		return 0;
	for (size_t i = 0; i < s->hooks[kind].n; i++) {
		if (hook_run(kind, &s->hooks[kind].v[i], state, len, &e) == 0)
			continue;
		warn(e.msg);
		failed++;
	}
	return failed;
}
