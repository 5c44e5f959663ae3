/*
 * init.c - the container's first process, from clone() to execve().
 *
 * This is the other side of container.c: the runtime clones this process
 * into its new namespaces, and it builds the container from the inside,
 * reporting each milestone over the sync socket (sync.h).  When it finally
 * execve()s, it *becomes* the container's process (pid 1 in a new pid
 * namespace), as runc's init does.
 *
 * runc counterpart: libcontainer/nsenter/nsexec.c (joining namespaces),
 * standard_init_linux.go Init() (the order of the steps below),
 * rootfs_linux.go prepareRootfs() (where the hooks are waited for).
 * Left out: AppArmor, SELinux (refused earlier).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "container.h"
#include "hooks.h"
#include "netlink.h"
#include "process.h"
#include "rootfs.h"
#include "seccomp.h"
#include "state.h"
#include "sync.h"
#include "terminal.h"
#include "userns.h"

int
sync_send(int sock, int type, const char *msg, int fd)
{
	struct sync_msg m = {.type = type};

	if (msg)
		snprintf(m.msg, sizeof(m.msg), "%s", msg);
	return send_with_fd(sock, &m, sizeof(m), fd) == (ssize_t)sizeof(m) ? 0 : -1;
}

int
sync_recv(int sock, int *type, char *msg, size_t msglen, int *fd)
{
	struct sync_msg m;
	struct iovec iov = {.iov_base = &m, .iov_len = sizeof(m)};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c;
	ssize_t n;

	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		errno = EPIPE; /* the other side is gone */
	if (n != (ssize_t)sizeof(m))
		return -1;
	*type = m.type;
	m.msg[sizeof(m.msg) - 1] = '\0';
	if (msg)
		snprintf(msg, msglen, "%s", m.msg);
	if (fd)
		*fd = -1;
	c = CMSG_FIRSTHDR(&mh);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
		if (fd)
			memcpy(fd, CMSG_DATA(c), sizeof(int));
		else {
			int tmp;
			memcpy(&tmp, CMSG_DATA(c), sizeof(int));
			close(tmp);
		}
	}
	return 0;
}

/* The init's copy of the caller's stderr (terminal: true), or -1. */
static int init_stderr_copy = -1;

/* Report the error to the runtime (it prints it once) and die. */
static void __attribute__((noreturn)) init_fail(const struct init_args *a, const struct err *e)
{
	sync_send(a->sync_fd, SYNC_ERROR, e->msg, -1);
	_exit(1);
}

/* The state a createContainer / startContainer hook sees: as runc, the pid is
 * the init's own getpid() (1 in a new pid namespace). */
static int
init_run_hooks(const struct init_args *a, enum spec_hook_kind kind, const char *status,
	       struct err *e)
{
	struct state st = {0};
	char *json;
	size_t len;
	int rc;

	if (a->spec->hooks[kind].n == 0)
		return 0;
	st.id = (char *)a->id;
	st.oci_version = (char *)a->spec->oci_version;
	st.bundle = a->spec->bundle;
	st.pid = getpid();
	json = state_json(&st, status, STATE_JSON_OCI, &len);
	if (!json)
		return err_set(e, "encode the state for %s hooks:", hook_kind_name(kind));
	rc = hooks_run(a->spec, kind, json, len, e);
	free(json);
	return rc;
}

/* Step 0: nothing of the container runs before the runtime has put this
 * process in the container's cgroup (runc: the parent's manager.Apply while
 * the child waits for its bootstrap data). */
int
init_wait_placed(int sync_fd, struct err *e)
{
	char msg[512];
	int type;

	if (sync_recv(sync_fd, &type, msg, sizeof(msg), NULL) < 0 || type != SYNC_PLACED)
		return err_set(e, "the runtime went away before placing the process in its cgroup");
	return 0;
}

/* A cgroup namespace made now has the container's cgroup as its root, which
 * is what the container must see (runc: nsexec.c stage-2 unshare, after every
 * namespace given by path was joined). */
static int
init_cgroup_ns(const struct init_args *a, struct err *e)
{
	if (!a->ns->new_cgroup)
		return 0;
	if (unshare(CLONE_NEWCGROUP) < 0)
		return err_set(e, "unshare the cgroup namespace:");
	log_debug("unshare(CLONE_NEWCGROUP) inside the container's cgroup  (runc: nsexec.c)");
	return 0;
}

/* Then: in a new user namespace the init is nobody until the runtime has
 * written its maps; idmapped mounts' trees come first.  Then, new or joined,
 * it becomes the namespace's root. */
static int
init_wait_for_userns(const struct init_args *a, struct err *e)
{
	char msg[512];
	int type, fd;

	log_debug("waiting for the uid/gid maps and idmapped trees  (runc: nsexec.c "
		  "SYNC_USERMAP_PLS)");
	for (;;) {
		if (sync_recv(a->sync_fd, &type, msg, sizeof(msg), &fd) < 0)
			return err_set(e, "the runtime went away while writing the id maps");
		if (type == SYNC_USERNS)
			return 0;
		if (type != SYNC_IDMAP || fd < 0)
			return errno = EPROTO,
			       err_set(e, "unexpected message %d from the runtime", type);
		if (rootfs_add_idmap_tree((size_t)strtoul(msg, NULL, 10), fd) < 0)
			return err_set(e, "keep an idmapped mount:");
	}
}

static int
init_enter_userns(const struct init_args *a, struct err *e)
{
	if (a->ns->new_user || userns_has_idmapped_mounts(a->spec)) {
		if (init_wait_for_userns(a, e) < 0)
			return -1;
		if (a->dumpable_until_mapped)
			prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	}
	if (!a->ns->new_user && !a->ns->join_user)
		return 0;
	return userns_enter_init(a->spec, a->ns->join_user, e);
}

/* Steps 0-1: namespaces by path, UTS names, loopback, mounts. */
static int
init_build_namespaces(const struct init_args *a, struct err *e)
{
	const struct spec *s = a->spec;

	if (init_wait_placed(a->sync_fd, e) < 0 || init_enter_userns(a, e) < 0 ||
	    ns_unshare_rest(a->ns, e) < 0 ||
	    ((a->ns->new_user || a->ns->join_user) && userns_finish_init(e) < 0) ||
	    ns_join_paths(a->ns, e) < 0 || init_cgroup_ns(a, e) < 0)
		return -1;
	if (s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
		return err_set(e, "sethostname %s:", s->hostname);
	if (s->hostname)
		log_debug("sethostname(\"%s\")  (runc: standard_init_linux.go Init)", s->hostname);
	if (s->domainname && setdomainname(s->domainname, strlen(s->domainname)) < 0)
		return err_set(e, "setdomainname %s:", s->domainname);
	/* A new network namespace has only a `lo` that is down; runc brings it
	 * up and nothing more (the seed's `ifconfig` shows it).  A namespace
	 * joined by path is someone else's: left alone. */
	if (a->ns->new_net && nl_loopback_up(e) < 0)
		return -1;
	return rootfs_prepare(s, e);
}

/* Step 1-2: let the runtime run prestart and createRuntime hooks, wait. */
static int
init_wait_for_hooks(const struct init_args *a, struct err *e)
{
	char msg[512];
	int type;

	log_debug("namespaces and mounts ready, waiting for prestart/createRuntime hooks"
		  "  (runc: rootfs_linux.go syncParentHooks)");
	if (sync_send(a->sync_fd, SYNC_HOOKS, NULL, -1) < 0)
		return err_set(e, "sync with the runtime:");
	if (sync_recv(a->sync_fd, &type, msg, sizeof(msg), NULL) < 0 || type != SYNC_HOOKS_DONE)
		return err_set(e, "the runtime went away during the hooks");
	return 0;
}

int
init_seccomp_load(const struct seccomp_prog *prog, int sync_fd, struct err *e)
{
	char msg[512];
	int fd, type;

	if (!prog)
		return 0;
	log_debug("seccomp(SECCOMP_SET_MODE_FILTER, %zu instructions)  (runc: patchbpf "
		  "PatchAndLoad)",
		  prog->len);
	fd = seccomp_filter_load(prog, e);
	if (fd <= 0)
		return fd;
	/* runc: syncParentSeccomp; the agent may answer before we go on. */
	if (sync_send(sync_fd, SYNC_SECCOMP, NULL, fd) < 0 ||
	    sync_recv(sync_fd, &type, msg, sizeof(msg), NULL) < 0 || type != SYNC_SECCOMP_DONE) {
		close(fd);
		return err_set(e, "sync parent seccomp: the runtime went away");
	}
	close(fd);
	return 0;
}

/* proc_setup's step before the credentials change (no_new_privs off). */
static int
init_seccomp_early(void *arg, struct err *e)
{
	const struct init_args *a = arg;

	return init_seccomp_load(a->seccomp, a->sync_fd, e);
}

/* Steps 2-4: switch root, the terminal, the last mount changes, the process. */
static int
init_finish_rootfs(const struct init_args *a, char *exe, size_t exelen, struct err *e)
{
	const struct spec *s = a->spec;

	/* createContainer hooks start in the rootfs, as runc's do. */
	if (s->hooks[HOOK_CREATE_CONTAINER].n && chdir(s->root_path) < 0)
		return err_set(e, "chdir %s:", s->root_path);
	if (init_run_hooks(a, HOOK_CREATE_CONTAINER, "creating", e) < 0)
		return -1;
	if (rootfs_pivot(s, a->no_pivot, e) < 0)
		return -1;
	/* runc creates a missing cwd right after the pivot, before a read-only
	 * root would refuse it (rootfs_linux.go createCwd). */
	if (proc_make_cwd(s->process.cwd, e) < 0)
		return -1;
	/* Every init leads its own session, terminal or not, as runc's does. */
	setsid();
	if (s->process.terminal) {
		int master = term_setup_init(&s->process, true, e);
		if (master < 0)
			return -1;
		if (sync_send(a->sync_fd, SYNC_PTY, NULL, master) < 0)
			return err_set(e, "send the pty to the runtime:");
		close(master);
	}
	if (rootfs_finalize(s, e) < 0)
		return -1;
	/* Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: before the
	 * capabilities go.  With it, as late as possible: after the user, the
	 * capabilities and no_new_privs, before telling the runtime we are ready
	 * (runc: standard_init_linux.go Init, both InitSeccomp calls). */
	if (!s->process.no_new_privileges)
		return proc_setup_with(&s->process, exe, exelen, init_seccomp_early, (void *)a, e);
	if (proc_setup(&s->process, exe, exelen, e) < 0)
		return -1;
	return init_seccomp_load(a->seccomp, a->sync_fd, e);
}

/*
 * With a terminal, the copy of the caller's stderr kept for the narration
 * must not outlive `create`: whoever reads the runtime's output to EOF
 * (`out=$(minirunc create ...)`, a driver) would wait until the container
 * starts.  runc's init holds none of the caller's fds after create.  With
 * terminal: false the container's stdio is the caller's anyway.
 */
static void
init_drop_caller_stderr(const struct init_args *a)
{
	if (!a->detached || log_fd != init_stderr_copy)
		return;
	log_debug("close the copy of the caller's stderr: no narration until start  (runc: the "
		  "init keeps none of the caller's fds)");
	close(log_fd);
	log_fd = -1;
}

/* Step 5: block until `start` connects; runc blocks on exec.fifo instead. */
static int
init_wait_for_start(const struct init_args *a)
{
	int conn;

	log_debug("ready, waiting for start  (runc: standard_init_linux.go exec.fifo)");
	do
		conn = accept4(a->start_fd, NULL, NULL, SOCK_CLOEXEC);
	while (conn < 0 && errno == EINTR);
	close(a->start_fd);
	return conn;
}

void
init_main(const struct init_args *a)
{
	char exe[4096];
	struct err e = {{0}};
	int conn;

	log_who = "init";
	/* The runtime blocks the signals it forwards; the container's process
	 * must start with none blocked, as any program expects (runc: signals.go). */
	proc_reset_signals();
	/* Keep the debug narration on the caller's stderr even after the pty
	 * replaces fds 0-2 (closed on exec). */
	if (log_fd == 2 && a->spec->process.terminal)
		log_fd = init_stderr_copy = fcntl(2, F_DUPFD_CLOEXEC, 3);
	/* Not traceable and /proc/PID/{environ,fd} closed to the container while
	 * this process still holds host resources (CVE-2016-9962).  A rootless
	 * runtime must write our maps first (they are its own ids: nothing it
	 * could not reach already), so then this waits for step 0. */
	if (!a->dumpable_until_mapped)
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (init_build_namespaces(a, &e) < 0 || init_wait_for_hooks(a, &e) < 0 ||
	    init_finish_rootfs(a, exe, sizeof(exe), &e) < 0)
		init_fail(a, &e);
	if (sync_send(a->sync_fd, SYNC_READY, NULL, -1) < 0)
		_exit(1);
	close(a->sync_fd);
	init_drop_caller_stderr(a);
	conn = init_wait_for_start(a);
	if (conn < 0)
		_exit(1);
	if (init_run_hooks(a, HOOK_START_CONTAINER, "created", &e) == 0)
		proc_exec(&a->spec->process, exe, a->preserve_fds, &e);
	/* Only failures get here: tell `start`, which prints it. */
	write_all(conn, e.msg, strlen(e.msg));
	_exit(1);
}
