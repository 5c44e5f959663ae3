/*
 * nsutil.h - namespaces: which to create, which to join by path, and the
 * clone of the init.  runc: libcontainer/nsenter/nsexec.c.
 */
#ifndef MINIRUNC_NSUTIL_H
#define MINIRUNC_NSUTIL_H

#include <stdbool.h>
#include <sys/types.h>

#include "spec.h"
#include "util.h"

#define NS_MAX 8

/*
 * What the config asks for, with every `path` already opened (and checked to
 * be a namespace of the right type) before anything is joined: after joining a
 * mount namespace the other paths may no longer resolve.
 */
struct ns_plan {
	unsigned long clone_flags;   /* CLONE_NEW* of the namespaces to create at clone */
	unsigned long unshare_flags; /* ... and those the init unshares after its maps */
	int join_fd[NS_MAX];	     /* opened paths, in the order to join them */
	int join_flag[NS_MAX];
	size_t n_join;
	bool new_net, new_uts, new_mnt, new_pid;
	bool new_user;	/* a new user namespace: the runtime writes its maps (userns.c) */
	bool join_user; /* a user namespace by path */
	bool stage1;	/* the paths are joined by a stage-1 child before the clone: with
			 * a user namespace by path, or a new one and any path */
	/* A new cgroup namespace is not a clone flag: the init unshares it once the
	 * runtime has put it in its cgroup, so that this cgroup becomes the
	 * namespace's root (runc: nsexec.c stage-2 unshare(CLONE_NEWCGROUP)). */
	bool new_cgroup;
};

/* Open and check every namespace path; the plan owns the fds. */
int ns_plan_open(const struct spec *s, struct ns_plan *p, struct err *e);
void ns_plan_close(struct ns_plan *p);

/* Whether the plan joins a namespace of this CLONE_NEW* type by path; and
 * whether that namespace is the runtime's own (/proc/self/ns/...). */
bool ns_plan_joins(const struct ns_plan *p, int flag);
bool ns_plan_joins_own(const struct ns_plan *p, int flag);

/* For `exec`: a plan that joins, from /proc/PID/ns/, every namespace type the
 * container's config lists (those it shares with the host are not joined). */
int ns_plan_open_pid(const struct spec *s, pid_t pid, struct ns_plan *p, struct err *e);

/*
 * Clone the init into its namespaces.  A pid or time namespace given by path
 * applies only to children (setns(2)), so the runtime joins those for a moment
 * around the clone and comes back.  With a user namespace by path (or a new
 * one and other paths) a stage-1 child joins every path, user first, and
 * clones the init with CLONE_PARENT, so that the init's new namespaces belong
 * to that user namespace and host-owned ones are still joinable.  Returns the child's pid in the
 * parent and 0 in the child (like fork), or -1 with e filled.
 */
pid_t ns_clone_init(const struct ns_plan *p, struct err *e);

/* In the init, once root of its new user namespace: unshare the namespaces
 * that were held back from the clone (none without a new user namespace). */
int ns_unshare_rest(const struct ns_plan *p, struct err *e);

/* In the init: join every other namespace given by path (the user namespace
 * was joined before the clone). */
int ns_join_paths(const struct ns_plan *p, struct err *e);

/* The name of one CLONE_NEW* flag for messages: "network", "pid", ... */
const char *ns_flag_name(int flag);

#endif
