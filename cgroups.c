/*
 * cgroups.c - one container's cgroup: the host's layout, its directories
 * made and removed, the init put in it, and what the commands do through it:
 * kill --all, pause/resume, ps.  Where it goes (linux.cgroupsPath) is
 * cgroup_place.c; the resource files are written by cgroup_v1.c and
 * cgroup_v2.c.
 *
 * runc counterpart: libcontainer/cgroups/utils.go (IsCgroup2UnifiedMode,
 * GetOwnCgroupPath, RemovePath, GetAllPids), fs/paths.go (initPaths,
 * subsysPath, innerPath), fs2/defaultpath.go and fs2/create.go
 * (CreateCgroupPath), container_linux.go / init_linux.go signalAllProcesses.
 * Left out: the systemd driver (refused: these hosts run no systemd),
 * rootless cgroups, hierarchies runc does not join (named ones other than
 * name=systemd), cgroup.threads (threaded mode).
 *
 * Every directory is opened once (O_DIRECTORY) and every file reached from that
 * fd, so a later rename or symlink in the hierarchy cannot redirect a write.
 */
#include "cgroups.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_int.h"
#include "json.h"

/* ---- Layout ------------------------------------------------------------- */

static bool
cg_is_fs(const char *path, long magic)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && (long)sf.f_type == magic;
}

enum cg_layout
cg_detect(void)
{
	static enum cg_layout cached = (enum cg_layout) - 1;

	if ((int)cached != -1)
		return cached;
	if (cg_is_fs(CG_ROOT, CGROUP2_SUPER_MAGIC))
		cached = CG_V2;
	else if (cg_is_fs(CG_UNIFIED, CGROUP2_SUPER_MAGIC))
		cached = CG_HYBRID;
	else if (cg_is_fs(CG_ROOT, TMPFS_MAGIC))
		cached = CG_V1;
	else
		cached = CG_NONE;
	return cached;
}

const char *
cg_layout_name(enum cg_layout l)
{
	static const char *const names[] = {"none", "v1", "hybrid", "v2"};

	return (unsigned)l < 4 ? names[l] : "?";
}

/* ---- Lookups ------------------------------------------------------------- */

bool
cg_list_has(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, word, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

const struct cg_dir *
cg_find(const struct cg *cg, const char *controller)
{
	if (cg->layout == CG_V2)
		return cg->n ? &cg->d[0] : NULL;
	for (size_t i = 0; i < cg->n; i++)
		if (*controller ? cg_list_has(cg->d[i].ctrl, controller) : !*cg->d[i].ctrl)
			return &cg->d[i];
	return NULL;
}

const char *
cg_path(const struct cg *cg, const char *controller)
{
	const struct cg_dir *d = cg_find(cg, controller);

	return d ? d->path : NULL;
}

int
cg_dirfd(const struct cg *cg, const char *controller)
{
	const struct cg_dir *d = cg_find(cg, controller);

	return d ? d->fd : -1;
}

/* ---- Files --------------------------------------------------------------- */

int
cg_write(const struct cg_dir *d, const char *file, const char *value, const char *field,
	 struct err *e)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd;

	fd = openat(d->fd, file, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		goto fail;
	do
		n = write(fd, value, len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		goto fail;
	}
	close(fd);
	log_debug("write %s/%s \"%s\"  (runc: cgroups.WriteFile)", d->path, file, value);
	return 0;
fail:
	return err_set(e, "%s%s%swrite %s/%s \"%s\":", field ? "linux.resources." : "",
		       field ? field : "", field ? ": " : "", d->path, file, value);
}

int
cg_write_int(const struct cg_dir *d, const char *file, int64_t v, const char *field, struct err *e)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	return cg_write(d, file, buf, field, e);
}

int
cg_read(const struct cg_dir *d, const char *file, char *buf, size_t cap)
{
	ssize_t n;
	int fd = openat(d->fd, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -1;
	n = read_retry(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

bool
cg_has_file(const struct cg_dir *d, const char *file)
{
	return faccessat(d->fd, file, F_OK, 0) == 0;
}

/* ---- Create, enter, apply ------------------------------------------------ */

/* Write a short value into a file by path (levels made before an fd exists). */
static int
cg_write_path(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW), rc;

	if (fd < 0)
		return -1;
	rc = write(fd, value, strlen(value)) < 0 ? -1 : 0;
	close(fd);
	return rc;
}

/* runc: fs2/create.go CreateCgroupPath.  Every level above the leaf hands its
 * controllers down (cgroup.subtree_control), else the leaf has no resource
 * files; if writing them all at once fails, each one alone.  Errors are
 * ignored as runc ignores them: a missing file shows later, naming the field. */
static void
cg_v2_enable(const char *dir)
{
	char path[4160], all[1100], *ctrls;
	size_t len, n = 0;

	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	ctrls = read_file(path, 1 << 12, &len);
	if (!ctrls)
		return;
	for (char *t = strtok(ctrls, " \n"); t && n < sizeof(all); t = strtok(NULL, " \n"))
		n += (size_t)snprintf(all + n, sizeof(all) - n, "%s+%s", n ? " " : "", t);
	free(ctrls);
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	if (n == 0 || n >= sizeof(all) || cg_write_path(path, all) == 0)
		return;
	for (char *t = strtok(all, " "); t; t = strtok(NULL, " "))
		cg_write_path(path, t);
}

/* v1 cpuset: a new cgroup starts with no cpus and no mems (clone_children is
 * 0), and no task may join it then: copy the parent's (runc: fs/cpuset.go
 * cpusetCopyIfNeeded). */
static int
cg_cpuset_copy(const char *dir, struct err *e)
{
	static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
	char path[4160], parent[4160];

	for (int i = 0; i < 2; i++) {
		char *own, *up;
		size_t len;
		int rc = 0;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		snprintf(parent, sizeof(parent), "%.*s/%s", (int)(strrchr(dir, '/') - dir), dir,
			 files[i]);
		own = read_file(path, 1 << 16, &len);
		up = own && strspn(own, " \n") == len ? read_file(parent, 1 << 16, &len) : NULL;
		if (up && cg_write_path(path, up) < 0)
			rc = err_set(e, "write %s \"%.*s\":", path, (int)strcspn(up, "\n"), up);
		if (!own)
			rc = err_set(e, "read %s:", path);
		free(own);
		free(up);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Every level from the mount point down to the leaf: the missing ones made,
 * outermost first; on v2 each one above the leaf hands its controllers down
 * once it exists (runc: CreateCgroupPath walks the same way).  The unified
 * hierarchy of a hybrid host only gets the directories, as runc's v1 manager
 * gives it. */
static int
cg_mkdirs(const struct cg *cg, const struct cg_dir *d, struct err *e)
{
	bool cpuset = cg->layout != CG_V2 && cg_list_has(d->ctrl, "cpuset");
	size_t len = cg_mount_len(cg, d), made = d->made ? strlen(d->made) : SIZE_MAX;
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", d->path);
	for (;;) {
		char saved = tmp[len];

		tmp[len] = '\0';
		if (len >= made) {
			if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
				return err_set(e, "mkdir %s:", tmp);
			log_debug("mkdir %s  (runc: fs/paths.go apply, fs2/create.go)", tmp);
			if (cpuset && cg_cpuset_copy(tmp, e) < 0)
				return -1;
		}
		if (saved && cg->layout == CG_V2)
			cg_v2_enable(tmp);
		tmp[len] = saved;
		if (!saved)
			return 0;
		len += 1 + strcspn(tmp + len + 1, "/");
	}
}

/* 1 if d is a freezer (v1) or cgroup2 directory that is frozen. */
static int
cg_dir_frozen(const struct cg_dir *d)
{
	if (!d->ctrl[0])
		return cg_v2_is_frozen(d);
	return strcmp(d->ctrl, "freezer") == 0 ? cg_v1_is_frozen(d) : 0;
}

/* Open the leaf and note its inode.  A leaf that existed already: empty, it
 * is a leftover taken over (and removed at delete); in use, it is joined as
 * runc joins it, but it is not minirunc's, so nothing of it is removed or
 * killed later (made stays NULL). */
static int
cg_open_leaf(struct cg_dir *d, bool made, struct err *e)
{
	struct stat st;
	char procs[64];

	d->fd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (d->fd < 0 || fstat(d->fd, &st) < 0)
		return err_set(e, "open cgroup %s:", d->path);
	d->ino = (uint64_t)st.st_ino;
	if (made)
		return 0;
	/* Frozen before the init is in it, the init would stop at once and
	 * create would wait for ever: refused, in runc's words (runc:
	 * container_linux.go; its cgroups.bats matches the phrase). */
	if (cg_dir_frozen(d) == 1)
		return errno = EBUSY,
		       err_set(e, "container's cgroup unexpectedly frozen: %s", d->path);
	if (cg_read(d, "cgroup.procs", procs, sizeof(procs)) < 0)
		return err_set(e, "read %s/cgroup.procs:", d->path);
	if (!*procs)
		d->made = strdup(d->path);
	return 0;
}

/* A permission error a lenient (rootless) plan may step over (runc:
 * fs.go isIgnorableError). */
static bool
cg_ignorable(const struct cg *cg)
{
	return cg->lenient && (errno == EPERM || errno == EACCES || errno == EROFS);
}

/* Leave directory i out of the plan (what of it was made is removed). */
static void
cg_drop(struct cg *cg, size_t i)
{
	struct cg_dir *d = &cg->d[i];

	if (d->fd >= 0)
		close(d->fd);
	if (d->made)
		rmdir(d->path);
	free(d->ctrl);
	free(d->path);
	free(d->made);
	memmove(d, d + 1, (cg->n - i - 1) * sizeof(*d));
	cg->n--;
	log_debug("rootless: cgroup left out (no permission)  (runc: isIgnorableError)");
}

/*
 * A cgroup minirunc may not make or enter (a rootless caller's cgroupsPath):
 * the line says so in runc's words, "unable to apply cgroup configuration:
 * ...: permission denied" (runc: process_linux.go; its cgroups.bats matches
 * them, in Go's lower case).
 */
static void
cg_say_no_permission(struct err *e)
{
	int saved = errno;
	char was[sizeof(e->msg)];
	const char *why = strerror(saved);
	size_t n, w = strlen(why);

	snprintf(was, sizeof(was), "%s", e->msg);
	n = strlen(was);
	if (n >= w + 2 && strcmp(was + n - w, why) == 0)
		was[n - w - 2] = '\0';
	err_set(e, "unable to apply cgroup configuration: %s: permission denied", was);
	errno = saved;
}

static int
cg_create_fail(struct cg *cg)
{
	struct err e2;

	cg_destroy(cg, &e2);
	return -1;
}

int
cg_create(struct cg *cg, const struct spec_resources *r, struct err *e)
{
	size_t had = cg->n;

	for (size_t i = 0; i < cg->n;) {
		bool made = cg->d[i].made != NULL;

		if (cg_mkdirs(cg, &cg->d[i], e) == 0 && cg_open_leaf(&cg->d[i], made, e) == 0)
			i++;
		else if (cg_ignorable(cg))
			cg_drop(cg, i);
		else if (errno == EACCES || errno == EPERM)
			return cg_say_no_permission(e), cg_create_fail(cg);
		else
			return cg_create_fail(cg);
	}
	/* A leaf in use already is joined, as runc joins it, with runc's warning
	 * (container_linux.go; its cgroups.bats matches the phrase); once, not
	 * once a hierarchy. */
	for (size_t i = 0; i < cg->n; i++)
		if (!cg->d[i].made) {
			log_warn("container's cgroup is not empty: %s has processes; joined, as "
				 "runc does",
				 cg->d[i].path);
			break;
		}
	/* Limits without the cgroup to hold them would be ignored: refused. */
	if (cg->n < had && r && cg_needs_any(r)) {
		errno = EPERM;
		/* runc's phrase for it (its cgroups.bats matches one of two). */
		err_set(e, "rootless needs no limits + no cgrouppath when no permission is "
			   "granted for cgroups: linux.resources needs the container's cgroup, "
			   "which this user may not create");
		return cg_create_fail(cg);
	}
	return 0;
}

int
cg_enter(struct cg *cg, pid_t pid, struct err *e)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	for (size_t i = 0; i < cg->n;) {
		if (cg->d[i].fd < 0 || cg_write(&cg->d[i], "cgroup.procs", buf, NULL, e) == 0)
			i++;
		else if (cg_ignorable(cg))
			cg_drop(cg, i);
		else
			return -1;
	}
	return 0;
}

static int
cg_apply_resources(const struct cg *cg, const struct spec_resources *r, struct err *e)
{
	if (cg->n == 0)
		return 0;
	return cg->layout == CG_V2 ? cg_v2_apply(&cg->d[0], r, e) : cg_v1_apply(cg, r, e);
}

int
cg_apply(const struct cg *cg, const struct spec_resources *r, struct err *e)
{
	if (cg_apply_resources(cg, r, e) < 0)
		return -1;
	/* the device rules (cgroup_devices.c), after the other resources */
	return cgdev_apply(cg, r, e);
}

int
cg_update(const struct cg *cg, const struct spec_resources *r, struct err *e)
{
	int rc;

	if (cg->layout == CG_NONE || cg->n == 0)
		return errno = ENOTSUP, err_set(e, "the container has no cgroup to update");
	rc = cg->layout == CG_V2 ? cg_v2_check(r, e) : cg_v1_check(cg, r, e);
	return rc < 0 ? -1 : cg_apply_resources(cg, r, e);
}

/* ---- Processes in the cgroup -------------------------------------------- */

/* Append the pids of dir/cgroup.procs and of every cgroup below it (runc:
 * GetAllPids walks the tree). */
static int
cg_collect(int dirfd, pid_t **pids, size_t *n, size_t *cap, int depth)
{
	char *buf;
	size_t len;
	int fd, dfd;
	DIR *d;
	struct dirent *de;

	fd = openat(dirfd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
	buf = fd >= 0 ? read_file_fd(fd, 16u << 20, &len) : NULL;
	if (fd >= 0)
		close(fd);
	if (!buf)
		return -1;
	for (char *p = buf; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		if (*n == *cap) {
			pid_t *g = realloc(*pids, (*cap = *cap * 2 + 16) * sizeof(pid_t));
			if (!g)
				return free(buf), -1;
			*pids = g;
		}
		(*pids)[(*n)++] = (pid_t)atoi(p);
	}
	free(buf);
	if (depth > 32 || (dfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    !(d = fdopendir(dfd)))
		return 0;
	while ((de = readdir(d))) {
		int sub;
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (sub >= 0) {
			cg_collect(sub, pids, n, cap, depth + 1);
			close(sub);
		}
	}
	closedir(d);
	return 0;
}

/* runc's GetPids reads the devices hierarchy on v1 (fs.go GetPids); any open
 * directory will do when that one is missing. */
static const struct cg_dir *
cg_procs_dir(const struct cg *cg)
{
	const struct cg_dir *d = cg_find(cg, "devices");

	for (size_t i = 0; (!d || d->fd < 0) && i < cg->n; i++)
		d = &cg->d[i];
	return d && d->fd >= 0 ? d : NULL;
}

int
cg_pids(const struct cg *cg, pid_t **pids, size_t *n, struct err *e)
{
	const struct cg_dir *d = cg_procs_dir(cg);
	size_t cap = 0;

	*pids = NULL;
	*n = 0;
	if (!d)
		return 0;
	if (cg_collect(d->fd, pids, n, &cap, 0) < 0) {
		free(*pids);
		*pids = NULL;
		*n = 0;
		return err_set(e, "read %s/cgroup.procs:", d->path);
	}
	return 0;
}

int
cg_freeze(const struct cg *cg, bool frozen, struct err *e)
{
	const struct cg_dir *d;

	if (cg->layout == CG_V2)
		return cg->n ? cg_v2_freeze(&cg->d[0], frozen, e) : 0;
	d = cg_find(cg, "freezer");
	if (!d || d->fd < 0)
		return errno = ENOTSUP, err_set(e, "the container has no freezer cgroup");
	return cg_v1_freeze(d, frozen, e);
}

int
cg_is_frozen(const struct cg *cg)
{
	const struct cg_dir *d =
	    cg->layout == CG_V2 ? (cg->n ? &cg->d[0] : NULL) : cg_find(cg, "freezer");

	if (!d || d->fd < 0)
		return -1;
	return cg->layout == CG_V2 ? cg_v2_is_frozen(d) : cg_v1_is_frozen(d);
}

/* Signal each pid of the cgroup while it is frozen, so none can fork a child
 * that escapes the walk (runc: signalAllProcesses). */
static int
cg_signal_each(const struct cg *cg, int sig, struct err *e)
{
	bool frozen = cg_freeze(cg, true, e) == 0;
	pid_t *pids;
	size_t n;
	int rc = cg_pids(cg, &pids, &n, e);

	for (size_t i = 0; rc == 0 && i < n; i++)
		if (kill(pids[i], sig) < 0 && errno != ESRCH)
			rc = err_set(e, "kill %d:", (int)pids[i]);
	free(pids);
	if (frozen)
		cg_freeze(cg, false, e);
	return rc;
}

static bool cg_owned(const struct cg *cg);

/* Only a cgroup minirunc made for this container is signalled whole: one it
 * joined because it was in use (a cgroupsPath of "/", of the runtime's own
 * cgroup, of another container's) holds processes that are not the
 * container's (SECURITY.md rule 3).  runc would signal them all. */
int
cg_kill_all(const struct cg *cg, int sig, struct err *e)
{
	const struct cg_dir *d = cg->layout == CG_V2 && cg->n ? &cg->d[0] : NULL;

	if (!cg_owned(cg))
		return errno = EPERM,
		       err_set(e,
			       "the container's cgroup %s was in use before it joined it (not made "
			       "for it): refusing to signal the other processes in it",
			       cg->n ? cg->d[0].path : "?");

	/* cgroup.kill (Linux 5.14) kills the whole subtree at once, frozen or not. */
	if (sig == SIGKILL && d && d->fd >= 0 && cg_has_file(d, "cgroup.kill"))
		return cg_write(d, "cgroup.kill", "1", NULL, e);
	return cg_signal_each(cg, sig, e);
}

/* ---- Destroy -------------------------------------------------------------- */

static void
cg_nap_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* rmdir dir and every cgroup below it, innermost first (runc: RemovePath). */
static int
cg_rmtree(const char *path, int depth)
{
	DIR *d;
	struct dirent *de;
	char sub[4400];

	if (rmdir(path) == 0 || errno == ENOENT)
		return 0;
	if (depth > 32 || errno != EBUSY || !(d = opendir(path)))
		return -1;
	while ((de = readdir(d)))
		if (de->d_type == DT_DIR && de->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			cg_rmtree(sub, depth + 1);
		}
	closedir(d);
	return rmdir(path) == 0 || errno == ENOENT ? 0 : -1;
}

/* Remove the leaf, then each level up to d->made. */
static int
cg_remove_dir(const struct cg_dir *d)
{
	char tmp[4096];
	size_t top = strlen(d->made);
	int rc = -1;

	/* A process that just got SIGKILL may still be leaving: retry a little, as
	 * runc does (utils.go RemovePaths: 5 tries, doubling naps). */
	for (int i = 0; i < 6 && rc < 0; i++) {
		if (i)
			cg_nap_ms(5L << i);
		rc = cg_rmtree(d->path, 0);
	}
	if (rc < 0)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s", d->path);
	for (char *s = strrchr(tmp, '/'); s && (size_t)(s - tmp) >= top; s = strrchr(tmp, '/')) {
		*s = '\0';
		if (rmdir(tmp) < 0 && errno != ENOENT)
			break; /* someone else's cgroup is in it now: theirs to keep */
	}
	return 0;
}

/* Wait (bounded) until no process is left after a SIGKILL. */
static void
cg_wait_empty(const struct cg *cg)
{
	for (int i = 0; i < 400; i++) {
		pid_t *pids;
		size_t n;
		struct err e;

		if (cg_pids(cg, &pids, &n, &e) < 0 || n == 0) {
			free(pids);
			return;
		}
		free(pids);
		cg_nap_ms(5);
	}
}

static bool
cg_owned(const struct cg *cg)
{
	for (size_t i = 0; i < cg->n; i++)
		if (cg->d[i].fd >= 0 && !cg->d[i].made)
			return false;
	return true;
}

int
cg_destroy(struct cg *cg, struct err *e)
{
	int rc = 0;

	/* Only a cgroup minirunc made may have what is left in it killed. */
	if (cg_procs_dir(cg) && cg_owned(cg)) {
		struct err e2;
		if (cg_kill_all(cg, SIGKILL, &e2) == 0)
			cg_wait_empty(cg);
	}
	for (size_t i = 0; i < cg->n; i++) {
		struct cg_dir *d = &cg->d[i];
		if (d->fd >= 0)
			close(d->fd);
		d->fd = -1;
		if (d->made && cg_remove_dir(d) < 0 && rc == 0)
			rc = err_set(e, "remove cgroup %s:", d->path);
	}
	return rc;
}

int
cg_open(struct cg *cg, struct err *e)
{
	int rc = 0;

	for (size_t i = 0; i < cg->n; i++) {
		struct cg_dir *d = &cg->d[i];
		struct stat st;

		if (d->fd >= 0)
			continue;
		d->fd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (d->fd < 0 && errno == ENOENT)
			continue;
		if (d->fd < 0 || fstat(d->fd, &st) < 0)
			return err_set(e, "open cgroup %s:", d->path);
		if (d->ino && (uint64_t)st.st_ino != d->ino) {
			/* Someone else's now: never touched again; the rest is still ours. */
			close(d->fd);
			d->fd = -1;
			free(d->made);
			d->made = NULL;
			if (rc == 0)
				rc = err_set(
				    e, "cgroup %s is no longer the container's (it was replaced)",
				    d->path);
		}
	}
	if (rc < 0)
		errno = ESTALE;
	return rc;
}

/* ---- The record in state.json ------------------------------------------- */

char *
cg_encode(const struct cg *cg)
{
	struct json_writer w;
	size_t len;

	json_writer_init(&w, 0);
	json_write_object_begin(&w);
	json_write_key(&w, "layout");
	json_write_string(&w, cg_layout_name(cg->layout));
	json_write_key(&w, "dirs");
	json_write_array_begin(&w);
	for (size_t i = 0; i < cg->n; i++) {
		json_write_object_begin(&w);
		json_write_key(&w, "controllers");
		json_write_string(&w, cg->d[i].ctrl);
		json_write_key(&w, "path");
		json_write_string(&w, cg->d[i].path);
		json_write_key(&w, "made");
		json_write_string(&w, cg->d[i].made ? cg->d[i].made : "");
		json_write_key(&w, "inode");
		json_write_uint(&w, cg->d[i].ino);
		json_write_object_end(&w);
	}
	json_write_array_end(&w);
	json_write_object_end(&w);
	return json_writer_finish(&w, &len);
}

static char *
cg_member_dup(const struct json_value *o, const char *key)
{
	const struct json_value *v = json_get(o, key);

	return v && v->type == JSON_STRING ? strdup(v->u.str.s) : NULL;
}

/* One element of "dirs"; a path must lie under /sys/fs/cgroup (a damaged or
 * edited state.json must not point minirunc at any other directory). */
static int
cg_decode_dir(const struct json_value *o, struct cg_dir *d)
{
	const struct json_value *ino = json_get(o, "inode");
	uint64_t n = 0;

	d->fd = -1;
	d->ctrl = cg_member_dup(o, "controllers");
	d->path = cg_member_dup(o, "path");
	d->made = cg_member_dup(o, "made");
	if (ino)
		json_to_uint64(ino, &n);
	d->ino = n;
	if (d->made && !*d->made) {
		free(d->made);
		d->made = NULL;
	}
	if (!d->ctrl || !d->path || strncmp(d->path, CG_ROOT "/", sizeof(CG_ROOT)) != 0 ||
	    strstr(d->path, "/..") || (d->made && strncmp(d->path, d->made, strlen(d->made))))
		return -1;
	return 0;
}

int
cg_decode(const char *json, size_t len, struct cg *cg, struct err *e)
{
	struct json_err jerr;
	struct json_doc *doc = json_parse(json, len, &jerr);
	const struct json_value *root = doc ? json_root(doc) : NULL, *l, *dirs;
	int rc = -1;

	memset(cg, 0, sizeof(*cg));
	l = root ? json_get(root, "layout") : NULL;
	dirs = root ? json_get(root, "dirs") : NULL;
	if (l && l->type == JSON_STRING && dirs && dirs->type == JSON_ARRAY &&
	    dirs->u.arr.n <= CG_MAX_DIRS) {
		for (int k = 0; k < 4; k++)
			if (strcmp(l->u.str.s, cg_layout_name((enum cg_layout)k)) == 0)
				cg->layout = (enum cg_layout)k;
		rc = 0;
		for (size_t i = 0; rc == 0 && i < dirs->u.arr.n; i++, cg->n++)
			rc = cg_decode_dir(dirs->u.arr.items[i], &cg->d[i]);
	}
	json_free(doc);
	if (rc < 0) {
		cg_free(cg);
		return errno = EINVAL, err_set(e, "state.json: the cgroup record is damaged");
	}
	return 0;
}

void
cg_free(struct cg *cg)
{
	for (size_t i = 0; i < cg->n; i++) {
		if (cg->d[i].fd >= 0)
			close(cg->d[i].fd);
		free(cg->d[i].ctrl);
		free(cg->d[i].path);
		free(cg->d[i].made);
	}
	memset(cg, 0, sizeof(*cg));
}

/* ---- v1 -> v2 conversions (runc: cgroups/utils.go) ----------------------- */

uint64_t
cg_shares_to_weight(uint64_t shares)
{
	return shares == 0 ? 0 : 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t
cg_blkio_to_io_weight(uint64_t blkio)
{
	return blkio == 0 ? 0 : 1 + (blkio - 10) * 9999 / 990;
}

/* OCI's memory.swap is memory+swap (v1's memsw); v2's memory.swap.max is the
 * swap alone.  -1 = unlimited, 0 = unset (runc: ConvertMemorySwapToCgroupV2Value). */
int
cg_swap_to_v2(int64_t swap, int64_t memory, int64_t *out)
{
	errno = EINVAL;
	if (memory == -1 && swap == 0)
		return *out = -1, 0;
	if (swap == -1 || swap == 0)
		return *out = swap, 0;
	if (memory == 0 || memory == -1 || memory < 0 || swap < memory)
		return -1;
	*out = swap - memory;
	return 0;
}
