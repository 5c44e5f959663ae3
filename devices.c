/*
 * devices.c - the container's /dev: the default device nodes and
 * linux.devices, /dev/ptmx, the /dev/fd and /dev/std* symlinks, and the pty
 * bound over /dev/console.
 *
 * runc counterpart: libcontainer/rootfs_linux.go (createDevices,
 * createDeviceNode, bindMountDeviceNode, setupPtmx, setupDevSymlinks) and
 * libcontainer/console_linux.go (mountConsole).
 *
 * Every node is made with *at() calls on one fd of rootfs/dev opened
 * O_NOFOLLOW, and the console is created O_NOFOLLOW, so no symlink in the
 * image can send a node or a bind onto the host (SECURITY.md rule 1).
 *
 * Left out: SELinux labels; the device cgroup (linux.resources.devices) is not
 * made here.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "rootfs.h"
#include "rootfs_int.h"
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* rootfs_prepare, step 3: /dev (runc createDevices, setupPtmx,             */
/* setupDevSymlinks).  Everything is made with *at() on one fd of rootfs/dev */
/* opened O_NOFOLLOW, so a /dev symlink can never lead to the host.          */
/* ------------------------------------------------------------------------ */

/* runc's AllowedDevices that get a node: all 0666 root:root. */
static const struct spec_device default_devices[] = {
    {.type = 'c', .path = "/dev/null", .major = 1, .minor = 3},
    {.type = 'c', .path = "/dev/zero", .major = 1, .minor = 5},
    {.type = 'c', .path = "/dev/full", .major = 1, .minor = 7},
    {.type = 'c', .path = "/dev/random", .major = 1, .minor = 8},
    {.type = 'c', .path = "/dev/urandom", .major = 1, .minor = 9},
    {.type = 'c', .path = "/dev/tty", .major = 5, .minor = 0},
};

/* No nodes where /dev is bound from the host (runc: needsSetupDev). */
static bool
needs_setup_dev(const struct spec *s)
{
	for (size_t i = 0; i < s->n_mounts; i++) {
		struct rootfs_mopts o;

		if (rootfs_parse_options(s->mounts[i].options, &o) == 0 &&
		    rootfs_mount_kind(s->mounts[i].type, &o) == ROOTFS_BIND &&
		    rootfs_path_same(s->mounts[i].destination, "/dev"))
			return false;
	}
	return true;
}

/* Without the right to mknod (a user namespace): bind the host's node over an
 * empty file (runc: bindMountDeviceNode). */
static int
device_bind(int parentfd, const char *name, const struct spec_device *d)
{
	int dst, src, r;

	dst = openat(parentfd, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0000);
	if (dst < 0)
		return -1;
	close(dst);
	dst = openat(parentfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	src = open(d->path, O_PATH | O_CLOEXEC);
	r = dst < 0 || src < 0 ? -1 : rootfs_bind_fd(src, dst, 0);
	if (src >= 0)
		close(src);
	if (dst >= 0)
		close(dst);
	return r;
}

static int
device_create(int devfd, const struct spec_device *d, bool bind, struct err *e)
{
	static const mode_t kinds[] = {
	    ['c'] = S_IFCHR, ['u'] = S_IFCHR, ['b'] = S_IFBLK, ['p'] = S_IFIFO};
	mode_t mode = (d->has_file_mode ? d->file_mode : 0666) & 07777;
	const char *rel = d->path + strlen("/dev/"), *slash = strrchr(rel, '/');
	const char *name = slash ? slash + 1 : rel;
	char parent[PATH_MAX];
	int pfd, r;

	snprintf(parent, sizeof(parent), "%.*s", slash ? (int)(slash - rel) : 1, slash ? rel : ".");
	if (!*name || strcmp(name, "..") == 0 || strcmp(name, ".") == 0)
		return errno = EINVAL, err_set(e, "device %s: bad path", d->path);
	pfd = rootfs_resolve(devfd, parent, ROOTFS_MKDIR); /* clamped at /dev itself */
	if (pfd < 0)
		return err_set(e, "device %s: parent directory:", d->path);
	r = bind ? -1
		 : mknodat(pfd, name, kinds[(unsigned char)d->type] | mode,
			   makedev((unsigned)d->major, (unsigned)d->minor));
	if (r < 0 && !bind && errno == EEXIST)
		r = 0; /* runc keeps what the image already has */
	else if (r == 0)
		r = fchownat(pfd, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW);
	else if (bind || errno == EPERM)
		r = device_bind(pfd, name, d);
	close(pfd);
	return r < 0 ? err_set(e, "create device %s:", d->path) : 0;
}

static bool
device_listed(const struct spec *s, const char *path)
{
	for (size_t i = 0; i < s->n_devices; i++)
		if (rootfs_path_same(s->devices[i].path, path))
			return true;
	return false;
}

static int
devices_create(const struct rootfs_ctx *c, int devfd)
{
	/* runc createDevices: no mknod in a user namespace, ours or the one we run in. */
	bool bind = (rootfs_ns_mask(c->s) & CLONE_NEWUSER) || userns_running_in_userns();
	mode_t old = umask(0); /* the modes are exact, as runc's Umask(0) */
	int r = 0;

	for (size_t i = 0; i < c->s->n_devices && r == 0; i++) {
		log_debug("%s %s  (runc: rootfs_linux.go createDeviceNode)",
			  bind ? "bind" : "mknod", c->s->devices[i].path);
		r = device_create(devfd, &c->s->devices[i], bind, c->e);
	}
	for (size_t i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]) && r == 0;
	     i++) {
		if (device_listed(c->s, default_devices[i].path))
			continue;
		log_debug("%s %s  (runc: rootfs_linux.go createDeviceNode)",
			  bind ? "bind" : "mknod", default_devices[i].path);
		r = device_create(devfd, &default_devices[i], bind, c->e);
	}
	umask(old);
	return r;
}

static int
dev_symlinks(int devfd, struct err *e)
{
	static const char *const links[][2] = {{"/proc/self/fd", "fd"},
					       {"/proc/self/fd/0", "stdin"},
					       {"/proc/self/fd/1", "stdout"},
					       {"/proc/self/fd/2", "stderr"},
					       {"/proc/kcore", "core"}};
	size_t n = sizeof(links) / sizeof(links[0]);

	log_debug("ln -s pts/ptmx /dev/ptmx  (runc: rootfs_linux.go setupPtmx)");
	if (unlinkat(devfd, "ptmx", 0) < 0 && errno != ENOENT)
		return err_set(e, "remove /dev/ptmx:");
	if (symlinkat("pts/ptmx", devfd, "ptmx") < 0)
		return err_set(e, "symlink /dev/ptmx:");
	/* /dev/core only where the kernel has /proc/kcore (CONFIG_PROC_KCORE), as runc. */
	if (access("/proc/kcore", F_OK) < 0)
		n--;
	log_debug(
	    "/dev/fd, /dev/std{in,out,err} symlinks  (runc: rootfs_linux.go setupDevSymlinks)");
	for (size_t i = 0; i < n; i++)
		if (symlinkat(links[i][0], devfd, links[i][1]) < 0 && errno != EEXIST)
			return err_set(e, "symlink /dev/%s:", links[i][1]);
	return 0;
}

/* Open rootfs/dev once, refusing a symlink (CVE-2026-41579). */
static int
dev_open(const struct rootfs_ctx *c)
{
	char rel[PATH_MAX];
	int fd = openat(c->rootfd, "dev", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT && mkdirat(c->rootfd, "dev", 0755) == 0)
		fd = openat(c->rootfd, "dev", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOTDIR)
		return err_set(c->e, "rootfs /dev: not a directory (a symlink is refused)");
	if (fd < 0)
		return err_set(c->e, "open rootfs /dev:");
	if (rootfs_fd_inside(c, fd, rel, sizeof(rel)) < 0) {
		close(fd);
		return err_set(c->e, "rootfs /dev: outside the rootfs");
	}
	return fd;
}

int
dev_setup(const struct rootfs_ctx *c)
{
	int devfd, r;

	if (!needs_setup_dev(c->s)) {
		log_debug("/dev is bound from the host: no nodes  (runc: needsSetupDev)");
		return 0;
	}
	devfd = dev_open(c);
	if (devfd < 0)
		return -1;
	r = devices_create(c, devfd);
	if (r == 0)
		r = dev_symlinks(devfd, c->e);
	close(devfd);
	return r;
}

/* ------------------------------------------------------------------------ */
/* rootfs_bind_console (runc mountConsole; CVE-2025-52565)                   */
/* ------------------------------------------------------------------------ */

int
rootfs_bind_console(int pty_fd, struct err *e)
{
	struct stat st;
	int devfd, fd, r;

	log_debug("bind the pty over /dev/console  (runc: console_linux.go mountConsole)");
	devfd = open("/dev", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (devfd < 0)
		return err_set(e, "open /dev:");
	/* O_CREAT|O_EXCL never follows a symlink; an existing entry is then opened
	 * O_NOFOLLOW and must be a plain file or a character device. */
	fd = openat(devfd, "console", O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd >= 0)
		close(fd);
	else if (errno != EEXIST)
		return close(devfd), err_set(e, "create /dev/console:");
	fd = openat(devfd, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	close(devfd);
	if (fd < 0)
		return err_set(e, "open /dev/console:");
	if (fstat(fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode))) {
		close(fd);
		return errno = ELOOP, err_set(e, "/dev/console: not a file (a symlink is refused)");
	}
	r = rootfs_bind_fd(pty_fd, fd, 0);
	close(fd);
	return r < 0 ? err_set(e, "bind the pty over /dev/console:") : 0;
}
