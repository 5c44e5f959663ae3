/*
 * spec.c - config.json (the OCI runtime-spec, config.md and config-linux.md)
 * into struct spec, checked on the way in.
 *
 * The JSON tree from json.c is walked once; every string the runtime will use
 * is copied into one arena (struct spec_arena) so that the tree can be freed
 * at once and spec_free() releases everything in one go.  While walking, the
 * JSON path of the current value ("process.args[2]") is kept in a small
 * buffer, so that every message names the file, the line:column of the
 * offending value, and the field:
 *   config.json:12:7: process.cwd: must be an absolute path
 *
 * runc counterpart: runtime-spec specs-go (the structs), libcontainer/specconv
 * (CreateLibcontainerConfig: caps, namespaces, rlimits, propagation) and
 * libcontainer/configs/validate (the checks).  The sections have files of their
 * own: spec_process.c, spec_linux.c, spec_resources.c, spec_seccomp.c; and
 * `minirunc spec` (runc's spec.go) is spec_default.c.
 *
 * Stricter than runc on purpose (runc's Go decoder is lenient; these fail
 * early with a message instead of late or never): keys match exactly, a NUL
 * in any string that becomes a C string is refused, a mount destination must
 * be absolute (runc 1.1 only warns), hook timeouts must be > 0, soft rlimit
 * <= hard, device numbers fit the kernel's 12/20 bits.  As in Go, a JSON null
 * counts as absent.  Unknown fields are ignored, as config.md requires.
 *
 * Left out: the Windows, Solaris and VM sections, linux.personality,
 * timeOffsets (runc 1.1 has none of them either), and
 * the contents of resources, seccomp and intelRdt: they are only noted, so
 * that the runtime can refuse them (fail closed, SECURITY.md).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "spec.h"
#include "spec_int.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* Older headers (and musl) may lack the newest clone flags. */
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* ---------------------------------------------------------------------- */
/* The arena: a chain of blocks, freed all at once by spec_free().        */

#define SPEC_BLOCK 16384

struct spec_block {
	struct spec_block *next;
	size_t used, cap;
	max_align_t data[];
};

struct spec_arena {
	struct spec_block *head;
	size_t warn_cap; /* capacity of spec->warnings (grown by copying) */
};

/* n zeroed bytes from the arena, or NULL with errno = ENOMEM. */
static void *
spec_arena_alloc(struct spec_arena *a, size_t n)
{
	size_t need = (n + 15) & ~(size_t)15;
	struct spec_block *b = a->head;
	void *p;

	if (need < n || need > SIZE_MAX - sizeof(*b)) {
		errno = ENOMEM;
		return NULL;
	}
	if (!b || b->cap - b->used < need) {
		size_t cap = need > SPEC_BLOCK ? need : SPEC_BLOCK;

		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->cap = cap;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += need;
	memset(p, 0, n);
	return p;
}

void
spec_free(struct spec *s)
{
	struct spec_block *b, *next;

	if (!s)
		return;
	if (s->arena) {
		for (b = s->arena->head; b; b = next) {
			next = b->next;
			free(b);
		}
		free(s->arena);
	}
	memset(s, 0, sizeof(*s));
}

/* ---------------------------------------------------------------------- */
/* The walk's context: where we are (file, JSON path) and where errors go. */

void *
spec_alloc(struct spec_ctx *c, size_t n)
{
	void *p = spec_arena_alloc(c->s->arena, n);

	if (!p)
		err_set(c->e, "%s: out of memory", c->name);
	return p;
}

/* Room for n + 1 elements (the extra one is the NULL terminator of lists). */
void *
spec_alloc_array(struct spec_ctx *c, size_t n, size_t size)
{
	if (n >= SIZE_MAX / size - 1) {
		errno = ENOMEM;
		err_set(c->e, "%s: out of memory", c->name);
		return NULL;
	}
	return spec_alloc(c, (n + 1) * size);
}

char *
spec_strndup(struct spec_ctx *c, const char *s, size_t len)
{
	char *p = spec_alloc_array(c, len, 1);

	if (p)
		memcpy(p, s, len);
	return p;
}

/* Append to the JSON path; returns the old length for spec_path_pop(). */
__attribute__((format(printf, 2, 3))) size_t
spec_path_push(struct spec_ctx *c, const char *fmt, ...)
{
	size_t old = c->plen;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->path + old, sizeof(c->path) - old, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	c->plen = old + (size_t)n < sizeof(c->path) ? old + (size_t)n : sizeof(c->path) - 1;
	return old;
}

size_t
spec_path_key(struct spec_ctx *c, const char *key)
{
	return c->plen ? spec_path_push(c, ".%s", key) : spec_path_push(c, "%s", key);
}

void
spec_path_pop(struct spec_ctx *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

/*
 * s (len bytes, may hold NULs) as a short double-quoted string that is safe
 * to print: quotes, backslashes and bytes outside printable ASCII are escaped,
 * and anything past 48 bytes becomes "...".
 */
const char *
spec_quote(char *buf, size_t cap, const char *s, size_t len)
{
	size_t o = 0, i;

	buf[o++] = '"';
	for (i = 0; i < len && i < 48 && o + 8 < cap; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\')
			o += (size_t)snprintf(buf + o, cap - o, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	if (i < len && o + 5 < cap)
		o += (size_t)snprintf(buf + o, cap - o, "...");
	snprintf(buf + o, cap - o, "\"");
	return buf;
}

/* Format "NAME:LINE:COL: PATH: msg" into dst (the path part only if any). */
__attribute__((format(printf, 6, 0))) static void
spec_format(struct spec_ctx *c, char *dst, size_t cap, unsigned line, unsigned col, const char *fmt,
	    va_list ap)
{
	char msg[320];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* A message longer than dst is cut, never overflowed. */
	if (snprintf(dst, cap, "%s:%u:%u: %s%s%s", c->name, line, col, c->path, c->plen ? ": " : "",
		     msg) >= (int)cap)
		dst[cap - 1] = '\0';
}

/* A validation error at the value v: fills c->e and returns -1 (errno EINVAL). */
__attribute__((format(printf, 3, 4))) int
spec_fail(struct spec_ctx *c, const struct json_value *v, const char *fmt, ...)
{
	va_list ap;

	if (c->e) {
		va_start(ap, fmt);
		spec_format(c, c->e->msg, sizeof(c->e->msg), v->line, v->col, fmt, ap);
		va_end(ap);
	}
	errno = EINVAL;
	return -1;
}

/* The same, placed at an object member's key (for bad keys). */
__attribute__((format(printf, 3, 4))) int
spec_fail_key(struct spec_ctx *c, const struct json_member *m, const char *fmt, ...)
{
	va_list ap;

	if (c->e) {
		va_start(ap, fmt);
		spec_format(c, c->e->msg, sizeof(c->e->msg), m->line, m->col, fmt, ap);
		va_end(ap);
	}
	errno = EINVAL;
	return -1;
}

/* Append one line to s->warnings (NULL-terminated, grown by copying). */
static int
spec_warn_push(struct spec_ctx *c, const char *line)
{
	struct spec *s = c->s;
	struct spec_arena *a = s->arena;
	const char **v;
	char *copy = spec_strndup(c, line, strlen(line));

	if (!copy)
		return -1;
	if (s->n_warnings + 1 >= a->warn_cap) {
		size_t cap = a->warn_cap ? a->warn_cap * 2 : 8;

		v = spec_alloc_array(c, cap, sizeof(*v));
		if (!v)
			return -1;
		if (s->n_warnings)
			memcpy(v, s->warnings, s->n_warnings * sizeof(*v));
		s->warnings = v;
		a->warn_cap = cap;
	}
	s->warnings[s->n_warnings++] = copy;
	s->warnings[s->n_warnings] = NULL;
	return 0;
}

/* A warning at v, in the same form as an error; the load goes on. */
__attribute__((format(printf, 3, 4))) int
spec_warn(struct spec_ctx *c, const struct json_value *v, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	spec_format(c, line, sizeof(line), v->line, v->col, fmt, ap);
	va_end(ap);
	return spec_warn_push(c, line);
}

/* ---------------------------------------------------------------------- */
/* Typed readers of one value.  Each has the spec_fn shape so that the     */
/* object and array walkers below can call it for any field.              */

int
spec_expect(struct spec_ctx *c, const struct json_value *v, enum json_type t)
{
	static const char *const want[] = {
	    [JSON_NULL] = "null",	 [JSON_FALSE] = "a boolean", [JSON_TRUE] = "a boolean",
	    [JSON_NUMBER] = "a number",	 [JSON_STRING] = "a string", [JSON_ARRAY] = "an array",
	    [JSON_OBJECT] = "an object",
	};

	if (v->type == t || (t == JSON_TRUE && v->type == JSON_FALSE))
		return 0;
	return spec_fail(c, v, "expected %s, got %s", want[t], json_type_name(v->type));
}

/* A string that becomes a C string: no NUL inside (json.h strings carry a length). */
int
spec_str_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	char *p;

	if (spec_expect(c, v, JSON_STRING))
		return -1;
	if (strlen(v->u.str.s) != v->u.str.len)
		return spec_fail(c, v, "contains a NUL byte");
	p = spec_strndup(c, v->u.str.s, v->u.str.len);
	if (!p)
		return -1;
	*(char **)out = p;
	return 0;
}

int
spec_nonempty_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	if (spec_str_cb(c, v, out))
		return -1;
	if (!**(char **)out)
		return spec_fail(c, v, "must not be empty");
	return 0;
}

int
spec_abs_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	if (spec_str_cb(c, v, out))
		return -1;
	if (**(char **)out != '/')
		return spec_fail(c, v, "must be an absolute path");
	return 0;
}

/* A string where "" means "not asked" (apparmorProfile, selinuxLabel, ...). */
int
spec_label_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	if (spec_str_cb(c, v, out))
		return -1;
	if (!**(char **)out)
		*(char **)out = NULL;
	return 0;
}

int
spec_bool_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	if (spec_expect(c, v, JSON_TRUE))
		return -1;
	*(bool *)out = v->type == JSON_TRUE;
	return 0;
}

/* An integer in [0, max].  The number's literal text is quoted back on error. */
int
spec_uint(struct spec_ctx *c, const struct json_value *v, uint64_t max, uint64_t *out)
{
	if (v->type != JSON_NUMBER)
		return spec_fail(c, v, "expected an integer, got %s", json_type_name(v->type));
	errno = 0;
	if (json_to_uint64(v, out) < 0 && errno != ERANGE)
		return spec_fail(c, v, "expected an integer, got %.40s", v->u.str.s);
	if (errno == ERANGE || *out > max)
		return spec_fail(c, v, "%.40s is out of range (0..%" PRIu64 ")", v->u.str.s, max);
	return 0;
}

/* An integer in [min, max]. */
int
spec_int(struct spec_ctx *c, const struct json_value *v, int64_t min, int64_t max, int64_t *out)
{
	if (v->type != JSON_NUMBER)
		return spec_fail(c, v, "expected an integer, got %s", json_type_name(v->type));
	errno = 0;
	if (json_to_int64(v, out) < 0 && errno != ERANGE)
		return spec_fail(c, v, "expected an integer, got %.40s", v->u.str.s);
	if (errno == ERANGE || *out < min || *out > max)
		return spec_fail(c, v, "%.40s is out of range (%" PRId64 "..%" PRId64 ")",
				 v->u.str.s, min, max);
	return 0;
}

int
spec_u32_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	uint64_t x;

	if (spec_uint(c, v, UINT32_MAX, &x))
		return -1;
	*(uint32_t *)out = (uint32_t)x;
	return 0;
}

int
spec_u64_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	return spec_uint(c, v, UINT64_MAX, out);
}

/* An id-mapping or rlimit size that must not be zero, etc: [1, UINT32_MAX]. */
int
spec_u32_pos_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	if (spec_u32_cb(c, v, out))
		return -1;
	if (*(uint32_t *)out == 0)
		return spec_fail(c, v, "must be greater than zero");
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Walking objects and arrays.                                            */

/* obj's member key, or NULL when absent or null (Go's decoder treats both alike). */
const struct json_value *
spec_member(const struct json_value *obj, const char *key)
{
	const struct json_value *v = json_get(obj, key);

	return v && v->type != JSON_NULL ? v : NULL;
}

/* Read obj.key with fn; a missing required field is reported at obj. */
int
spec_field(struct spec_ctx *c, const struct json_value *obj, const char *key, bool required,
	   spec_fn fn, void *out)
{
	const struct json_value *v = spec_member(obj, key);
	size_t old = spec_path_key(c, key);
	int r = 0;

	if (v)
		r = fn(c, v, out);
	else if (required)
		r = spec_fail(c, obj, "required field is missing");
	spec_path_pop(c, old);
	return r;
}

/*
 * An array whose elements fn reads into slots of size bytes.  *out gets
 * n + 1 zeroed slots (so lists of pointers end in NULL), *n the count.
 */
int
spec_each(struct spec_ctx *c, const struct json_value *arr, size_t size, spec_fn fn, void **out,
	  size_t *n)
{
	char *slots;
	size_t i, old;
	int r;

	if (spec_expect(c, arr, JSON_ARRAY))
		return -1;
	slots = spec_alloc_array(c, arr->u.arr.n, size);
	if (!slots)
		return -1;
	for (i = 0; i < arr->u.arr.n; i++) {
		old = spec_path_push(c, "[%zu]", i);
		r = fn(c, arr->u.arr.items[i], slots + i * size);
		spec_path_pop(c, old);
		if (r)
			return -1;
	}
	*out = slots;
	*n = arr->u.arr.n;
	return 0;
}

/* obj.key as an array (see spec_each); absent gives an empty list, never NULL. */
int
spec_field_each(struct spec_ctx *c, const struct json_value *obj, const char *key, size_t size,
		spec_fn fn, void **out, size_t *n)
{
	const struct json_value *v = spec_member(obj, key);
	size_t old;
	int r;

	*n = 0;
	if (!v) {
		*out = spec_alloc(c, size);
		return *out ? 0 : -1;
	}
	old = spec_path_key(c, key);
	r = spec_each(c, v, size, fn, out, n);
	spec_path_pop(c, old);
	return r;
}

/* A string-to-string object (annotations, sysctl) into NULL-ended pairs. */
int
spec_map(struct spec_ctx *c, const struct json_value *obj, struct spec_kv **out, size_t *n)
{
	struct spec_kv *kv;
	char q[200];
	size_t i, old;
	int r;

	if (spec_expect(c, obj, JSON_OBJECT))
		return -1;
	kv = spec_alloc_array(c, obj->u.obj.n, sizeof(*kv));
	if (!kv)
		return -1;
	for (i = 0; i < obj->u.obj.n; i++) {
		const struct json_member *m = &obj->u.obj.members[i];

		old = spec_path_push(c, "[%s]", spec_quote(q, sizeof(q), m->key, m->key_len));
		if (strlen(m->key) != m->key_len)
			r = spec_fail_key(c, m, "key contains a NUL byte");
		else
			r = spec_str_cb(c, m->value, &kv[i].value);
		spec_path_pop(c, old);
		if (r)
			return -1;
		kv[i].key = spec_strndup(c, m->key, m->key_len);
		if (!kv[i].key)
			return -1;
	}
	*out = kv;
	*n = obj->u.obj.n;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* root, mounts, hooks                                                    */

/* Lexically clean an absolute path in place: "//", "." and ".." go (as Go's
 * filepath.Clean, which runc applies to root.path via filepath.Join). */
static void
spec_path_clean(char *p)
{
	char *out = p, *in = p;

	while (*in) {
		char *end = strchrnul(in + 1, '/');
		size_t n = (size_t)(end - in);

		if (n == 1 || (n == 2 && in[1] == '.')) {
			/* "/" or "/." */
		} else if (n == 3 && in[1] == '.' && in[2] == '.') {
			while (out > p && *--out != '/')
				;
		} else {
			memmove(out, in, n);
			out += n;
		}
		in = end;
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
}

/* base + "/" + rel, cleaned; rel alone (cleaned) when it is absolute. */
static char *
spec_path_join(struct spec_ctx *c, const char *base, const char *rel)
{
	size_t bl = rel[0] == '/' ? 0 : strlen(base), rl = strlen(rel);
	char *p = spec_alloc_array(c, bl + rl + 1, 1);

	if (!p)
		return NULL;
	memcpy(p, base, bl);
	p[bl] = '/';
	memcpy(p + bl + (bl ? 1 : 0), rel, rl);
	spec_path_clean(p);
	return p;
}

/* The bundle made absolute the way runc does (filepath.Abs: lexical, no
 * symlinks resolved), since state.json and the hooks' state show it. */
static int
spec_set_bundle(struct spec_ctx *c, const char *bundle)
{
	char cwd[PATH_MAX];

	if (!bundle || !*bundle)
		bundle = ".";
	if (bundle[0] != '/' && !getcwd(cwd, sizeof(cwd)))
		return err_set(c->e, "getcwd:");
	c->s->bundle = spec_path_join(c, bundle[0] == '/' ? "/" : cwd, bundle);
	return c->s->bundle ? 0 : -1;
}

static int
spec_root_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec *s = out;
	const char *path;

	if (spec_expect(c, v, JSON_OBJECT) ||
	    spec_field(c, v, "path", true, spec_nonempty_cb, &path) ||
	    spec_field(c, v, "readonly", false, spec_bool_cb, &s->root_readonly))
		return -1;
	s->root_path = spec_path_join(c, s->bundle, path);
	return s->root_path ? 0 : -1;
}

static int
spec_mount_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_mount *m = out;
	void *opts;

	/* config.md: destination "MUST be an absolute path" (runc 1.1 only warns). */
	if (spec_expect(c, v, JSON_OBJECT) ||
	    spec_field(c, v, "destination", true, spec_abs_cb, &m->destination) ||
	    spec_field(c, v, "type", false, spec_label_cb, &m->type) ||
	    spec_field(c, v, "source", false, spec_label_cb, &m->source) ||
	    spec_field_each(c, v, "options", sizeof(char *), spec_str_cb, &opts, &m->n_options) ||
	    spec_idmap_list(c, v, "uidMappings", &m->uid_mappings, &m->n_uid_mappings) ||
	    spec_idmap_list(c, v, "gidMappings", &m->gid_mappings, &m->n_gid_mappings))
		return -1;
	m->options = opts;
	/* An idmapped mount (mount_setattr MOUNT_ATTR_IDMAP) maps both ids or none. */
	if (!m->n_uid_mappings != !m->n_gid_mappings) {
		const char *key = m->n_uid_mappings ? "gidMappings" : "uidMappings";
		size_t old = spec_path_key(c, key);
		int r = spec_fail(c, v, "required with %s (an idmapped mount maps both)",
				  m->n_uid_mappings ? "uidMappings" : "gidMappings");
		spec_path_pop(c, old);
		return r;
	}
	return 0;
}

static int
spec_timeout_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	int64_t x;

	if (spec_int(c, v, INT64_MIN, INT64_MAX, &x))
		return -1;
	if (x <= 0)
		return spec_fail(c, v, "must be greater than zero");
	if (x > INT_MAX)
		return spec_fail(c, v, "%.40s is out of range (1..%d)", v->u.str.s, INT_MAX);
	*(int *)out = (int)x;
	return 0;
}

static int
spec_hook_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_hook *h = out;
	void *args, *env;

	if (spec_expect(c, v, JSON_OBJECT) ||
	    spec_field(c, v, "path", true, spec_abs_cb, &h->path) ||
	    spec_field_each(c, v, "args", sizeof(char *), spec_str_cb, &args, &h->n_args) ||
	    spec_field_each(c, v, "env", sizeof(char *), spec_str_cb, &env, &h->n_env) ||
	    spec_field(c, v, "timeout", false, spec_timeout_cb, &h->timeout))
		return -1;
	h->args = args;
	h->env = env;
	/* Go's exec.Cmd with a nil Env inherits runc's environment: so does an
	 * absent "env" here ("env": [] still means an empty one). */
	h->has_env = json_get(v, "env") && json_get(v, "env")->type != JSON_NULL;
	return 0;
}

/* The keys of config.json's "hooks" object (runtime-spec config.md). */
static const char *const spec_hook_names[HOOK_KINDS] = {
    [HOOK_PRESTART] = "prestart",
    [HOOK_CREATE_RUNTIME] = "createRuntime",
    [HOOK_CREATE_CONTAINER] = "createContainer",
    [HOOK_START_CONTAINER] = "startContainer",
    [HOOK_POSTSTART] = "poststart",
    [HOOK_POSTSTOP] = "poststop",
};

const char *
spec_hook_name(enum spec_hook_kind k)
{
	return (unsigned)k < HOOK_KINDS ? spec_hook_names[k] : "unknown";
}

static int
spec_hooks_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec *s = out;
	void *list;
	int k;

	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	for (k = 0; k < HOOK_KINDS; k++) {
		if (spec_field_each(c, v, spec_hook_names[k], sizeof(struct spec_hook),
				    spec_hook_cb, &list, &s->hooks[k].n))
			return -1;
		s->hooks[k].v = list;
	}
	return 0;
}

static int
spec_annotations_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec *s = out;

	return spec_map(c, v, &s->annotations, &s->n_annotations);
}

/* hostname, domainname: sethostname(2) and setdomainname(2) refuse more
 * than 64 bytes (HOST_NAME_MAX). */
static int
spec_hostname_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	if (spec_str_cb(c, v, out))
		return -1;
	if (strlen(*(char **)out) > 64)
		return spec_fail(c, v, "longer than 64 bytes");
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Checks that span sections (runc: libcontainer/configs/validate).       */

static bool
spec_has_ns(const struct spec *s, int flag)
{
	size_t i;

	for (i = 0; i < s->n_namespaces; i++)
		if (s->namespaces[i].flag == flag)
			return true;
	return false;
}

/* A value found again by its path from the document root, for a message. */
static int
spec_fail_path(struct spec_ctx *c, const struct json_value *doc, const char *a, const char *b,
	       const char *msg)
{
	const struct json_value *v = json_get(doc, a);
	size_t old = spec_path_key(c, a);

	if (b) {
		v = json_get(v, b);
		spec_path_key(c, b);
	}
	spec_fail(c, v, "%s", msg);
	spec_path_pop(c, old);
	return -1;
}

static int
spec_cross_check(struct spec_ctx *c, const struct json_value *doc)
{
	struct spec *s = c->s;

	/* runc validator.go hostname(): sethostname(2) on the host's UTS would
	 * rename the host. */
	if (s->hostname && *s->hostname && !spec_has_ns(s, CLONE_NEWUTS))
		return spec_fail_path(c, doc, "hostname", NULL,
				      "needs a new UTS namespace (add {\"type\": \"uts\"})");
	if (s->domainname && *s->domainname && !spec_has_ns(s, CLONE_NEWUTS))
		return spec_fail_path(c, doc, "domainname", NULL,
				      "needs a new UTS namespace (add {\"type\": \"uts\"})");
	/* runc validator.go usernamespace(): mappings without a user namespace. */
	if (s->n_uid_mappings && !spec_has_ns(s, CLONE_NEWUSER))
		return spec_fail_path(c, doc, "linux", "uidMappings",
				      "given without a user namespace");
	if (s->n_gid_mappings && !spec_has_ns(s, CLONE_NEWUSER))
		return spec_fail_path(c, doc, "linux", "gidMappings",
				      "given without a user namespace");
	return 0;
}

/* ---------------------------------------------------------------------- */
/* The document                                                           */

static int
spec_doc(struct spec_ctx *c, const struct json_value *doc)
{
	struct spec *s = c->s;
	void *mounts;

	if (spec_expect(c, doc, JSON_OBJECT) ||
	    spec_field(c, doc, "ociVersion", true, spec_nonempty_cb, &s->oci_version) ||
	    spec_field(c, doc, "root", true, spec_root_cb, s) ||
	    spec_field_each(c, doc, "mounts", sizeof(struct spec_mount), spec_mount_cb, &mounts,
			    &s->n_mounts))
		return -1;
	s->mounts = mounts;
	s->has_process = spec_member(doc, "process") != NULL;
	if (spec_field(c, doc, "process", false, spec_process_cb, &s->process) ||
	    spec_field(c, doc, "hostname", false, spec_hostname_cb, &s->hostname) ||
	    spec_field(c, doc, "domainname", false, spec_hostname_cb, &s->domainname) ||
	    spec_field(c, doc, "hooks", false, spec_hooks_cb, s) ||
	    spec_field(c, doc, "annotations", false, spec_annotations_cb, s) ||
	    spec_field(c, doc, "linux", false, spec_linux_cb, s))
		return -1;
	return spec_cross_check(c, doc);
}

/* Parse buf; on a JSON error fill e with "name:line:col: msg". */
static struct json_doc *
spec_json(const char *name, const char *buf, size_t len, struct err *e)
{
	struct json_err je;
	struct json_doc *doc;

	if (len > SPEC_MAX_FILE) {
		errno = EFBIG;
		err_set(e, "%s: larger than %u bytes (SPEC_MAX_FILE)", name, SPEC_MAX_FILE);
		return NULL;
	}
	memset(&je, 0, sizeof(je));
	doc = json_parse(buf, len, &je);
	if (!doc) {
		int saved = errno;

		if (saved == ENOMEM)
			err_set(e, "%s: out of memory", name);
		else
			err_set(e, "%s:%u:%u: %s", name, je.line, je.col, je.msg);
		errno = saved;
	}
	return doc;
}

int
spec_parse(const char *name, const char *buf, size_t len, const char *bundle, struct spec *out,
	   struct err *e)
{
	struct spec_ctx c = {.name = name, .s = out, .e = e};
	struct json_doc *doc;
	int r, saved;

	memset(out, 0, sizeof(*out));
	doc = spec_json(name, buf, len, e);
	if (!doc)
		return -1;
	out->arena = calloc(1, sizeof(*out->arena));
	if (!out->arena) {
		json_free(doc);
		return err_set(e, "%s: out of memory", name);
	}
	r = spec_set_bundle(&c, bundle);
	if (r == 0)
		r = spec_doc(&c, json_root(doc));
	saved = errno;
	json_free(doc);
	if (r) {
		spec_free(out);
		errno = saved;
	}
	return r;
}

/* "<bundle>/config.json", or plain "config.json" for the bundle ".". */
static void
spec_config_name(char *buf, size_t cap, const char *bundle)
{
	size_t n = strlen(bundle);

	if (strcmp(bundle, ".") == 0)
		snprintf(buf, cap, "config.json");
	else
		snprintf(buf, cap, "%s%sconfig.json", bundle, n && bundle[n - 1] == '/' ? "" : "/");
}

int
spec_load(const char *bundle, struct spec *out, struct err *e)
{
	char name[PATH_MAX + 16];
	struct stat st;
	size_t len;
	char *buf;
	int r;

	memset(out, 0, sizeof(*out));
	if (stat(bundle, &st) < 0)
		return err_set(e, "bundle %s:", bundle);
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return err_set(e, "bundle %s:", bundle);
	}
	spec_config_name(name, sizeof(name), bundle);
	buf = read_file(name, SPEC_MAX_FILE, &len);
	if (!buf) {
		if (errno == EFBIG)
			return err_set(e, "%s: larger than %u bytes (SPEC_MAX_FILE)", name,
				       SPEC_MAX_FILE);
		return err_set(e, "open %s:", name);
	}
	r = spec_parse(name, buf, len, bundle, out, e);
	free(buf);
	return r;
}

int
spec_parse_process(const char *name, const char *buf, size_t len, struct spec *owner,
		   struct spec_process *out, struct err *e)
{
	struct spec_ctx c = {.name = name, .s = owner, .e = e};
	struct json_doc *doc;
	int r, saved;

	memset(out, 0, sizeof(*out));
	doc = spec_json(name, buf, len, e);
	if (!doc)
		return -1;
	if (!owner->arena && !(owner->arena = calloc(1, sizeof(*owner->arena)))) {
		json_free(doc);
		return err_set(e, "%s: out of memory", name);
	}
	r = spec_process_cb(&c, json_root(doc), out);
	saved = errno;
	json_free(doc);
	if (r) {
		memset(out, 0, sizeof(*out));
		errno = saved;
	}
	return r;
}

int
spec_parse_resources(const char *name, const char *buf, size_t len, struct spec *owner,
		     struct err *e)
{
	struct spec_ctx c = {.name = name, .s = owner, .e = e};
	struct json_doc *doc;
	int r, saved;

	doc = spec_json(name, buf, len, e);
	if (!doc)
		return -1;
	if (!owner->arena && !(owner->arena = calloc(1, sizeof(*owner->arena)))) {
		json_free(doc);
		return err_set(e, "%s: out of memory", name);
	}
	r = spec_resources_doc(&c, json_root(doc), &owner->resources);
	saved = errno;
	json_free(doc);
	errno = saved;
	return r;
}
