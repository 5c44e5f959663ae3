/*
 * exec.c - `minirunc exec`: one more process inside a running container.
 *
 * The new process joins every namespace of the container's init (from
 * /proc/INIT/ns/), then takes the same last mile as the init (process.c):
 * rlimits, user, capabilities, cwd, no_new_privs, execve.  By default it is
 * the config's process with CMD ARGS instead of "args"; flags change it,
 * or `-p process.json` replaces it whole.
 * runc counterpart: exec.go getProcess(), libcontainer/container_linux.go
 * (setnsProcess), setns_init_linux.go.  The same defences as the init: not
 * dumpable while it joins, only fds 0-2 (and --preserve-fds) reach it.
 * The new process joins the container's cgroup first of all: the runtime writes
 * its pid into cgroup.procs while it waits (runc: setnsProcess.start,
 * manager.Apply for the exec'd pid), then it joins the namespaces.
 * Left out: --apparmor, --process-label, --cgroup (refused by the CLI).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroups.h"
#include "container.h"
#include "process.h"
#include "seccomp.h"
#include "state.h"
#include "sync.h"
#include "terminal.h"

/* Everything exec holds, released in one place. */
struct ex {
	const struct exec_opts *o;
	struct state st;
	struct spec spec; /* the saved config.json */
	bool spec_loaded;
	struct spec_process proc;
	char **env;
	uint32_t *gids;
	struct ns_plan ns;
	struct seccomp_prog seccomp; /* the config's linux.seccomp, as runc exec applies it */
	int dirfd, sync_fd, pty;
	pid_t pid;
};

/* Count a NULL-terminated list. */
static size_t
ex_count(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* -e VAR=VAL: appended to the config's env; process.c keeps the last value
 * of a name, as runc does. */
static int
ex_env(struct ex *x, struct err *e)
{
	size_t n = x->proc.n_env, k = ex_count(x->o->env);

	x->env = calloc(n + k + 1, sizeof(char *));
	if (!x->env)
		return err_set(e, "exec:");
	memcpy(x->env, x->proc.env, n * sizeof(char *));
	for (size_t i = 0; i < k; i++)
		x->env[n + i] = (char *)x->o->env[i];
	x->proc.env = x->env;
	x->proc.n_env = n + k;
	return 0;
}

/* -u UID[:GID] and --additional-gids: numbers only (no passwd lookup). */
static int
ex_user(struct ex *x, struct err *e)
{
	size_t k = ex_count(x->o->gids);
	unsigned long uid, gid;
	char *end;

	errno = EINVAL;
	if (x->o->user) {
		uid = strtoul(x->o->user, &end, 10);
		if (end == x->o->user || (*end && *end != ':') || uid > 0xfffffffful)
			return err_set(e, "exec: --user \"%s\": want UID[:GID] in numbers",
				       x->o->user);
		x->proc.user.uid = (uint32_t)uid;
		if (*end == ':') {
			gid = strtoul(end + 1, &end, 10);
			if (*end || gid > 0xfffffffful)
				return err_set(e, "exec: --user \"%s\": bad GID", x->o->user);
			x->proc.user.gid = (uint32_t)gid;
		}
	}
	if (k == 0)
		return 0;
	x->gids = calloc(k, sizeof(uint32_t));
	if (!x->gids)
		return err_set(e, "exec:");
	for (size_t i = 0; i < k; i++) {
		gid = strtoul(x->o->gids[i], &end, 10);
		if (end == x->o->gids[i] || *end || gid > 0xfffffffful)
			return errno = EINVAL,
			       err_set(e, "exec: --additional-gids \"%s\": not a number",
				       x->o->gids[i]);
		x->gids[i] = (uint32_t)gid;
	}
	x->proc.user.additional_gids = x->gids;
	x->proc.user.n_additional_gids = k;
	return 0;
}

/* --cap CAP: added to the bounding, effective, permitted and ambient sets
 * (runc 1.1 exec.go; inheritable stays as configured since CVE-2022-29162). */
static int
ex_caps(struct ex *x, struct err *e)
{
	for (const char *const *c = x->o->caps; c && *c; c++) {
		int n = spec_cap_from_name(*c);
		if (n < 0)
			return errno = EINVAL, err_set(e, "exec: --cap %s: unknown capability", *c);
		x->proc.caps.bounding |= 1ull << n;
		x->proc.caps.effective |= 1ull << n;
		x->proc.caps.permitted |= 1ull << n;
		x->proc.caps.ambient |= 1ull << n;
		x->proc.has_caps = true;
	}
	return 0;
}

/* -p process.json replaces the process whole (runc: exec.go getProcess). */
static int
ex_process_file(struct ex *x, struct err *e)
{
	char *buf;
	size_t len;
	int rc;

	buf = read_file(x->o->process_json, SPEC_MAX_FILE, &len);
	if (!buf)
		return err_set(e, "exec: --process %s:", x->o->process_json);
	rc = spec_parse_process(x->o->process_json, buf, len, &x->spec, &x->proc, e);
	free(buf);
	return rc;
}

/* Step: the process to run, from the config and the flags. */
static int
ex_build_process(struct ex *x, struct err *e)
{
	if (x->o->process_json)
		return ex_process_file(x, e);
	x->proc = x->spec.process;
	x->proc.args = x->o->args;
	x->proc.n_args = ex_count((const char *const *)x->o->args);
	x->proc.terminal = x->o->tty;
	x->proc.has_console_size = false;
	if (x->o->cwd)
		x->proc.cwd = x->o->cwd;
	if (x->o->no_new_privs)
		x->proc.no_new_privileges = true;
	return ex_env(x, e) || ex_user(x, e) || ex_caps(x, e) ? -1 : 0;
}

/* Step: the container must be there and running; open its namespaces. */
static int
ex_load(struct ex *x, struct err *e)
{
	x->dirfd = ctr_open_existing(x->o->root, x->o->id, &x->st, e);
	if (x->dirfd < 0)
		return -1;
	if (strcmp(state_status(&x->st), "stopped") == 0)
		return errno = EINVAL, err_set(e, "cannot exec in a stopped container");
	/* runc: exec.go, the same words. */
	if (strcmp(state_status(&x->st), "paused") == 0 && !x->o->ignore_paused)
		return errno = EINVAL, err_set(e, "cannot exec in a paused container (use "
						  "--ignore-paused to override)");
	if (state_load_config(x->dirfd, x->st.bundle, &x->spec, e) < 0)
		return -1;
	x->spec_loaded = true;
	if (ex_build_process(x, e) < 0)
		return -1;
	if (x->spec.seccomp && seccomp_prepare(x->spec.seccomp, &x->seccomp, e) < 0)
		return -1;
	if (x->proc.terminal && x->o->detach && !x->o->console_socket)
		return errno = EINVAL, err_set(e, "cannot allocate a tty when detached without "
						  "--console-socket");
	return ns_plan_open_pid(&x->spec, x->st.pid, &x->ns, e);
}

struct ex_filter {
	const struct seccomp_prog *prog;
	int sock;
};

static int
ex_seccomp_early(void *arg, struct err *e)
{
	const struct ex_filter *f = arg;

	return init_seccomp_load(f->prog, f->sock, e);
}

/* The last mile, with the filter where runc's setns init loads it: before
 * the capability drop without no_new_privs, after it with (setns_init_linux.go). */
static int
ex_setup(struct ex *x, int sock, char *exe, size_t exelen, struct err *e)
{
	struct ex_filter f = {x->spec.seccomp ? &x->seccomp : NULL, sock};

	if (!x->proc.no_new_privileges)
		return proc_setup_with(&x->proc, exe, exelen, ex_seccomp_early, &f, e);
	if (proc_setup(&x->proc, exe, exelen, e) < 0)
		return -1;
	return init_seccomp_load(f.prog, sock, e);
}

/* The child: join, set up, exec; errors go up the sync socket. */
static void __attribute__((noreturn)) ex_child(struct ex *x, int sock)
{
	char exe[4096];
	struct err e = {{0}};

	log_who = "exec";
	proc_reset_signals();
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	close(x->dirfd);
	if (init_wait_placed(sock, &e) == 0 && ns_join_paths(&x->ns, &e) == 0) {
		int master = -1;
		if (x->proc.terminal && (master = term_setup_init(&x->proc, false, &e)) < 0)
			goto fail;
		if (master >= 0 && sync_send(sock, SYNC_PTY, NULL, master) < 0)
			goto fail;
		if (master >= 0)
			close(master);
		if (ex_setup(x, sock, exe, sizeof(exe), &e) == 0)
			proc_exec(&x->proc, exe, x->o->preserve_fds, &e);
	}
fail:
	if (!e.msg[0])
		err_set(&e, "exec: setup:");
	sync_send(sock, SYNC_ERROR, e.msg, -1);
	_exit(1);
}

/* SCMP_ACT_NOTIFY: as runc's setnsProcess, the state says "running", with
 * the init's pid, and the message's pid is the new process's. */
static int
ex_seccomp_agent(struct ex *x, int fd, struct err *e)
{
	char *json;
	size_t len;
	int rc = -1;

	json = state_json(&x->st, "running", STATE_JSON_OCI, &len);
	if (!json)
		err_set(e, "encode the state for the seccomp agent:");
	else if (seccomp_notify_agent(x->spec.seccomp, json, len, x->pid, fd, e) == 0)
		rc = sync_send(x->sync_fd, SYNC_SECCOMP_DONE, NULL, -1) < 0
			 ? err_set(e, "sync with the process:")
			 : 0;
	free(json);
	close(fd);
	return rc;
}

/* Runtime side: a pty may come, then EOF (exec'd) or an error. */
static int
ex_sync(struct ex *x, struct err *e)
{
	char msg[512];
	int type, fd;

	while (sync_recv(x->sync_fd, &type, msg, sizeof(msg), &fd) == 0) {
		if (type == SYNC_ERROR)
			return errno = EINVAL, err_set(e, "%s", msg);
		if (type == SYNC_SECCOMP && fd >= 0) {
			if (ex_seccomp_agent(x, fd, e) < 0)
				return -1;
			continue;
		}
		if (type != SYNC_PTY || fd < 0)
			continue;
		if (x->o->console_socket) {
			if (ctr_send_console(x->o->console_socket, fd, e) < 0)
				return -1;
		} else {
			x->pty = fd;
		}
	}
	return 0;
}

/* The new process into the container's cgroup, then let it go on. */
static int
ex_place(struct ex *x, struct err *e)
{
	struct cg cg;
	int rc = 0;

	if (x->st.cgroups_json) {
		if (ctr_cg_load(&x->st, &cg, e) < 0)
			return -1;
		rc = cg_enter(&cg, x->pid, e);
		cg_free(&cg);
	}
	if (rc == 0 && sync_send(x->sync_fd, SYNC_PLACED, NULL, -1) < 0)
		rc = err_set(e, "sync with the new process:");
	return rc;
}

/* Step: clone into the pid (and time) namespace, the rest joined inside. */
static int
ex_spawn(struct ex *x, struct err *e)
{
	int sp[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return err_set(e, "socketpair:");
	x->pid = ns_clone_init(&x->ns, e);
	if (x->pid == 0) {
		close(sp[0]);
		ex_child(x, sp[1]);
	}
	close(sp[1]);
	x->sync_fd = sp[0];
	if (x->pid < 0)
		return -1;
	if (ex_place(x, e) < 0 || ex_sync(x, e) < 0) {
		kill(x->pid, SIGKILL);
		waitpid(x->pid, NULL, 0);
		x->pid = -1;
		return -1;
	}
	return 0;
}

static void
ex_release(struct ex *x)
{
	if (x->sync_fd >= 0)
		close(x->sync_fd);
	if (x->pty >= 0)
		close(x->pty);
	if (x->dirfd >= 0)
		close(x->dirfd);
	ns_plan_close(&x->ns);
	free(x->env);
	free(x->gids);
	seccomp_prog_free(&x->seccomp);
	if (x->spec_loaded)
		spec_free(&x->spec);
	state_free(&x->st);
}

int
cmd_exec(const struct exec_opts *o)
{
	struct ex x = {.o = o, .dirfd = -1, .sync_fd = -1, .pty = -1, .pid = -1};
	struct term_saved saved = {0};
	struct err e = {{0}};
	int sfd = -1, rc = 0;

	if ((sfd = ctr_signalfd(&e)) < 0 || ex_load(&x, &e) < 0 || ex_spawn(&x, &e) < 0 ||
	    (o->pid_file && ctr_write_pid_file(o->pid_file, x.pid, &e) < 0)) {
		rc = -1;
	} else if (!o->detach) {
		/* The lock on the state dir is not held while the process runs. */
		close(x.dirfd);
		x.dirfd = -1;
		if (x.pty >= 0 && isatty(0) && term_raw_enter(0, &saved) == 0)
			term_copy_winsize(0, x.pty);
		rc = ctr_wait(x.pid, sfd, x.pty);
		term_raw_leave(&saved);
	}
	ex_release(&x);
	if (sfd >= 0)
		close(sfd);
	/* runc exits 255 when exec itself fails, so a caller can tell it from
	 * the process's own status (runc: exec.go, "exec failed"). */
	if (rc < 0)
		log_error("exec failed: %s", e.msg);
	return rc < 0 ? 255 : rc;
}
