/*
 * json.c - a strict RFC 8259 parser and a small writer.
 *
 * runc counterpart: Go's encoding/json, which runc uses to read config.json
 * (spec.go loadSpec: json.NewDecoder(cf).Decode(&spec)) and to write
 * `runc spec` and `runc state` (json.MarshalIndent).
 *
 * The parser reads a buffer and a length into a tree held in one arena (a
 * chain of big blocks) that json_free() releases in one call.  It never
 * recurses: open arrays and objects live on an explicit stack of at most
 * JSON_MAX_DEPTH frames, and their elements wait on one "pending" stack until
 * the closing bracket, when they are copied into the arena as one array.
 * Every step is linear in the input, duplicate-key detection included (a
 * small object is searched, a big one gets a hash table).
 *
 * It is stricter than Go's encoding/json on two points, on purpose: a
 * duplicate key is an error (Go silently keeps the last one, so a config.json
 * with two "cwd" would mean something nobody wrote), and invalid UTF-8 is an
 * error (Go replaces it with U+FFFD).
 *
 * Left out: streaming, comments or any other extension, and numbers beyond
 * int64/uint64/double (the literal text is kept, so nothing is lost).
 */
#include "json.h"
#include "json_int.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* The arena: one malloc'd block after another, all freed by json_free().     */
/* ------------------------------------------------------------------------ */

struct json_block {
	struct json_block *next;
	size_t used, cap;
};

#define JSON_ALIGN     16
#define JSON_BLOCK_HDR ((sizeof(struct json_block) + JSON_ALIGN - 1) & ~(size_t)(JSON_ALIGN - 1))
#define JSON_BLOCK_MIN ((size_t)4096)
#define JSON_BLOCK_MAX ((size_t)1 << 20)

/* The document lives at the start of its own first block. */
struct json_doc {
	struct json_block *head; /* the block being filled */
	size_t next_cap;	 /* size of the next block */
	struct json_value *root;
};

static unsigned char *
json_block_data(struct json_block *b)
{
	return (unsigned char *)b + JSON_BLOCK_HDR;
}

static struct json_block *
json_block_new(size_t cap)
{
	struct json_block *b;

	if (cap > SIZE_MAX - JSON_BLOCK_HDR) {
		errno = ENOMEM;
		return NULL;
	}
	b = malloc(JSON_BLOCK_HDR + cap);
	if (!b)
		return NULL;
	b->next = NULL;
	b->used = 0;
	b->cap = cap;
	return b;
}

/* size bytes aligned to align (a power of two, at most JSON_ALIGN), or NULL. */
static void *
json_alloc(struct json_doc *d, size_t size, size_t align)
{
	struct json_block *b = d->head, *nb;
	size_t at = (b->used + align - 1) & ~(align - 1);

	if (at <= b->cap && size <= b->cap - at) {
		b->used = at + size;
		return json_block_data(b) + at;
	}
	if (size > d->next_cap / 4) {
		/* A big string gets a block of its own, linked behind the current
		 * one, so that what is left of the current block stays in use. */
		nb = json_block_new(size);
		if (!nb)
			return NULL;
		nb->next = b->next;
		b->next = nb;
		nb->used = size;
		return json_block_data(nb);
	}
	nb = json_block_new(d->next_cap);
	if (!nb)
		return NULL;
	nb->next = b;
	d->head = nb;
	if (d->next_cap < JSON_BLOCK_MAX)
		d->next_cap *= 2;
	nb->used = size;
	return json_block_data(nb);
}

/* The first block is sized from the input: the tree is a few times its text. */
static struct json_doc *
json_doc_new(size_t len)
{
	size_t cap = len < JSON_BLOCK_MAX / 4 ? len * 4 : JSON_BLOCK_MAX;
	struct json_block *b;
	struct json_doc *d;

	if (cap < JSON_BLOCK_MIN)
		cap = JSON_BLOCK_MIN;
	b = json_block_new(cap);
	if (!b)
		return NULL;
	d = (struct json_doc *)json_block_data(b);
	b->used = (sizeof(*d) + JSON_ALIGN - 1) & ~(size_t)(JSON_ALIGN - 1);
	d->head = b;
	d->next_cap = cap < JSON_BLOCK_MAX ? cap * 2 : cap;
	d->root = NULL;
	return d;
}

void
json_free(struct json_doc *doc)
{
	struct json_block *b, *next;

	if (!doc)
		return;
	/* The doc sits in the last block of the chain, so it is read first. */
	for (b = doc->head; b; b = next) {
		next = b->next;
		free(b);
	}
}

const struct json_value *
json_root(const struct json_doc *doc)
{
	return doc ? doc->root : NULL;
}

/* ------------------------------------------------------------------------ */
/* The parser's state                                                         */
/* ------------------------------------------------------------------------ */

/* An element of an open array or object, waiting for the closing bracket. */
struct json_pending {
	struct json_value *value;
	const char *key; /* objects only */
	size_t key_len;
	uint64_t hash;
	unsigned line, col;
	size_t off;
};

/* Objects with more members than this get a hash table for duplicate keys. */
#define JSON_SMALL_OBJECT 8

/* One open array or object. */
struct json_frame {
	struct json_value *v;
	size_t first;	  /* index of its first element on the pending stack */
	size_t *tab;	  /* duplicate-key table: member index + 1, 0 = empty */
	size_t tab_alloc; /* slots allocated (kept for the next object at this depth) */
	size_t tab_size;  /* slots in use by this object; 0 = none yet */
};

struct json_parser {
	const unsigned char *b;
	size_t len, pos;
	unsigned line;	   /* line of pos, 1-based */
	size_t line_start; /* offset where that line starts */
	struct json_doc *doc;
	struct json_err *err;
	uint64_t seed;
	struct json_pending *pend;
	size_t npend, cap_pend;
	int depth;	 /* open containers */
	int frames_init; /* frames whose tab fields have been set */
	struct json_frame frames[JSON_MAX_DEPTH];
};

/* Fill err for a failure at byte off; returns -1 with errno = EINVAL. */
__attribute__((format(printf, 3, 4))) static int
json_fail_at(struct json_parser *p, size_t off, const char *fmt, ...)
{
	const unsigned char *nl, *from = p->b, *end = p->b + off;
	unsigned line = 1;
	va_list ap;

	/* Errors are rare: count lines from the start rather than trust state. */
	while (from < end && (nl = memchr(from, '\n', (size_t)(end - from)))) {
		line++;
		from = nl + 1;
	}
	p->err->line = line;
	p->err->col = (unsigned)(end - from) + 1;
	p->err->off = off;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	errno = EINVAL;
	return -1;
}

static int
json_oom(struct json_parser *p)
{
	json_fail_at(p, p->pos, "out of memory");
	errno = ENOMEM;
	return -1;
}

static int
json_eof(struct json_parser *p)
{
	return json_fail_at(p, p->len, "unexpected end of input");
}

/*
 * Fail where the byte at pos is not what the grammar wants.  A few bytes get a
 * message of their own because they are what people actually write.
 */
static int
json_fail_expected(struct json_parser *p, const char *what)
{
	if (p->pos >= p->len)
		return json_eof(p);
	if (p->b[p->pos] == '\0')
		return json_fail_at(p, p->pos, "unexpected NUL byte outside a string");
	if (p->b[p->pos] == '/')
		return json_fail_at(p, p->pos, "comments are not allowed in JSON");
	return json_fail_at(p, p->pos, "%s", what);
}

/* RFC 8259 §2: whitespace is space, tab, LF and CR; nothing else (no \f, \v). */
static void
json_skip_ws(struct json_parser *p)
{
	while (p->pos < p->len) {
		unsigned char c = p->b[p->pos];

		if (c == '\n') {
			p->line++;
			p->line_start = p->pos + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			break;
		}
		p->pos++;
	}
}

static struct json_value *
json_new_value(struct json_parser *p, enum json_type t, size_t off)
{
	struct json_value *v = json_alloc(p->doc, sizeof(*v), alignof(struct json_value));

	if (!v) {
		json_oom(p);
		return NULL;
	}
	memset(v, 0, sizeof(*v));
	v->type = t;
	v->off = off;
	v->line = p->line;
	v->col = (unsigned)(off - p->line_start) + 1;
	return v;
}

/* ------------------------------------------------------------------------ */
/* Strings (RFC 8259 §7) and UTF-8 (RFC 3629 §4, Unicode Table 3-7)          */
/* ------------------------------------------------------------------------ */

/*
 * Length of the well-formed UTF-8 sequence at s (n bytes available), or 0.
 * The narrowed second-byte ranges reject overlong forms (C0, C1, E0 80-9F,
 * F0 80-8F), UTF-16 surrogates (ED A0-BF) and code points past U+10FFFF.
 */
size_t
json_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t k, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		k = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		k = 3;
		lo = c == 0xE0 ? 0xA0 : 0x80;
		hi = c == 0xED ? 0x9F : 0xBF;
	} else if (c >= 0xF0 && c <= 0xF4) {
		k = 4;
		lo = c == 0xF0 ? 0x90 : 0x80;
		hi = c == 0xF4 ? 0x8F : 0xBF;
	} else {
		return 0;
	}
	if (n < k || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < k; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return k;
}

static size_t
json_utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* The four hex digits of the \u escape whose backslash is at `at`. */
static int
json_hex4(struct json_parser *p, size_t at, uint32_t *cp)
{
	size_t i;

	*cp = 0;
	for (i = at + 2; i < at + 6; i++) {
		unsigned char c;

		if (i >= p->len)
			return json_eof(p);
		c = p->b[i];
		if (c >= '0' && c <= '9')
			*cp = *cp * 16 + (uint32_t)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*cp = *cp * 16 + (uint32_t)((c | 0x20) - 'a' + 10);
		else
			return json_fail_at(p, at, "invalid \\u escape: expected 4 hex digits");
	}
	return 0;
}

/*
 * A \uXXXX escape at *i, or a surrogate pair \uD83D\uDE00 (RFC 8259 §7),
 * decoded into UTF-8 at out.  A surrogate that is not part of a pair has no
 * UTF-8 form, so it is an error.
 */
static int
json_unescape_u(struct json_parser *p, size_t *i, char *out)
{
	size_t at = *i, next = at + 6;
	uint32_t cp, lo;

	if (json_hex4(p, at, &cp) < 0)
		return -1;
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return json_fail_at(p, at,
				    "lone surrogate \\u%04" PRIX32
				    " in string (a low surrogate must follow a high one)",
				    cp);
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (next + 1 >= p->len || p->b[next] != '\\' || p->b[next + 1] != 'u')
			lo = 0;
		else if (json_hex4(p, next, &lo) < 0)
			return -1;
		if (lo < 0xDC00 || lo > 0xDFFF)
			return json_fail_at(
			    p, at,
			    "lone surrogate \\u%04" PRIX32
			    " in string (a high surrogate must be followed by a low one)",
			    cp);
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		next += 6;
	}
	*i = next;
	return (int)json_utf8_put(out, cp);
}

/* The escape whose backslash is at *i; returns the bytes written to out. */
static int
json_unescape(struct json_parser *p, size_t *i, char *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	size_t at = *i;
	const char *hit;
	unsigned char c;

	if (at + 1 >= p->len)
		return json_eof(p);
	c = p->b[at + 1];
	if (c == 'u')
		return json_unescape_u(p, i, out);
	hit = c ? strchr(from, c) : NULL;
	if (!hit) {
		if (c > 0x20 && c < 0x7F)
			return json_fail_at(p, at, "invalid escape '\\%c' in string", c);
		return json_fail_at(p, at, "invalid escape in string");
	}
	out[0] = to[hit - from];
	*i = at + 2;
	return 1;
}

/*
 * An upper bound of the decoded length of the string that opens at start - 1:
 * its raw length up to the closing quote (or the end).  Escapes only shrink.
 */
static size_t
json_string_bound(const struct json_parser *p, size_t start)
{
	const unsigned char *q;
	size_t i = start;

	while (i < p->len && (q = memchr(p->b + i, '"', p->len - i))) {
		size_t at = (size_t)(q - p->b), bs = 0;

		/* The quote ends the string unless an odd run of backslashes escapes it. */
		while (at - bs > start && p->b[at - bs - 1] == '\\')
			bs++;
		if (bs % 2 == 0)
			return at - start;
		i = at + 1;
	}
	return p->len - start;
}

/* The string whose opening quote is at pos, decoded into the arena. */
static int
json_scan_string(struct json_parser *p, const char **s, size_t *n)
{
	size_t i = p->pos + 1, o = 0;
	char *out = json_alloc(p->doc, json_string_bound(p, i) + 1, 1);
	int r;

	if (!out)
		return json_oom(p);
	for (;;) {
		unsigned char c;
		size_t k;

		if (i >= p->len)
			return json_eof(p);
		c = p->b[i];
		if (c == '"')
			break;
		if (c == '\\') {
			if ((r = json_unescape(p, &i, out + o)) < 0)
				return -1;
			o += (size_t)r;
		} else if (c < 0x20) {
			/* RFC 8259 §7: U+0000 to U+001F must be escaped. */
			return json_fail_at(p, i, "unescaped control character 0x%02x in string",
					    c);
		} else {
			/* A run of bytes that need no decoding goes out in one copy. */
			for (k = 0; i + k < p->len; k += (size_t)r) {
				c = p->b[i + k];
				r = 1;
				if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
					continue;
				if (c < 0x80 ||
				    !(r = (int)json_utf8_len(p->b + i + k, p->len - i - k)))
					break;
			}
			if (k == 0)
				return json_fail_at(p, i, "invalid UTF-8 in string");
			memcpy(out + o, p->b + i, k);
			o += k;
			i += k;
		}
	}
	out[o] = '\0';
	*s = out;
	*n = o;
	p->pos = i + 1;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Numbers (RFC 8259 §6) and the literals true, false, null                  */
/* ------------------------------------------------------------------------ */

static int
json_is_digit(const unsigned char *b, size_t len, size_t i)
{
	return i < len && b[i] >= '0' && b[i] <= '9';
}

/*
 * End of the number that starts at b[i]:
 *   -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
 * or 0 with *why and *where saying what is wrong.  Shared with the writer.
 */
size_t
json_number_end(const unsigned char *b, size_t len, size_t i, const char **why, size_t *where)
{
	if (i < len && b[i] == '-')
		i++;
	*where = i;
	if (i < len && b[i] == 'I') {
		*why = "NaN and Infinity are not allowed in JSON";
		return 0;
	}
	if (!json_is_digit(b, len, i)) {
		*why = "expected a digit after '-'";
		return 0;
	}
	if (b[i] == '0' && json_is_digit(b, len, i + 1)) {
		*why = "leading zeros are not allowed";
		return 0;
	}
	while (json_is_digit(b, len, i))
		i++;
	if (i < len && b[i] == '.') {
		*where = ++i;
		*why = "expected a digit after '.'";
		if (!json_is_digit(b, len, i))
			return 0;
		while (json_is_digit(b, len, i))
			i++;
	}
	if (i < len && (b[i] == 'e' || b[i] == 'E')) {
		if (++i < len && (b[i] == '+' || b[i] == '-'))
			i++;
		*where = i;
		*why = "expected a digit in the exponent";
		if (!json_is_digit(b, len, i))
			return 0;
		while (json_is_digit(b, len, i))
			i++;
	}
	return i;
}

/* A number keeps its literal text (NUL-terminated in the arena). */
static int
json_scan_number(struct json_parser *p, struct json_value **out)
{
	const char *why = NULL;
	size_t where, end = json_number_end(p->b, p->len, p->pos, &why, &where);
	struct json_value *v;
	char *lit;

	if (!end)
		return json_fail_at(p, where, "%s", why);
	v = json_new_value(p, JSON_NUMBER, p->pos);
	if (!v)
		return -1;
	lit = json_alloc(p->doc, end - p->pos + 1, 1);
	if (!lit)
		return json_oom(p);
	memcpy(lit, p->b + p->pos, end - p->pos);
	lit[end - p->pos] = '\0';
	v->u.str.s = lit;
	v->u.str.len = end - p->pos;
	p->pos = end;
	*out = v;
	return 0;
}

static int
json_scan_literal(struct json_parser *p, struct json_value **out)
{
	static const struct {
		const char *word;
		enum json_type type;
	} lits[] = {{"true", JSON_TRUE}, {"false", JSON_FALSE}, {"null", JSON_NULL}};
	size_t i, n, left = p->len - p->pos;

	for (i = 0; i < sizeof(lits) / sizeof(lits[0]); i++) {
		if (lits[i].word[0] != p->b[p->pos])
			continue;
		n = strlen(lits[i].word);
		if (left < n && memcmp(p->b + p->pos, lits[i].word, left) == 0)
			return json_eof(p);
		if (left < n || memcmp(p->b + p->pos, lits[i].word, n) != 0)
			break;
		if (!(*out = json_new_value(p, lits[i].type, p->pos)))
			return -1;
		p->pos += n;
		return 0;
	}
	return json_fail_at(p, p->pos, "invalid literal (expected true, false or null)");
}

/* ------------------------------------------------------------------------ */
/* Arrays and objects: the explicit stack                                    */
/* ------------------------------------------------------------------------ */

static struct json_pending *
json_push(struct json_parser *p)
{
	struct json_pending *np, *e;
	size_t cap;

	if (p->npend == p->cap_pend) {
		cap = p->cap_pend ? p->cap_pend * 2 : 64;
		if (cap > SIZE_MAX / sizeof(*np)) {
			errno = ENOMEM;
			return NULL;
		}
		np = realloc(p->pend, cap * sizeof(*np));
		if (!np)
			return NULL;
		p->pend = np;
		p->cap_pend = cap;
	}
	e = &p->pend[p->npend++];
	memset(e, 0, sizeof(*e));
	return e;
}

static int
json_open(struct json_parser *p, enum json_type t)
{
	struct json_frame *f;
	struct json_value *v;

	/* The limit is what keeps the explicit stack (and spec.c) bounded. */
	if (p->depth == JSON_MAX_DEPTH)
		return json_fail_at(p, p->pos, "nesting deeper than %d", JSON_MAX_DEPTH);
	v = json_new_value(p, t, p->pos);
	if (!v)
		return -1;
	f = &p->frames[p->depth++];
	if (p->depth > p->frames_init) {
		f->tab = NULL;
		f->tab_alloc = 0;
		p->frames_init = p->depth;
	}
	f->v = v;
	f->first = p->npend;
	f->tab_size = 0;
	p->pos++;
	return 0;
}

/* The closing bracket at pos: move the pending elements into the arena. */
static struct json_value *
json_close(struct json_parser *p)
{
	struct json_frame *f = &p->frames[p->depth - 1];
	struct json_value *v = f->v;
	size_t i, n = p->npend - f->first;
	struct json_pending *e = n ? p->pend + f->first : NULL; /* pend is NULL until used */

	if (n && v->type == JSON_ARRAY) {
		v->u.arr.items =
		    json_alloc(p->doc, n * sizeof(*v->u.arr.items), alignof(struct json_value *));
		if (!v->u.arr.items)
			return json_oom(p), NULL;
		for (i = 0; i < n; i++)
			v->u.arr.items[i] = e[i].value;
	} else if (n) {
		v->u.obj.members =
		    json_alloc(p->doc, n * sizeof(*v->u.obj.members), alignof(struct json_member));
		if (!v->u.obj.members)
			return json_oom(p), NULL;
		for (i = 0; i < n; i++)
			v->u.obj.members[i] = (struct json_member){
			    e[i].key, e[i].key_len, e[i].line, e[i].col, e[i].off, e[i].value};
	}
	if (v->type == JSON_ARRAY)
		v->u.arr.n = n;
	else
		v->u.obj.n = n;
	p->npend = f->first;
	p->depth--;
	p->pos++;
	return v;
}

/* ------------------------------------------------------------------------ */
/* Duplicate keys: linear per object                                         */
/* ------------------------------------------------------------------------ */

/* FNV-1a with a per-parse seed, then a 64-bit finaliser (MurmurHash3 fmix64). */
static uint64_t
json_hash(uint64_t seed, const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static int
json_same_key(const struct json_pending *a, const struct json_pending *b)
{
	return a->hash == b->hash && a->key_len == b->key_len &&
	       memcmp(a->key, b->key, a->key_len) == 0;
}

/* Put member j of frame f into its table; returns an equal earlier member or NULL. */
static struct json_pending *
json_tab_insert(struct json_parser *p, struct json_frame *f, size_t j)
{
	struct json_pending *m = &p->pend[f->first + j], *o;
	size_t mask = f->tab_size - 1, slot = (size_t)m->hash & mask;

	while (f->tab[slot]) {
		o = &p->pend[f->first + f->tab[slot] - 1];
		if (json_same_key(o, m))
			return o;
		slot = (slot + 1) & mask;
	}
	f->tab[slot] = j + 1;
	return NULL;
}

/* Size the table for at least 2 * (count + 1) slots and fill in members 0..count-1. */
static int
json_tab_rebuild(struct json_parser *p, struct json_frame *f, size_t count)
{
	size_t size = 32, j;

	while (size < 4 * (count + 1))
		size *= 2;
	if (size > f->tab_alloc) {
		free(f->tab);
		f->tab_alloc = 0;
		f->tab = malloc(size * sizeof(*f->tab));
		if (!f->tab)
			return -1;
		f->tab_alloc = size;
	}
	memset(f->tab, 0, size * sizeof(*f->tab));
	f->tab_size = size;
	for (j = 0; j < count; j++)
		json_tab_insert(p, f, j);
	return 0;
}

/* Shorten a key for a message: printable, at most 40 bytes, quotes escaped. */
static void
json_key_for_msg(char *out, size_t cap, const char *k, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 6 < cap && i < 40; i++) {
		unsigned char c = (unsigned char)k[i];

		if (c == '"' || c == '\\')
			out[o++] = '\\';
		out[o++] = c < 0x20 || c == 0x7F ? '?' : (char)c;
	}
	if (i < n) {
		/* Do not leave half a UTF-8 sequence before the "...". */
		while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
			o--;
		if (o > 0 && (unsigned char)out[o - 1] >= 0xC0)
			o--;
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

/* The member just pushed on frame f: is its key already in the object? */
static int
json_check_duplicate(struct json_parser *p, struct json_frame *f)
{
	size_t j = p->npend - 1 - f->first, k;
	struct json_pending *m = &p->pend[p->npend - 1], *o = NULL;
	char key[64];

	if (j < JSON_SMALL_OBJECT) {
		for (k = f->first; k < p->npend - 1 && !o; k++)
			if (json_same_key(&p->pend[k], m))
				o = &p->pend[k];
	} else {
		if (2 * (j + 1) > f->tab_size && json_tab_rebuild(p, f, j) < 0)
			return json_oom(p);
		o = json_tab_insert(p, f, j);
	}
	if (!o)
		return 0;
	json_key_for_msg(key, sizeof(key), m->key, m->key_len);
	return json_fail_at(p, m->off, "duplicate key \"%s\" (first at %u:%u)", key, o->line,
			    o->col);
}

/* A member's key and its ':' (pos is at the key, after whitespace). */
static int
json_scan_key(struct json_parser *p, const char *expected)
{
	struct json_frame *f = &p->frames[p->depth - 1];
	struct json_pending *m;
	size_t off = p->pos;

	if (p->pos >= p->len || p->b[p->pos] != '"')
		return json_fail_expected(p, expected);
	if (!(m = json_push(p)))
		return json_oom(p);
	m->off = off;
	m->line = p->line;
	m->col = (unsigned)(off - p->line_start) + 1;
	if (json_scan_string(p, &m->key, &m->key_len) < 0)
		return -1;
	m->hash = json_hash(p->seed, m->key, m->key_len);
	if (json_check_duplicate(p, f) < 0)
		return -1;
	json_skip_ws(p);
	if (p->pos >= p->len || p->b[p->pos] != ':')
		return json_fail_expected(p, "expected ':' after an object key");
	p->pos++;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* The driver                                                                */
/* ------------------------------------------------------------------------ */

/* A value where one must be at pos, whose first byte is not one of a value's. */
static int
json_fail_value(struct json_parser *p)
{
	unsigned char c = p->b[p->pos];
	char msg[48];

	if (c == 'N' || c == 'I')
		return json_fail_at(p, p->pos, "NaN and Infinity are not allowed in JSON");
	if (c == '+' || c == '.')
		return json_fail_at(p, p->pos, "a number cannot start with '%c'", c);
	if (c > 0x20 && c < 0x7F)
		snprintf(msg, sizeof(msg), "expected a value, found '%c'", c);
	else
		snprintf(msg, sizeof(msg), "expected a value, found byte 0x%02x", c);
	return json_fail_expected(p, msg);
}

/* Start a value: a scalar comes back whole in *out; a container is opened (*out = NULL). */
static int
json_begin_value(struct json_parser *p, struct json_value **out)
{
	unsigned char c;
	size_t off;

	*out = NULL;
	json_skip_ws(p);
	if (p->pos >= p->len)
		return json_eof(p);
	c = p->b[p->pos];
	if (c == '{')
		return json_open(p, JSON_OBJECT);
	if (c == '[')
		return json_open(p, JSON_ARRAY);
	if (c == '-' || (c >= '0' && c <= '9'))
		return json_scan_number(p, out);
	if (c == 't' || c == 'f' || c == 'n')
		return json_scan_literal(p, out);
	if (c != '"')
		return json_fail_value(p);
	off = p->pos;
	if (!(*out = json_new_value(p, JSON_STRING, off)))
		return -1;
	return json_scan_string(p, &(*out)->u.str.s, &(*out)->u.str.len);
}

/*
 * Right after '{' or '[': an empty container closes at once (returns 1 with
 * *closed set); otherwise an object's first key is read (returns 0: a value
 * is due next).
 */
static int
json_after_open(struct json_parser *p, struct json_value **closed)
{
	enum json_type t = p->frames[p->depth - 1].v->type;

	json_skip_ws(p);
	if (p->pos < p->len && p->b[p->pos] == (t == JSON_OBJECT ? '}' : ']')) {
		*closed = json_close(p);
		return *closed ? 1 : -1;
	}
	if (t == JSON_ARRAY)
		return 0;
	return json_scan_key(p, "expected a string key or '}'");
}

/*
 * After an element of the innermost container: ',' (then, in an object, the
 * next key; returns 0) or the closing bracket (returns 1 with *closed set).
 */
static int
json_after_element(struct json_parser *p, struct json_value **closed)
{
	int obj = p->frames[p->depth - 1].v->type == JSON_OBJECT;
	char close = obj ? '}' : ']';

	json_skip_ws(p);
	if (p->pos < p->len && p->b[p->pos] == close) {
		*closed = json_close(p);
		return *closed ? 1 : -1;
	}
	if (p->pos >= p->len || p->b[p->pos] != ',')
		return json_fail_expected(p, obj ? "expected ',' or '}' after an object member"
						 : "expected ',' or ']' after an array element");
	p->pos++;
	json_skip_ws(p);
	if (p->pos < p->len && p->b[p->pos] == close)
		return json_fail_at(p, p->pos, "trailing comma before '%c'", close);
	if (!obj)
		return 0;
	return json_scan_key(p, "expected a string key after ','");
}

/* Hand a finished value to the innermost container. */
static int
json_attach(struct json_parser *p, struct json_value *v)
{
	struct json_pending *e;

	if (p->frames[p->depth - 1].v->type == JSON_OBJECT) {
		p->pend[p->npend - 1].value = v; /* its key was pushed already */
		return 0;
	}
	if (!(e = json_push(p)))
		return json_oom(p);
	e->value = v;
	return 0;
}

static int
json_expect_end(struct json_parser *p)
{
	json_skip_ws(p);
	if (p->pos < p->len)
		return json_fail_expected(p, "trailing data after the document");
	return 0;
}

/*
 * The whole document as a loop instead of recursion: begin a value; when one
 * is complete, attach it to its container and keep closing containers for as
 * long as their closing brackets follow.
 */
static int
json_parse_document(struct json_parser *p)
{
	struct json_value *v;
	int r;

	for (;;) {
		if (json_begin_value(p, &v) < 0)
			return -1;
		if (!v) {
			if ((r = json_after_open(p, &v)) < 0)
				return -1;
			if (r == 0)
				continue;
		}
		for (;;) {
			if (p->depth == 0) {
				p->doc->root = v;
				return json_expect_end(p);
			}
			if (json_attach(p, v) < 0)
				return -1;
			if ((r = json_after_element(p, &v)) < 0)
				return -1;
			if (r == 0)
				break;
		}
	}
}

struct json_doc *
json_parse(const char *buf, size_t len, struct json_err *err)
{
	struct json_err dummy;
	struct json_parser p;
	int r, saved, i;

	p.err = err ? err : &dummy;
	memset(p.err, 0, sizeof(*p.err));
	p.b = (const unsigned char *)(buf ? buf : "");
	p.len = buf ? len : 0;
	p.pos = p.line_start = p.npend = p.cap_pend = 0;
	p.line = 1;
	p.depth = p.frames_init = 0;
	p.pend = NULL;
	/* Seeded so that colliding keys cannot be prepared in advance. */
	p.seed = (uint64_t)(uintptr_t)&p ^ ((uint64_t)(uintptr_t)buf << 17);
	p.doc = json_doc_new(len);
	if (!p.doc)
		return json_oom(&p), NULL;
	r = json_parse_document(&p);
	saved = errno;
	for (i = 0; i < p.frames_init; i++)
		free(p.frames[i].tab);
	free(p.pend);
	if (r < 0) {
		json_free(p.doc);
		errno = saved;
		return NULL;
	}
	return p.doc;
}

/* ------------------------------------------------------------------------ */
/* Reading the tree                                                          */
/* ------------------------------------------------------------------------ */

const struct json_value *
json_get(const struct json_value *obj, const char *key)
{
	size_t i, n;

	if (!obj || obj->type != JSON_OBJECT || !key)
		return NULL;
	n = strlen(key);
	for (i = 0; i < obj->u.obj.n; i++) {
		const struct json_member *m = &obj->u.obj.members[i];

		if (m->key_len == n && memcmp(m->key, key, n) == 0)
			return m->value;
	}
	return NULL;
}

/*
 * The magnitude of an integer literal.  Only digits (after an optional '-')
 * are an integer here: "1.0" and "1e2" are EINVAL, as they would be for
 * Go's json.Unmarshal into an int.
 */
static int
json_int_parse(const struct json_value *v, int *neg, uint64_t *mag)
{
	const char *s;
	size_t i = 0, n;
	int over = 0;

	if (!v || v->type != JSON_NUMBER || !v->u.str.len)
		return errno = EINVAL, -1;
	s = v->u.str.s;
	n = v->u.str.len;
	*neg = s[0] == '-';
	i = (size_t)*neg;
	if (i >= n)
		return errno = EINVAL, -1;
	for (*mag = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d > 9)
			return errno = EINVAL, -1;
		if (*mag > (UINT64_MAX - d) / 10)
			over = 1;
		else
			*mag = *mag * 10 + d;
	}
	if (over)
		return errno = ERANGE, -1;
	return 0;
}

int
json_to_int64(const struct json_value *v, int64_t *out)
{
	uint64_t mag;
	int neg;

	if (json_int_parse(v, &neg, &mag) < 0)
		return -1;
	if (mag > (uint64_t)INT64_MAX + (neg ? 1 : 0))
		return errno = ERANGE, -1;
	if (neg)
		*out = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	else
		*out = (int64_t)mag;
	return 0;
}

int
json_to_uint64(const struct json_value *v, uint64_t *out)
{
	uint64_t mag;
	int neg;

	if (json_int_parse(v, &neg, &mag) < 0)
		return -1;
	if (neg && mag)
		return errno = ERANGE, -1;
	*out = mag;
	return 0;
}

/*
 * strtod on the literal.  minirunc never calls setlocale(), so the decimal
 * point is '.'; should a locale say otherwise, strtod stops early and this
 * returns EINVAL instead of a wrong value.  Underflow rounds (to 0 or a
 * subnormal) as Go does; overflow is ERANGE.
 */
int
json_to_double(const struct json_value *v, double *out)
{
	char *end;
	double d;

	if (!v || v->type != JSON_NUMBER)
		return errno = EINVAL, -1;
	errno = 0;
	d = strtod(v->u.str.s, &end);
	if (end != v->u.str.s + v->u.str.len || !v->u.str.len)
		return errno = EINVAL, -1;
	if (isinf(d))
		return errno = ERANGE, -1;
	errno = 0;
	*out = d;
	return 0;
}

const char *
json_type_name(enum json_type t)
{
	switch (t) {
	case JSON_NULL:
		return "null";
	case JSON_FALSE:
	case JSON_TRUE:
		return "boolean";
	case JSON_NUMBER:
		return "number";
	case JSON_STRING:
		return "string";
	case JSON_ARRAY:
		return "array";
	case JSON_OBJECT:
		return "object";
	}
	return "unknown";
}
