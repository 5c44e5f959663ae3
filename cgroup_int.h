/*
 * cgroup_int.h - what cgroups.c, cgroup_v1.c and cgroup_v2.c share (and what
 * cgroup_devices.c / cgroup_stats.c may use): writing one cgroup file with an
 * error that names the config field, reading one; and what cgroups.c shares with
 * cgroup_place.c.  Not for other modules.
 */
#ifndef MINIRUNC_CGROUP_INT_H
#define MINIRUNC_CGROUP_INT_H

#include "cgroups.h"

#define CG_ROOT	   "/sys/fs/cgroup"
#define CG_UNIFIED "/sys/fs/cgroup/unified" /* the v2 hierarchy of a hybrid host */

/* Is word one of the ','-separated items of list? */
bool cg_list_has(const char *list, const char *word);

/* cgroup_place.c: how much of d->path is the hierarchy's mount point. */
size_t cg_mount_len(const struct cg *cg, const struct cg_dir *d);

/*
 * Write value into file of the directory dirfd (one write(2): the kernel
 * takes a cgroup file's value whole).  On failure: -1, errno, and e says
 * "linux.resources.<field>: write <dir>/<file> \"<value>\": <strerror>"
 * (field may be NULL: then no "linux.resources." part).
 */
int cg_write(const struct cg_dir *d, const char *file, const char *value, const char *field,
	     struct err *e);
/* The same with a number. */
int cg_write_int(const struct cg_dir *d, const char *file, int64_t v, const char *field,
		 struct err *e);
/* Read a small file (< 64 KiB) of d into buf, NUL-terminated, trailing newline
 * dropped; -1 with errno. */
int cg_read(const struct cg_dir *d, const char *file, char *buf, size_t cap);
/* Does d hold file? */
bool cg_has_file(const struct cg_dir *d, const char *file);

/* The directory holding controller (NULL if none). */
const struct cg_dir *cg_find(const struct cg *cg, const char *controller);

/* v1 and v2 halves of cg_apply / cg_freeze / cg_is_frozen. */
int cg_v1_apply(const struct cg *cg, const struct spec_resources *r, struct err *e);
int cg_v2_apply(const struct cg_dir *d, const struct spec_resources *r, struct err *e);
int cg_v1_freeze(const struct cg_dir *d, bool frozen, struct err *e);
int cg_v2_freeze(const struct cg_dir *d, bool frozen, struct err *e);
int cg_v1_is_frozen(const struct cg_dir *d);
int cg_v2_is_frozen(const struct cg_dir *d);
/* rdma.max, the same on v1 and v2. */
int cg_rdma_apply(const struct cg_dir *d, const struct spec_resources *r, struct err *e);
/* What a v2 host cannot do that v1 can (refused up front, fail closed). */
int cg_v2_check(const struct spec_resources *r, struct err *e);
/* Does r ask for anything at all (a value runc would write)? */
bool cg_needs_any(const struct spec_resources *r);
/* The v1 controller each requested resource needs, checked against the plan. */
int cg_v1_check(const struct cg *cg, const struct spec_resources *r, struct err *e);

#endif
