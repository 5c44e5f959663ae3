/*
 * rootfs_final.c - the last steps of the container's filesystem: pivot_root
 * into it, then, inside the new root, read-only remounts, root.readonly,
 * linux.sysctl, readonlyPaths and maskedPaths.
 *
 * runc counterpart: libcontainer/rootfs_linux.go (pivotRoot, msMoveRoot,
 * finalizeRootfs, readonlyPath, maskPath) and init_linux.go /
 * standard_init_linux.go (writeSystemProperty for sysctls).
 *
 * Left out: nothing of runc's for these steps; --no-pivot uses MS_MOVE and
 * chroot, as runc's msMoveRoot.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "rootfs.h"
#include "rootfs_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/magic.h>
#include <linux/openat2.h>

/* ------------------------------------------------------------------------ */
/* rootfs_pivot (runc pivotRoot, msMoveRoot)                                 */
/* ------------------------------------------------------------------------ */

/*
 * pivot_root(".", ".") stacks the old root on top of the new one at "/";
 * from there it is made slave (so the unmount cannot reach the host) and
 * detached.  No directory for the old root is needed (pivot_root(2) NOTES).
 */
static int
pivot_into(const char *root, struct err *e)
{
	int oldroot, newroot, r = -1;

	oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (oldroot < 0)
		return err_set(e, "open old root /:");
	newroot = open(root, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (newroot < 0) {
		err_set(e, "open rootfs %s:", root);
		goto out;
	}
	log_debug("pivot_root(\".\", \".\")  (runc: rootfs_linux.go pivotRoot)");
	if (fchdir(newroot) < 0 || syscall(SYS_pivot_root, ".", ".") < 0) {
		err_set(e, "pivot_root into %s:", root);
		goto out;
	}
	log_debug("make old root rslave, umount2(MNT_DETACH)  (runc: rootfs_linux.go pivotRoot)");
	if (fchdir(oldroot) < 0 || mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		err_set(e, "make old root rslave:");
	else if (umount2(".", MNT_DETACH) < 0)
		err_set(e, "detach old root:");
	else if (chdir("/") < 0)
		err_set(e, "chdir /:");
	else
		r = 0;
out:
	close(oldroot);
	if (newroot >= 0)
		close(newroot);
	return r;
}

/*
 * With chroot the host's mounts stay in the namespace; the kernel's check for
 * mounting procfs/sysfs looks at every visible full proc/sysfs mount, so runc
 * detaches the host's ones first (msMoveRoot).
 */
static int
detach_host_procfs(const char *root, struct err *e)
{
	char *text, *line, *next;
	struct rootfs_mountinfo mi;
	size_t len;
	int r = 0;

	text = read_file("/proc/self/mountinfo", 16u << 20, &len);
	if (!text)
		return err_set(e, "read /proc/self/mountinfo:");
	for (line = text; line && *line && r == 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (rootfs_mountinfo_parse(line, &mi) < 0 || strcmp(mi.root, "/") != 0 ||
		    (strcmp(mi.fstype, "proc") != 0 && strcmp(mi.fstype, "sysfs") != 0) ||
		    rootfs_path_under(mi.mountpoint, root))
			continue;
		if (mount(NULL, mi.mountpoint, NULL, MS_SLAVE | MS_REC, NULL) < 0) {
			if (errno != ENOENT)
				r = err_set(e, "make %s rslave:", mi.mountpoint);
			continue;
		}
		if (umount2(mi.mountpoint, MNT_DETACH) < 0 &&
		    mount("tmpfs", mi.mountpoint, "tmpfs", 0, NULL) < 0)
			r = err_set(e, "hide host %s:", mi.mountpoint);
	}
	free(text);
	return r;
}

static int
move_root(const char *root, struct err *e)
{
	log_debug("mount --move %s /; chroot .  (runc: rootfs_linux.go msMoveRoot)", root);
	if (detach_host_procfs(root, e) < 0)
		return -1;
	if (chdir(root) < 0)
		return err_set(e, "chdir %s:", root);
	if (mount(root, "/", NULL, MS_MOVE, NULL) < 0)
		return err_set(e, "move rootfs %s to /:", root);
	if (chroot(".") < 0)
		return err_set(e, "chroot %s:", root);
	if (chdir("/") < 0)
		return err_set(e, "chdir /:");
	return 0;
}

/* A host /dev/null on fds 0-2 would be a host fd inside the container:
 * swap it for the container's own (runc: reOpenDevNull). */
static int
reopen_dev_null(struct err *e)
{
	struct stat null, st;
	int fd;

	if (stat("/dev/null", &null) < 0 || !S_ISCHR(null.st_mode))
		return 0;
	for (int i = 0; i < 3; i++) {
		if (fstat(i, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != null.st_rdev ||
		    (st.st_dev == null.st_dev && st.st_ino == null.st_ino))
			continue;
		fd = open("/dev/null", O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || dup3(fd, i, 0) < 0)
			return err_set(e, "reopen /dev/null on fd %d:", i);
		close(fd);
	}
	return 0;
}

int
rootfs_pivot(const struct spec *s, bool no_pivot, struct err *e)
{
	char root[PATH_MAX];
	unsigned long prop = rootfs_propagation_flags(s->rootfs_propagation);

	if (!realpath(s->root_path, root))
		return err_set(e, "rootfs %s:", s->root_path);
	if ((no_pivot ? move_root(root, e) : pivot_into(root, e)) < 0)
		return -1;
	/* Propagation of the new "/" can only be set once it is "/"; private was
	 * already done to its parent (runc: prepareRootfs, after pivotRoot). */
	if (prop && !(prop & MS_PRIVATE)) {
		log_debug("mount --make-%s /  (runc: rootfs_linux.go prepareRootfs)",
			  s->rootfs_propagation);
		if (mount(NULL, "/", NULL, prop, NULL) < 0)
			return err_set(e,
				       "apply rootfsPropagation %s to /:", s->rootfs_propagation);
	}
	return reopen_dev_null(e);
}

/* ------------------------------------------------------------------------ */
/* rootfs_finalize (runc finalizeRootfs, writeSystemProperty, readonlyPath,  */
/* maskPath), all inside the new root                                        */
/* ------------------------------------------------------------------------ */

/* tmpfs mounts and /dev were mounted writable; make the read-only ones so now. */
static int
remount_readonly_mounts(const struct rootfs_ctx *c)
{
	for (size_t i = 0; i < c->s->n_mounts; i++) {
		const struct spec_mount *m = &c->s->mounts[i];
		struct rootfs_mopts o;
		char rel[PATH_MAX];
		int fd, r = -1;

		if (rootfs_parse_options(m->options, &o) < 0 || !(o.flags & MS_RDONLY) ||
		    (rootfs_mount_kind(m->type, &o) != ROOTFS_TMPFS &&
		     !rootfs_path_same(m->destination, "/dev")))
			continue;
		log_debug("remount %s read-only  (runc: rootfs_linux.go remountReadonly)",
			  m->destination);
		fd = rootfs_dest_open(c, i, m->destination, 0, rel, sizeof(rel));
		if (fd < 0)
			return -1;
		/* runc retries EBUSY five times, 100 ms apart. */
		for (int k = 0; k < 5 && (r = rootfs_remount_fd(fd, o.flags | MS_RDONLY)) < 0 &&
				errno == EBUSY;
		     k++)
			usleep(100000);
		close(fd);
		if (r < 0)
			return err_set(c->e, "remount %s read-only:", rel);
	}
	return 0;
}

/* runc setReadonly: a bind remount of "/" keeping the flags it must keep. */
static int
root_readonly(struct err *e)
{
	unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;
	struct statfs sfs;

	log_debug("remount / read-only  (runc: rootfs_linux.go setReadonly)");
	if (mount(NULL, "/", NULL, flags, NULL) == 0)
		return 0;
	if (statfs("/", &sfs) < 0)
		return err_set(e, "remount / read-only: statfs:");
	if (mount(NULL, "/", NULL, flags | (unsigned long)sfs.f_flags, NULL) < 0)
		return err_set(e, "remount / read-only:");
	return 0;
}

/* Open /proc/sys/<key with '.' as '/'> for writing, never leaving procfs. */
static int
sysctl_open(int sysfd, const char *key)
{
	struct open_how oh = {.flags = O_WRONLY | O_CLOEXEC | O_NOFOLLOW,
			      .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
					 RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV};
	char path[PATH_MAX];
	struct statfs sfs;
	int fd;

	snprintf(path, sizeof(path), "%s", key);
	for (char *p = path; *p; p++)
		if (*p == '.')
			*p = '/';
	fd = (int)syscall(SYS_openat2, sysfd, path, &oh, sizeof(oh));
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		fd = openat(sysfd, path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd >= 0 && (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)) {
		close(fd);
		errno = EXDEV;
		return -1;
	}
	return fd;
}

/* linux.sysctl through an fd of /proc/sys proven to be procfs (CVE-2019-16884). */
static int
write_sysctls(const struct spec *s, struct err *e)
{
	struct statfs sfs;
	int sysfd, fd, r = 0;

	if (s->n_sysctl == 0)
		return 0;
	sysfd = open("/proc/sys", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sysfd < 0)
		return err_set(e, "open /proc/sys:");
	if (fstatfs(sysfd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC) {
		close(sysfd);
		return errno = EXDEV, err_set(e, "/proc/sys is not procfs");
	}
	for (size_t i = 0; i < s->n_sysctl && r == 0; i++) {
		const char *key = s->sysctl[i].key, *val = s->sysctl[i].value;

		log_debug("sysctl %s=%s  (runc: init_linux.go writeSystemProperty)", key, val);
		fd = sysctl_open(sysfd, key);
		if (fd < 0 || write_all(fd, val, strlen(val)) < 0)
			r = err_set(e, "linux.sysctl %s:", key);
		if (fd >= 0)
			close(fd);
	}
	close(sysfd);
	return r;
}

/* runc readonlyPath: recursive bind onto itself, then read-only keeping
 * nosuid/nodev/noexec.  A path that does not exist is skipped. */
static int
readonly_path(const struct rootfs_ctx *c, const char *path)
{
	struct statfs sfs;
	int fd, r;

	fd = rootfs_resolve(c->rootfd, path, 0);
	if (fd < 0)
		return errno == ENOENT ? 0 : err_set(c->e, "readonly path %s:", path);
	log_debug("bind %s read-only  (runc: rootfs_linux.go readonlyPath)", path);
	r = rootfs_bind_fd(fd, fd, MS_REC);
	close(fd);
	if (r < 0)
		return err_set(c->e, "readonly path %s: bind:", path);
	fd = rootfs_resolve(c->rootfd, path, 0); /* now the new mount's root */
	if (fd < 0)
		return err_set(c->e, "readonly path %s:", path);
	r = fstatfs(fd, &sfs);
	if (r == 0)
		r = rootfs_remount_fd(fd, MS_RDONLY | ((unsigned long)sfs.f_flags &
						       (MS_NOSUID | MS_NODEV | MS_NOEXEC)));
	close(fd);
	return r < 0 ? err_set(c->e, "readonly path %s: remount:", path) : 0;
}

/* The container's /dev/null, proven to be the 1:3 char device (CVE-2025-31133). */
static int
open_dev_null(const struct rootfs_ctx *c)
{
	struct stat st;
	int fd = rootfs_resolve(c->rootfd, "/dev/null", ROOTFS_NOSYMLINKS);

	if (fd < 0)
		return err_set(c->e, "masked paths: open /dev/null:");
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
		close(fd);
		return errno = EPERM,
		       err_set(c->e, "masked paths: /dev/null is not the 1:3 device");
	}
	return fd;
}

/* runc maskPath: a directory gets a read-only tmpfs, anything else /dev/null. */
static int
mask_path(const struct rootfs_ctx *c, const char *path, int *nullfd)
{
	struct stat st;
	int fd, r;

	fd = rootfs_resolve(c->rootfd, path, 0);
	if (fd < 0)
		return errno == ENOENT ? 0 : err_set(c->e, "masked path %s:", path);
	if (fstat(fd, &st) < 0) {
		close(fd);
		return err_set(c->e, "masked path %s:", path);
	}
	log_debug("mask %s with %s  (runc: rootfs_linux.go maskPath)", path,
		  S_ISDIR(st.st_mode) ? "a read-only tmpfs" : "/dev/null");
	if (S_ISDIR(st.st_mode)) {
		r = rootfs_mount_on_fd("tmpfs", fd, "tmpfs", MS_RDONLY, NULL);
	} else {
		if (*nullfd < 0 && (*nullfd = open_dev_null(c)) < 0)
			return close(fd), -1;
		r = rootfs_bind_fd(*nullfd, fd, 0);
	}
	close(fd);
	return r < 0 ? err_set(c->e, "masked path %s:", path) : 0;
}

static int
finalize_paths(const struct rootfs_ctx *c)
{
	int nullfd = -1, r = 0;

	for (size_t i = 0; i < c->s->n_readonly_paths && r == 0; i++)
		r = readonly_path(c, c->s->readonly_paths[i]);
	for (size_t i = 0; i < c->s->n_masked_paths && r == 0; i++)
		r = mask_path(c, c->s->masked_paths[i], &nullfd);
	if (nullfd >= 0)
		close(nullfd);
	return r;
}

int
rootfs_finalize(const struct spec *s, struct err *e)
{
	struct rootfs_ctx *c = calloc(1, sizeof(*c));
	int r = -1;

	if (!c)
		return err_set(e, "rootfs:");
	c->s = s;
	c->e = e;
	strcpy(c->root, "/");
	c->rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c->rootfd < 0)
		err_set(e, "open /:");
	else if (remount_readonly_mounts(c) == 0 && (!s->root_readonly || root_readonly(e) == 0) &&
		 write_sysctls(s, e) == 0)
		r = finalize_paths(c);
	if (c->rootfd >= 0)
		close(c->rootfd);
	free(c);
	return r;
}
