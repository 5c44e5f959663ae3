/*
 * rootfs_int.h - what rootfs.c shares with devices.c and nothing else: the
 * context rootfs_prepare carries from step to step and the fd helpers both
 * files mount with.  Not for other modules (they use rootfs.h).
 */
#ifndef MINIRUNC_ROOTFS_INT_H
#define MINIRUNC_ROOTFS_INT_H

#include <limits.h>
#include <stddef.h>

#include "spec.h"
#include "util.h"

/* What rootfs_prepare carries from step to step. */
struct rootfs_ctx {
	const struct spec *s;
	char root[PATH_MAX]; /* realpath of root.path */
	int rootfd;	     /* O_PATH of the rootfs, opened after its self-bind */
	struct err *e;
};

/* "/proc/self/fd/N" in buf: how mount(2) is pointed at an fd we resolved ourselves. */
const char *rootfs_fd_path(char *buf, size_t cap, int fd);

/* Bind the object behind srcfd onto the one behind dstfd (MS_BIND | flags). */
int rootfs_bind_fd(int srcfd, int dstfd, unsigned long flags);

/* Is fd (still) inside c->root?  rel gets the path as the container sees it;
 * -1/EXDEV when it is not. */
int rootfs_fd_inside(const struct rootfs_ctx *c, int fd, char *rel, size_t cap);

/* The CLONE_NEW* flags of every namespace in s (new or joined). */
int rootfs_ns_mask(const struct spec *s);

/* devices.c: rootfs_prepare's step 3, /dev (nodes, /dev/ptmx, the symlinks). */
int dev_setup(const struct rootfs_ctx *c);

#endif
