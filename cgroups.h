/*
 * cgroups.h - one container's cgroup: where it is (per v1 hierarchy, or the
 * one v2 directory), its life (create, enter, apply, destroy), and what the
 * commands do through it (kill --all, pause/resume, ps, update).
 *
 * runc counterpart: libcontainer/cgroups/{fs,fs2,utils}; the Manager
 * interface there (Apply, Set, Freeze, GetPids, Destroy) maps onto the
 * cg_* calls below (cgroups.c; placement in cgroup_place.c).  Callers:
 * container.c (create), container_cgroup.c (pause, ps, update, kill --all,
 * and delete's and kill's cgroup steps for container_ops.c), exec.c (join),
 * state.c (the record), cgroup_devices.c and
 * cgroup_stats.c (device rules, events/stats) build on the same handle.
 */
#ifndef MINIRUNC_CGROUPS_H
#define MINIRUNC_CGROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "spec.h"
#include "util.h"

/* How the host mounts cgroups, decided as runc's cgroups.IsCgroup2UnifiedMode()
 * and IsCgroup2HybridMode() do: /sys/fs/cgroup itself cgroup2 = v2; a tmpfs of
 * v1 hierarchies with cgroup2 at /sys/fs/cgroup/unified = hybrid (resources
 * through v1, the unified directory joined too, as runc does); else v1. */
enum cg_layout { CG_NONE, CG_V1, CG_HYBRID, CG_V2 };

#define CG_MAX_DIRS 16

/*
 * One directory of the container's cgroup.  On v1 one per hierarchy runc
 * joins (its subsystem list plus name=systemd), on hybrid also the unified
 * one, on v2 exactly one.
 */
struct cg_dir {
	char *ctrl;   /* the hierarchy's controllers as mounted: "memory", "cpu,cpuacct",
			 "name=systemd"; "" for a cgroup2 directory */
	char *path;   /* absolute: /sys/fs/cgroup/memory/<parent>/<id> */
	char *made;   /* the outermost level minirunc creates (a prefix of path, or path);
			 NULL when every level existed before: nothing of it is ours */
	uint64_t ino; /* st_ino of path once created: a later command acts only on
			 a directory that is still the same one */
	int fd;	      /* O_RDONLY|O_DIRECTORY of path (bpf(2) can attach to it), -1 if not open */
};

struct cg {
	enum cg_layout layout;
	size_t n;
	struct cg_dir d[CG_MAX_DIRS];
	bool new_ns; /* the config asks for a cgroup namespace (made by the init) */
	/* An unprivileged caller with no cgroupsPath: a directory it may not make
	 * or enter is left out, as runc's rootless manager does, as long as no
	 * resource needs it (fs.go Apply: isIgnorableError && Path == ""). */
	bool lenient;
};

/* The host's layout (cached after the first call). */
enum cg_layout cg_detect(void);
const char *cg_layout_name(enum cg_layout l); /* "v1", "hybrid", "v2", "none" */

/*
 * Where the cgroup of container id goes, from linux.cgroupsPath as runc
 * places it: absolute = under each hierarchy's root; relative = under the
 * runtime's own cgroup (v1, per hierarchy) or its parent (v2); absent = the
 * id, relative.  Nothing is created.  Refuses, with one line naming the
 * field: the systemd form "slice:prefix:name", linux.resources.unified off
 * v2, a resource whose controller the host lacks.  cg must be zeroed.
 */
int cg_plan(struct cg *cg, const struct spec *s, const char *id, struct err *e);

/* mkdir every level not there (v2: enabling the controllers in each parent's
 * cgroup.subtree_control; v1 cpuset: copying the parent's cpus and mems, as
 * runc), and open the directories.  On failure what was made is removed. */
int cg_create(struct cg *cg, const struct spec_resources *r, struct err *e);

/* Write pid into cgroup.procs of every directory (runc: WriteCgroupProc). */
int cg_enter(struct cg *cg, pid_t pid, struct err *e);

/*
 * Write every resource of r (only the fields given: `update` passes a
 * partial set), then the device rules through cgdev_apply().  Errors name the
 * field: "linux.resources.memory.limit: write memory.limit_in_bytes: ...".
 */
int cg_apply(const struct cg *cg, const struct spec_resources *r, struct err *e);

/* `update`: r checked against the controllers the cgroup has (one line naming
 * a missing one), then written as cg_apply does, but never the device rules
 * (runc: update.go sets SkipDevices). */
int cg_update(const struct cg *cg, const struct spec_resources *r, struct err *e);

/*
 * Device rules (cgroup_devices.c): v1 devices.allow/deny in rule order, v2
 * an eBPF program.  Called by cg_apply() after the other resources.
 * Defined in cgroup_devices.c.
 */
int cgdev_apply(const struct cg *cg, const struct spec_resources *r, struct err *e);

/* Kill whatever is left in the cgroup (SIGKILL by cg_kill_all) and remove the
 * levels minirunc made, innermost first.  A directory already gone is fine. */
int cg_destroy(struct cg *cg, struct err *e);

/* Open the directories of a decoded cg and check each is still the one that
 * was made (same inode).  A missing one is skipped.  A different one is left
 * closed and marked not ours (never removed), and the call fails with ESTALE:
 * a command that acts stops there, delete removes the rest. */
int cg_open(struct cg *cg, struct err *e);

/* Signal every process in the cgroup: v2 cgroup.kill for SIGKILL where the
 * kernel has it, else freeze, signal each pid of cgroup.procs, thaw (runc:
 * signalAllProcesses). */
int cg_kill_all(const struct cg *cg, int sig, struct err *e);

/* Freeze or thaw (v1 freezer.state until FROZEN/THAWED, v2 cgroup.freeze
 * until cgroup.events says "frozen 1"/"frozen 0"). */
int cg_freeze(const struct cg *cg, bool frozen, struct err *e);
/* 1 frozen, 0 not, -1 no freezer. */
int cg_is_frozen(const struct cg *cg);

/* The pids in the cgroup (v1: the devices hierarchy's cgroup.procs, as runc's
 * GetPids; v2: cgroup.procs).  *pids is malloc'd (caller frees). */
int cg_pids(const struct cg *cg, pid_t **pids, size_t *n, struct err *e);

/* The directory of the hierarchy holding controller ("memory", "pids",
 * "devices"; "" the unified one); on v2 the one directory for any name.
 * NULL / -1 when the container has none. */
const char *cg_path(const struct cg *cg, const char *controller);
int cg_dirfd(const struct cg *cg, const char *controller);

/* The record kept in state.json: compact JSON (caller frees), and back.
 * cg_decode leaves the directories closed (cg_open opens them). */
char *cg_encode(const struct cg *cg);
int cg_decode(const char *json, size_t len, struct cg *cg, struct err *e);

/* Close and free; cg is zeroed. */
void cg_free(struct cg *cg);

/* v1 -> v2 conversions (runc: cgroups/utils.go), exported for the unit tests. */
uint64_t cg_shares_to_weight(uint64_t shares);		       /* [2, 262144] -> [1, 10000] */
uint64_t cg_blkio_to_io_weight(uint64_t blkio);		       /* [10, 1000] -> [1, 10000] */
int cg_swap_to_v2(int64_t swap, int64_t memory, int64_t *out); /* memory+swap -> swap */
/* cgroupsPath made safe as runc's utils.CleanPath: "a/../../b" -> "b", "/a//b/." -> "/a/b". */
void cg_clean_path(const char *in, char *out, size_t cap);

#endif
