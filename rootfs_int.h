/*
 * rootfs_int.h - what the rootfs files (rootfs.c, rootfs_path.c, rootfs_opts.c,
 * rootfs_final.c) share with devices.c and nothing else: the context
 * rootfs_prepare carries from step to step and the fd helpers they mount with.  Not for other
 * modules (they use rootfs.h).
 */
#ifndef MINIRUNC_ROOTFS_INT_H
#define MINIRUNC_ROOTFS_INT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include <sys/mount.h>

#include "spec.h"
#include "util.h"

/* mount_setattr(2) constants; glibc >= 2.36 has them, musl does not. */
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY      0x00000001
#define MOUNT_ATTR_NOSUID      0x00000002
#define MOUNT_ATTR_NODEV       0x00000004
#define MOUNT_ATTR_NOEXEC      0x00000008
#define MOUNT_ATTR__ATIME      0x00000070
#define MOUNT_ATTR_RELATIME    0x00000000
#define MOUNT_ATTR_NOATIME     0x00000010
#define MOUNT_ATTR_STRICTATIME 0x00000020
#define MOUNT_ATTR_NODIRATIME  0x00000080
#endif
#ifndef MOUNT_ATTR_NOSYMFOLLOW
#define MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

/* What rootfs_prepare carries from step to step. */
struct rootfs_ctx {
	const struct spec *s;
	char root[PATH_MAX]; /* realpath of root.path */
	int rootfd;	     /* O_PATH of the rootfs, opened after its self-bind */
	struct err *e;
};

/* "/proc/self/fd/N" in buf: how mount(2) is pointed at an fd we resolved ourselves. */
const char *rootfs_fd_path(char *buf, size_t cap, int fd);

/* mount(2) onto the object behind dstfd, through /proc/self/fd/N. */
int rootfs_mount_on_fd(const char *src, int dstfd, const char *type, unsigned long flags,
		       const char *data);

/* Resolve mounts[i]'s destination dest in the rootfs (how: ROOTFS_*) and check the
 * result is still inside it; rel gets the path as the container sees it.  The fd, or
 * -1 with the error in c->e naming the mount. */
int rootfs_dest_open(const struct rootfs_ctx *c, size_t i, const char *dest, int how, char *rel,
		     size_t cap);

/* Remount the mount at fd with flags, keeping the flags the kernel locked (a user
 * namespace: nodev, nosuid, noexec, the atime flags of the mount as it is). */
int rootfs_remount_fd(int fd, unsigned long flags);

/* Bind the object behind srcfd onto the one behind dstfd (MS_BIND | flags). */
int rootfs_bind_fd(int srcfd, int dstfd, unsigned long flags);

/* Is fd (still) inside c->root?  rel gets the path as the container sees it;
 * -1/EXDEV when it is not. */
int rootfs_fd_inside(const struct rootfs_ctx *c, int fd, char *rel, size_t cap);

/* The CLONE_NEW* flags of every namespace in s (new or joined). */
int rootfs_ns_mask(const struct spec *s);

/* devices.c: is path absolute and does it end in a name (not "/", ".", "..")?
 * rootfs_check refuses any other linux.devices path. */
bool rootfs_device_path_ok(const char *path);

/* devices.c: rootfs_prepare's step 3, /dev (nodes, /dev/ptmx, the symlinks). */
int dev_setup(const struct rootfs_ctx *c);

#endif
