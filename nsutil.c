/*
 * nsutil.c - namespaces: map config.json's list to clone flags, open and
 * check every `path` first, clone the init, join the paths.
 *
 * runc counterpart: libcontainer/nsenter/nsexec.c (join_namespaces(), the
 * stage-1/stage-2 children).  runc forks twice because Go cannot setns a
 * multi-threaded process; a C runtime can clone once - except to join a user
 * namespace: the namespaces clone(2) creates belong to the caller's user
 * namespace, and a process cannot setns back out of one, so a short-lived
 * stage-1 child joins it and clones the init with CLONE_PARENT (runc does the
 * same).  The maps of a new user namespace are userns.c's.
 */
#include "nsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const struct {
	int flag;
	const char *name;
	const char *proc; /* /proc/self/ns/<proc> */
} ns_names[] = {
    {CLONE_NEWUSER, "user", "user"},	   {CLONE_NEWIPC, "ipc", "ipc"},
    {CLONE_NEWUTS, "uts", "uts"},	   {CLONE_NEWNET, "network", "net"},
    {CLONE_NEWPID, "pid", "pid"},	   {CLONE_NEWNS, "mount", "mnt"},
    {CLONE_NEWCGROUP, "cgroup", "cgroup"}, {CLONE_NEWTIME, "time", "time"},
};

const char *
ns_flag_name(int flag)
{
	for (size_t i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++)
		if (ns_names[i].flag == flag)
			return ns_names[i].name;
	return "?";
}

/* The order runc joins in: user first (it owns the others), mount last
 * (after it, host paths may no longer resolve).  runc: nsexec.c nsenter order. */
static int
ns_join_rank(int flag)
{
	static const int order[] = {CLONE_NEWUSER, CLONE_NEWIPC,    CLONE_NEWUTS,  CLONE_NEWNET,
				    CLONE_NEWPID,  CLONE_NEWCGROUP, CLONE_NEWTIME, CLONE_NEWNS};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (order[i] == flag)
			return (int)i;
	return 99;
}

/* Open one namespace path and check with NS_GET_NSTYPE that it is one, of the
 * type config.json says (ioctl_ns(2)). */
static int
ns_open_checked(size_t idx, const struct spec_namespace *ns, struct err *e)
{
	int fd, type;

	fd = open(ns->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, "linux.namespaces[%zu].path: open %s:", idx, ns->path);
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0) {
		close(fd);
		errno = EINVAL;
		return err_set(e, "linux.namespaces[%zu].path: %s is not a namespace", idx,
			       ns->path);
	}
	if (type != ns->flag) {
		close(fd);
		errno = EINVAL;
		return err_set(e, "linux.namespaces[%zu].path: %s is a %s namespace, not %s", idx,
			       ns->path, ns_flag_name(type), ns->type);
	}
	return fd;
}

/* Insert (fd, flag) keeping the join order. */
static void
ns_plan_add_join(struct ns_plan *p, int fd, int flag)
{
	size_t i = p->n_join;

	while (i > 0 && ns_join_rank(p->join_flag[i - 1]) > ns_join_rank(flag)) {
		p->join_fd[i] = p->join_fd[i - 1];
		p->join_flag[i] = p->join_flag[i - 1];
		i--;
	}
	p->join_fd[i] = fd;
	p->join_flag[i] = flag;
	p->n_join++;
}

int
ns_plan_open(const struct spec *s, struct ns_plan *p, struct err *e)
{
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < s->n_namespaces; i++) {
		const struct spec_namespace *ns = &s->namespaces[i];
		int fd;

		if (!ns->path) {
			p->clone_flags |= (unsigned long)ns->flag;
			continue;
		}
		if (p->n_join == NS_MAX)
			break;
		fd = ns_open_checked(i, ns, e);
		if (fd < 0) {
			ns_plan_close(p);
			return -1;
		}
		ns_plan_add_join(p, fd, ns->flag);
		log_debug("open %s namespace %s  (runc: nsexec.c join_namespaces)", ns->type,
			  ns->path);
	}
	p->new_net = p->clone_flags & CLONE_NEWNET;
	p->new_uts = p->clone_flags & CLONE_NEWUTS;
	p->new_mnt = p->clone_flags & CLONE_NEWNS;
	p->new_pid = p->clone_flags & CLONE_NEWPID;
	p->new_cgroup = p->clone_flags & CLONE_NEWCGROUP;
	p->clone_flags &= ~(unsigned long)CLONE_NEWCGROUP;
	p->new_user = p->clone_flags & CLONE_NEWUSER;
	p->join_user = ns_plan_joins(p, CLONE_NEWUSER);
	p->stage1 = p->join_user || (p->new_user && p->n_join > 0);
	/* With a new user namespace only what must exist at clone time is cloned
	 * (pid and time apply to children only); the rest is unshared once the maps
	 * are written and the init is root inside, so that what they create (the
	 * ipc namespace's mqueue, the netns' lo in sysfs) is owned by that root, as
	 * under runc (nsexec.c: "unsharing all namespaces at once will result in
	 * namespace objects being owned incorrectly"). */
	if (p->new_user) {
		p->unshare_flags =
		    p->clone_flags & ~(unsigned long)(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWTIME);
		p->clone_flags &= ~p->unshare_flags;
	}
	return 0;
}

static const char *
ns_proc_name(int flag)
{
	for (size_t i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++)
		if (ns_names[i].flag == flag)
			return ns_names[i].proc;
	return "?";
}

static int
ns_plan_join_fd(const struct ns_plan *p, int flag)
{
	for (size_t i = 0; i < p->n_join; i++)
		if (p->join_flag[i] == flag)
			return p->join_fd[i];
	return -1;
}

bool
ns_plan_joins(const struct ns_plan *p, int flag)
{
	return ns_plan_join_fd(p, flag) >= 0;
}

/* An nsfs inode names the namespace (ioctl_ns(2)): same device and inode as
 * our own /proc/self/ns/<type> is the runtime's (the host's) namespace. */
bool
ns_plan_joins_own(const struct ns_plan *p, int flag)
{
	int fd = ns_plan_join_fd(p, flag);
	struct stat theirs, mine;
	char path[64];

	if (fd < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_proc_name(flag));
	if (fstat(fd, &theirs) < 0 || stat(path, &mine) < 0)
		return false;
	return theirs.st_dev == mine.st_dev && theirs.st_ino == mine.st_ino;
}

int
ns_plan_open_pid(const struct spec *s, pid_t pid, struct ns_plan *p, struct err *e)
{
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < s->n_namespaces && p->n_join < NS_MAX; i++) {
		int flag = s->namespaces[i].flag;
		char path[64];
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns_proc_name(flag));
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			err_set(e, "open %s:", path);
			ns_plan_close(p);
			return -1;
		}
		ns_plan_add_join(p, fd, flag);
	}
	p->join_user = ns_plan_joins(p, CLONE_NEWUSER);
	p->stage1 = p->join_user;
	return 0;
}

void
ns_plan_close(struct ns_plan *p)
{
	for (size_t i = 0; i < p->n_join; i++)
		close(p->join_fd[i]);
	p->n_join = 0;
}

/* pid and time namespaces by path: setns(2) changes only the namespace of
 * the caller's future children, so the runtime joins them around the clone. */
static int
ns_is_for_children(int flag)
{
	return flag == CLONE_NEWPID || flag == CLONE_NEWTIME;
}

static int
ns_enter_for_children(const struct ns_plan *p, int saved[2], struct err *e)
{
	saved[0] = saved[1] = -1;
	for (size_t i = 0; i < p->n_join; i++) {
		int flag = p->join_flag[i], k = flag == CLONE_NEWPID ? 0 : 1;

		if (!ns_is_for_children(flag))
			continue;
		saved[k] =
		    open(k == 0 ? "/proc/self/ns/pid" : "/proc/self/ns/time", O_RDONLY | O_CLOEXEC);
		if (saved[k] < 0)
			return err_set(e, "open own %s namespace:", ns_flag_name(flag));
		if (setns(p->join_fd[i], flag) < 0)
			return err_set(e, "setns into the %s namespace:", ns_flag_name(flag));
		log_debug("setns(%s) for the init's sake  (runc: nsexec.c stage-1 child)",
			  ns_flag_name(flag));
	}
	return 0;
}

/* Back to our own pid/time namespaces (joining one's own is always allowed). */
static void
ns_leave_for_children(int saved[2])
{
	if (saved[0] >= 0) {
		setns(saved[0], CLONE_NEWPID);
		close(saved[0]);
	}
	if (saved[1] >= 0) {
		setns(saved[1], CLONE_NEWTIME);
		close(saved[1]);
	}
}

/* Why clone fails most often, said plainly (STYLE.md, "Errors"). */
static int
ns_clone_error(struct err *e)
{
	if (errno == ENOSPC)
		return err_set(e,
			       "clone: namespace limit reached (/proc/sys/user/max_*_namespaces)");
	if (errno == EINVAL)
		return err_set(e, "clone: a namespace type is not supported by this kernel:");
	return err_set(e, "clone:");
}

/* What stage-1 tells the runtime: the init's pid, or why there is none. */
struct ns_stage1_report {
	long pid;
	int err;
	char msg[512]; /* struct err's size */
};

/*
 * Stage-1: not traceable, join every namespace given by path in order (the
 * user namespace first: it owns what clone creates next), clone the init as
 * the runtime's child, report, exit.  With a new user namespace the paths
 * are joined here, as host root, because from inside the new one the init
 * could no longer join namespaces the host owns (runc: stage-1 joins, then
 * unshares the user namespace).
 */
static long
ns_stage1(const struct ns_plan *p, int report_fd)
{
	struct clone_args args = {.flags = p->clone_flags | CLONE_PARENT};
	struct ns_stage1_report r = {.pid = -1};
	struct err e = {{0}};
	bool rootless = geteuid() != 0;
	size_t i;

	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	for (i = 0; i < p->n_join; i++) {
		if (setns(p->join_fd[i], p->join_flag[i]) < 0) {
			err_set(&e, "setns into the %s namespace:", ns_flag_name(p->join_flag[i]));
			break;
		}
		log_debug("setns(%s) in stage-1  (runc: nsexec.c join_namespaces)",
			  ns_flag_name(p->join_flag[i]));
	}
	/* An unprivileged runtime writes the new namespace's maps: the init must
	 * be dumpable until then (runc: "temporarily set process as dumpable"). */
	if (i == p->n_join && p->new_user && rootless)
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	if (i == p->n_join) {
		log_debug("clone3(%#lx | CLONE_PARENT) the init  (runc: nsexec.c clone_parent)",
			  p->clone_flags);
		r.pid = syscall(SYS_clone3, &args, sizeof(args));
		if (r.pid == 0)
			return 0;
		if (r.pid < 0)
			ns_clone_error(&e);
	}
	r.err = errno;
	snprintf(r.msg, sizeof(r.msg), "%s", e.msg);
	(void)!write(report_fd, &r, sizeof(r));
	_exit(0);
}

static pid_t
ns_clone_via_stage1(const struct ns_plan *p, struct err *e)
{
	struct ns_stage1_report r = {.pid = -1};
	int pipefd[2];
	pid_t s1;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return err_set(e, "pipe:");
	s1 = fork();
	if (s1 == 0) {
		close(pipefd[0]);
		if (ns_stage1(p, pipefd[1]) == 0) {
			close(pipefd[1]);
			return 0; /* the init, child of the runtime */
		}
	}
	close(pipefd[1]);
	if (s1 < 0 || read_retry(pipefd[0], &r, sizeof(r)) != (ssize_t)sizeof(r))
		err_set(e, "stage-1 child: fork or report:");
	else if (r.pid < 0)
		errno = r.err, r.msg[sizeof(r.msg) - 1] = '\0', err_set(e, "%s", r.msg);
	close(pipefd[0]);
	while (s1 > 0 && waitpid(s1, NULL, 0) < 0 && errno == EINTR)
		;
	return r.pid > 0 ? (pid_t)r.pid : -1;
}

pid_t
ns_clone_init(const struct ns_plan *p, struct err *e)
{
	/* clone3(2), not clone(2): CLONE_NEWTIME shares its bit with CSIGNAL in
	 * the old call.  With no stack given, clone3 behaves like fork(). */
	struct clone_args args = {.flags = p->clone_flags, .exit_signal = SIGCHLD};
	int saved[2];
	long pid = -1;

	if (p->stage1)
		return ns_clone_via_stage1(p, e);
	if (ns_enter_for_children(p, saved, e) == 0) {
		log_debug("clone3(%#lx) the init  (runc: nsexec.c clone_parent)", p->clone_flags);
		pid = syscall(SYS_clone3, &args, sizeof(args));
		if (pid < 0)
			ns_clone_error(e);
	}
	if (pid != 0)
		ns_leave_for_children(saved);
	return (pid_t)pid;
}

int
ns_unshare_rest(const struct ns_plan *p, struct err *e)
{
	if (!p->unshare_flags)
		return 0;
	log_debug("unshare(%#lx) the other namespaces  (runc: nsexec.c stage-1 unshare)",
		  p->unshare_flags);
	if (unshare((int)p->unshare_flags) < 0)
		return ns_clone_error(e);
	return 0;
}

int
ns_join_paths(const struct ns_plan *p, struct err *e)
{
	if (p->stage1)
		return 0; /* stage-1 joined them all before the clone */
	for (size_t i = 0; i < p->n_join; i++) {
		int flag = p->join_flag[i];

		if (ns_is_for_children(flag))
			continue; /* the runtime joined it for us before clone */
		if (setns(p->join_fd[i], flag) < 0)
			return err_set(e, "setns into the %s namespace:", ns_flag_name(flag));
		log_debug("setns(%s)  (runc: nsexec.c join_namespaces)", ns_flag_name(flag));
	}
	return 0;
}
