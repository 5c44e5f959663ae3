/*
 * process.c - the init's last mile before execve(): the steps that turn a
 * root process inside the new namespaces into the process config.json
 * describes.  What /proc/self/status shows inside afterwards (CapInh, CapPrm,
 * CapEff, CapBnd, CapAmb, NoNewPrivs, Uid, Gid, Groups), the umask, the
 * rlimits and the cwd match runc 1.1.
 *
 * runc counterparts: libcontainer/init_linux.go finalizeNamespace(),
 * setupUser(), fixStdioPermissions(), populateProcessEnvironment();
 * standard_init_linux.go Init() (LookPath, no_new_privs, Exec);
 * libcontainer/capabilities/capabilities.go with gocapability's Apply();
 * nsexec.c update_oom_score_adj(); rootfs_linux.go (umask, creating cwd).
 *
 * Left out: AppArmor and SELinux (the config layer refuses them; seccomp is
 * seccomp.c's, loaded from proc_setup_with's hook or right after it),
 * user names in "user" (the OCI spec for Linux has numeric ids only), and
 * runc's "cannot set uid to unmapped user" pre-check (setuid fails anyway).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "process.h"
#include "userns.h"

#include <dirent.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT		 47
#define PR_CAP_AMBIENT_RAISE	 2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* The environment proc_setup() built for proc_exec(): the init is one
 * process running one container process, so one slot is enough. */
static char **proc_final_env;

/* ---------------------------------------------------------------------- */
/* Capabilities as masks                                                  */
/* ---------------------------------------------------------------------- */

int
proc_cap_last(void)
{
	size_t len;
	char *s = read_file("/proc/sys/kernel/cap_last_cap", 64, &len);
	long v = -1;

	if (s) {
		v = strtol(s, NULL, 10);
		free(s);
	}
	/* gocapability falls back the same way when /proc is not there. */
	if (v < 0 || v > 63)
		v = CAP_LAST_CAP;
	return (int)v;
}

uint64_t
proc_cap_known(int last)
{
	if (last < 0)
		return 0;
	if (last >= 63)
		return ~(uint64_t)0;
	return ((uint64_t)1 << (last + 1)) - 1;
}

void
proc_cap_split(uint64_t mask, uint32_t word[2])
{
	word[0] = (uint32_t)(mask & 0xffffffffu);
	word[1] = (uint32_t)(mask >> 32);
}

static bool
proc_cap_has(uint64_t mask, int cap)
{
	return (mask >> cap) & 1;
}

/*
 * Bounding set: drop every capability not listed, 0..cap_last_cap.  As in
 * gocapability's Apply(BOUNDS), only when CAP_SETPCAP is effective (else the
 * kernel would refuse), and EINVAL (a cap this kernel lacks) is not an error.
 */
static int
proc_caps_bounding(uint64_t bounding, int last, struct err *e)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];
	int cap;

	if (syscall(SYS_capget, &hdr, data) < 0)
		return err_set(e, "capget:");
	if (!(data[0].effective & (1u << CAP_SETPCAP)))
		return 0;
	for (cap = 0; cap <= last; cap++) {
		if (proc_cap_has(bounding, cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return err_set(
			    e, "unable to apply bounding set: prctl(PR_CAPBSET_DROP, %d):", cap);
	}
	return 0;
}

/* capset(2) with the three sets, two 32-bit words each (VERSION_3). */
static int
proc_caps_set(const struct spec_caps *c, struct err *e)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];
	uint32_t eff[2], prm[2], inh[2];
	int i;

	proc_cap_split(c->effective, eff);
	proc_cap_split(c->permitted, prm);
	proc_cap_split(c->inheritable, inh);
	for (i = 0; i < 2; i++) {
		data[i].effective = eff[i];
		data[i].permitted = prm[i];
		data[i].inheritable = inh[i];
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		return err_set(e, "unable to apply caps: capset:");
	return 0;
}

/*
 * Ambient: clear, then raise each listed cap.  runc 1.1.5 ignores a failed
 * raise (its default spec lists ambient caps that are not inheritable, so
 * every raise fails with EPERM and the container still starts, CapAmb 0).
 */
static void
proc_caps_ambient(uint64_t ambient, int last)
{
	int cap;

	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return; /* EINVAL: a kernel before 4.3 has no ambient set */
	for (cap = 0; cap <= last; cap++)
		if (proc_cap_has(ambient, cap))
			(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0);
}

/* ---------------------------------------------------------------------- */
/* Environment and PATH                                                   */
/* ---------------------------------------------------------------------- */

/* The length of the name part of "NAME=value" (strlen when there is no '='). */
static size_t
proc_env_namelen(const char *kv)
{
	const char *eq = strchr(kv, '=');

	return eq ? (size_t)(eq - kv) : strlen(kv);
}

const char *
proc_env_get(char *const *env, const char *name)
{
	size_t n = strlen(name);

	for (; env && *env; env++)
		if (proc_env_namelen(*env) == n && strncmp(*env, name, n) == 0 && (*env)[n] == '=')
			return *env + n + 1;
	return NULL;
}

/* Go's os.Setenv on an array: replace in place, else append. */
static void
proc_env_put(char **out, size_t *n, char *kv)
{
	size_t len = proc_env_namelen(kv), i;

	for (i = 0; i < *n; i++) {
		if (proc_env_namelen(out[i]) == len && strncmp(out[i], kv, len) == 0) {
			out[i] = kv;
			return;
		}
	}
	out[(*n)++] = kv;
	out[*n] = NULL;
}

/* runc: init_linux.go populateProcessEnvironment() - the same two errors. */
static int
proc_env_check(const char *kv, struct err *e)
{
	if (!strchr(kv, '='))
		return err_set(e, "invalid environment variable: \"%s\"", kv);
	if (kv[0] == '=')
		return err_set(e, "environment variable name can't be empty: \"%s\"", kv);
	return 0;
}

char **
proc_env_build(char *const *env, const char *home, struct err *e)
{
	size_t count = 0, n = 0, homelen = strlen(home) + sizeof("HOME=");
	const char *cur;
	char **out, *homekv;

	while (env && env[count])
		count++;
	out = malloc((count + 2) * sizeof(*out) + homelen);
	if (!out) {
		err_set(e, "environment:");
		return NULL;
	}
	out[0] = NULL;
	homekv = (char *)(out + count + 2);
	for (size_t i = 0; i < count; i++) {
		if (proc_env_check(env[i], e) < 0) {
			free(out);
			return NULL;
		}
		proc_env_put(out, &n, env[i]);
	}
	cur = proc_env_get(out, "HOME");
	if (!cur || !*cur) {
		snprintf(homekv, homelen, "HOME=%s", home);
		proc_env_put(out, &n, homekv);
	}
	return out;
}

/* Go's filepath.Clean, step "append one element" on a rooted or relative path. */
static int
proc_clean_elem(char *out, size_t *o, size_t outlen, bool rooted, const char *el, size_t len)
{
	size_t floor = rooted ? 1 : 0;

	if (len == 0 || (len == 1 && el[0] == '.'))
		return 0;
	if (len == 2 && el[0] == '.' && el[1] == '.') {
		/* Pop one element unless there is none (or only ".." ones). */
		bool dotdot = *o >= floor + 2 && out[*o - 1] == '.' && out[*o - 2] == '.' &&
			      (*o == floor + 2 || out[*o - 3] == '/');
		if (*o > floor && !dotdot) {
			while (*o > floor && out[*o - 1] != '/')
				(*o)--;
			if (*o > floor)
				(*o)--;
			return 0;
		}
		if (rooted)
			return 0; /* "/.." is "/" */
	}
	if (*o + len + 2 > outlen) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (*o > floor)
		out[(*o)++] = '/';
	memcpy(out + *o, el, len);
	*o += len;
	return 0;
}

int
proc_path_clean(const char *in, char *out, size_t outlen)
{
	bool rooted = in[0] == '/';
	size_t o = 0;
	const char *p = in;

	if (outlen < 2) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (rooted)
		out[o++] = '/';
	while (*p) {
		size_t len = strcspn(p, "/");
		if (proc_clean_elem(out, &o, outlen, rooted, p, len) < 0)
			return -1;
		p += len;
		while (*p == '/')
			p++;
	}
	if (o == 0)
		out[o++] = '.';
	out[o] = '\0';
	return 0;
}

/* Go 1.19 exec.findExecutable: stat, not a directory, some execute bit. */
static int
proc_find_executable(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	if (S_ISDIR(st.st_mode) || !(st.st_mode & 0111)) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

static int
proc_copy_out(const char *s, char *out, size_t outlen, const char *file, struct err *e)
{
	if (strlen(s) >= outlen) {
		errno = ENAMETOOLONG;
		return err_set(e, "exec: \"%s\":", file);
	}
	strcpy(out, s);
	return 0;
}

/* Go's syscall errors are strerror in lower case ("no such file or directory"); runc's
 * exec message carries them, and engines match those words (docker: exit 127 for "no such
 * file or directory", 126 for "permission denied"). */
static int
proc_exec_fail(const char *file, bool with_stat, struct err *e)
{
	int saved = errno;
	char reason[128];

	snprintf(reason, sizeof(reason), "%s", strerror(saved));
	reason[0] = (char)tolower((unsigned char)reason[0]);
	if (with_stat)
		err_set(e, "exec: \"%s\": stat %s: %s", file, file, reason);
	else
		err_set(e, "exec: \"%s\": %s", file, reason);
	errno = saved;
	return -1;
}

int
proc_lookpath(const char *file, const char *path, char *out, size_t outlen, struct err *e)
{
	char joined[PATH_MAX + 2], clean[PATH_MAX];
	const char *p = path;

	if (strchr(file, '/')) {
		if (proc_find_executable(file) < 0)
			return proc_exec_fail(file, errno != EACCES, e);
		return proc_copy_out(file, out, outlen, file, e);
	}
	/* Go's filepath.SplitList: "" is no element at all, ":" is two empty ones. */
	while (p && *p) {
		size_t len = strcspn(p, ":");
		int n = snprintf(joined, sizeof(joined), "%.*s/%s", len ? (int)len : 1,
				 len ? p : ".", file);
		p += len;
		if (*p == ':' && *++p == '\0')
			p = "."; /* a trailing ':' is one more empty element */
		if (n < 0 || (size_t)n >= sizeof(joined))
			continue;
		if (proc_path_clean(joined, clean, sizeof(clean)) < 0)
			continue;
		if (proc_find_executable(clean) < 0)
			continue;
		if (clean[0] != '/')
			return err_set(e,
				       "exec: \"%s\": cannot run executable found relative to "
				       "current directory",
				       file);
		return proc_copy_out(clean, out, outlen, file, e);
	}
	return err_set(e, "exec: \"%s\": executable file not found in $PATH", file);
}

/* ---------------------------------------------------------------------- */
/* User, groups, home                                                     */
/* ---------------------------------------------------------------------- */

/* One passwd(5) line "name:pw:uid:gid:gecos:home:shell": home if uid matches. */
static bool
proc_passwd_line(char *line, uid_t uid, char *out, size_t outlen)
{
	char *field[7], *end;
	unsigned long v;
	int n = 0;

	/* strsep keeps empty fields, which strtok would merge. */
	for (char *f; n < 7 && (f = strsep(&line, ":")) != NULL;)
		field[n++] = f;
	if (n < 6 || !*field[2])
		return false;
	errno = 0;
	v = strtoul(field[2], &end, 10);
	if (errno || *end || v != (unsigned long)uid)
		return false;
	snprintf(out, outlen, "%s", field[5]);
	return true;
}

void
proc_passwd_home(const char *passwd, uid_t uid, char *out, size_t outlen)
{
	size_t len;
	char *buf = read_file(passwd, 1u << 20, &len), *line, *rest;

	snprintf(out, outlen, "/");
	if (!buf)
		return;
	for (rest = buf; (line = strsep(&rest, "\n")) != NULL;)
		if (proc_passwd_line(line, uid, out, outlen))
			break;
	free(buf);
}

/*
 * runc: init_linux.go fixStdioPermissions().  The container user must own
 * its stdio (a pty peer, a pipe) to use it; /dev/null is left alone, and
 * EINVAL/EPERM/EROFS (an owner not mapped, a read-only /dev) are skipped.
 */
static int
proc_fix_stdio(uid_t uid, struct err *e)
{
	struct stat null, st;
	int fd;

	if (stat("/dev/null", &null) < 0)
		return err_set(e, "stat /dev/null:");
	for (fd = 0; fd <= 2; fd++) {
		if (fstat(fd, &st) < 0)
			return err_set(e, "fstat fd %d:", fd);
		if (st.st_rdev == null.st_rdev)
			continue;
		if (fchown(fd, uid, st.st_gid) < 0 && errno != EINVAL && errno != EPERM &&
		    errno != EROFS)
			return err_set(e, "fchown fd %d:", fd);
	}
	return 0;
}

/* setgroups(2) is denied in a user namespace whose /proc/self/setgroups says so;
 * a rootless runtime leaves the groups alone either way (runc: setupUser,
 * allowSupGroups := !RootlessEUID && setgroups != "deny"). */
static bool
proc_setgroups_allowed(void)
{
	size_t len;
	char *s = read_file("/proc/self/setgroups", 64, &len);
	bool deny = s && strncmp(s, "deny", 4) == 0;

	free(s);
	return !deny && !userns_caller_rootless();
}

/* runc: init_linux.go setupUser() - groups, then gid, then uid. */
static int
proc_set_user(const struct spec_user *u, struct err *e)
{
	gid_t *groups;
	int rc = 0;

	if (proc_fix_stdio(u->uid, e) < 0)
		return -1;
	groups = calloc(u->n_additional_gids + 1, sizeof(*groups));
	if (!groups)
		return err_set(e, "unable to setup user:");
	for (size_t i = 0; i < u->n_additional_gids; i++)
		groups[i] = u->additional_gids[i];
	/* Exactly additionalGids: an empty list clears the groups runc's parent had.
	 * Where groups cannot be set, asking for some is an error (fail closed;
	 * runc: "cannot set any additional groups in a rootless container"). */
	if (!proc_setgroups_allowed() && u->n_additional_gids) {
		errno = EPERM;
		rc = err_set(e, "unable to setup user: cannot set any additional groups in a "
				"rootless container or where setgroups is denied");
	} else if (proc_setgroups_allowed() && setgroups(u->n_additional_gids, groups) < 0)
		rc = err_set(e, "unable to setup user: setgroups:");
	free(groups);
	if (rc < 0)
		return -1;
	if (setgid(u->gid) < 0)
		return err_set(e, "unable to setup user: setgid(%u):", u->gid);
	if (setuid(u->uid) < 0)
		return err_set(e, "unable to setup user: setuid(%u):", u->uid);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* rlimits, oom_score_adj, cwd                                            */
/* ---------------------------------------------------------------------- */

static int
proc_set_rlimits(const struct spec_process *p, struct err *e)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		const struct spec_rlimit *r = &p->rlimits[i];
		struct rlimit rl = {(rlim_t)r->soft, (rlim_t)r->hard};

		log_debug("setrlimit(%s, %llu, %llu)  (runc: process_linux.go setupRlimits)",
			  r->name ? r->name : "?", (unsigned long long)r->soft,
			  (unsigned long long)r->hard);
		if (setrlimit(r->resource, &rl) < 0)
			return err_set(e, "error setting rlimit type %s:", r->name ? r->name : "?");
	}
	return 0;
}

static int
proc_set_oom(const struct spec_process *p, struct err *e)
{
	char buf[32];
	int fd, n;

	if (!p->has_oom_score_adj)
		return 0;
	log_debug("oom_score_adj = %d  (runc: nsexec.c update_oom_score_adj)", p->oom_score_adj);
	n = snprintf(buf, sizeof(buf), "%d", p->oom_score_adj);
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, "failed to update /proc/self/oom_score_adj:");
	if (write_all(fd, buf, (size_t)n) < 0) {
		err_set(e, "failed to update /proc/self/oom_score_adj:");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int
proc_make_cwd(const char *cwd, struct err *e)
{
	char path[PATH_MAX];
	struct stat st;
	size_t len;

	if (!cwd || !*cwd)
		return 0; /* runc: only `if cwd != ""` */
	len = strlen(cwd);
	if (len >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return err_set(e, "mkdir %s:", cwd);
	}
	log_debug("mkdir -p %s  (runc: rootfs_linux.go prepareRootfs, os.MkdirAll(cwd))", cwd);
	memcpy(path, cwd, len + 1);
	/* One component at a time, each prefix inside the jail we are in. */
	for (size_t i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return err_set(e, "mkdir %s:", path);
		if (stat(path, &st) < 0)
			return err_set(e, "mkdir %s:", path);
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			return err_set(e, "mkdir %s:", path);
		}
		path[i] = cwd[i];
	}
	return 0;
}

static int
proc_chdir_failed(const char *cwd, struct err *e)
{
	return err_set(e, "chdir to cwd (\"%s\") set in config.json failed:", cwd);
}

/*
 * CVE-2024-21626: a cwd reached through a leaked host fd (/proc/self/fd/N)
 * is outside our root, and the raw getcwd(2) then does not start with '/'
 * ("(unreachable)/...").  libc's getcwd may hide that, hence the syscall.
 * runc 1.1.12: init_linux.go verifyCwd().
 */
static int
proc_verify_cwd(struct err *e)
{
	char buf[PATH_MAX];
	long n = syscall(SYS_getcwd, buf, sizeof(buf));

	if ((n < 0 && errno == ENOENT) || (n > 0 && buf[0] != '/')) {
		errno = ENOENT;
		return err_set(e, "current working directory is outside of container mount "
				  "namespace root -- possible container breakout detected");
	}
	if (n < 0)
		return err_set(e, "getcwd:");
	return 0;
}

/* ---------------------------------------------------------------------- */
/* The two steps                                                          */
/* ---------------------------------------------------------------------- */

/* Steps 1-4: env, rlimits, oom_score_adj, umask; cwd as root when possible. */
static int
proc_setup_early(const struct spec_process *p, bool *chdir_later, struct err *e)
{
	mode_t um = p->user.has_umask ? p->user.umask : 0022;

	if (proc_set_rlimits(p, e) < 0 || proc_set_oom(p, e) < 0)
		return -1;
	/* runc 1.1 defaults to 0022 when user.umask is absent (rootfs_linux.go). */
	log_debug("umask(%04o)  (runc: rootfs_linux.go finalizeRootfs)", (unsigned)um);
	umask(um);
	/* As root first: the container user may lack search permission on the
	 * way to cwd; EACCES/EPERM is retried after setuid (finalizeNamespace). */
	*chdir_later = false;
	if (!p->cwd || !*p->cwd)
		return 0;
	log_debug("chdir(\"%s\")  (runc: init_linux.go finalizeNamespace)", p->cwd);
	if (chdir(p->cwd) == 0)
		return 0;
	if (errno != EACCES && errno != EPERM)
		return proc_chdir_failed(p->cwd, e);
	*chdir_later = true;
	return 0;
}

/* Steps 5-9: bounding set, keep caps, user, cwd again, the other sets. */
static int
proc_setup_creds(const struct spec_process *p, bool chdir_later, struct err *e)
{
	static const struct spec_caps none;
	const struct spec_caps *c = p->has_caps ? &p->caps : &none;
	int last = proc_cap_last();
	uint64_t known = proc_cap_known(last);
	struct spec_caps k = {c->bounding & known, c->effective & known, c->inheritable & known,
			      c->permitted & known, c->ambient & known};

	log_debug("drop bounding set to %#llx  (runc: capabilities.go ApplyBoundingSet)",
		  (unsigned long long)k.bounding);
	if (proc_caps_bounding(k.bounding, last, e) < 0)
		return -1;
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return err_set(e, "unable to set keep caps:");
	log_debug("setgroups(%zu) setgid(%u) setuid(%u)  (runc: init_linux.go setupUser)",
		  p->user.n_additional_gids, p->user.gid, p->user.uid);
	if (proc_set_user(&p->user, e) < 0)
		return -1;
	if (chdir_later && chdir(p->cwd) < 0)
		return proc_chdir_failed(p->cwd, e);
	if (proc_verify_cwd(e) < 0)
		return -1;
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return err_set(e, "unable to clear keep caps:");
	log_debug("capset(eff %#llx, prm %#llx, inh %#llx), ambient %#llx  "
		  "(runc: capabilities.go ApplyCaps)",
		  (unsigned long long)k.effective, (unsigned long long)k.permitted,
		  (unsigned long long)k.inheritable, (unsigned long long)k.ambient);
	if (proc_caps_set(&k, e) < 0)
		return -1;
	proc_caps_ambient(k.ambient, last);
	return 0;
}

int
proc_setup(const struct spec_process *p, char *exe, size_t exelen, struct err *e)
{
	return proc_setup_with(p, exe, exelen, NULL, NULL, e);
}

int
proc_setup_with(const struct spec_process *p, char *exe, size_t exelen, proc_step_fn before_creds,
		void *arg, struct err *e)
{
	char home[PATH_MAX];
	bool chdir_later;
	char **env;

	/* The container's passwd, read while still root (runc reads it in setupUser). */
	proc_passwd_home("/etc/passwd", p->user.uid, home, sizeof(home));
	env = proc_env_build(p->env, home, e);
	if (!env)
		return -1;
	free(proc_final_env);
	proc_final_env = env;
	if (proc_setup_early(p, &chdir_later, e) < 0 ||
	    (before_creds && before_creds(arg, e) < 0) || proc_setup_creds(p, chdir_later, e) < 0)
		return -1;
	/* After the user change, as runc: the lookup uses the container user's rights. */
	if (proc_lookpath(p->args[0], proc_env_get(env, "PATH"), exe, exelen, e) < 0)
		return -1;
	log_debug("exec.LookPath(\"%s\") = %s  (runc: standard_init_linux.go Init)", p->args[0],
		  exe);
	/* no_new_privs now, after every change of credentials: runc sets it
	 * before telling the runtime it is ready, so startContainer hooks
	 * already run with it (standard_init_linux.go Init). */
	if (p->no_new_privileges) {
		log_debug("prctl(PR_SET_NO_NEW_PRIVS, 1)  (runc: standard_init_linux.go Init)");
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			return err_set(e, "prctl(SET_NO_NEW_PRIVS):");
	}
	return 0;
}

/* The walk for kernels without close_range(2) (before 5.9; CLOEXEC: 5.11). */
int
proc_fds_walk(int first, bool cloexec_only)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int self, fd;

	if (!d)
		return -1;
	self = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		fd = atoi(de->d_name);
		if (fd < first || fd == self)
			continue;
		if (cloexec_only)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
		else
			close(fd);
	}
	closedir(d);
	return 0;
}

int
proc_fds_from(int first, bool cloexec_only)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)first, ~0U,
		    cloexec_only ? CLOSE_RANGE_CLOEXEC : 0) == 0)
		return 0;
#endif
	return proc_fds_walk(first, cloexec_only);
}

int
proc_exec(const struct spec_process *p, const char *exe, int preserve_fds, struct err *e)
{
	char *const *env = proc_final_env ? proc_final_env : p->env;
	int fd;

	/* runc: --preserve-fds N passes 3 .. 2+N to the container, nothing more. */
	log_debug("close fds >= %d on exec  (runc: init_linux.go finalizeNamespace CloseExecFrom)",
		  3 + preserve_fds);
	for (fd = 3; fd < 3 + preserve_fds; fd++)
		fcntl(fd, F_SETFD, 0);
	if (proc_fds_from(3 + preserve_fds, true) < 0)
		return err_set(e, "error closing exec fds:");
	log_debug("execve(\"%s\")  (runc: standard_init_linux.go Init, system.Exec)", exe);
	execve(exe, p->args, env);
	return err_set(e, "exec %s:", exe);
}

void
proc_reset_signals(void)
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	/* libc refuses its own reserved signals (EINVAL): they stay as they are. */
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}
