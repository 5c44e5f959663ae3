/*
 * rootfs_path.c - paths inside the rootfs: comparing and cleaning them as
 * text, reading /proc/self/mountinfo, and resolving a path to an fd without
 * ever leaving the rootfs (SECURITY.md rule 1).
 *
 * runc counterpart: github.com/cyphar/filepath-securejoin (SecureJoin, which
 * runc 1.1 uses for every mount destination), and moby/sys/mountinfo.
 * Resolution is openat2(RESOLVE_IN_ROOT) where the kernel has it (5.6), else
 * a walk one component at a time with O_NOFOLLOW that reads each symlink
 * itself and clamps ".." at the root, as a chroot would.
 *
 * Left out: caching resolved prefixes (a config has tens of paths, not
 * thousands).
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
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/openat2.h>

/* ------------------------------------------------------------------------ */
/* Paths                                                                     */
/* ------------------------------------------------------------------------ */

/* Next component of *p (skipping "/" and "."), its length in *len; NULL at the end. */
static const char *
path_next(const char **p, size_t *len)
{
	for (;;) {
		const char *s = *p;

		while (*s == '/')
			s++;
		if (!*s)
			return NULL;
		*len = strcspn(s, "/");
		*p = s + *len;
		if (!(*len == 1 && s[0] == '.'))
			return s;
	}
}

bool
rootfs_path_same(const char *a, const char *b)
{
	const char *ca, *cb;
	size_t la = 0, lb = 0;

	for (;;) {
		ca = path_next(&a, &la);
		cb = path_next(&b, &lb);
		if (!ca || !cb)
			return !ca && !cb;
		if (la != lb || memcmp(ca, cb, la) != 0)
			return false;
	}
}

bool
rootfs_path_under(const char *path, const char *dir)
{
	const char *cp, *cd;
	size_t lp = 0, ld = 0;

	for (;;) {
		cd = path_next(&dir, &ld);
		if (!cd)
			return true;
		cp = path_next(&path, &lp);
		if (!cp || lp != ld || memcmp(cp, cd, ld) != 0)
			return false;
	}
}

int
rootfs_path_clean(const char *path, char *out, size_t cap)
{
	const char *c;
	size_t len, o = 0;

	if (cap < 2)
		return errno = ENAMETOOLONG, -1;
	while ((c = path_next(&path, &len))) {
		if (len == 2 && c[0] == '.' && c[1] == '.') {
			while (o > 0 && out[--o] != '/')
				;
			continue;
		}
		if (o + 1 + len >= cap)
			return errno = ENAMETOOLONG, -1;
		out[o++] = '/';
		memcpy(out + o, c, len);
		o += len;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return 0;
}

/* "/proc/self/fd/N": how mount(2) is pointed at an fd we resolved ourselves. */
const char *
rootfs_fd_path(char *buf, size_t cap, int fd)
{
	snprintf(buf, cap, "/proc/self/fd/%d", fd);
	return buf;
}

/* ------------------------------------------------------------------------ */
/* /proc/self/mountinfo (proc(5))                                            */
/* ------------------------------------------------------------------------ */

/* Undo the \040-style octal escapes the kernel uses for ' ', '\t', '\n', '\\'. */
static void
mountinfo_unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static char *
mountinfo_field(char **cur)
{
	char *s = *cur, *end;

	while (*s == ' ')
		s++;
	if (!*s)
		return NULL;
	end = s + strcspn(s, " ");
	if (*end)
		*end++ = '\0';
	*cur = end;
	return s;
}

int
rootfs_mountinfo_parse(char *line, struct rootfs_mountinfo *mi)
{
	char *cur = line, *f[6], *opt;
	char *nl = strchr(line, '\n');

	if (nl)
		*nl = '\0';
	memset(mi, 0, sizeof(*mi));
	/* id parent major:minor root mountpoint options [optional...] - fstype source super */
	for (int i = 0; i < 6; i++)
		if (!(f[i] = mountinfo_field(&cur)))
			goto bad;
	mi->root = f[3];
	mi->mountpoint = f[4];
	mi->mount_opts = f[5];
	mi->optional = "";
	while ((opt = mountinfo_field(&cur)) && strcmp(opt, "-") != 0)
		if (!*mi->optional)
			mi->optional = opt; /* the first is enough: "shared:N" comes first */
	if (!opt || !(mi->fstype = mountinfo_field(&cur)) || !(mi->source = mountinfo_field(&cur)))
		goto bad;
	mi->super_opts = mountinfo_field(&cur);
	if (!mi->super_opts)
		mi->super_opts = "";
	mountinfo_unescape(mi->root);
	mountinfo_unescape(mi->mountpoint);
	mountinfo_unescape(mi->source);
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

/* ------------------------------------------------------------------------ */
/* Resolving a path inside the rootfs (SECURITY.md rule 1)                   */
/* ------------------------------------------------------------------------ */

#define RESOLVE_MAX_DEPTH 128
#define RESOLVE_MAX_LINKS 40 /* path_resolution(7): the kernel's own limit */

struct walk {
	int stack[RESOLVE_MAX_DEPTH]; /* stack[0] is rootfd (not ours to close) */
	int depth;
	int links;
	char rest[PATH_MAX];
};

static void
walk_unwind(struct walk *w)
{
	while (w->depth > 0)
		close(w->stack[w->depth--]);
}

/* A symlink met at comp: continue with its target, then what followed comp. */
static int
walk_follow(struct walk *w, const char *comp, size_t len, const char *after)
{
	char target[PATH_MAX], name[NAME_MAX + 1];
	ssize_t n;

	if (++w->links > RESOLVE_MAX_LINKS) {
		errno = ELOOP;
		return -1;
	}
	memcpy(name, comp, len);
	name[len] = '\0';
	n = readlinkat(w->stack[w->depth], name, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = '\0';
	/* An absolute target starts again at the rootfs, never at the host's "/". */
	if (target[0] == '/')
		walk_unwind(w);
	if ((size_t)n + 1 + strlen(after) + 1 > sizeof(w->rest)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memmove(w->rest + n + 1, after, strlen(after) + 1);
	memcpy(w->rest, target, (size_t)n);
	w->rest[n] = '/';
	return 0;
}

/* Create a missing component: a directory, or the last one as a file. */
static int
walk_create(int dirfd, const char *name, bool last, int how)
{
	int fd;

	if (last && (how & ROOTFS_MKFILE)) {
		fd =
		    openat(dirfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0755);
		if (fd < 0)
			return errno == EEXIST ? 0 : -1;
		close(fd);
		return 0;
	}
	if (!(how & (ROOTFS_MKDIR | ROOTFS_MKFILE)))
		return -1; /* errno is still ENOENT */
	return mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

static bool
path_is_last(const char *after)
{
	size_t len;

	return path_next(&after, &len) == NULL;
}

enum { WALK_POPPED, WALK_PUSHED, WALK_FOLLOWED };

/* One component: ".." pops (clamped at the root), a symlink is expanded into
 * w->rest, anything else is opened O_NOFOLLOW and pushed. */
static int
walk_step(struct walk *w, const char *comp, size_t len, const char *after, int how)
{
	char name[NAME_MAX + 1];
	bool last = path_is_last(after);
	struct stat st;
	int fd;

	if (len > NAME_MAX)
		return errno = ENAMETOOLONG, -1;
	if (len == 2 && comp[0] == '.' && comp[1] == '.') {
		if (w->depth > 0)
			close(w->stack[w->depth--]);
		return WALK_POPPED;
	}
	memcpy(name, comp, len);
	name[len] = '\0';
	if (fstatat(w->stack[w->depth], name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT || walk_create(w->stack[w->depth], name, last, how) < 0 ||
		    fstatat(w->stack[w->depth], name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		if (how & ROOTFS_NOSYMLINKS)
			return errno = ELOOP, -1;
		return walk_follow(w, comp, len, after) < 0 ? -1 : WALK_FOLLOWED;
	}
	if (w->depth + 1 >= RESOLVE_MAX_DEPTH)
		return errno = ENAMETOOLONG, -1;
	fd = openat(w->stack[w->depth], name,
		    O_PATH | O_NOFOLLOW | O_CLOEXEC | (last ? 0 : O_DIRECTORY));
	if (fd < 0)
		return -1;
	w->stack[++w->depth] = fd;
	return WALK_PUSHED;
}

static int
resolve_walk(int rootfd, const char *path, int how)
{
	struct walk *w = calloc(1, sizeof(*w));
	const char *p, *comp;
	size_t len;
	int fd = -1;

	if (!w)
		return -1;
	w->stack[0] = rootfd;
	if (strlen(path) >= sizeof(w->rest)) {
		errno = ENAMETOOLONG;
		goto out;
	}
	strcpy(w->rest, path);
	p = w->rest;
	while ((comp = path_next(&p, &len))) {
		char after[PATH_MAX];
		int r;

		strcpy(after, p); /* walk_follow rewrites rest; keep the tail apart */
		r = walk_step(w, comp, len, after, how);
		if (r < 0)
			goto out;
		if (r == WALK_FOLLOWED)
			p = w->rest;
	}
	fd = fcntl(w->stack[w->depth], F_DUPFD_CLOEXEC, 3);
out:
	walk_unwind(w);
	free(w);
	return fd;
}

int
rootfs_resolve(int rootfd, const char *path, int how)
{
	struct open_how oh = {.flags = O_PATH | O_CLOEXEC,
			      .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
	const char *rel = path;
	struct stat st;
	int fd;

	while (*rel == '/')
		rel++;
	if (how & ROOTFS_NOSYMLINKS)
		oh.resolve |= RESOLVE_NO_SYMLINKS;
	/* openat2(2) does it all in the kernel when nothing needs creating. */
	fd = (int)syscall(SYS_openat2, rootfd, *rel ? rel : ".", &oh, sizeof(oh));
	/* Else the walk: to create what is missing, or on a kernel without openat2
	 * (ENOSYS, or EPERM from a seccomp filter), or after EAGAIN (a racing rename). */
	if (fd < 0 && ((errno == ENOENT && (how & (ROOTFS_MKDIR | ROOTFS_MKFILE))) ||
		       errno == ENOSYS || errno == EPERM || errno == EAGAIN))
		fd = resolve_walk(rootfd, rel, how);
	if (fd < 0)
		return -1;
	/* A symlink swapped in between fstatat and openat would be opened itself. */
	if (fstat(fd, &st) < 0 || S_ISLNK(st.st_mode)) {
		close(fd);
		errno = ELOOP;
		return -1;
	}
	return fd;
}

/* ------------------------------------------------------------------------ */
