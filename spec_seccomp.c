/*
 * spec_seccomp.c - linux.seccomp of config.json (config-linux.md "Seccomp")
 * into struct seccomp_profile, which seccomp.c compiles.
 *
 * runc counterpart: runtime-spec specs-go LinuxSeccomp and
 * libcontainer/specconv SetupSeccomp (the names it accepts: seccomp/config.go),
 * with the checks runc makes later, at InitSeccomp, made here so that a bad
 * profile fails before anything exists.
 * Intended differences from runc 1.1.5 (each refused where runc would
 * silently do something else): errnoRet / defaultErrnoRet above 65535
 * (runc truncates to 16 bits) or with an action that has no errno (runc
 * ignores them); "flags" are passed to seccomp(2) (runc 1.1.5 refuses any);
 * an arg index above 5 is refused here (runc refuses it at start).
 */
#include <string.h>

#include "seccomp.h"
#include "spec_int.h"

#define SC_ERRNO_MAX 65535 /* SECCOMP_RET_DATA: 16 bits */

struct sc_action_in {
	const char *name;
	bool has_errno;
	uint32_t errno_ret;
};

/* An action name and its errnoRet (ERRNO and TRACE only). */
static int
sc_action(struct spec_ctx *c, const struct json_value *v, const struct sc_action_in *in,
	  const char *action_key, const char *errno_key, uint32_t *out)
{
	char q[200];

	if (seccomp_action_from_name(in->name, in->errno_ret, in->has_errno, out) < 0) {
		size_t old = spec_path_key(c, action_key);
		int r = spec_fail(c, v, "unknown action %s",
				  spec_quote(q, sizeof(q), in->name, strlen(in->name)));

		spec_path_pop(c, old);
		return r;
	}
	if (in->has_errno && (*out & SECCOMP_ACT_MASK) != SECCOMP_ACT_ERRNO &&
	    (*out & SECCOMP_ACT_MASK) != SECCOMP_ACT_TRACE) {
		size_t old = spec_path_key(c, errno_key);
		int r = spec_fail(c, v, "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno");

		spec_path_pop(c, old);
		return r;
	}
	return 0;
}

static int
sc_errno_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	uint64_t x;

	if (spec_uint(c, v, SC_ERRNO_MAX, &x))
		return -1;
	*(uint32_t *)out = (uint32_t)x;
	return 0;
}

static int
sc_op_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	const char *name;
	char q[200];
	int op;

	if (spec_str_cb(c, v, &name))
		return -1;
	op = seccomp_op_from_name(name);
	if (op < 0)
		return spec_fail(c, v, "unknown operator %s",
				 spec_quote(q, sizeof(q), name, strlen(name)));
	*(enum seccomp_op *)out = (enum seccomp_op)op;
	return 0;
}

static int
sc_index_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	uint64_t x;

	/* Linux syscalls have six arguments (runc: syscallMaxArguments). */
	if (spec_uint(c, v, 5, &x))
		return -1;
	*(unsigned *)out = (unsigned)x;
	return 0;
}

static int
sc_arg_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct seccomp_arg *a = out;

	if (spec_expect(c, v, JSON_OBJECT) ||
	    spec_field(c, v, "index", true, sc_index_cb, &a->index) ||
	    spec_field(c, v, "value", true, spec_u64_cb, &a->value) ||
	    spec_field(c, v, "valueTwo", false, spec_u64_cb, &a->value_two) ||
	    spec_field(c, v, "op", true, sc_op_cb, &a->op))
		return -1;
	return 0;
}

/* runc InitSeccomp: NOTIFY on write would block the init's report of the
 * listener fd to the runtime (before any agent has it), so it is refused.
 * minirunc's init reports with sendmsg: refused too (an intended difference). */
static int
sc_check_notify(struct spec_ctx *c, const struct json_value *v, const struct seccomp_rule *r)
{
	if (r->action != SECCOMP_ACT_NOTIFY)
		return 0;
	for (size_t i = 0; i < r->n_names; i++)
		if (strcmp(r->names[i], "write") == 0)
			return spec_fail(c, v,
					 "SCMP_ACT_NOTIFY cannot be used for the write syscall");
	return 0;
}

static int
sc_rule_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct seccomp_rule *r = out;
	struct sc_action_in in = {0};

	if (spec_expect(c, v, JSON_OBJECT) ||
	    spec_field_each(c, v, "names", sizeof(char *), spec_nonempty_cb, (void **)&r->names,
			    &r->n_names) ||
	    spec_field(c, v, "action", true, spec_str_cb, &in.name) ||
	    spec_field(c, v, "errnoRet", false, sc_errno_cb, &in.errno_ret) ||
	    spec_field_each(c, v, "args", sizeof(struct seccomp_arg), sc_arg_cb, (void **)&r->args,
			    &r->n_args))
		return -1;
	in.has_errno = spec_member(v, "errnoRet") != NULL;
	if (sc_action(c, v, &in, "action", "errnoRet", &r->action) || sc_check_notify(c, v, r))
		return -1;
	r->line = v->line;
	r->col = v->col;
	return 0;
}

static int
sc_arch_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct seccomp_profile *p = out;
	const char *name;
	char q[200];
	int a;

	if (spec_str_cb(c, v, &name))
		return -1;
	a = seccomp_arch_from_name(name);
	if (a < 0)
		return spec_fail(c, v, "unknown architecture %s",
				 spec_quote(q, sizeof(q), name, strlen(name)));
	if (a != SECCOMP_ARCH_FOREIGN)
		p->arches |= 1u << a;
	return 0;
}

static int
sc_flag_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct seccomp_profile *p = out;
	const char *name;
	char q[200];
	int f;

	if (spec_str_cb(c, v, &name))
		return -1;
	f = seccomp_flag_from_name(name);
	if (f < 0)
		return spec_fail(c, v, "unknown flag %s",
				 spec_quote(q, sizeof(q), name, strlen(name)));
	p->flags |= (unsigned)f;
	return 0;
}

/* A list of strings, each handed to fn with the profile (not stored). */
static int
sc_list(struct spec_ctx *c, const struct json_value *obj, const char *key, spec_fn fn,
	struct seccomp_profile *p)
{
	const struct json_value *arr = spec_member(obj, key);
	size_t old = spec_path_key(c, key);
	int r = 0;

	if (arr && spec_expect(c, arr, JSON_ARRAY))
		r = -1;
	for (size_t i = 0; arr && !r && i < arr->u.arr.n; i++) {
		size_t o = spec_path_push(c, "[%zu]", i);

		r = fn(c, arr->u.arr.items[i], p);
		spec_path_pop(c, o);
	}
	spec_path_pop(c, old);
	return r;
}

/* NOTIFY needs an agent (runc: "listenerPath is not set"); never the default. */
static int
sc_check_profile(struct spec_ctx *c, const struct json_value *v, struct seccomp_profile *p)
{
	size_t old;
	int r = 0;

	for (size_t i = 0; i < p->n_rules; i++)
		p->notify |= p->rules[i].action == SECCOMP_ACT_NOTIFY;
	if (p->default_action == SECCOMP_ACT_NOTIFY) {
		old = spec_path_key(c, "defaultAction");
		r = spec_fail(c, v, "SCMP_ACT_NOTIFY cannot be used as default action");
	} else if (p->notify && !p->listener_path) {
		old = spec_path_key(c, "listenerPath");
		r = spec_fail(c, v, "required by SCMP_ACT_NOTIFY");
	} else if ((p->flags & (1u << 5)) && !p->notify) {
		old = spec_path_key(c, "flags");
		r = spec_fail(c, v,
			      "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs an SCMP_ACT_NOTIFY "
			      "rule");
	} else {
		return 0;
	}
	spec_path_pop(c, old);
	return r;
}

static int
sc_default(struct spec_ctx *c, const struct json_value *v, struct seccomp_profile *p)
{
	struct sc_action_in in = {0};

	if (spec_field(c, v, "defaultAction", true, spec_str_cb, &in.name) ||
	    spec_field(c, v, "defaultErrnoRet", false, sc_errno_cb, &in.errno_ret))
		return -1;
	in.has_errno = spec_member(v, "defaultErrnoRet") != NULL;
	if (sc_action(c, v, &in, "defaultAction", "defaultErrnoRet", &p->default_action))
		return -1;
	/* runc patchbpf isAllowAction: no -ENOSYS stub behind these. */
	p->default_permissive = !strcmp(in.name, "SCMP_ACT_ALLOW") ||
				!strcmp(in.name, "SCMP_ACT_LOG") ||
				!strcmp(in.name, "SCMP_ACT_TRACE");
	return 0;
}

int
spec_seccomp_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec *s = out;
	struct seccomp_profile *p;

	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	s->has_seccomp = true;
	/* runc SetupSeccomp: no defaultAction and no syscalls is no seccomp at all. */
	if (!spec_member(v, "defaultAction") && !spec_member(v, "syscalls"))
		return 0;
	p = spec_alloc(c, sizeof(*p));
	if (!p)
		return -1;
	p->file = c->name;
	p->line = v->line;
	p->col = v->col;
	p->native = SECCOMP_ARCH_NATIVE;
	if (sc_default(c, v, p) || sc_list(c, v, "architectures", sc_arch_cb, p) ||
	    sc_list(c, v, "flags", sc_flag_cb, p) ||
	    spec_field(c, v, "listenerPath", false, spec_nonempty_cb, &p->listener_path) ||
	    spec_field(c, v, "listenerMetadata", false, spec_str_cb, &p->listener_metadata) ||
	    spec_field_each(c, v, "syscalls", sizeof(struct seccomp_rule), sc_rule_cb,
			    (void **)&p->rules, &p->n_rules) ||
	    sc_check_profile(c, v, p))
		return -1;
	s->seccomp = p;
	return 0;
}
