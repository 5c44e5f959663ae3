/*
 * container.c - the runtime side of a container's birth: create and run;
 * when the hooks run; waiting and forwarding signals; undoing everything when
 * a step fails.  The commands on a container that exists (start, state, kill,
 * delete, list) are container_ops.c.
 *
 * runc counterpart: create.go, run.go, utils_linux.go
 * (startContainer, runner.run), libcontainer/container_linux.go (start,
 * exec, destroy), process_linux.go (initProcess.start: the sync loop).
 * The init's side of the same story is init.c; the handshake is sync.h.
 * The cgroup itself is cgroups.c's; this file says when: planned with the
 * config, made and entered right after the clone (before the init runs any
 * step), resources written at SYNC_HOOKS (before prestart, as runc's
 * procHooks), removed by delete and by every failure path.
 * Left out: checkpoint/restore.
 */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroups.h"
#include "hooks.h"
#include "rootfs.h"
#include "seccomp.h"
#include "state.h"
#include "sync.h"
#include "terminal.h"
#include "userns.h"

/* Everything the runtime holds while it creates a container, so that one
 * function can undo it in reverse order (crun's `fail:` pattern). */
struct ctr {
	const struct create_opts *o;
	struct spec spec;
	bool spec_loaded;
	struct ns_plan ns;
	int dirfd;    /* <root>/<id>, locked */
	int sync_fd;  /* our end of the socketpair */
	int start_fd; /* listening start socket (given to the init) */
	int pty;      /* pty master (terminal: true, foreground) */
	pid_t pid;    /* the init, as we see it */
	struct cg cg; /* the container's cgroup (planned in ctr_load) */
	struct state st;
	struct seccomp_prog seccomp; /* compiled before anything exists */
};

/* ---- Before anything exists: the config, checked ------------------------ */

/* Ignoring a security request silently is itself a vulnerability
 * (SECURITY.md): everything minirunc cannot honour is refused. */
static int
ctr_refuse_unsupported(const struct spec *s, const struct ns_plan *ns, struct err *e)
{
	const char *what = NULL;

	errno = ENOTSUP;
	if (s->process.apparmor_profile)
		what = "process.apparmorProfile";
	if (s->process.selinux_label)
		what = "process.selinuxLabel";
	if (s->has_mount_label)
		what = "linux.mountLabel";
	if (s->has_intel_rdt)
		what = "linux.intelRdt";
	if (what)
		return err_set(e, "config.json: %s: not supported by minirunc", what);
	errno = EINVAL;
	if (!s->has_process)
		return err_set(e, "config.json: process: missing");
	/* A mount namespace by path is joined and the rootfs built in it, as
	 * runc does; none at all (or the runtime's own) would build it in the
	 * host's.  hostname/domainname without a uts namespace: spec.c. */
	if (!ns->new_mnt && !ns_plan_joins(ns, CLONE_NEWNS))
		return err_set(e, "config.json: linux.namespaces: a mount namespace is required");
	if (ns_plan_joins_own(ns, CLONE_NEWNS))
		return err_set(e, "config.json: linux.namespaces: the mount namespace path is the "
				  "runtime's own; the rootfs would be built in the host's mounts");
	/* runc would rename the host (validator.go hostname() checks the type
	 * only); the same guard as runc's own checkHostNs for net sysctls. */
	if ((s->hostname || s->domainname) && ns_plan_joins_own(ns, CLONE_NEWUTS))
		return err_set(e,
			       "config.json: %s: the uts namespace path is the runtime's own; "
			       "it would rename the host",
			       s->hostname ? "hostname" : "domainname");
	return 0;
}

/* For `features`: the checks create makes before anything exists. */
int
ctr_config_supported(const struct spec *s, struct err *e)
{
	struct ns_plan ns;
	int rc;

	memset(&ns, 0, sizeof(ns));
	if (ns_plan_open(s, &ns, e) < 0)
		return -1;
	rc = ctr_refuse_unsupported(s, &ns, e);
	ns_plan_close(&ns);
	return rc;
}

/* Step: load and check config.json, open every namespace path. */
static int
ctr_load(struct ctr *c, struct err *e)
{
	const char *bundle = c->o->bundle ? c->o->bundle : ".";

	if (spec_load(bundle, &c->spec, e) < 0)
		return -1;
	c->spec_loaded = true;
	for (size_t i = 0; i < c->spec.n_warnings; i++)
		log_warn("%s", c->spec.warnings[i]);
	log_debug("loaded %s/config.json  (runc: spec.go loadSpec)", c->spec.bundle);
	if (ns_plan_open(&c->spec, &c->ns, e) < 0)
		return -1;
	if (ctr_refuse_unsupported(&c->spec, &c->ns, e) < 0 || rootfs_check(&c->spec, e) < 0 ||
	    cg_plan(&c->cg, &c->spec, c->o->id, e) < 0)
		return -1;
	if (c->spec.seccomp && seccomp_prepare(c->spec.seccomp, &c->seccomp, e) < 0)
		return -1;
	if (c->spec.process.terminal && !c->o->console_socket && c->o->detach)
		return errno = EINVAL, err_set(e, "cannot allocate a tty when detached without "
						  "--console-socket");
	return 0;
}

/* ---- The state record ---------------------------------------------------- */

/* Go's time.RFC3339Nano, which runc uses for "created": trailing zeros of
 * the fraction are dropped. */
static char *
ctr_now_rfc3339(void)
{
	struct timespec ts;
	struct tm tm;
	char buf[64], frac[16];
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	/* snprintf, not strftime(3): the same digits without the locale and time zone code
	 * strftime pulls into the static binary. */
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	snprintf(frac, sizeof(frac), ".%09ld", ts.tv_nsec);
	n = strlen(frac);
	while (n > 1 && frac[n - 1] == '0')
		frac[--n] = '\0';
	if (n > 1)
		strcat(buf, frac);
	strcat(buf, "Z");
	return strdup(buf);
}

static char *
ctr_annotations_json(const struct spec *s)
{
	struct json_writer w;
	size_t len;

	if (s->n_annotations == 0)
		return NULL;
	json_writer_init(&w, 0);
	json_write_object_begin(&w);
	for (size_t i = 0; i < s->n_annotations; i++) {
		json_write_key(&w, s->annotations[i].key);
		json_write_string(&w, s->annotations[i].value);
	}
	json_write_object_end(&w);
	return json_writer_finish(&w, &len);
}

static void
ctr_state_fill(struct ctr *c)
{
	c->st.id = strdup(c->o->id);
	c->st.oci_version = strdup(c->spec.oci_version);
	c->st.bundle = strdup(c->spec.bundle);
	c->st.rootfs = strdup(c->spec.root_path);
	c->st.created = ctr_now_rfc3339();
	c->st.annotations_json = ctr_annotations_json(&c->spec);
	/* Where the cgroup will be, recorded before any of it exists: a runtime
	 * killed from here on leaves `delete` a record of what to remove. */
	c->st.cgroups_json = cg_encode(&c->cg);
}

/* Run the hooks of one kind in the runtime's namespaces with the state on stdin. */
static int
ctr_hooks(const struct spec *s, const struct state *st, enum spec_hook_kind kind,
	  const char *status, struct err *e)
{
	char *json;
	size_t len;
	int rc;

	if (s->hooks[kind].n == 0)
		return 0;
	json = state_json(st, status, STATE_JSON_OCI, &len);
	if (!json)
		return err_set(e, "encode the state for %s hooks:", hook_kind_name(kind));
	rc = hooks_run(s, kind, json, len, e);
	free(json);
	return rc;
}

static void
ctr_hook_warn(const char *msg)
{
	log_warn("%s", msg);
}

/* poststart and poststop: each failure is a warning, the rest still run
 * (runtime-spec config.md; runc 1.1 stops at the first and, for poststart,
 * kills the container). */
void
ctr_hooks_warn(const struct spec *s, const struct state *st, enum spec_hook_kind kind,
	       const char *status)
{
	char *json;
	size_t len;

	if (s->hooks[kind].n == 0)
		return;
	json = state_json(st, status, STATE_JSON_OCI, &len);
	if (!json) {
		log_warn("encode the state for %s hooks: %s", hook_kind_name(kind),
			 strerror(errno));
		return;
	}
	hooks_run_all(s, kind, json, len, ctr_hook_warn);
	free(json);
}

/* ---- The init and its sockets ------------------------------------------- */

/* The socket `start` connects to, in the state dir.  Bound through
 * /proc/self/fd so a long --root never hits sun_path's 108 bytes. */
int
ctr_start_socket(int dirfd, bool listening, struct err *e)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/start.sock", dirfd);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set(e, "start socket:");
	if (listening ? bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0
		      : connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err_set(e, "start socket:");
		close(fd);
		return -1;
	}
	return fd;
}

/* Step: clone the init into its namespaces; in the child this never returns. */
static int
ctr_clone_init(struct ctr *c, struct err *e)
{
	int sp[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return err_set(e, "socketpair:");
	c->sync_fd = sp[0];
	c->start_fd = ctr_start_socket(c->dirfd, true, e);
	if (c->start_fd < 0) {
		close(sp[1]);
		return -1;
	}
	c->pid = ns_clone_init(&c->ns, e);
	if (c->pid == 0) {
		struct init_args a = {.spec = &c->spec,
				      .id = c->o->id,
				      .ns = &c->ns,
				      .sync_fd = sp[1],
				      .start_fd = c->start_fd,
				      .no_pivot = c->o->no_pivot,
				      .detached = c->o->detach,
				      .preserve_fds = c->o->preserve_fds,
				      .seccomp = c->spec.seccomp ? &c->seccomp : NULL,
				      /* An unprivileged runtime (or newuidmap) may write the
				       * maps only of a process it may ptrace.  Decided from the
				       * runtime's ids noted before the clone: in here geteuid()
				       * already answers for the new namespace. */
				      .dumpable_until_mapped =
					  c->ns.new_user && userns_caller_rootless()};
		/* The state dir's lock must not live on in the init. */
		close(c->dirfd);
		close(sp[0]);
		init_main(&a);
	}
	close(sp[1]);
	close(c->start_fd);
	c->start_fd = -1;
	ns_plan_close(&c->ns);
	return c->pid < 0 ? -1 : 0;
}

/* Each idmapped mount's detached tree, made out here (the init, in its own user
 * namespace, may not idmap a host filesystem), sent to the init in order. */
static int
ctr_send_idmap_trees(struct ctr *c, struct err *e)
{
	for (size_t i = 0; i < c->spec.n_mounts; i++) {
		char idx[24];
		int tree, r;

		if (!c->spec.mounts[i].n_uid_mappings)
			continue;
		tree = userns_idmap_tree(&c->spec, i, c->ns.new_user ? c->pid : 0, e);
		if (tree < 0)
			return -1;
		snprintf(idx, sizeof(idx), "%zu", i);
		r = sync_send(c->sync_fd, SYNC_IDMAP, idx, tree);
		close(tree);
		if (r < 0)
			return err_set(e, "sync with the init:");
	}
	return 0;
}

/*
 * Step 0 of sync.h, runtime side: the maps of a new user namespace, written
 * from out here while the init waits (runc: nsexec.c SYNC_USERMAP_PLS), and
 * the idmapped mounts' trees, then the word to go on.  Nothing to do without
 * either.
 */
static int
ctr_userns_setup(struct ctr *c, struct err *e)
{
	if (!c->ns.new_user && !userns_has_idmapped_mounts(&c->spec))
		return 0;
	if (c->ns.new_user && userns_write_maps(c->pid, &c->spec, e) < 0)
		return -1;
	if (ctr_send_idmap_trees(c, e) < 0)
		return -1;
	if (sync_send(c->sync_fd, SYNC_USERNS, NULL, -1) < 0)
		return err_set(e, "sync with the init:");
	return 0;
}

/* --console-socket: hand the pty master to whoever listens (runc: tty.go);
 * the master is closed here either way. */
int
ctr_send_console(const char *path, int master, struct err *e)
{
	int sock, rc = 0;

	sock = term_connect_socket(path, e);
	if (sock >= 0 && term_send_fd(sock, master, TERM_PTY_NAME) < 0)
		rc = err_set(e, "send the pty to --console-socket %s:", path);
	if (sock >= 0)
		close(sock);
	close(master);
	return sock < 0 ? -1 : rc;
}

static int
ctr_take_pty(struct ctr *c, int master, struct err *e)
{
	if (!c->o->console_socket) {
		c->pty = master;
		return 0;
	}
	return ctr_send_console(c->o->console_socket, master, e);
}

/* SCMP_ACT_NOTIFY: the agent at listenerPath gets the listener fd and the
 * container's state (runc: process_linux.go, procSeccomp); then the init goes on. */
static int
ctr_seccomp_agent(struct ctr *c, int fd, struct err *e)
{
	struct state st = c->st;
	char *json;
	size_t len;
	int rc = -1;

	st.pid = c->pid;
	json = state_json(&st, "creating", STATE_JSON_OCI, &len);
	if (json && seccomp_notify_agent(c->spec.seccomp, json, len, c->pid, fd, e) == 0)
		rc = sync_send(c->sync_fd, SYNC_SECCOMP_DONE, NULL, -1) < 0
			 ? err_set(e, "sync with the init:")
			 : 0;
	else if (!json)
		err_set(e, "encode the state for the seccomp agent:");
	free(json);
	close(fd);
	return rc;
}

/* Steps 1-4 of sync.h, runtime side. */
static int
ctr_sync_with_init(struct ctr *c, struct err *e)
{
	char msg[512];
	int type, fd;

	for (;;) {
		if (sync_recv(c->sync_fd, &type, msg, sizeof(msg), &fd) < 0)
			return err_set(e, "the container's init died during setup");
		switch (type) {
		case SYNC_HOOKS: /* 1 -> 2 */
			/* runc: process_linux.go procHooks, manager.Set before the hooks. */
			if (cg_apply(&c->cg, &c->spec.resources, e) < 0)
				return -1;
			if (ctr_hooks(&c->spec, &c->st, HOOK_PRESTART, "creating", e) < 0 ||
			    ctr_hooks(&c->spec, &c->st, HOOK_CREATE_RUNTIME, "creating", e) < 0)
				return -1;
			if (sync_send(c->sync_fd, SYNC_HOOKS_DONE, NULL, -1) < 0)
				return err_set(e, "sync with the init:");
			break;
		case SYNC_PTY: /* 3 */
			if (fd < 0 || ctr_take_pty(c, fd, e) < 0)
				return fd < 0 ? err_set(e, "no pty from the init") : -1;
			break;
		case SYNC_SECCOMP: /* 4a: the listener fd for the agent */
			if (fd < 0 || ctr_seccomp_agent(c, fd, e) < 0)
				return fd < 0 ? err_set(e, "no seccomp fd from the init") : -1;
			break;
		case SYNC_READY: /* 4 */
			return 0;
		case SYNC_ERROR:
			errno = EINVAL;
			return err_set(e, "%s", msg);
		default:
			return errno = EPROTO,
			       err_set(e, "unexpected message %d from the init", type);
		}
	}
}

/* runc writes the pid file atomically: a temp file renamed into place. */
int
ctr_write_pid_file(const char *path, pid_t pid, struct err *e)
{
	char tmp[4096], buf[32];
	int fd, n;

	snprintf(tmp, sizeof(tmp), "%s.minirunc-tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_set(e, "--pid-file %s:", path);
	n = snprintf(buf, sizeof(buf), "%d", (int)pid);
	if (write_all(fd, buf, (size_t)n) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		err_set(e, "--pid-file %s:", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Kill and reap our init, run poststop hooks, remove the state dir. */
static void
ctr_abort(struct ctr *c)
{
	struct err e2 = {{0}};

	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
			;
		c->st.pid = 0;
	}
	/* runc's order (destroy): the cgroup goes before the poststop hooks. */
	if (cg_destroy(&c->cg, &e2) < 0)
		log_warn("%s", e2.msg);
	if (c->pid > 0)
		ctr_hooks_warn(&c->spec, &c->st, HOOK_POSTSTOP, "stopped");
	if (c->dirfd >= 0)
		state_dir_remove(c->o->root, c->o->id, c->dirfd);
}

static void
ctr_release(struct ctr *c)
{
	if (c->sync_fd >= 0)
		close(c->sync_fd);
	if (c->dirfd >= 0)
		close(c->dirfd);
	ns_plan_close(&c->ns);
	cg_free(&c->cg);
	state_free(&c->st);
	seccomp_prog_free(&c->seccomp);
	if (c->spec_loaded)
		spec_free(&c->spec);
}

/* Step 0 of sync.h: the cgroup made, the init in it, its inodes recorded,
 * then the init may start (runc: process_linux.go manager.Apply(pid)). */
static int
ctr_place_init(struct ctr *c, struct err *e)
{
	if (cg_create(&c->cg, &c->spec.resources, e) < 0 || cg_enter(&c->cg, c->pid, e) < 0)
		return -1;
	free(c->st.cgroups_json);
	c->st.cgroups_json = cg_encode(&c->cg);
	if (state_write(c->dirfd, &c->st, e) < 0)
		return -1;
	if (c->cg.n)
		log_debug("init %d placed in its cgroup (%s)  (runc: manager.Apply)", (int)c->pid,
			  cg_layout_name(c->cg.layout));
	if (sync_send(c->sync_fd, SYNC_PLACED, NULL, -1) < 0)
		return err_set(e, "sync with the init:");
	return 0;
}

/*
 * `create`, and the first half of `run`: everything up to the user process,
 * which then waits for `start` (ARCHITECTURE.md, "The flow").
 */
static int
ctr_create(struct ctr *c, struct err *e)
{
	if (ctr_load(c, e) < 0)
		return -1;
	c->dirfd = state_dir_create(c->o->root, c->o->id, e);
	if (c->dirfd < 0)
		return -1;
	ctr_state_fill(c);
	if (state_save_config(c->dirfd, c->spec.bundle, e) < 0)
		goto fail;
	/* Hooks and relative paths see the bundle as cwd, as with runc. */
	if (chdir(c->spec.bundle) < 0) {
		err_set(e, "chdir %s:", c->spec.bundle);
		goto fail;
	}
	if (ctr_clone_init(c, e) < 0)
		goto fail;
	/* Recorded at once, "creating": if this runtime is killed from here
	 * on, `delete -f` still finds the init to kill. */
	c->st.pid = c->pid;
	c->st.start_time = state_pid_start_time(c->pid);
	if (state_write(c->dirfd, &c->st, e) < 0 || ctr_place_init(c, e) < 0 ||
	    ctr_userns_setup(c, e) < 0 || ctr_sync_with_init(c, e) < 0)
		goto fail;
	c->st.ready = true;
	if (state_write(c->dirfd, &c->st, e) < 0)
		goto fail;
	if (c->o->pid_file && ctr_write_pid_file(c->o->pid_file, c->pid, e) < 0)
		goto fail;
	log_debug("container %s created, init pid %d  (runc: create.go)", c->o->id, c->pid);
	return 0;
fail:
	ctr_abort(c);
	return -1;
}

/* ---- The foreground: signals, terminal, exit status ---------------------- */

static const int ctr_forwarded[] = {SIGHUP,  SIGINT,  SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
				    SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE, SIGALRM};

/* Block the signals we forward, plus SIGCHLD and SIGWINCH, into a signalfd,
 * before the process runs, so none is lost (runc: signals.go). */
int
ctr_signalfd(struct err *e)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(ctr_forwarded) / sizeof(ctr_forwarded[0]); i++)
		sigaddset(&set, ctr_forwarded[i]);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGWINCH);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return err_set(e, "sigprocmask:");
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		return err_set(e, "signalfd:");
	return fd;
}

static int
ctr_exit_status(int wstatus)
{
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return WEXITSTATUS(wstatus);
}

/* One signal: SIGCHLD may mean our init ended; the rest go to the init. */
static bool
ctr_on_signal(int sfd, pid_t pid, int pty, int *status)
{
	struct signalfd_siginfo si;
	int ws;

	if (read_retry(sfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return false;
	if (si.ssi_signo == SIGCHLD) {
		if (waitpid(pid, &ws, WNOHANG) == pid) {
			*status = ctr_exit_status(ws);
			return true;
		}
	} else if (si.ssi_signo == SIGPIPE && si.ssi_pid == (uint32_t)getpid()) {
		/* Our own write to a closed stderr (`| head`): not the caller's
		 * signal; forwarding it would narrate, and raise, another. */
	} else if (si.ssi_signo == SIGWINCH) {
		if (pty >= 0)
			term_copy_winsize(0, pty);
	} else {
		log_debug("forward signal %d to %d  (runc: signals.go forward)", (int)si.ssi_signo,
			  (int)pid);
		kill(pid, (int)si.ssi_signo);
	}
	return false;
}

/* After the process ended: what it wrote last is still in the pty. */
static void
ctr_drain_pty(int pty)
{
	fcntl(pty, F_SETFL, O_NONBLOCK);
	while (term_pump(pty, 1) > 0)
		;
}

/* Wait for the init, forwarding signals and proxying the terminal. */
int
ctr_wait(pid_t pid, int sfd, int pty)
{
	struct pollfd pf[3] = {{.fd = sfd, .events = POLLIN},
			       {.fd = pty >= 0 ? 0 : -1, .events = POLLIN},
			       {.fd = pty, .events = POLLIN}};
	int status = 255;

	for (;;) {
		if (poll(pf, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if ((pf[0].revents & POLLIN) && ctr_on_signal(sfd, pid, pty, &status))
			break;
		if (pf[1].revents && term_pump(0, pty) <= 0)
			pf[1].fd = -1; /* our stdin ended; the container keeps running */
		if (pf[2].revents && term_pump(pty, 1) <= 0)
			pf[2].fd = -1;
	}
	if (pty >= 0)
		ctr_drain_pty(pty);
	return status;
}

/* ---- The commands ------------------------------------------------------- */

int
ctr_fail(const struct err *e)
{
	log_error("%s", e->msg);
	return 1;
}

static void
ctr_init(struct ctr *c, const struct create_opts *o)
{
	memset(c, 0, sizeof(*c));
	c->o = o;
	c->dirfd = c->sync_fd = c->start_fd = c->pty = -1;
}

int
cmd_create(const struct create_opts *o)
{
	struct ctr c;
	struct err e = {{0}};
	int rc;

	struct create_opts detached = *o;

	/* `create` returns while the container waits: nobody is left to proxy
	 * a terminal, so one needs --console-socket, as with run -d. */
	detached.detach = true;
	ctr_init(&c, &detached);
	rc = ctr_create(&c, &e);
	ctr_release(&c);
	return rc < 0 ? ctr_fail(&e) : 0;
}

/* run = create + start, then (in the foreground) wait + delete. */
static int
ctr_run(struct ctr *c, struct err *e)
{
	struct term_saved saved = {0};
	int sfd, status;

	sfd = ctr_signalfd(e);
	if (sfd < 0 || ctr_create(c, e) < 0)
		return -1;
	if (ctr_start_locked(c->dirfd, &c->st, &c->spec, e) < 0) {
		ctr_abort(c);
		return -1;
	}
	if (c->o->detach)
		return 0;
	/* While it runs, `state`, `kill`, `exec` and `delete -f` must get in. */
	flock(c->dirfd, LOCK_UN);
	if (c->pty >= 0 && isatty(0) && term_raw_enter(0, &saved) == 0)
		term_copy_winsize(0, c->pty);
	status = ctr_wait(c->pid, sfd, c->pty);
	term_raw_leave(&saved);
	flock(c->dirfd, LOCK_EX);
	/* A `delete -f` from elsewhere may have cleaned up already. */
	if (!c->o->keep && state_dir_alive(c->dirfd) &&
	    ctr_destroy(c->o->root, c->dirfd, &c->st, e) < 0)
		return -1;
	return status;
}

int
cmd_run(const struct create_opts *o)
{
	struct ctr c;
	struct err e = {{0}};
	int rc;

	ctr_init(&c, o);
	rc = ctr_run(&c, &e);
	if (c.pty >= 0)
		close(c.pty);
	ctr_release(&c);
	return rc < 0 ? ctr_fail(&e) : rc;
}

/* Open, lock and read the state of an existing container. */
int
ctr_open_existing(const char *root, const char *id, struct state *st, struct err *e)
{
	int dirfd = state_dir_open(root, id, e);

	if (dirfd < 0)
		return -1;
	if (state_read(dirfd, id, st, e) < 0) {
		close(dirfd);
		return -1;
	}
	return dirfd;
}
