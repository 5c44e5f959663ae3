/*
 * spec_int.h - what the config.json parsers share: the walk's context and
 * the field helpers of spec.c.  Only spec*.c include it; the rest of
 * minirunc sees struct spec (spec.h) and nothing of the walk.
 *
 * The parser is split by section so that each file stays one topic:
 *   spec.c            the walk, the helpers, root, mounts, hooks, the checks
 *                     that span sections
 *   spec_process.c    process (also `exec --process`), capability and rlimit names
 *   spec_linux.c      linux: namespaces, id mappings, devices, propagation, sysctl
 *   spec_resources.c  linux.resources (cgroups)
 *   spec_seccomp.c    linux.seccomp
 *   spec_default.c    `minirunc spec`: runc's default config.json
 *
 * Every helper records failures the same way: a message
 * "config.json:L:C: json.path: what is wrong" in c->e, and -1.
 */
#ifndef MINIRUNC_SPEC_INT_H
#define MINIRUNC_SPEC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "spec.h"

/* The walk's context: where we are (file, JSON path) and where errors go. */
struct spec_ctx {
	const char *name; /* the file name shown in messages */
	struct spec *s;	  /* owns the arena; gets the warnings */
	struct err *e;
	uint64_t seen; /* namespaces or rlimits met so far in the current list */
	size_t plen;
	char path[256]; /* "process.args[2]" */
};

/* A field parser: check v, store the result in *out; -1 with c->e set on error. */
typedef int (*spec_fn)(struct spec_ctx *c, const struct json_value *v, void *out);

/* Memory from the spec's arena (freed by spec_free); NULL with errno = ENOMEM. */
void *spec_alloc(struct spec_ctx *c, size_t n);
void *spec_alloc_array(struct spec_ctx *c, size_t n, size_t size);
char *spec_strndup(struct spec_ctx *c, const char *s, size_t len);

/* The JSON path shown in messages: push a component, pop back to a saved length. */
__attribute__((format(printf, 2, 3))) size_t spec_path_push(struct spec_ctx *c, const char *fmt,
							    ...);
size_t spec_path_key(struct spec_ctx *c, const char *key);
void spec_path_pop(struct spec_ctx *c, size_t old);
/* s (len bytes) quoted and shortened for a message, in buf. */
const char *spec_quote(char *buf, size_t cap, const char *s, size_t len);

/* Record an error at v (or at key m) and return -1; a warning goes on. */
__attribute__((format(printf, 3, 4))) int spec_fail(struct spec_ctx *c, const struct json_value *v,
						    const char *fmt, ...);
__attribute__((format(printf, 3, 4))) int
spec_fail_key(struct spec_ctx *c, const struct json_member *m, const char *fmt, ...);
__attribute__((format(printf, 3, 4))) int spec_warn(struct spec_ctx *c, const struct json_value *v,
						    const char *fmt, ...);

/* Values: type checks and the common scalar parsers. */
int spec_expect(struct spec_ctx *c, const struct json_value *v, enum json_type t);
int spec_str_cb(struct spec_ctx *c, const struct json_value *v, void *out);
int spec_nonempty_cb(struct spec_ctx *c, const struct json_value *v, void *out);
int spec_abs_cb(struct spec_ctx *c, const struct json_value *v, void *out);
int spec_label_cb(struct spec_ctx *c, const struct json_value *v, void *out);
int spec_bool_cb(struct spec_ctx *c, const struct json_value *v, void *out);
int spec_uint(struct spec_ctx *c, const struct json_value *v, uint64_t max, uint64_t *out);
int spec_int(struct spec_ctx *c, const struct json_value *v, int64_t min, int64_t max,
	     int64_t *out);
int spec_u32_cb(struct spec_ctx *c, const struct json_value *v, void *out);
int spec_u64_cb(struct spec_ctx *c, const struct json_value *v, void *out);
int spec_u32_pos_cb(struct spec_ctx *c, const struct json_value *v, void *out);

/* Objects and arrays: a field by key (absent or null = skipped unless required),
 * each element of an array into a new arena array, a string map. */
const struct json_value *spec_member(const struct json_value *obj, const char *key);
int spec_field(struct spec_ctx *c, const struct json_value *obj, const char *key, bool required,
	       spec_fn fn, void *out);
int spec_each(struct spec_ctx *c, const struct json_value *arr, size_t size, spec_fn fn, void **out,
	      size_t *n);
int spec_field_each(struct spec_ctx *c, const struct json_value *obj, const char *key, size_t size,
		    spec_fn fn, void **out, size_t *n);
int spec_map(struct spec_ctx *c, const struct json_value *obj, struct spec_kv **out, size_t *n);

/* obj.key as a list of id mappings (linux.uidMappings, mounts[].gidMappings), checked as
 * the kernel will: at most 340, no range past 4294967295, no overlap (spec_linux.c). */
int spec_idmap_list(struct spec_ctx *c, const struct json_value *obj, const char *key,
		    struct spec_idmap **out, size_t *n);

/* Sections parsed in their own files. */
int spec_linux_cb(struct spec_ctx *c, const struct json_value *v, void *out);	/* spec_linux.c */
int spec_process_cb(struct spec_ctx *c, const struct json_value *v, void *out); /* spec_process.c */
int spec_resources_cb(struct spec_ctx *c, const struct json_value *v,
		      void *out); /* spec_resources.c */
/* One LinuxResources object alone (`update -r`), into r (zeroed first). */
int spec_resources_doc(struct spec_ctx *c, const struct json_value *v, struct spec_resources *r);
int spec_seccomp_cb(struct spec_ctx *c, const struct json_value *v, void *out); /* spec_seccomp.c */

#endif
