/*
 * rootfs.h - the container's filesystem view, built by the init inside its
 * own mount namespace.  runc: libcontainer/rootfs_linux.go.
 *
 * The runtime calls rootfs_check() before any clone; the init then calls, in
 * this order (ARCHITECTURE.md, "The flow"):
 *   rootfs_prepare()   propagation, mounts, /dev, devices   (before the prestart hooks)
 *   rootfs_pivot()     pivot_root, or chroot with --no-pivot   (after createContainer)
 *   rootfs_bind_console()  only with terminal: true
 *   rootfs_finalize()  read-only tmpfs and /dev, root.readonly, linux.sysctl,
 *                      readonlyPaths, maskedPaths
 * All return 0, or -1 with errno set and e filled ("mount proc on /proc: Permission denied").
 */
#ifndef MINIRUNC_ROOTFS_H
#define MINIRUNC_ROOTFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec.h"
#include "util.h"

/*
 * Validate what can be checked before any process exists: root.path is a
 * directory, mount types (against /proc/filesystems) and options, device
 * types and paths, rootfsPropagation, which sysctl keys are namespaced.
 * No side effects.
 */
int rootfs_check(const struct spec *s, struct err *e);

/*
 * Make the host's mounts slave/private as rootfsPropagation says (runc's
 * default: rslave for /), bind root.path onto itself, perform every entry of
 * s->mounts in order with each destination resolved inside the rootfs, and
 * populate /dev: default devices, linux.devices, /dev/ptmx, the /dev/fd and
 * /dev/std* symlinks.  Must run in the container's (new) mount namespace.
 */
int rootfs_prepare(const struct spec *s, struct err *e);

/* In the init, before rootfs_prepare: the idmapped tree the runtime made for
 * mounts[idx] (an fd from open_tree + mount_setattr); rootfs_prepare attaches
 * it with move_mount(2) instead of binding the source.  Takes fd. */
int rootfs_add_idmap_tree(size_t idx, int fd);

/* pivot_root(2) into s->root_path (runc: pivotRoot), or with no_pivot the
 * MS_MOVE + chroot dance (runc: msMoveRoot); then rootfsPropagation on the
 * new "/" and host /dev/null on fds 0-2 swapped for the container's.
 * Afterwards cwd is "/". */
int rootfs_pivot(const struct spec *s, bool no_pivot, struct err *e);

/* Bind the pty peer fd over /dev/console, created O_NOFOLLOW (after pivot).
 * pty_fd must live on a mount of this mount namespace (the container's devpts). */
int rootfs_bind_console(int pty_fd, struct err *e);

/* After pivot: read-only tmpfs and /dev mounts, root.readonly, linux.sysctl
 * (namespaced keys only), readonlyPaths, maskedPaths (runc's order). */
int rootfs_finalize(const struct spec *s, struct err *e);

/* ---- Pure helpers, exported for tests/unit/test_rootfs.c ---- */

#define ROOTFS_MAX_PROPAGATION 8

/* A mount's options split the way runc's parseMountOptions() does. */
struct rootfs_mopts {
	unsigned long flags;				   /* MS_* for mount(2) */
	unsigned long propagation[ROOTFS_MAX_PROPAGATION]; /* applied in order after */
	size_t n_propagation;
	uint64_t attr_set, attr_clr; /* rro, rnosuid, ...: mount_setattr(AT_RECURSIVE) */
	bool tmpcopyup;		     /* runc extension; refused by rootfs_check */
	char data[4096];	     /* every other option, joined with ',' */
};

/* Parse a NULL-terminated option list (may be NULL).  -1/E2BIG when the data
 * would not fit in one page, -1/EINVAL on too many propagation options. */
int rootfs_parse_options(const char **opts, struct rootfs_mopts *out);

enum rootfs_kind {
	ROOTFS_BIND,
	ROOTFS_PROC,
	ROOTFS_SYSFS,
	ROOTFS_CGROUP,
	ROOTFS_TMPFS,
	ROOTFS_OTHER,
	ROOTFS_NOTYPE
};

/* runc (specconv): any mount with "bind"/"rbind" is a bind mount whatever its type. */
enum rootfs_kind rootfs_mount_kind(const char *type, const struct rootfs_mopts *o);

/* Propagation name ("rslave", ...) -> MS_* flags; 0 when unknown. */
unsigned long rootfs_propagation_flags(const char *name);

/*
 * Is this linux.sysctl key namespaced, given the CLONE_NEW* flags of the
 * container's new namespaces?  NULL when allowed, else why not (a static
 * string, runc's validator wording).
 */
const char *rootfs_sysctl_refusal(const char *key, int ns_flags);

/* Do a and b name the same absolute path once "//", "/./" and a trailing "/"
 * are ignored? ("/dev/" == "/dev") */
bool rootfs_path_same(const char *a, const char *b);

/* Go's filepath.Clean for an absolute path, lexically: no "//", ".", "..",
 * trailing "/" ("/a/./b/../c/" -> "/a/c").  -1/ENAMETOOLONG past cap. */
int rootfs_path_clean(const char *path, char *out, size_t cap);

/* Is path equal to dir or below it, component-wise? ("/a/bc" is not under "/a/b") */
bool rootfs_path_under(const char *path, const char *dir);

/* One line of /proc/self/mountinfo, split in place (octal escapes undone). */
struct rootfs_mountinfo {
	char *root, *mountpoint, *mount_opts, *optional, *fstype, *source, *super_opts;
};
int rootfs_mountinfo_parse(char *line, struct rootfs_mountinfo *mi);

/*
 * Open path (absolute or not, as seen from rootfd) inside the tree rooted at
 * rootfd: symlinks and ".." can never climb above rootfd (SECURITY.md rule 1).
 * Returns an O_PATH fd, or -1 with errno.  how: ROOTFS_MKDIR creates missing
 * directories (0755), ROOTFS_MKFILE creates a missing last component as an
 * empty file, ROOTFS_NOSYMLINKS refuses any symlink on the way (ELOOP).
 */
#define ROOTFS_MKDIR	  1
#define ROOTFS_MKFILE	  2
#define ROOTFS_NOSYMLINKS 4
int rootfs_resolve(int rootfd, const char *path, int how);

#endif
