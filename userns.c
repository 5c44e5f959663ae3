/*
 * userns.c - user namespaces: the maps of a new one, written from outside;
 * newuidmap/newgidmap when an unprivileged caller asks for more than its own
 * id; the init becoming root inside; the detached, idmapped tree of an
 * idmapped mount; the defaults of a rootless run (state under
 * $XDG_RUNTIME_DIR, the owner's name for `list`).
 *
 * A new user namespace starts with no mapping at all: its processes are
 * "nobody" and may create no file.  Only a process outside it may write
 * /proc/PID/uid_map and gid_map, once each, in one write(2)
 * (user_namespaces(7)).  So the runtime clones the init, writes the maps,
 * and only then lets it go on (sync step 0, sync.h).  Root writes any map.
 * An unprivileged process may write one line mapping its own id, and for
 * gids only after writing "deny" to /proc/PID/setgroups (Linux 3.19); every
 * other map goes through the set-uid helpers newuidmap/newgidmap, which allow
 * the ranges /etc/subuid and /etc/subgid give the user.
 *
 * runc counterpart: libcontainer/nsenter/nsexec.c (update_uidmap,
 * update_gidmap, update_setgroups, try_mapping_tool, "Become root in the
 * namespace proper"), container_linux.go (requiresRootOrMappingTool),
 * main.go (the $XDG_RUNTIME_DIR root), runc 1.2's idmapped mounts.  runc tries
 * the write and falls back to the helper on EPERM; here the choice is made up
 * front from the caller's ids, so the helper never runs for root nor for a map
 * of only the caller's own id.  Rootless cgroups (used where permitted, else
 * left alone, as runc's rootless manager) are decided in cgroups.c alone.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* One line is at most "4294967295 4294967295 4294967295\n": 33 bytes. */
#define USERNS_LINE_MAX 34

int
userns_map_text(const struct spec_idmap *m, size_t n, char *buf, size_t cap)
{
	size_t len = 0;

	if (cap)
		buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int k = snprintf(buf + len, cap - len, "%" PRIu32 " %" PRIu32 " %" PRIu32 "\n",
				 m[i].container_id, m[i].host_id, m[i].size);
		if (k < 0 || (size_t)k >= cap - len)
			return errno = E2BIG, -1;
		len += (size_t)k;
	}
	return (int)len;
}

bool
userns_map_is_own(const struct spec_idmap *m, size_t n, uint32_t id)
{
	return n == 1 && m[0].host_id == id && m[0].size == 1;
}

/* Write text to /proc/PID/<file> in one write(2), as the kernel requires. */
static int
userns_proc_write(pid_t pid, const char *file, const char *text, size_t len)
{
	char path[64];
	ssize_t n;
	int fd, saved;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	do
		n = write(fd, text, len);
	while (n < 0 && errno == EINTR);
	saved = errno;
	close(fd);
	errno = saved;
	if (n >= 0 && (size_t)n != len)
		errno = EIO;
	return n == (ssize_t)len ? 0 : -1;
}

int
userns_helper_argv(const char *tool, pid_t pid, const struct spec_idmap *m, size_t n, char **argv,
		   size_t argv_cap, char *store, size_t cap)
{
	size_t argc = 0, used = 0;
	uint32_t v[3];

	if (argv_cap < n * 3 + 3)
		return errno = E2BIG, -1;
	argv[argc++] = (char *)tool;
	for (size_t i = 0; i <= n * 3; i++) {
		unsigned long long x;
		int k;

		if (i == 0) {
			x = (unsigned long long)pid;
		} else {
			v[0] = m[(i - 1) / 3].container_id;
			v[1] = m[(i - 1) / 3].host_id;
			v[2] = m[(i - 1) / 3].size;
			x = v[(i - 1) % 3];
		}
		k = snprintf(store + used, cap - used, "%llu", x);
		if (k < 0 || (size_t)k + 1 > cap - used)
			return errno = E2BIG, -1;
		argv[argc++] = store + used;
		used += (size_t)k + 1;
	}
	argv[argc] = NULL;
	return (int)argc;
}

int
userns_helper_find(const char *name, char *buf, size_t cap)
{
	static const char *const dirs[] = {"/usr/bin", "/bin", "/usr/sbin", "/sbin"};

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(buf, cap, "%s/%s", dirs[i], name);
		if (access(buf, X_OK) == 0)
			return 0;
	}
	return errno = ENOENT, -1;
}

/* newuidmap PID cid hid size ... (shadow's uidmap): it checks the ranges
 * against /etc/subuid itself and writes the map. */
static int
userns_map_by_helper(pid_t pid, const char *name, const char *field, const struct spec_idmap *m,
		     size_t n, struct err *e)
{
	char tool[64], msg[256], *store = NULL, **argv = NULL;
	size_t cap = (n * 3 + 1) * 12 + 16;
	int status = -1;

	if (userns_helper_find(name, tool, sizeof(tool)) < 0)
		return err_set(e,
			       "%s: an unprivileged user can map only its own id without %s "
			       "(Debian package uidmap), and it is not installed",
			       field, name);
	store = malloc(cap);
	argv = calloc(n * 3 + 3, sizeof(char *));
	if (store && argv && userns_helper_argv(tool, pid, m, n, argv, n * 3 + 3, store, cap) > 0) {
		log_debug("%s %d ...  (runc: nsexec.c try_mapping_tool)", tool, (int)pid);
		status = run_program(argv[0], argv, msg, sizeof(msg));
	}
	free(store);
	free(argv);
	if (status < 0)
		return err_set(e, "%s: run %s:", field, tool);
	if (status != 0)
		return errno = EPERM, err_set(e, "%s: %s failed (exit status %d)%s%s", field, tool,
					      status, msg[0] ? ": " : "", msg);
	return 0;
}

/* Write one map ourselves: root, or an unprivileged caller's own id. */
static int
userns_map_direct(pid_t pid, const char *file, const char *field, const struct spec_idmap *m,
		  size_t n, struct err *e)
{
	size_t cap = n * USERNS_LINE_MAX + 1;
	char *text = malloc(cap);
	int len, r;

	if (!text)
		return err_set(e, "%s:", field);
	len = userns_map_text(m, n, text, cap);
	log_debug("write /proc/%d/%s: %d line(s)  (runc: nsexec.c update_uidmap)", (int)pid, file,
		  (int)n);
	r = len < 0 ? -1 : userns_proc_write(pid, file, text, (size_t)len);
	free(text);
	if (r == 0)
		return 0;
	if (errno == EPERM)
		return err_set(e, "%s: write /proc/%d/%s: the caller may not map these host ids:",
			       field, (int)pid, file);
	return err_set(e, "%s: write /proc/%d/%s:", field, (int)pid, file);
}

/* Both maps of PID; the gid map after setgroups "deny" where that is the rule. */
static int
userns_write_pid_maps(pid_t pid, const struct spec_idmap *um, size_t nu,
		      const struct spec_idmap *gm, size_t ng, struct err *e)
{
	bool root = geteuid() == 0;
	int r;

	if (root || userns_map_is_own(um, nu, geteuid()))
		r = userns_map_direct(pid, "uid_map", "linux.uidMappings", um, nu, e);
	else
		r = userns_map_by_helper(pid, "newuidmap", "linux.uidMappings", um, nu, e);
	if (r < 0)
		return -1;
	if (root)
		return userns_map_direct(pid, "gid_map", "linux.gidMappings", gm, ng, e);
	if (!userns_map_is_own(gm, ng, getegid()))
		return userns_map_by_helper(pid, "newgidmap", "linux.gidMappings", gm, ng, e);
	/* Without CAP_SETGID outside, the kernel takes a gid map only once setgroups(2) is
	 * denied for good (user_namespaces(7), "/proc/[pid]/setgroups"); runc does the same
	 * when the map is the caller's own gid alone (requiresRootOrMappingTool). */
	log_debug("write deny to /proc/%d/setgroups  (runc: nsexec.c update_setgroups)", (int)pid);
	if (userns_proc_write(pid, "setgroups", "deny", 4) < 0)
		return err_set(e, "linux.gidMappings: write /proc/%d/setgroups:", (int)pid);
	return userns_map_direct(pid, "gid_map", "linux.gidMappings", gm, ng, e);
}

int
userns_write_maps(pid_t pid, const struct spec *s, struct err *e)
{
	return userns_write_pid_maps(pid, s->uid_mappings, s->n_uid_mappings, s->gid_mappings,
				     s->n_gid_mappings, e);
}

/* ---- inside ------------------------------------------------------------- */

/* Read one of our own maps back as triples; the kernel prints "%10u %10u %10u". */
static int
userns_read_own(const char *file, struct spec_idmap *out, size_t cap, size_t *n)
{
	char path[64], *text, *p;
	size_t len;

	snprintf(path, sizeof(path), "/proc/self/%s", file);
	text = read_file(path, 64 * 1024, &len);
	if (!text)
		return -1;
	*n = 0;
	for (p = text; *p && *n < cap;) {
		unsigned long a, b, c;
		char *end;

		a = strtoul(p, &end, 10);
		b = strtoul(end, &end, 10);
		c = strtoul(end, &end, 10);
		if (end == p)
			break;
		out[(*n)++] = (struct spec_idmap){(uint32_t)a, (uint32_t)b, (uint32_t)c};
		p = end + strspn(end, "\n ");
	}
	free(text);
	return 0;
}

/* Is every line of want in have and the counts equal (the order may differ:
 * the kernel sorts a map of more than 5 lines)? */
static bool
userns_maps_equal(const struct spec_idmap *want, size_t nw, const struct spec_idmap *have,
		  size_t nh)
{
	if (nw != nh)
		return false;
	for (size_t i = 0; i < nw; i++) {
		bool found = false;
		for (size_t k = 0; k < nh && !found; k++)
			found = want[i].container_id == have[k].container_id &&
				want[i].host_id == have[k].host_id && want[i].size == have[k].size;
		if (!found)
			return false;
	}
	return true;
}

/* A joined namespace has maps of its own: the config's must say the same, or
 * its ids would mean something else than the config says (fail closed). */
static int
userns_check_joined(const char *file, const char *field, const struct spec_idmap *m, size_t n,
		    struct err *e)
{
	struct spec_idmap have[340];
	size_t nh;

	if (userns_read_own(file, have, 340, &nh) < 0)
		return err_set(e, "read /proc/self/%s:", file);
	if (!userns_maps_equal(m, n, have, nh))
		return errno = EINVAL,
		       err_set(e,
			       "config.json: %s: differ from the joined user namespace's own "
			       "(/proc/self/%s)",
			       field, file);
	return 0;
}

int
userns_enter_init(const struct spec *s, bool joined, struct err *e)
{
	if (joined && (userns_check_joined("uid_map", "linux.uidMappings", s->uid_mappings,
					   s->n_uid_mappings, e) < 0 ||
		       userns_check_joined("gid_map", "linux.gidMappings", s->gid_mappings,
					   s->n_gid_mappings, e) < 0))
		return -1;
	/* The init still has the runtime's host ids, which mean nothing (the
	 * overflow id) in here; what it creates from now on needs an owner that
	 * maps.  runc's stage-1 sets the uid only, before it unshares the other
	 * namespaces, so the ipc namespace's mqueue is root's with the overflow
	 * group; the gid follows in userns_finish_init (runc: stage-2). */
	log_debug("setresuid(0) in the user namespace  (runc: nsexec.c stage-1)");
	if (setresuid(0, 0, 0) < 0)
		return err_set(e, "become root in the user namespace: setresuid(0):");
	return 0;
}

int
userns_finish_init(struct err *e)
{
	log_debug("setresgid(0) in the user namespace  (runc: nsexec.c stage-2)");
	if (setresgid(0, 0, 0) < 0)
		return err_set(e, "become root in the user namespace: setresgid(0):");
	return 0;
}

bool
userns_running_in_userns(void)
{
	struct spec_idmap m[4];
	size_t n;

	if (userns_read_own("uid_map", m, 4, &n) < 0)
		return false;
	return !(n == 1 && m[0].container_id == 0 && m[0].host_id == 0 && m[0].size == UINT32_MAX);
}

/* ---- a namespace for an idmapped mount ---------------------------------- */

int
userns_fd_for_maps(const struct spec_idmap *um, size_t nu, const struct spec_idmap *gm, size_t ng,
		   struct err *e)
{
	struct clone_args args = {.flags = CLONE_NEWUSER, .exit_signal = SIGCHLD};
	char path[64], c;
	int p[2], fd = -1;
	long pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return err_set(e, "pipe:");
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0) {
		/* Only holds the namespace until the runtime has its fd: EOF ends it. */
		close(p[1]);
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return err_set(e, "clone a user namespace for an idmapped mount:");
	}
	if (userns_write_pid_maps((pid_t)pid, um, nu, gm, ng, e) == 0) {
		snprintf(path, sizeof(path), "/proc/%ld/ns/user", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			err_set(e, "open %s:", path);
	}
	close(p[1]);
	while (waitpid((pid_t)pid, NULL, 0) < 0 && errno == EINTR)
		;
	return fd;
}

/* ---- idmapped mounts, runtime side --------------------------------------- */

#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef MOUNT_ATTR_IDMAP
#define MOUNT_ATTR_IDMAP 0x00100000
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

/* struct mount_attr of mount_setattr(2), under our own name (glibc may define it). */
struct userns_mount_attr {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

bool
userns_has_idmapped_mounts(const struct spec *s)
{
	for (size_t i = 0; i < s->n_mounts; i++)
		if (s->mounts[i].n_uid_mappings)
			return true;
	return false;
}

static bool
userns_same_maps(const struct spec_idmap *a, size_t na, const struct spec_idmap *b, size_t nb)
{
	return na == nb && memcmp(a, b, na * sizeof(*a)) == 0;
}

/* The namespace that says how the mount maps: the container's own when its
 * maps are the same (no clone needed), else a new one made for it. */
static int
userns_for_mount(const struct spec *s, const struct spec_mount *m, pid_t init, struct err *e)
{
	char path[64];
	int fd;

	if (init > 0 &&
	    userns_same_maps(m->uid_mappings, m->n_uid_mappings, s->uid_mappings,
			     s->n_uid_mappings) &&
	    userns_same_maps(m->gid_mappings, m->n_gid_mappings, s->gid_mappings,
			     s->n_gid_mappings)) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)init);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		return fd < 0 ? err_set(e, "open %s:", path) : fd;
	}
	return userns_fd_for_maps(m->uid_mappings, m->n_uid_mappings, m->gid_mappings,
				  m->n_gid_mappings, e);
}

/* mount_setattr's errors, said plainly (mount_setattr(2) ERRORS). */
static int
userns_idmap_error(size_t i, const char *src, struct err *e)
{
	if (errno == ENOSYS)
		return err_set(e,
			       "mounts[%zu]: idmapped mounts need mount_setattr(2) (Linux 5.12): "
			       "this kernel has none",
			       i);
	if (errno == EINVAL)
		return err_set(e,
			       "mounts[%zu]: the filesystem of %s cannot be idmapped by this "
			       "kernel:",
			       i, src);
	if (errno == EPERM)
		return err_set(e,
			       "mounts[%zu]: idmap %s: only root (of the mount's and the "
			       "filesystem's user namespace) may idmap it:",
			       i, src);
	return err_set(e, "mounts[%zu]: idmap %s:", i, src);
}

int
userns_idmap_tree(const struct spec *s, size_t i, pid_t init, struct err *e)
{
	const struct spec_mount *m = &s->mounts[i];
	bool rec = false;
	struct userns_mount_attr a = {.attr_set = MOUNT_ATTR_IDMAP};
	int tree, nsfd, r;

	for (size_t k = 0; k < m->n_options; k++)
		rec = rec || strcmp(m->options[k], "rbind") == 0;
	/* A private copy of the source, not yet attached anywhere (open_tree(2)). */
	tree = (int)syscall(SYS_open_tree, AT_FDCWD, m->source,
			    OPEN_TREE_CLONE | O_CLOEXEC | (rec ? AT_RECURSIVE : 0));
	if (tree < 0)
		return errno == ENOSYS || errno == EPERM
			   ? userns_idmap_error(i, m->source, e)
			   : err_set(e, "mounts[%zu]: open_tree %s:", i, m->source);
	nsfd = userns_for_mount(s, m, init, e);
	if (nsfd < 0) {
		close(tree);
		return -1;
	}
	a.userns_fd = (uint64_t)nsfd;
	log_debug("mount_setattr(MOUNT_ATTR_IDMAP) on a clone of %s  (runc 1.2: idmapped mounts)",
		  m->source);
	r = (int)syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | (rec ? AT_RECURSIVE : 0), &a,
			 sizeof(a));
	if (r < 0)
		userns_idmap_error(i, m->source, e);
	close(nsfd);
	if (r < 0) {
		close(tree);
		return -1;
	}
	return tree;
}

/* ---- rootless defaults -------------------------------------------------- */

static bool userns_rootless;

void
userns_note_caller(void)
{
	userns_rootless = geteuid() != 0;
}

void
userns_user_name(uid_t uid, char *buf, size_t cap)
{
	size_t len;
	char *text = read_file("/etc/passwd", 1 << 22, &len);

	snprintf(buf, cap, "#%u", (unsigned)uid);
	for (char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *c1 = strchr(l, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		char *end;

		if (!c2 || strtoul(c2 + 1, &end, 10) != uid || *end != ':' || end == c2 + 1)
			continue;
		snprintf(buf, cap, "%.*s", (int)(c1 - l), l);
		break;
	}
	free(text);
}

bool
userns_caller_rootless(void)
{
	return userns_rootless;
}

/* runc main.go shouldHonorXDGRuntimeDir: not root, or "root" of a user
 * namespace that is not the user root. */
static bool
userns_use_xdg(void)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR"), *user = getenv("USER");

	if (!xdg || !*xdg)
		return false;
	if (geteuid() != 0)
		return true;
	if (!userns_running_in_userns())
		return false;
	return !user || strcmp(user, "root") != 0;
}

int
userns_default_root(const char *system_root, char *buf, size_t cap, struct err *e)
{
	if (!userns_use_xdg()) {
		snprintf(buf, cap, "%s", system_root);
		return 0;
	}
	if (snprintf(buf, cap, "%s/minirunc", getenv("XDG_RUNTIME_DIR")) >= (int)cap)
		return errno = ENAMETOOLONG, err_set(e, "$XDG_RUNTIME_DIR: too long");
	/* runc: MkdirAll(root, 0700), then chmod 0700 with the sticky bit, so that
	 * tmpfiles cleaners of XDG_RUNTIME_DIR leave it alone (XDG base dir spec). */
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		return err_set(e, "$XDG_RUNTIME_DIR must be writable by the user: mkdir %s:", buf);
	if (chmod(buf, 01700) < 0)
		return err_set(e, "check the permissions of $XDG_RUNTIME_DIR: chmod %s:", buf);
	return 0;
}
