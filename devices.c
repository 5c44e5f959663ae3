/*
 * devices.c - the container's /dev: the default device nodes and
 * linux.devices, /dev/ptmx, the /dev/fd and /dev/std* symlinks, and the pty
 * bound over /dev/console.
 *
 * runc counterpart: libcontainer/rootfs_linux.go (createDevices,
 * createDeviceNode, bindMountDeviceNode, setupPtmx, setupDevSymlinks) and
 * libcontainer/console_linux.go (mountConsole).
 *
 * A device may be anywhere in the rootfs (/foo-dev, /a/b/node), as in runc:
 * its directory is resolved from the rootfs fd by rootfs_resolve (missing
 * directories made 0755), a symlink on the way or in the last place is
 * followed inside the rootfs as a chroot would (runc's SecureJoin), and the
 * node is made with mknodat() on that directory's fd.  rootfs/dev is opened
 * once O_NOFOLLOW for the symlinks, and the console is created O_NOFOLLOW, so
 * no symlink in the image can send a node or a bind onto the host (SECURITY.md
 * rule 1).  In a user namespace the host's node at the same path is bound, as
 * runc does, but only when it is the device asked for (runc binds whatever
 * the host has there, a plain file too).
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
/* rootfs_prepare, step 3: the nodes and /dev (runc createDevices,          */
/* setupPtmx, setupDevSymlinks).  Every node is made with *at() on an fd    */
/* resolved inside the rootfs, so no symlink can ever lead to the host.     */
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

/* Is st the node d asks for: its kind and, but for a fifo, its numbers? */
static bool
device_matches(const struct stat *st, const struct spec_device *d)
{
	if (d->type == 'p')
		return S_ISFIFO(st->st_mode);
	if (!(d->type == 'b' ? S_ISBLK(st->st_mode) : S_ISCHR(st->st_mode)))
		return false;
	return major(st->st_rdev) == (unsigned)d->major && minor(st->st_rdev) == (unsigned)d->minor;
}

/* The host's node that a user namespace binds: it must be the device asked for
 * (runc binds whatever the host has at that path, even a plain file). */
static int
device_host_node(const struct spec_device *d, struct err *e)
{
	struct stat st;
	int src = open(d->path, O_PATH | O_CLOEXEC);

	if (src < 0)
		return err_set(e, "device %s: the host's node to bind:", d->path);
	if (fstat(src, &st) < 0 || !device_matches(&st, d)) {
		close(src);
		return errno = ENODEV,
		       err_set(
			   e,
			   "device %s: the host's %s is not that device (a user namespace binds "
			   "the host's node)",
			   d->path, d->path);
	}
	return src;
}

/* Without the right to mknod (a user namespace): bind the host's node srcfd
 * over an empty file (runc: bindMountDeviceNode); closes srcfd. */
static int
device_bind(int parentfd, const char *name, int srcfd, const struct spec_device *d, struct err *e)
{
	int dst, r;

	dst = openat(parentfd, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0000);
	if (dst >= 0)
		close(dst);
	dst = dst < 0 ? -1 : openat(parentfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	r = dst < 0 ? -1 : rootfs_bind_fd(srcfd, dst, 0);
	close(srcfd);
	if (dst >= 0)
		close(dst);
	return r < 0 ? err_set(e, "bind device %s:", d->path) : 0;
}

/* A device path's last name, trailing "/" ignored: "/a/b/" -> "b" (len 1). */
static const char *
device_last_name(const char *path, size_t *len)
{
	size_t end = strlen(path), start;

	while (end > 0 && path[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	*len = end - start;
	return path + start;
}

bool
rootfs_device_path_ok(const char *path)
{
	size_t len;
	const char *name = device_last_name(path, &len);

	if (path[0] != '/' || len == 0)
		return false;
	return !(len == 1 && name[0] == '.') && !(len == 2 && name[0] == '.' && name[1] == '.');
}

/*
 * Split cur (absolute, as the container sees it) at its last name: the parent
 * is resolved inside the rootfs, missing directories made 0755 (runc: MkdirAll
 * after SecureJoin), and must still be inside it.  Returns the parent's fd;
 * name gets the last name, "." when cur ends in "." or ".." (an existing
 * directory, which mknodat reports as EEXIST).
 */
static int
device_parent(const struct rootfs_ctx *c, const char *cur, char *name, char *rel, size_t cap)
{
	char parent[PATH_MAX];
	size_t len;
	const char *last = device_last_name(cur, &len);
	int fd, how = ROOTFS_MKDIR;

	if (len > NAME_MAX)
		return errno = ENAMETOOLONG, -1;
	if (!rootfs_device_path_ok(cur)) {
		snprintf(parent, sizeof(parent), "%s", cur); /* "/", "/x/..": the whole path */
		strcpy(name, ".");
		how = 0; /* nothing to make: it names a directory that exists, or fails */
	} else {
		snprintf(parent, sizeof(parent), "%.*s", (int)(last - cur), cur);
		memcpy(name, last, len);
		name[len] = '\0';
	}
	fd = rootfs_resolve(c->rootfd, parent, how);
	if (fd >= 0 && rootfs_fd_inside(c, fd, rel, cap) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * Where a device goes (runc: SecureJoin of the path, then MkdirAll of its
 * directory): its parent's fd and the last name.  A symlink in the last place
 * is followed as a chroot would, so "/lnk -> /tmp/x" puts the node at
 * rootfs/tmp/x, as runc does, never at the host's /tmp/x.
 */
static int
device_place(const struct rootfs_ctx *c, const char *path, char *name)
{
	char cur[PATH_MAX], rel[PATH_MAX], target[PATH_MAX];
	int fd;

	snprintf(cur, sizeof(cur), "%s", path);
	for (int hops = 0; hops < 40; hops++) { /* 40: the kernel's MAXSYMLINKS */
		struct stat st;
		ssize_t n;

		fd = device_parent(c, cur, name, rel, sizeof(rel));
		if (fd < 0)
			return -1;
		if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISLNK(st.st_mode))
			return fd; /* missing: made here; there: kept (mknodat says EEXIST) */
		n = readlinkat(fd, name, target, sizeof(target) - 1);
		close(fd);
		if (n < 0)
			return -1;
		target[n] = '\0';
		/* A relative target is read from the link's own directory. */
		if (snprintf(cur, sizeof(cur), "%s/%s", target[0] == '/' ? "" : rel, target) >=
		    (int)sizeof(cur))
			return errno = ENAMETOOLONG, -1;
	}
	return errno = ELOOP, -1;
}

/* mknod, then the owner (runc: mknodDevice); what is there already is kept. */
static int
device_mknod(int pfd, const char *name, const struct spec_device *d)
{
	static const mode_t kinds[] = {
	    ['c'] = S_IFCHR, ['u'] = S_IFCHR, ['b'] = S_IFBLK, ['p'] = S_IFIFO};
	mode_t mode = (d->has_file_mode ? d->file_mode : 0666) & 07777;

	if (mknodat(pfd, name, kinds[(unsigned char)d->type] | mode,
		    makedev((unsigned)d->major, (unsigned)d->minor)) < 0)
		return errno == EEXIST ? 0 : -1; /* runc keeps what the image already has */
	return fchownat(pfd, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW);
}

/* runc createDeviceNode: anywhere in the rootfs; bound from the host where
 * mknod is not allowed.  The host's node is checked before anything is made. */
static int
device_create(const struct rootfs_ctx *c, const struct spec_device *d, bool bind)
{
	char name[NAME_MAX + 1];
	int pfd, src = -1, r;

	if (bind && (src = device_host_node(d, c->e)) < 0)
		return -1;
	pfd = device_place(c, d->path, name);
	if (pfd < 0) {
		if (src >= 0)
			close(src);
		return err_set(c->e, "device %s: its directory in the rootfs:", d->path);
	}
	r = bind ? -1 : device_mknod(pfd, name, d);
	if (r < 0 && !bind && errno != EPERM) {
		r = err_set(c->e, "create device %s:", d->path);
	} else if (r < 0) {
		if (!bind)
			src = device_host_node(d, c->e);
		r = src < 0 ? -1 : device_bind(pfd, name, src, d, c->e);
	}
	close(pfd);
	return r;
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
devices_create(const struct rootfs_ctx *c)
{
	/* runc createDevices: no mknod in a user namespace, ours or the one we run in. */
	bool bind = (rootfs_ns_mask(c->s) & CLONE_NEWUSER) || userns_running_in_userns();
	mode_t old = umask(0); /* the modes are exact, as runc's Umask(0) */
	int r = 0;

	for (size_t i = 0; i < c->s->n_devices && r == 0; i++) {
		log_debug("%s %s  (runc: rootfs_linux.go createDeviceNode)",
			  bind ? "bind" : "mknod", c->s->devices[i].path);
		r = device_create(c, &c->s->devices[i], bind);
	}
	for (size_t i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]) && r == 0;
	     i++) {
		if (device_listed(c->s, default_devices[i].path))
			continue;
		log_debug("%s %s  (runc: rootfs_linux.go createDeviceNode)",
			  bind ? "bind" : "mknod", default_devices[i].path);
		r = device_create(c, &default_devices[i], bind);
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
	r = devices_create(c);
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
