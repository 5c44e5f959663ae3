/*
 * json.h - a strict RFC 8259 parser and a small writer.
 *
 * The parser reads a buffer and a length (never a NUL-terminated string) into
 * a tree that lives in one arena; json_free() releases all of it at once.
 * Strings are decoded (escapes, surrogate pairs) and carry their length; they
 * are also NUL-terminated for convenience, so a string holding "\u0000" must
 * be checked with its length before it is used as a C string.
 * Numbers keep their literal text; convert them with json_to_*().
 */
#ifndef MINIRUNC_JSON_H
#define MINIRUNC_JSON_H

#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 256

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json_value;

struct json_member {
	const char *key; /* decoded, NUL-terminated */
	size_t key_len;
	unsigned line, col; /* position of the key's opening quote */
	size_t off;
	struct json_value *value;
};

struct json_value {
	enum json_type type;
	unsigned line, col; /* 1-based position of the value's first byte */
	size_t off;	    /* 0-based byte offset of the same */
	union {
		struct {
			const char *s; /* STRING: decoded text; NUMBER: literal text */
			size_t len;
		} str;
		struct {
			struct json_value **items;
			size_t n;
		} arr;
		struct {
			struct json_member *members; /* in document order */
			size_t n;
		} obj;
	} u;
};

struct json_err {
	unsigned line, col; /* 1-based */
	size_t off;	    /* 0-based byte offset */
	char msg[160];	    /* plain message, no position in it */
};

struct json_doc;

/*
 * Parse len bytes of buf.  Returns a document owned by the caller (free it with
 * json_free()), or NULL with *err filled in (errno is EINVAL for bad input,
 * ENOMEM when memory ran out).
 */
struct json_doc *json_parse(const char *buf, size_t len, struct json_err *err);
const struct json_value *json_root(const struct json_doc *doc);
void json_free(struct json_doc *doc);

/* Member of an object by exact key, or NULL (also NULL when v is not an object). */
const struct json_value *json_get(const struct json_value *obj, const char *key);

/*
 * Exact conversions of a NUMBER.  Return 0, or -1 with errno = ERANGE (does not
 * fit), or EINVAL (not a number, or has a fraction/exponent for the integer forms).
 */
int json_to_int64(const struct json_value *v, int64_t *out);
int json_to_uint64(const struct json_value *v, uint64_t *out);
int json_to_double(const struct json_value *v, double *out);

/* Name of a type for messages: "string", "object", ... */
const char *json_type_name(enum json_type t);

/*
 * The writer: builds a document into a growing heap buffer.
 * indent = 0 gives compact output; indent > 0 gives that many spaces per level
 * (indent < 0 means one tab per level, as `runc spec` writes).
 * Errors (out of memory, nesting past JSON_MAX_DEPTH) are sticky and reported
 * by json_writer_finish().
 */
struct json_writer {
	char *buf;
	size_t len, cap;
	int indent;
	int depth;
	int failed;
	/* per level (0 = top): bit 1 = nothing written yet, bit 2 = an object */
	unsigned char first[JSON_MAX_DEPTH + 1];
	unsigned char after_key; /* a key was just written */
};

void json_writer_init(struct json_writer *w, int indent);
void json_write_object_begin(struct json_writer *w);
void json_write_object_end(struct json_writer *w);
void json_write_array_begin(struct json_writer *w);
void json_write_array_end(struct json_writer *w);
void json_write_key(struct json_writer *w, const char *key);
void json_write_key_len(struct json_writer *w, const char *key, size_t len);
/* s == NULL writes null.  Invalid UTF-8 bytes are written as \ufffd. */
void json_write_string(struct json_writer *w, const char *s);
void json_write_string_len(struct json_writer *w, const char *s, size_t len);
void json_write_int(struct json_writer *w, int64_t n);
void json_write_uint(struct json_writer *w, uint64_t n);
void json_write_bool(struct json_writer *w, int b);
void json_write_null(struct json_writer *w);
/* A number literal as the parser keeps it ("-1.5e3"); fails (EINVAL) unless it is valid JSON. */
void json_write_number(struct json_writer *w, const char *lit, size_t len);
/* A whole parsed tree (or subtree), keys in document order. */
void json_write_value(struct json_writer *w, const struct json_value *v);
/*
 * Finish: returns the malloc'd NUL-terminated text (caller frees) and its length
 * in *len, or NULL with errno set if any write failed.  The buffer is taken over.
 */
char *json_writer_finish(struct json_writer *w, size_t *len);
/* Release a writer whose output is not wanted. */
void json_writer_discard(struct json_writer *w);

#endif
