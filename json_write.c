/*
 * json_write.c - the JSON writer: output in the shape of Go's json.MarshalIndent.
 *
 * runc counterpart: Go's encoding/json, which runc uses to write `runc spec`,
 * `runc state`, `runc features` and its state.json (json.MarshalIndent, or
 * json.Marshal when the indent is 0; a negative indent is one tab a level,
 * as `runc spec` writes).
 *
 * The writer grows one malloc'd buffer.  Errors are sticky, so a caller may
 * write a whole document and check once at json_writer_finish().  Nesting is
 * bounded by JSON_MAX_DEPTH, as the parser's is (json.c).
 *
 * Left out: streaming to an fd, and HTML escaping (Go escapes <, > and & by
 * default; nothing minirunc writes is read by a browser).
 */
#include "json.h"
#include "json_int.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_W_EMPTY  1 /* nothing written yet at this level */
#define JSON_W_OBJECT 2 /* this level is an object */

void
json_writer_init(struct json_writer *w, int indent)
{
	memset(w, 0, sizeof(*w));
	w->indent = indent;
	w->first[0] = JSON_W_EMPTY;
}

/* Errors are sticky: the first one is kept and every later write is a no-op. */
static void
json_w_fail(struct json_writer *w, int e)
{
	if (!w->failed)
		w->failed = e;
}

/* Append n bytes, keeping room for the final NUL. */
static void
json_w_put(struct json_writer *w, const char *s, size_t n)
{
	size_t cap = w->cap ? w->cap : 256;
	char *nb;

	if (w->failed)
		return;
	while (cap - w->len <= n) {
		if (cap > SIZE_MAX / 2) {
			json_w_fail(w, ENOMEM);
			return;
		}
		cap *= 2;
	}
	if (cap != w->cap) {
		if (!(nb = realloc(w->buf, cap))) {
			json_w_fail(w, ENOMEM);
			return;
		}
		w->buf = nb;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

/* Newline and indentation for an element at depth d (none when compact). */
static void
json_w_newline(struct json_writer *w, int d)
{
	static const char spaces[] = "                                ";
	static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
	size_t left, n;

	if (w->indent == 0)
		return;
	json_w_put(w, "\n", 1);
	left = w->indent > 0 ? (size_t)w->indent * (size_t)d : (size_t)d;
	while (left > 0) {
		n = w->indent > 0 ? (left < sizeof(spaces) - 1 ? left : sizeof(spaces) - 1)
				  : (left < sizeof(tabs) - 1 ? left : sizeof(tabs) - 1);
		json_w_put(w, w->indent > 0 ? spaces : tabs, n);
		left -= n;
	}
}

/* What every value does first: the separator, or a check that a key came first. */
static int
json_w_before_value(struct json_writer *w)
{
	unsigned char *lvl = &w->first[w->depth];

	if (w->failed)
		return -1;
	if (w->depth == 0) {
		if (!(*lvl & JSON_W_EMPTY))
			return json_w_fail(w, EINVAL), -1; /* a second document */
		*lvl = 0;
		return 0;
	}
	if (*lvl & JSON_W_OBJECT) {
		if (!w->after_key)
			return json_w_fail(w, EINVAL), -1; /* a value without a key */
		w->after_key = 0;
		return 0;
	}
	if (!(*lvl & JSON_W_EMPTY))
		json_w_put(w, ",", 1);
	*lvl &= (unsigned char)~JSON_W_EMPTY;
	json_w_newline(w, w->depth);
	return 0;
}

static void
json_w_begin(struct json_writer *w, int obj)
{
	if (json_w_before_value(w) < 0)
		return;
	if (w->depth >= JSON_MAX_DEPTH) {
		json_w_fail(w, EINVAL);
		return;
	}
	w->depth++;
	w->first[w->depth] = JSON_W_EMPTY | (obj ? JSON_W_OBJECT : 0);
	json_w_put(w, obj ? "{" : "[", 1);
}

/* Empty containers stay on one line, "{}" and "[]", as Go writes them. */
static void
json_w_end(struct json_writer *w, int obj)
{
	unsigned char lvl = w->first[w->depth];

	if (w->failed)
		return;
	if (w->depth == 0 || !(lvl & JSON_W_OBJECT) != !obj || w->after_key) {
		json_w_fail(w, EINVAL);
		return;
	}
	if (!(lvl & JSON_W_EMPTY))
		json_w_newline(w, w->depth - 1);
	w->depth--;
	json_w_put(w, obj ? "}" : "]", 1);
}

void
json_write_object_begin(struct json_writer *w)
{
	json_w_begin(w, 1);
}

void
json_write_object_end(struct json_writer *w)
{
	json_w_end(w, 1);
}

void
json_write_array_begin(struct json_writer *w)
{
	json_w_begin(w, 0);
}

void
json_write_array_end(struct json_writer *w)
{
	json_w_end(w, 0);
}

/* One byte that cannot appear raw in a JSON string (RFC 8259 §7). */
static void
json_w_escape_byte(struct json_writer *w, unsigned char c)
{
	static const char from[] = "\"\\\n\t\r\b\f", to[] = "\"\\ntrbf";
	const char *hit = c ? strchr(from, c) : NULL;
	char esc[8];

	if (hit) {
		esc[0] = '\\';
		esc[1] = to[hit - from];
		json_w_put(w, esc, 2);
	} else if (c < 0x20) {
		snprintf(esc, sizeof(esc), "\\u%04x", c);
		json_w_put(w, esc, 6);
	} else {
		/* A byte of invalid UTF-8: U+FFFD, as Go's encoder does. */
		json_w_put(w, "\\ufffd", 6);
	}
}

/* A quoted, escaped string; runs of bytes that need no escape go out at once. */
static void
json_w_string(struct json_writer *w, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, k;

	json_w_put(w, "\"", 1);
	while (i < n) {
		if (u[i] >= 0x20 && u[i] < 0x80 && u[i] != '"' && u[i] != '\\') {
			i++;
			continue;
		}
		if (u[i] >= 0x80 && (k = json_utf8_len(u + i, n - i))) {
			i += k;
			continue;
		}
		json_w_put(w, s + run, i - run);
		json_w_escape_byte(w, u[i]);
		run = ++i;
	}
	json_w_put(w, s + run, n - run);
	json_w_put(w, "\"", 1);
}

void
json_write_key_len(struct json_writer *w, const char *key, size_t len)
{
	unsigned char *lvl = &w->first[w->depth];

	if (w->failed)
		return;
	if (w->depth == 0 || !(*lvl & JSON_W_OBJECT) || w->after_key || (!key && len)) {
		json_w_fail(w, EINVAL);
		return;
	}
	if (!(*lvl & JSON_W_EMPTY))
		json_w_put(w, ",", 1);
	*lvl &= (unsigned char)~JSON_W_EMPTY;
	json_w_newline(w, w->depth);
	json_w_string(w, key ? key : "", len);
	/* Go's MarshalIndent puts one space after the colon; Marshal none. */
	json_w_put(w, w->indent ? ": " : ":", w->indent ? 2 : 1);
	w->after_key = 1;
}

void
json_write_key(struct json_writer *w, const char *key)
{
	json_write_key_len(w, key, key ? strlen(key) : 0);
}

void
json_write_string_len(struct json_writer *w, const char *s, size_t len)
{
	if (!s && len) {
		json_w_fail(w, EINVAL);
		return;
	}
	if (json_w_before_value(w) == 0)
		json_w_string(w, s ? s : "", len);
}

void
json_write_string(struct json_writer *w, const char *s)
{
	if (!s) {
		json_write_null(w);
		return;
	}
	json_write_string_len(w, s, strlen(s));
}

void
json_write_int(struct json_writer *w, int64_t n)
{
	char num[24];
	int k = snprintf(num, sizeof(num), "%" PRId64, n);

	if (json_w_before_value(w) == 0)
		json_w_put(w, num, (size_t)k);
}

void
json_write_uint(struct json_writer *w, uint64_t n)
{
	char num[24];
	int k = snprintf(num, sizeof(num), "%" PRIu64, n);

	if (json_w_before_value(w) == 0)
		json_w_put(w, num, (size_t)k);
}

void
json_write_bool(struct json_writer *w, int b)
{
	if (json_w_before_value(w) == 0)
		json_w_put(w, b ? "true" : "false", b ? 4 : 5);
}

void
json_write_null(struct json_writer *w)
{
	if (json_w_before_value(w) == 0)
		json_w_put(w, "null", 4);
}

void
json_write_number(struct json_writer *w, const char *lit, size_t len)
{
	const char *why;
	size_t where;

	if (!lit || !len ||
	    json_number_end((const unsigned char *)lit, len, 0, &why, &where) != len) {
		json_w_fail(w, EINVAL);
		return;
	}
	if (json_w_before_value(w) == 0)
		json_w_put(w, lit, len);
}

static void
json_w_scalar(struct json_writer *w, const struct json_value *v)
{
	switch (v->type) {
	case JSON_NULL:
		json_write_null(w);
		break;
	case JSON_FALSE:
	case JSON_TRUE:
		json_write_bool(w, v->type == JSON_TRUE);
		break;
	case JSON_NUMBER:
		json_write_number(w, v->u.str.s, v->u.str.len);
		break;
	case JSON_STRING:
		json_write_string_len(w, v->u.str.s, v->u.str.len);
		break;
	default:
		json_w_fail(w, EINVAL);
	}
}

/* A parsed tree, with an explicit stack as in the parser (no recursion). */
void
json_write_value(struct json_writer *w, const struct json_value *v)
{
	struct {
		const struct json_value *v;
		size_t i;
	} st[JSON_MAX_DEPTH + 1];
	int top = 0;

	if (!v) {
		json_w_fail(w, EINVAL);
		return;
	}
	if (v->type != JSON_ARRAY && v->type != JSON_OBJECT) {
		json_w_scalar(w, v);
		return;
	}
	json_w_begin(w, v->type == JSON_OBJECT);
	st[top].v = v;
	st[top++].i = 0;
	while (top > 0 && !w->failed) {
		const struct json_value *c = st[top - 1].v, *child;
		size_t i = st[top - 1].i++;

		if (i == (c->type == JSON_OBJECT ? c->u.obj.n : c->u.arr.n)) {
			json_w_end(w, c->type == JSON_OBJECT);
			top--;
			continue;
		}
		if (c->type == JSON_OBJECT) {
			json_write_key_len(w, c->u.obj.members[i].key, c->u.obj.members[i].key_len);
			child = c->u.obj.members[i].value;
		} else {
			child = c->u.arr.items[i];
		}
		if (!child || (child->type != JSON_ARRAY && child->type != JSON_OBJECT)) {
			if (child)
				json_w_scalar(w, child);
			else
				json_w_fail(w, EINVAL);
			continue;
		}
		if (top == JSON_MAX_DEPTH + 1) {
			json_w_fail(w, EINVAL);
			return;
		}
		json_w_begin(w, child->type == JSON_OBJECT);
		st[top].v = child;
		st[top++].i = 0;
	}
}

char *
json_writer_finish(struct json_writer *w, size_t *len)
{
	char *out;

	if (!w->failed && (w->depth != 0 || (w->first[0] & JSON_W_EMPTY) || w->after_key))
		json_w_fail(w, EINVAL); /* nothing written, or something left open */
	json_w_put(w, "", 0);		/* make sure a buffer exists for the NUL */
	if (w->failed) {
		errno = w->failed;
		json_writer_discard(w);
		return NULL;
	}
	out = w->buf;
	out[w->len] = '\0';
	if (len)
		*len = w->len;
	w->buf = NULL;
	w->len = w->cap = 0;
	return out;
}

void
json_writer_discard(struct json_writer *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}
