/*
 * rootfs.c - the container's filesystem up to pivot_root: the checks made
 * before any clone, mount propagation and the rootfs bind, and config.json's
 * mounts.  Beside it: rootfs_opts.c (the mount option words, the sysctl
 * rules), rootfs_path.c (resolving paths inside the rootfs), rootfs_final.c
 * (pivot_root and the last touches: sysctl, read-only and masked paths, a
 * read-only root), devices.c (/dev and the console).
 *
 * runc counterpart: libcontainer/rootfs_linux.go (prepareRoot, mountToRootfs,
 * mountCgroupV1/V2) and the checks of libcontainer/configs/validate.
 *
 * Every path the container controls is resolved from an fd of the rootfs
 * (openat2 RESOLVE_IN_ROOT, or a component-at-a-time O_NOFOLLOW walk clamped
 * at the root) and mounted onto /proc/self/fd/N (SECURITY.md rule 1).
 *
 * In a user namespace (ours or one minirunc runs in) a sysfs without a new
 * network namespace cannot be mounted (the kernel wants the netns owned by the
 * mounter's user namespace): it is the host's /sys, bound recursively, as
 * crun does (runc 1.1 fails with EPERM there; `runc spec --rootless` writes
 * such a bind itself).  Remounts keep the flags the kernel locked.  An
 * idmapped bind (mounts[].uidMappings) is a tree the runtime cloned and
 * idmapped (userns.c), attached here with move_mount(2), as runc 1.2 does.
 *
 * Left out: SELinux mount labels, the "tmpcopyup" extension (refused), cgroup
 * management (the
 * "cgroup" mount shows the init's own cgroups, runc shows the container's).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "rootfs.h"
#include "rootfs_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/magic.h>

#include "userns.h"

/* struct mount_attr of mount_setattr(2), under our own name (glibc may define it). */
struct rootfs_mount_attr {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

/* Mounting onto fds                                                         */
/* ------------------------------------------------------------------------ */

int
rootfs_mount_on_fd(const char *src, int dstfd, const char *type, unsigned long flags,
		   const char *data)
{
	char p[32];

	return mount(src, rootfs_fd_path(p, sizeof(p), dstfd), type, flags,
		     data && *data ? data : NULL);
}

/* Bind the object behind srcfd onto the one behind dstfd: no path is walked twice. */
int
rootfs_bind_fd(int srcfd, int dstfd, unsigned long flags)
{
	char p[32];

	return rootfs_mount_on_fd(rootfs_fd_path(p, sizeof(p), srcfd), dstfd, NULL, MS_BIND | flags,
				  NULL);
}

/*
 * The re-check after resolving: where does fd really point?  It must be in
 * the rootfs (a racing rename could have moved it out).  rel gets the path as
 * the container will see it ("/proc/sys").
 */
int
rootfs_fd_inside(const struct rootfs_ctx *c, int fd, char *rel, size_t cap)
{
	char p[32], link[PATH_MAX];
	ssize_t n = readlink(rootfs_fd_path(p, sizeof(p), fd), link, sizeof(link) - 1);
	size_t rootlen = strlen(c->root);

	if (n < 0)
		return -1;
	link[n] = '\0';
	if (!rootfs_path_under(link, c->root)) {
		errno = EXDEV;
		return -1;
	}
	snprintf(rel, cap, "%s", link[rootlen] ? link + rootlen : "/");
	if (strcmp(c->root, "/") == 0)
		snprintf(rel, cap, "%s", link);
	return 0;
}

/* Resolve a destination in the rootfs and re-check it; the error names the mount. */
int
rootfs_dest_open(const struct rootfs_ctx *c, size_t i, const char *dest, int how, char *rel,
		 size_t cap)
{
	int fd = rootfs_resolve(c->rootfd, dest, how);

	if (fd < 0)
		return err_set(c->e, "mounts[%zu]: destination %s:", i, dest);
	if (rootfs_fd_inside(c, fd, rel, cap) < 0) {
		close(fd);
		return err_set(c->e, "mounts[%zu]: destination %s: resolves outside the rootfs", i,
			       dest);
	}
	return fd;
}

/* mount_setattr(2) for runc's recursive options (rro, rnosuid, ...). */
static int
apply_attrs(int fd, const struct rootfs_mopts *o)
{
	struct rootfs_mount_attr a = {.attr_set = o->attr_set, .attr_clr = o->attr_clr};

	if (!o->attr_set && !o->attr_clr)
		return 0;
	return (int)syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a));
}

/*
 * After a mount: propagation flags and recursive attributes.  The old fd
 * points below the new mount, so the destination is opened again (runc does
 * the same: a second WithProcfd in mountPropagate).
 */
static int
mount_finish(const struct rootfs_ctx *c, size_t i, const char *dest, const struct rootfs_mopts *o)
{
	char rel[PATH_MAX], p[32];
	int fd;

	if (!o->n_propagation && !o->attr_set && !o->attr_clr)
		return 0;
	fd = rootfs_dest_open(c, i, dest, 0, rel, sizeof(rel));
	if (fd < 0)
		return -1;
	for (size_t k = 0; k < o->n_propagation; k++) {
		if (mount(NULL, rootfs_fd_path(p, sizeof(p), fd), NULL, o->propagation[k], NULL) <
		    0) {
			close(fd);
			return err_set(c->e, "mounts[%zu]: propagation of %s:", i, rel);
		}
	}
	if (apply_attrs(fd, o) < 0) {
		close(fd);
		return err_set(c->e, "mounts[%zu]: recursive mount attributes on %s:", i, rel);
	}
	close(fd);
	return 0;
}

/*
 * MS_REMOUNT|MS_BIND changes only the per-mount flags.  Flags the kernel locked
 * (a mount inherited into a user namespace: MNT_LOCK_READONLY, _NODEV, _NOSUID,
 * _NOEXEC, _ATIME) must be kept or it says EPERM, so on EPERM try again with
 * the mount's current ro/nosuid/nodev/noexec/atime bits (runc: remount, and
 * mntLockFlags in later runc).
 */
int
rootfs_remount_fd(int fd, unsigned long flags)
{
	char p[32];
	struct statfs sfs;

	flags |= MS_REMOUNT | MS_BIND;
	if (mount(NULL, rootfs_fd_path(p, sizeof(p), fd), NULL, flags, NULL) == 0)
		return 0;
	if (errno != EPERM || fstatfs(fd, &sfs) < 0)
		return -1;
	flags |= (unsigned long)sfs.f_flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC |
					       MS_NOATIME | MS_NODIRATIME | MS_RELATIME);
	errno = EPERM;
	return mount(NULL, rootfs_fd_path(p, sizeof(p), fd), NULL, flags, NULL);
}

/* ------------------------------------------------------------------------ */
/* rootfs_check                                                              */
/* ------------------------------------------------------------------------ */

int
rootfs_ns_mask(const struct spec *s)
{
	int mask = 0;

	for (size_t i = 0; i < s->n_namespaces; i++)
		mask |= s->namespaces[i].flag;
	return mask;
}

/*
 * runc's validator (configs/validate rootfs): root.path must be what it
 * says, with no symlink anywhere on the way, so a rootfs -> / cannot make the
 * host's root the container's.  The bundle part is taken as its realpath:
 * runc joins a relative root.path to getcwd() after its chdir into the
 * bundle.  runc lets root.path "/" itself go on and fail late; minirunc
 * refuses it here.
 */
static int
check_root_path(const struct spec *s, struct err *e)
{
	const char *path = s->root_path;
	char want[2 * PATH_MAX], clean[PATH_MAX], real[PATH_MAX];

	if (s->bundle && rootfs_path_under(path, s->bundle) && realpath(s->bundle, real))
		snprintf(want, sizeof(want), "%s/%s", real, path + strlen(s->bundle));
	else
		snprintf(want, sizeof(want), "%s", path);
	if (rootfs_path_clean(want, clean, sizeof(clean)) < 0 || !realpath(path, real))
		return err_set(e, "config.json: root.path %s:", path);
	errno = EINVAL;
	if (strcmp(clean, real) != 0)
		return err_set(e,
			       "config.json: root.path %s: invalid rootfs: not an absolute path, "
			       "or a symlink (it resolves to %s)",
			       path, real);
	if (strcmp(real, "/") == 0)
		return err_set(e,
			       "config.json: root.path %s: invalid rootfs: the host's / cannot "
			       "be a container's root",
			       path);
	return 0;
}

/* Is type a filesystem this kernel knows?  /proc/filesystems: "nodev\tproc". */
static bool
fs_known(const char *fslist, const char *type)
{
	size_t n = strlen(type);

	for (const char *l = fslist; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *name = strchr(l, '\t');

		name = name ? name + 1 : l;
		if (strncmp(name, type, n) == 0 && (name[n] == '\n' || name[n] == '\0'))
			return true;
	}
	return false;
}

static int
check_mount(const struct spec_mount *m, size_t i, const char *fslist, struct err *e)
{
	struct rootfs_mopts o;
	enum rootfs_kind k;

	if (rootfs_parse_options(m->options, &o) < 0)
		return err_set(e, "mounts[%zu]: options of %s:", i, m->destination);
	if (o.tmpcopyup)
		return err_set(e, "mounts[%zu]: option \"tmpcopyup\" is not supported", i);
	k = rootfs_mount_kind(m->type, &o);
	if (k == ROOTFS_NOTYPE)
		return err_set(e, "mounts[%zu]: %s: no type and no \"bind\" option", i,
			       m->destination);
	if (m->n_uid_mappings && k != ROOTFS_BIND)
		return err_set(e, "mounts[%zu]: uidMappings: only a bind mount can be idmapped", i);
	if (k == ROOTFS_BIND && (!m->source || !*m->source))
		return err_set(e, "mounts[%zu]: bind mount on %s has no source", i, m->destination);
	/* runc hands unknown types to mount(2), which says ENODEV; say it plainly. */
	if (k != ROOTFS_BIND && k != ROOTFS_CGROUP && !fs_known(fslist, m->type))
		return err_set(e, "mounts[%zu]: unknown mount type \"%s\"", i, m->type);
	if (m->destination[0] != '/')
		return err_set(e, "mounts[%zu]: destination %s is not absolute", i, m->destination);
	return 0;
}

static int
check_device(const struct spec_device *d, size_t i, struct err *e)
{
	if (!strchr("cbup", d->type) || !d->type)
		return err_set(e, "linux.devices[%zu]: unknown device type '%c'", i, d->type);
	/* Anywhere in the rootfs, as runc and crun (devices.c resolves it there);
	 * but "/" or ".." names no node: runc silently makes none (intended difference). */
	if (!rootfs_device_path_ok(d->path))
		return errno = EINVAL, err_set(e,
					       "linux.devices[%zu]: path %s is not an absolute "
					       "path ending in a file name",
					       i, d->path);
	if (d->type != 'p' &&
	    (d->major < 0 || d->minor < 0 || d->major > 0xfff || d->minor > 0xfffff))
		return err_set(e, "linux.devices[%zu]: %s: bad major:minor", i, d->path);
	return 0;
}

/* runc checkHostNs: a net.* sysctl in a joined netns that is the host's own. */
static int
check_net_path(const struct spec *s)
{
	struct stat mine, theirs;

	for (size_t i = 0; i < s->n_namespaces; i++) {
		const struct spec_namespace *n = &s->namespaces[i];

		if (n->flag != CLONE_NEWNET || !n->path)
			continue;
		if (stat(n->path, &theirs) < 0 || stat("/proc/self/ns/net", &mine) < 0)
			return 0; /* nsutil reports a bad path with its own words */
		if (mine.st_dev == theirs.st_dev && mine.st_ino == theirs.st_ino)
			return -1;
	}
	return 0;
}

static int
check_sysctl(const struct spec *s, struct err *e)
{
	int mask = rootfs_ns_mask(s);

	for (size_t i = 0; i < s->n_sysctl; i++) {
		const char *key = s->sysctl[i].key;
		const char *why = rootfs_sysctl_refusal(key, mask);

		if (!why && strncmp(key, "net.", 4) == 0 && check_net_path(s) < 0)
			why = "not allowed in the host's network namespace";
		if (why)
			return err_set(e, "linux.sysctl \"%s\": %s", key, why);
		if (strstr(key, "/") || strstr(key, ".."))
			return err_set(e, "linux.sysctl \"%s\": not a sysctl name", key);
	}
	return 0;
}

int
rootfs_check(const struct spec *s, struct err *e)
{
	struct stat st;
	size_t len;
	char *fslist;
	int r = 0;

	if (stat(s->root_path, &st) < 0)
		return err_set(e, "rootfs %s:", s->root_path);
	if (!S_ISDIR(st.st_mode))
		return errno = ENOTDIR, err_set(e, "rootfs %s:", s->root_path);
	if (check_root_path(s, e) < 0)
		return -1;
	if (s->rootfs_propagation && !rootfs_propagation_flags(s->rootfs_propagation))
		return errno = EINVAL, err_set(e, "linux.rootfsPropagation: unknown value \"%s\"",
					       s->rootfs_propagation);
	fslist = read_file("/proc/filesystems", 1 << 16, &len);
	if (!fslist)
		return err_set(e, "read /proc/filesystems:");
	for (size_t i = 0; i < s->n_mounts && r == 0; i++)
		r = check_mount(&s->mounts[i], i, fslist, e);
	free(fslist);
	for (size_t i = 0; i < s->n_devices && r == 0; i++)
		r = check_device(&s->devices[i], i, e);
	if (r == 0)
		r = check_sysctl(s, e);
	if (r < 0)
		errno = EINVAL;
	return r;
}

/* ------------------------------------------------------------------------ */
/* rootfs_prepare, step 1: propagation and the rootfs bind (runc prepareRoot) */
/* ------------------------------------------------------------------------ */

/*
 * pivot_root(2) refuses a new root whose parent mount is shared, and a bind
 * under a shared parent would propagate back to the host: make the mount
 * holding the rootfs private (runc: rootfsParentMountPrivate).
 */
static int
parent_mount_private(const char *root, struct err *e)
{
	char best[PATH_MAX] = "", *text, *line, *next;
	struct rootfs_mountinfo mi;
	bool shared = false;
	size_t len;

	text = read_file("/proc/self/mountinfo", 16u << 20, &len);
	if (!text)
		return err_set(e, "read /proc/self/mountinfo:");
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (rootfs_mountinfo_parse(line, &mi) < 0 ||
		    !rootfs_path_under(root, mi.mountpoint))
			continue;
		/* The deepest mount point wins; on a tie the later (upper) mount. */
		if (strlen(mi.mountpoint) >= strlen(best)) {
			snprintf(best, sizeof(best), "%s", mi.mountpoint);
			shared = strncmp(mi.optional, "shared:", 7) == 0;
		}
	}
	free(text);
	if (!shared)
		return 0;
	log_debug("make %s private  (runc: rootfs_linux.go rootfsParentMountPrivate)", best);
	if (mount(NULL, best, NULL, MS_PRIVATE, NULL) < 0)
		return err_set(e, "make parent mount %s private:", best);
	return 0;
}

static int
prepare_root(struct rootfs_ctx *c)
{
	const char *prop = c->s->rootfs_propagation;
	unsigned long flags = prop ? rootfs_propagation_flags(prop) : MS_SLAVE | MS_REC;

	if (!realpath(c->s->root_path, c->root))
		return err_set(c->e, "rootfs %s:", c->s->root_path);
	log_debug("mount --make-%s /  (runc: rootfs_linux.go prepareRoot)", prop ? prop : "rslave");
	if (mount(NULL, "/", NULL, flags, NULL) < 0)
		return err_set(c->e, "make / %s:", prop ? prop : "rslave");
	if (parent_mount_private(c->root, c->e) < 0)
		return -1;
	log_debug("bind %s onto itself  (runc: rootfs_linux.go prepareRoot)", c->root);
	if (mount(c->root, c->root, NULL, MS_BIND | MS_REC, NULL) < 0)
		return err_set(c->e, "bind rootfs %s onto itself:", c->root);
	c->rootfd = open(c->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c->rootfd < 0)
		return err_set(c->e, "open rootfs %s:", c->root);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* rootfs_prepare, step 2: config.json's mounts (runc mountToRootfs)         */
/* ------------------------------------------------------------------------ */

/* runc checkProcMount: under /proc only procfs itself and lxcfs' few files. */
static int
check_proc_dest(const char *rel, const char *source)
{
	static const char *const lxcfs[] = {"/proc/cpuinfo", "/proc/diskstats",
					    "/proc/meminfo", "/proc/stat",
					    "/proc/swaps",   "/proc/uptime",
					    "/proc/loadavg", "/proc/slabinfo",
					    "/proc/net/dev", "/proc/sys/kernel/ns_last_pid"};
	struct statfs sfs;

	if (!rootfs_path_under(rel, "/proc"))
		return 0;
	if (rootfs_path_same(rel, "/proc"))
		return source && statfs(source, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC ? 0
											     : -1;
	for (size_t i = 0; i < sizeof(lxcfs) / sizeof(lxcfs[0]); i++)
		if (rootfs_path_same(rel, lxcfs[i]))
			return 0;
	return -1;
}

/* A sysfs the kernel will not let us mount: in a user namespace, with a
 * network namespace that is not a new one of our own. */
static bool
sysfs_needs_bind(const struct spec *s)
{
	bool new_net = false;

	for (size_t i = 0; i < s->n_namespaces; i++)
		new_net =
		    new_net || (s->namespaces[i].flag == CLONE_NEWNET && !s->namespaces[i].path);
	return !new_net && ((rootfs_ns_mask(s) & CLONE_NEWUSER) || userns_running_in_userns());
}

/* The host's /sys, bound recursively, then given the mount's flags. */
static int
sysfs_bind(struct rootfs_ctx *c, size_t i, int fd, const struct spec_mount *m,
	   const struct rootfs_mopts *o, const char *rel)
{
	char again[PATH_MAX];

	log_debug("bind the host's /sys on %s: no new network namespace in a user namespace  "
		  "(crun: sysfs fallback)",
		  rel);
	if (rootfs_mount_on_fd("/sys", fd, NULL, MS_BIND | MS_REC, NULL) < 0)
		return err_set(c->e, "bind /sys on %s:", rel);
	fd = rootfs_dest_open(c, i, m->destination, 0, again, sizeof(again));
	if (fd < 0)
		return -1;
	if (rootfs_remount_fd(fd, o->flags & ~(MS_BIND | MS_REC)) < 0) {
		close(fd);
		return err_set(c->e, "remount bind /sys on %s:", rel);
	}
	close(fd);
	return 0;
}

/* proc and sysfs: only on an ordinary directory, never through a symlink.
 * The error carries runc's phrase "must be mounted on ordinary directory"
 * (rootfs_linux.go; runc's mask.bats matches it). */
static int
mount_special(struct rootfs_ctx *c, size_t i, const struct spec_mount *m,
	      const struct rootfs_mopts *o)
{
	char rel[PATH_MAX];
	struct stat st;
	int fd, r;

	fd = rootfs_resolve(c->rootfd, m->destination, ROOTFS_MKDIR | ROOTFS_NOSYMLINKS);
	if (fd < 0 && errno == ELOOP)
		return err_set(c->e,
			       "mounts[%zu]: filesystem \"%s\" must be mounted on ordinary "
			       "directory: %s is a symlink",
			       i, m->type, m->destination);
	if (fd < 0)
		return err_set(c->e, "mounts[%zu]: destination %s:", i, m->destination);
	if (rootfs_fd_inside(c, fd, rel, sizeof(rel)) < 0 || fstat(fd, &st) < 0 ||
	    !S_ISDIR(st.st_mode)) {
		close(fd);
		return errno = ENOTDIR, err_set(c->e,
						"mounts[%zu]: filesystem \"%s\" must be "
						"mounted on ordinary directory",
						i, m->type);
	}
	if (strcmp(m->type, "sysfs") == 0 && sysfs_needs_bind(c->s)) {
		r = sysfs_bind(c, i, fd, m, o, rel);
		close(fd);
		return r;
	}
	r = rootfs_mount_on_fd(m->source ? m->source : m->type, fd, m->type, o->flags, o->data);
	close(fd);
	if (r < 0)
		return err_set(c->e, "mount %s on %s:", m->type, rel);
	return 0;
}

/* A bind source may be relative to the bundle (runc: specconv, against its cwd). */
static void
bind_source(const struct rootfs_ctx *c, const char *src, char *out, size_t cap)
{
	if (src[0] == '/' || !c->s->bundle)
		snprintf(out, cap, "%s", src);
	else
		snprintf(out, cap, "%s/%s", c->s->bundle, src);
}

/* ---- idmapped mounts: trees from the runtime, attached with move_mount(2) ---- */

#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif

static struct {
	size_t idx;
	int fd;
} * idmap_trees;
static size_t n_idmap_trees;

int
rootfs_add_idmap_tree(size_t idx, int fd)
{
	void *p = realloc(idmap_trees, (n_idmap_trees + 1) * sizeof(*idmap_trees));

	if (!p) {
		close(fd);
		return -1;
	}
	idmap_trees = p;
	idmap_trees[n_idmap_trees].idx = idx;
	idmap_trees[n_idmap_trees++].fd = fd;
	return 0;
}

static int
idmap_tree_of(size_t idx)
{
	for (size_t k = 0; k < n_idmap_trees; k++)
		if (idmap_trees[k].idx == idx)
			return idmap_trees[k].fd;
	return -1;
}

/* The bind itself: the source, or the runtime's idmapped copy of it, moved in. */
static int
bind_attach(size_t i, const char *src, int dstfd, const struct rootfs_mopts *o)
{
	int tree = idmap_tree_of(i);

	if (tree < 0)
		return rootfs_mount_on_fd(src, dstfd, NULL, o->flags & (MS_BIND | MS_REC), o->data);
	log_debug("move_mount the idmapped tree of %s  (runc 1.2: idmapped mounts)", src);
	return (int)syscall(SYS_move_mount, tree, "", dstfd, "",
			    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

/* runc: prepareBindMount + mountPropagate + remount for the flags a bind ignores. */
static int
mount_bind(struct rootfs_ctx *c, size_t i, const struct spec_mount *m, const struct rootfs_mopts *o)
{
	char src[PATH_MAX], rel[PATH_MAX];
	struct stat st;
	int fd;

	bind_source(c, m->source, src, sizeof(src));
	if (stat(src, &st) < 0)
		return err_set(c->e, "mounts[%zu]: bind source %s:", i, src);
	fd = rootfs_dest_open(c, i, m->destination,
			      S_ISDIR(st.st_mode) ? ROOTFS_MKDIR : ROOTFS_MKFILE, rel, sizeof(rel));
	if (fd < 0)
		return -1;
	if (check_proc_dest(rel, src) < 0) {
		close(fd);
		return errno = EPERM, err_set(c->e,
					      "mounts[%zu]: %s cannot be mounted because it "
					      "is inside /proc",
					      i, rel);
	}
	if (bind_attach(i, src, fd, o) < 0) {
		close(fd);
		return err_set(c->e, "bind %s on %s:", src, rel);
	}
	close(fd);
	if (!(o->flags & ~(MS_BIND | MS_REC | MS_REMOUNT)))
		return 0;
	fd = rootfs_dest_open(c, i, m->destination, 0, rel, sizeof(rel));
	if (fd < 0)
		return -1;
	if (rootfs_remount_fd(fd, o->flags & ~MS_REC) < 0) {
		close(fd);
		return err_set(c->e, "remount bind %s on %s:", src, rel);
	}
	close(fd);
	return 0;
}

/*
 * A tmpfs over a directory that exists keeps that directory's mode: runc
 * (rootfs_linux.go createMountpoint, since 1.1.8) puts "mode=%04o" of the
 * target first, so a mode= of the config, later in the data, still wins.
 * Returns the data to mount with (buf, or data when nothing changes).
 */
static const char *
tmpfs_mode_first(int fd, const char *data, char *buf, size_t cap)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode))
		return data;
	snprintf(buf, cap, "mode=%04o%s%s", (unsigned)(st.st_mode & 07777),
		 data && *data ? "," : "", data ? data : "");
	return buf;
}

/* Any other filesystem: tmpfs, devpts, mqueue, overlay, ... passed through. */
static int
mount_plain(struct rootfs_ctx *c, size_t i, const char *src, const char *type, const char *dest,
	    unsigned long flags, const char *data)
{
	char rel[PATH_MAX], tmpfs_data[sizeof(((struct rootfs_mopts *)0)->data) + 16];
	int fd = rootfs_dest_open(c, i, dest, 0, rel, sizeof(rel));

	if (fd >= 0 && strcmp(type, "tmpfs") == 0)
		data = tmpfs_mode_first(fd, data, tmpfs_data, sizeof(tmpfs_data));
	if (fd < 0 && errno == ENOENT)
		fd = rootfs_dest_open(c, i, dest, ROOTFS_MKDIR, rel, sizeof(rel));
	if (fd < 0)
		return -1;
	if (check_proc_dest(rel, src) < 0) {
		close(fd);
		return errno = EPERM, err_set(c->e,
					      "mounts[%zu]: %s cannot be mounted because it "
					      "is inside /proc",
					      i, rel);
	}
	/* tmpfs and /dev stay writable until rootfs_finalize: /dev is filled first
	 * (runc: mountPropagate, finalizeRootfs). */
	if (strcmp(type, "tmpfs") == 0 || rootfs_path_same(rel, "/dev"))
		flags &= ~MS_RDONLY;
	if (rootfs_mount_on_fd(src, fd, type, flags, data) < 0) {
		close(fd);
		return err_set(c->e, "mount %s on %s:", type, rel);
	}
	close(fd);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* The "cgroup" mount type (runc mountCgroupV1 / mountCgroupV2)              */
/* ------------------------------------------------------------------------ */

/* Does the ','-separated list have word as one of its items? */
static bool
list_has(const char *list, const char *word, size_t n)
{
	for (const char *p = list; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, word, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* The init's own cgroup in the hierarchy whose super options are opts
 * ("rw,cpu"), from /proc/self/cgroup lines "4:cpu:/path". */
static const char *
cgroup_own_path(const char *cgtext, const char *opts, char *out, size_t cap)
{
	for (const char *l = cgtext; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *ctrl = strchr(l, ':'), *path;
		size_t n;

		if (!ctrl || !(path = strchr(ctrl + 1, ':')))
			continue;
		ctrl++;
		n = strcspn(ctrl, ",:");
		if (n == 0 || !list_has(opts, ctrl, n))
			continue;
		path++;
		snprintf(out, cap, "%.*s", (int)strcspn(path, "\n"), path);
		return out;
	}
	return NULL;
}

/* One v1 hierarchy at <dest>/<name>: a fresh mount with a cgroup namespace,
 * else a bind of the init's own cgroup, remounted with the config's flags. */
static int
cgroup_v1_one(struct rootfs_ctx *c, size_t i, const struct rootfs_mopts *o,
	      const struct rootfs_mountinfo *mi, const char *cgtext, const char *dest)
{
	const char *name = strrchr(mi->mountpoint, '/') + 1;
	char sub[PATH_MAX], own[PATH_MAX], src[PATH_MAX * 2], rel[PATH_MAX];
	const char *tail;
	int fd, r;

	snprintf(sub, sizeof(sub), "%s/%s", dest, name);
	if (rootfs_ns_mask(c->s) & CLONE_NEWCGROUP) {
		bool systemd = strcmp(name, "systemd") == 0;

		return mount_plain(c, i, systemd ? "systemd" : "cgroup", "cgroup", sub,
				   MS_NOEXEC | MS_NOSUID | MS_NODEV | (o->flags & MS_RDONLY),
				   systemd ? "name=systemd" : name);
	}
	if (!cgroup_own_path(cgtext, mi->super_opts, own, sizeof(own)))
		return 0; /* a hierarchy this process is not in: nothing to show */
	tail = rootfs_path_under(own, mi->root) ? own + strlen(mi->root) : "";
	if (strcmp(mi->root, "/") == 0)
		tail = strcmp(own, "/") == 0 ? "" : own;
	snprintf(src, sizeof(src), "%s%s", mi->mountpoint, tail);
	log_debug("bind %s on %s  (runc: rootfs_linux.go mountCgroupV1)", src, sub);
	fd = rootfs_dest_open(c, i, sub, ROOTFS_MKDIR, rel, sizeof(rel));
	if (fd < 0)
		return -1;
	r = rootfs_mount_on_fd(src, fd, NULL, MS_BIND | MS_REC, NULL);
	close(fd);
	if (r < 0)
		return err_set(c->e, "bind %s on %s:", src, rel);
	if ((fd = rootfs_dest_open(c, i, sub, 0, rel, sizeof(rel))) < 0)
		return -1;
	r = rootfs_remount_fd(fd, o->flags);
	close(fd);
	return r < 0 ? err_set(c->e, "remount %s:", rel) : 0;
}

/* Co-mounted controllers ("cpu,cpuacct") also get one symlink per name. */
static int
cgroup_v1_links(struct rootfs_ctx *c, size_t i, const char *dest, const char *name)
{
	char rel[PATH_MAX], one[NAME_MAX + 1];
	int fd = rootfs_dest_open(c, i, dest, 0, rel, sizeof(rel));

	if (fd < 0)
		return -1;
	for (const char *p = name; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		snprintf(one, sizeof(one), "%.*s", (int)strcspn(p, ","), p);
		if (symlinkat(name, fd, one) < 0 && errno != EEXIST) {
			close(fd);
			return err_set(c->e, "symlink %s/%s:", rel, one);
		}
	}
	close(fd);
	return 0;
}

static int
mount_cgroup_v1(struct rootfs_ctx *c, size_t i, const struct spec_mount *m,
		const struct rootfs_mopts *o)
{
	char *mtext, *cgtext, *line, *next;
	struct rootfs_mountinfo mi;
	size_t len;
	int r;

	r = mount_plain(c, i, "tmpfs", "tmpfs", m->destination, MS_NOEXEC | MS_NOSUID | MS_NODEV,
			"mode=755");
	if (r < 0)
		return -1;
	mtext = read_file("/proc/self/mountinfo", 16u << 20, &len);
	cgtext = read_file("/proc/self/cgroup", 1 << 20, &len);
	if (!mtext || !cgtext) {
		r = err_set(c->e, "mounts[%zu]: read /proc/self/mountinfo or cgroup:", i);
		goto out;
	}
	for (line = mtext; r == 0 && line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (rootfs_mountinfo_parse(line, &mi) < 0 || strcmp(mi.fstype, "cgroup") != 0 ||
		    rootfs_path_under(mi.mountpoint, c->root))
			continue;
		r = cgroup_v1_one(c, i, o, &mi, cgtext, m->destination);
		if (r == 0 && strchr(strrchr(mi.mountpoint, '/'), ','))
			r = cgroup_v1_links(c, i, m->destination, strrchr(mi.mountpoint, '/') + 1);
	}
out:
	free(mtext);
	free(cgtext);
	return r;
}

/*
 * In a user namespace without a cgroup namespace of its own the kernel refuses
 * cgroup2 (EPERM; EBUSY): the host's /sys/fs/cgroup is bound instead and
 * remounted with the mount's flags (ro, nosuid, ...), as runc does
 * (rootfs_linux.go mountCgroupV2, runc #2158).
 */
static int
cgroup_v2_bind(struct rootfs_ctx *c, size_t i, const struct spec_mount *m,
	       const struct rootfs_mopts *o)
{
	char rel[PATH_MAX];
	int fd, r;

	log_debug("bind /sys/fs/cgroup on %s: the kernel refused cgroup2 here  "
		  "(runc: rootfs_linux.go mountCgroupV2)",
		  m->destination);
	fd = rootfs_dest_open(c, i, m->destination, 0, rel, sizeof(rel));
	if (fd < 0)
		return -1;
	if (check_proc_dest(rel, "/sys/fs/cgroup") < 0) { /* mount_plain's refusal stands */
		close(fd);
		return errno = EPERM, -1;
	}
	r = rootfs_mount_on_fd("/sys/fs/cgroup", fd, NULL, MS_BIND, NULL);
	close(fd);
	if (r < 0)
		return err_set(c->e, "bind /sys/fs/cgroup on %s:", rel);
	if ((fd = rootfs_dest_open(c, i, m->destination, 0, rel, sizeof(rel))) < 0)
		return -1;
	r = rootfs_remount_fd(fd, o->flags);
	close(fd);
	return r < 0 ? err_set(c->e, "remount %s:", rel) : 0;
}

/*
 * runc 1.1 mounts cgroup2 itself on a unified host, and on a v1 (or hybrid)
 * host a tmpfs holding one bind per v1 hierarchy; the unified hierarchy of a
 * hybrid host is not shown (runc: GetCgroupMounts lists only "cgroup").
 */
static int
mount_cgroup(struct rootfs_ctx *c, size_t i, const struct spec_mount *m,
	     const struct rootfs_mopts *o)
{
	struct statfs sfs;

	if (statfs("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC) {
		log_debug("mount cgroup2 on %s  (runc: rootfs_linux.go mountCgroupV2)",
			  m->destination);
		if (mount_plain(c, i, m->source ? m->source : "cgroup", "cgroup2", m->destination,
				o->flags, o->data) == 0)
			return 0;
		return errno == EPERM || errno == EBUSY ? cgroup_v2_bind(c, i, m, o) : -1;
	}
	log_debug("mount cgroup v1 hierarchies on %s  (runc: rootfs_linux.go mountCgroupV1)",
		  m->destination);
	return mount_cgroup_v1(c, i, m, o);
}

static int
mount_one(struct rootfs_ctx *c, size_t i)
{
	const struct spec_mount *m = &c->s->mounts[i];
	const char *src = m->source ? m->source : m->type;
	struct rootfs_mopts o;
	enum rootfs_kind k;
	int r;

	if (rootfs_parse_options(m->options, &o) < 0)
		return err_set(c->e, "mounts[%zu]: options of %s:", i, m->destination);
	k = rootfs_mount_kind(m->type, &o);
	log_debug("mount %s on %s  (runc: rootfs_linux.go mountToRootfs)",
		  k == ROOTFS_BIND ? "bind" : m->type, m->destination);
	switch (k) {
	case ROOTFS_PROC:
	case ROOTFS_SYSFS:
		r = mount_special(c, i, m, &o);
		break;
	case ROOTFS_BIND:
		r = mount_bind(c, i, m, &o);
		break;
	case ROOTFS_CGROUP:
		r = mount_cgroup(c, i, m, &o);
		break;
	case ROOTFS_NOTYPE:
		return errno = EINVAL, err_set(c->e, "mounts[%zu]: %s: no type", i, m->destination);
	default:
		r = mount_plain(c, i, src, m->type, m->destination, o.flags, o.data);
		break;
	}
	return r < 0 ? -1 : mount_finish(c, i, m->destination, &o);
}

int
rootfs_prepare(const struct spec *s, struct err *e)
{
	struct rootfs_ctx *c = calloc(1, sizeof(*c));
	int r;

	if (!c)
		return err_set(e, "rootfs:");
	c->s = s;
	c->e = e;
	c->rootfd = -1;
	r = prepare_root(c);
	for (size_t i = 0; i < s->n_mounts && r == 0; i++)
		r = mount_one(c, i);
	if (r == 0)
		r = dev_setup(c);
	if (c->rootfd >= 0)
		close(c->rootfd);
	free(c);
	return r;
}
