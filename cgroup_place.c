/*
 * cgroup_place.c - where a container's cgroup goes: linux.cgroupsPath cleaned
 * and checked, the runtime's own cgroup read from /proc/self/cgroup, and one
 * directory planned per hierarchy from /proc/self/mountinfo, as runc places it.
 *
 * runc counterpart: libcontainer/cgroups/fs/paths.go (initPaths, subsysPath,
 * innerPath), utils.go (GetOwnCgroupPath, ParseCgroupFile), fs2/defaultpath.go
 * (defaultDirPath).  A relative cgroupsPath is under the runtime's own
 * cgroup, an absolute one under the hierarchy's root; without one, the cgroup
 * is the container's id under the runtime's own.
 *
 * Left out: the systemd "slice:prefix:name" form (refused), and named
 * hierarchies other than name=systemd.
 */
#include "cgroups.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup_int.h"

/* The v1 controllers runc's fs manager joins (fs/fs.go subsystems), in its order. */
static const char *const cg_v1_known[] = {
    "cpuset",  "devices", "memory",   "cpu",	    "cpuacct", "pids", "blkio",
    "hugetlb", "net_cls", "net_prio", "perf_event", "freezer", "rdma", "name=systemd",
};

/* ---- cgroupsPath -------------------------------------------------------- */

/*
 * Lexical clean, as Go's filepath.Clean behind runc's utils.CleanPath: a
 * relative path is first made absolute, so ".." can never climb out of the
 * place it is put under (runc: "Path safety is important!").  Writes "/x/y"
 * for an absolute input and "x/y" for a relative one.
 */
void
cg_clean_path(const char *in, char *out, size_t cap)
{
	bool abs = in[0] == '/';
	size_t n = 0;

	for (const char *p = in; *p;) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (len == 0 || (len == 1 && p[0] == '.')) {
			p += len;
			continue;
		}
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else if (n + len + 2 < cap) {
			out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
		}
		p += len;
	}
	out[n] = '\0';
	if (!abs && n > 0)
		memmove(out, out + 1, n);
	else if (abs && n == 0)
		snprintf(out, cap, "/");
}

/* The path of this process's own cgroup in the hierarchy listed as ctrl in
 * /proc/self/cgroup ("memory", "name=systemd", "" for the 0:: line). */
static int
cg_own(const char *cgtext, const char *ctrl, char *out, size_t cap)
{
	for (const char *l = cgtext; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *c = strchr(l, ':'), *p;
		char list[256];

		if (!c || !(p = strchr(c + 1, ':')))
			continue;
		snprintf(list, sizeof(list), "%.*s", (int)(p - c - 1), c + 1);
		if (*ctrl ? !cg_list_has(list, ctrl) : *list != '\0')
			continue;
		snprintf(out, cap, "%.*s", (int)strcspn(p + 1, "\n"), p + 1);
		return 0;
	}
	return -1;
}

/* The systemd driver's form "slice:prefix:name" needs systemd: refused. */
static int
cg_check_path(const char *p, struct err *e)
{
	errno = EINVAL;
	if (strchr(p, ':'))
		return err_set(
		    e,
		    "config.json: linux.cgroupsPath \"%s\": the systemd form "
		    "(slice:prefix:name) needs --systemd-cgroup, which minirunc does not "
		    "support",
		    p);
	return 0;
}

/* Add one directory to the plan: mount point + (own cgroup, relative) + inner. */
static int
cg_plan_dir(struct cg *cg, const char *ctrl, const char *mnt, const char *mroot, const char *own,
	    const char *inner, struct err *e)
{
	char path[4096], rel[2048] = "";
	struct cg_dir *d;

	if (cg->n == CG_MAX_DIRS)
		return 0;
	if (inner[0] != '/') {
		/* runc: filepath.Rel(mount root, own cgroup) under the mount point. */
		size_t rl = strcmp(mroot, "/") == 0 ? 0 : strlen(mroot);
		if (strncmp(own, mroot, rl) == 0)
			snprintf(rel, sizeof(rel), "%s", own + rl);
	}
	if (snprintf(path, sizeof(path), "%s%s/%s", mnt, rel, inner + (inner[0] == '/')) >=
	    (int)sizeof(path))
		return errno = ENAMETOOLONG, err_set(e, "config.json: linux.cgroupsPath: too long");
	d = &cg->d[cg->n];
	d->ctrl = strdup(ctrl);
	cg_clean_path(path, (d->path = malloc(strlen(path) + 2)) ? d->path : path,
		      strlen(path) + 2);
	d->fd = -1;
	if (!d->ctrl || !d->path)
		return err_set(e, "cgroup plan:");
	cg->n++;
	return 0;
}

/* The controllers of a v1 mount's super options runc would join, or "". */
static void
cg_v1_ctrls(const char *opts, char *out, size_t cap)
{
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(cg_v1_known) / sizeof(cg_v1_known[0]); i++)
		if (cg_list_has(opts, cg_v1_known[i]))
			n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s", n ? "," : "",
					      cg_v1_known[i]);
}

/* Fields 4 (root), 5 (mount point) and, after " - ", type and super options
 * of one /proc/self/mountinfo line (proc(5)); spaces in paths are \040 and
 * never occur under /sys/fs/cgroup. */
static int
cg_mountinfo(char *line, char **root, char **mnt, char **type, char **opts)
{
	char *f[6], *dash, *save = NULL;
	int i = 0;

	dash = strstr(line, " - ");
	if (!dash)
		return -1;
	*dash = '\0';
	for (char *t = strtok_r(line, " ", &save); t && i < 6; t = strtok_r(NULL, " ", &save))
		f[i++] = t;
	if (i < 5)
		return -1;
	*root = f[3];
	*mnt = f[4];
	*type = strtok_r(dash + 3, " ", &save);
	strtok_r(NULL, " ", &save); /* source */
	*opts = strtok_r(NULL, " ", &save);
	return *type && *opts ? 0 : -1;
}

/* Every v1 hierarchy under /sys/fs/cgroup runc joins, plus the unified one
 * on a hybrid host (runc: fs.go init() adds "" then). */
static int
cg_plan_v1(struct cg *cg, const char *cgtext, const char *inner, struct err *e)
{
	char *mi, *line, *next, *root, *mnt, *type, *opts, ctrls[256], first[64], own[4096];
	size_t len;
	int rc = 0;

	mi = read_file("/proc/self/mountinfo", 16u << 20, &len);
	if (!mi)
		return err_set(e, "read /proc/self/mountinfo:");
	for (line = mi; rc == 0 && line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (cg_mountinfo(line, &root, &mnt, &type, &opts) < 0 ||
		    strncmp(mnt, CG_ROOT "/", sizeof(CG_ROOT)) != 0)
			continue;
		if (strcmp(type, "cgroup2") == 0 && cg->layout == CG_HYBRID &&
		    strcmp(mnt, CG_UNIFIED) == 0)
			snprintf(ctrls, sizeof(ctrls), "%s", "");
		else if (strcmp(type, "cgroup") == 0)
			cg_v1_ctrls(opts, ctrls, sizeof(ctrls));
		else
			continue;
		if ((strcmp(type, "cgroup") == 0 && !*ctrls) || cg_find(cg, *ctrls ? ctrls : ""))
			continue; /* not runc's, or the same hierarchy mounted twice */
		snprintf(first, sizeof(first), "%.*s", (int)strcspn(ctrls, ","), ctrls);
		if (cg_own(cgtext, first, own, sizeof(own)) < 0)
			snprintf(own, sizeof(own), "/");
		rc = cg_plan_dir(cg, ctrls, mnt, root, own, inner, e);
	}
	free(mi);
	return rc;
}

/* v2: one directory; a relative path goes under the parent of our own cgroup,
 * which (unlike ours) holds no process and so may enable controllers (runc:
 * fs2/defaultpath.go). */
static int
cg_plan_v2(struct cg *cg, const char *cgtext, const char *inner, struct err *e)
{
	char own[4096], *slash;

	if (cg_own(cgtext, "", own, sizeof(own)) < 0)
		snprintf(own, sizeof(own), "/");
	slash = strrchr(own, '/');
	if (slash)
		slash[slash == own ? 1 : 0] = '\0';
	return cg_plan_dir(cg, "", CG_ROOT, "/", own, inner, e);
}

/* The inner path: cgroupsPath cleaned, or the id (runc: specconv c.Name). */
static int
cg_inner(const struct spec *s, const char *id, char *out, size_t cap, struct err *e)
{
	if (!s->cgroups_path) {
		snprintf(out, cap, "%s", id);
		return 0;
	}
	if (cg_check_path(s->cgroups_path, e) < 0)
		return -1;
	cg_clean_path(s->cgroups_path, out, cap);
	errno = EINVAL;
	if (!*out || strcmp(out, "/") == 0)
		return err_set(e,
			       "config.json: linux.cgroupsPath \"%s\": names the %s cgroup itself, "
			       "not one of its own",
			       s->cgroups_path, *out ? "root" : "runtime's own");
	return 0;
}

/* Which levels of d->path exist already: the first missing one is d->made. */
static void
cg_mark_made(struct cg_dir *d, size_t mnt_len)
{
	char tmp[4096];
	struct stat st;

	snprintf(tmp, sizeof(tmp), "%s", d->path);
	for (char *p = tmp + mnt_len; p;) {
		p = strchr(p + 1, '/');
		if (p)
			*p = '\0';
		if (stat(tmp, &st) < 0) {
			d->made = strdup(tmp);
			return;
		}
		if (p)
			*p = '/';
	}
}

size_t
cg_mount_len(const struct cg *cg, const struct cg_dir *d)
{
	const char *m = cg->layout == CG_V2 ? CG_ROOT : !*d->ctrl ? CG_UNIFIED : NULL;
	const char *slash;

	if (m)
		return strlen(m);
	slash = strchr(d->path + sizeof(CG_ROOT), '/');
	return slash ? (size_t)(slash - d->path) : strlen(d->path);
}

int
cg_plan(struct cg *cg, const struct spec *s, const char *id, struct err *e)
{
	char inner[4096], *cgtext;
	size_t len;
	int rc;

	memset(cg, 0, sizeof(*cg));
	for (size_t i = 0; i < s->n_namespaces; i++)
		if (s->namespaces[i].flag == CLONE_NEWCGROUP && !s->namespaces[i].path)
			cg->new_ns = true;
	cg->layout = cg_detect();
	cg->lenient = geteuid() != 0 && !s->cgroups_path;
	if (cg_inner(s, id, inner, sizeof(inner), e) < 0)
		return -1;
	if (cg->layout == CG_NONE)
		return s->resources.present && cg_needs_any(&s->resources)
			   ? (errno = ENOTSUP,
			      err_set(e,
				      "config.json: linux.resources: this host mounts no cgroups"))
			   : 0;
	cgtext = read_file("/proc/self/cgroup", 1 << 20, &len);
	if (!cgtext)
		return err_set(e, "read /proc/self/cgroup:");
	rc = cg->layout == CG_V2 ? cg_plan_v2(cg, cgtext, inner, e)
				 : cg_plan_v1(cg, cgtext, inner, e);
	free(cgtext);
	for (size_t i = 0; rc == 0 && i < cg->n; i++)
		cg_mark_made(&cg->d[i], cg_mount_len(cg, &cg->d[i]));
	if (rc == 0)
		rc = cg->layout == CG_V2 ? cg_v2_check(&s->resources, e)
					 : cg_v1_check(cg, &s->resources, e);
	return rc;
}
