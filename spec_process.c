/*
 * spec_process.c - config.json's "process": args, env, cwd, user, terminal and
 * console size, capabilities, rlimits, umask, oomScoreAdj, noNewPrivileges,
 * the AppArmor/SELinux labels; and the capability and rlimit name tables.
 * Also what `exec --process FILE` reads (the same object, alone).
 *
 * runc counterpart: runtime-spec specs-go Process, libcontainer/specconv
 * (createCapabilities, createLibContainerRlimit) and libcontainer/capabilities
 * (the names), runc's exec.go getProcess.
 *
 * Left out: the fields of runtime-spec 1.1 and later that runc 1.1 does not know
 * either (ioPriority, scheduler, execCPUAffinity): unknown keys, ignored as
 * config.md says of any unknown field, as runc 1.1 ignores them.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "spec.h"
#include "spec_int.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/resource.h>

/* ---------------------------------------------------------------------- */
/* Name tables.                                                           */

/* linux/capability.h, in number order: CAP_CHOWN is 0 ... CAP_CHECKPOINT_RESTORE 40. */
static const char *const spec_cap_names[] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};
_Static_assert(sizeof(spec_cap_names) / sizeof(spec_cap_names[0]) == SPEC_CAP_LAST + 1,
	       "capability table");

int
spec_cap_from_name(const char *name)
{
	int i;

	for (i = 0; i <= SPEC_CAP_LAST; i++)
		if (strcmp(name, spec_cap_names[i]) == 0)
			return i;
	return -1;
}

const char *
spec_cap_name(int cap)
{
	return cap >= 0 && cap <= SPEC_CAP_LAST ? spec_cap_names[cap] : NULL;
}

/* setrlimit(2) resources by their config.json names (config.md "POSIX process"). */
static const struct {
	const char *name;
	int resource;
} spec_rlimit_table[] = {
    {"RLIMIT_CPU", RLIMIT_CPU},		  {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_DATA", RLIMIT_DATA},	  {"RLIMIT_STACK", RLIMIT_STACK},
    {"RLIMIT_CORE", RLIMIT_CORE},	  {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_NPROC", RLIMIT_NPROC},	  {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},	  {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},	  {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},	  {"RLIMIT_RTTIME", RLIMIT_RTTIME},
};

int
spec_rlimit_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(spec_rlimit_table) / sizeof(spec_rlimit_table[0]); i++)
		if (strcmp(name, spec_rlimit_table[i].name) == 0)
			return spec_rlimit_table[i].resource;
	return -1;
}

/* ---------------------------------------------------------------------- */
/* process                                                                */

/* An env entry: runc's init refuses one without '=' or with an empty name
 * (runc 1.1 init_linux.go populateProcessEnvironment), so refuse it here. */
static int
spec_env_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	char q[200];
	const char *s;

	if (spec_str_cb(c, v, out))
		return -1;
	s = *(char **)out;
	if (!strchr(s, '='))
		return spec_fail(c, v, "invalid environment variable %s: missing '='",
				 spec_quote(q, sizeof(q), s, strlen(s)));
	if (s[0] == '=')
		return spec_fail(c, v, "environment variable name is empty: %s",
				 spec_quote(q, sizeof(q), s, strlen(s)));
	return 0;
}

static int
spec_args_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_process *p = out;
	void *list;

	if (spec_each(c, v, sizeof(char *), spec_str_cb, &list, &p->n_args))
		return -1;
	p->args = list;
	if (p->n_args == 0)
		return spec_fail(c, v, "must not be empty");
	return 0;
}

/* consoleSize: both REQUIRED; struct winsize holds them in unsigned shorts. */
static int
spec_dim_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	uint64_t x;

	if (spec_uint(c, v, UINT16_MAX, &x))
		return -1;
	*(unsigned *)out = (unsigned)x;
	return 0;
}

static int
spec_console_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_process *p = out;

	if (spec_expect(c, v, JSON_OBJECT) ||
	    spec_field(c, v, "height", true, spec_dim_cb, &p->console_height) ||
	    spec_field(c, v, "width", true, spec_dim_cb, &p->console_width))
		return -1;
	p->has_console_size = true;
	return 0;
}

static int
spec_umask_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_user *u = out;
	uint64_t x;

	if (spec_uint(c, v, 0777, &x))
		return -1;
	u->has_umask = true;
	u->umask = (mode_t)x;
	return 0;
}

static int
spec_user_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_user *u = out;
	void *gids;

	if (spec_expect(c, v, JSON_OBJECT) || spec_field(c, v, "uid", true, spec_u32_cb, &u->uid) ||
	    spec_field(c, v, "gid", true, spec_u32_cb, &u->gid) ||
	    spec_field(c, v, "umask", false, spec_umask_cb, u) ||
	    spec_field_each(c, v, "additionalGids", sizeof(uint32_t), spec_u32_cb, &gids,
			    &u->n_additional_gids))
		return -1;
	u->additional_gids = gids;
	return 0;
}

/* One capability list into a mask.  An unknown name is a warning: config.md
 * says runtimes SHOULD log one and go on (runc 1.1 ignores it likewise). */
static int
spec_capset_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	uint64_t *mask = out;
	const char *name;
	size_t i, old;
	char q[200];
	int cap, r;

	if (spec_expect(c, v, JSON_ARRAY))
		return -1;
	for (i = 0; i < v->u.arr.n; i++) {
		const struct json_value *item = v->u.arr.items[i];

		old = spec_path_push(c, "[%zu]", i);
		r = spec_str_cb(c, item, &name);
		if (r == 0 && (cap = spec_cap_from_name(name)) < 0)
			r = spec_warn(c, item, "unknown capability %s, ignored",
				      spec_quote(q, sizeof(q), name, strlen(name)));
		else if (r == 0)
			*mask |= (uint64_t)1 << cap;
		spec_path_pop(c, old);
		if (r)
			return -1;
	}
	return 0;
}

static int
spec_caps_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_process *p = out;
	struct spec_caps *k = &p->caps;

	if (spec_expect(c, v, JSON_OBJECT) ||
	    spec_field(c, v, "bounding", false, spec_capset_cb, &k->bounding) ||
	    spec_field(c, v, "effective", false, spec_capset_cb, &k->effective) ||
	    spec_field(c, v, "inheritable", false, spec_capset_cb, &k->inheritable) ||
	    spec_field(c, v, "permitted", false, spec_capset_cb, &k->permitted) ||
	    spec_field(c, v, "ambient", false, spec_capset_cb, &k->ambient))
		return -1;
	p->has_caps = true;
	return 0;
}

/* rlimits[].type: known, and not twice (setrlimit twice would silently keep
 * the last; SECURITY.md: "a duplicate type is an error"). */
static int
spec_rlimit_type_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_rlimit *rl = out;
	const char *name;
	char q[200];
	size_t i;

	if (spec_str_cb(c, v, &name))
		return -1;
	for (i = 0; i < sizeof(spec_rlimit_table) / sizeof(spec_rlimit_table[0]); i++)
		if (strcmp(name, spec_rlimit_table[i].name) == 0)
			break;
	if (i == sizeof(spec_rlimit_table) / sizeof(spec_rlimit_table[0]))
		return spec_fail(c, v, "unknown rlimit type %s",
				 spec_quote(q, sizeof(q), name, strlen(name)));
	if (c->seen & ((uint64_t)1 << i))
		return spec_fail(c, v, "duplicate rlimit type %s",
				 spec_quote(q, sizeof(q), name, strlen(name)));
	c->seen |= (uint64_t)1 << i;
	rl->name = spec_rlimit_table[i].name;
	rl->resource = spec_rlimit_table[i].resource;
	return 0;
}

static int
spec_rlimit_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_rlimit *rl = out;

	if (spec_expect(c, v, JSON_OBJECT) ||
	    spec_field(c, v, "type", true, spec_rlimit_type_cb, rl) ||
	    spec_field(c, v, "soft", true, spec_u64_cb, &rl->soft) ||
	    spec_field(c, v, "hard", true, spec_u64_cb, &rl->hard))
		return -1;
	/* setrlimit(2) would fail with EINVAL inside the container; say it now. */
	if (rl->soft > rl->hard) {
		size_t old = spec_path_key(c, "soft");

		spec_fail(c, json_get(v, "soft"), "soft limit is above the hard limit");
		spec_path_pop(c, old);
		return -1;
	}
	return 0;
}

static int
spec_rlimits_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_process *p = out;
	void *list;

	c->seen = 0;
	if (spec_each(c, v, sizeof(struct spec_rlimit), spec_rlimit_cb, &list, &p->n_rlimits))
		return -1;
	p->rlimits = list;
	return 0;
}

static int
spec_oom_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_process *p = out;
	int64_t x;

	/* proc(5) /proc/pid/oom_score_adj: -1000 to +1000. */
	if (spec_int(c, v, -1000, 1000, &x))
		return -1;
	p->has_oom_score_adj = true;
	p->oom_score_adj = (int)x;
	return 0;
}

int
spec_process_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_process *p = out;
	void *env;

	if (spec_expect(c, v, JSON_OBJECT) ||
	    spec_field(c, v, "terminal", false, spec_bool_cb, &p->terminal) ||
	    spec_field(c, v, "consoleSize", false, spec_console_cb, p) ||
	    spec_field(c, v, "user", true, spec_user_cb, &p->user) ||
	    spec_field(c, v, "args", true, spec_args_cb, p) ||
	    spec_field_each(c, v, "env", sizeof(char *), spec_env_cb, &env, &p->n_env))
		return -1;
	p->env = env;
	if (spec_field(c, v, "cwd", true, spec_abs_cb, &p->cwd) ||
	    spec_field(c, v, "capabilities", false, spec_caps_cb, p) ||
	    spec_field(c, v, "rlimits", false, spec_rlimits_cb, p) ||
	    spec_field(c, v, "noNewPrivileges", false, spec_bool_cb, &p->no_new_privileges) ||
	    spec_field(c, v, "oomScoreAdj", false, spec_oom_cb, p) ||
	    spec_field(c, v, "apparmorProfile", false, spec_label_cb, &p->apparmor_profile) ||
	    spec_field(c, v, "selinuxLabel", false, spec_label_cb, &p->selinux_label))
		return -1;
	return 0;
}
