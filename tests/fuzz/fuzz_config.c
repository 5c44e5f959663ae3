/*
 * fuzz_config.c - libFuzzer target: json.c (and, with -DFUZZ_SPEC, spec.c)
 * must never crash, hang, leak or read out of bounds, whatever the bytes.
 *
 * For every input: json_parse(); when it parses, spec_parse() on the same
 * bytes (FUZZ_SPEC only), then the tree goes through the writer, compact and
 * indented, and the output must parse again into the same tree.  That checks
 * the escaping of every string the parser can produce and the writer's
 * structure.  runc has no counterpart (Go's fuzzing of encoding/json is
 * the nearest).
 *
 * Build (from the top of the tree):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. \
 *       tests/fuzz/fuzz_config.c json.c util.c -o fuzz_config
 *   ./fuzz_config -dict=tests/fuzz/json.dict tests/fuzz/corpus
 * Add -DFUZZ_SPEC and spec.c (and what it needs) to fuzz spec_parse() too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#ifdef FUZZ_SPEC
#include "spec.h"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Structural equality; recursion is bounded by JSON_MAX_DEPTH. */
static int
fuzz_same(const struct json_value *a, const struct json_value *b)
{
	size_t i;

	if (a->type != b->type)
		return 0;
	if (a->type == JSON_NUMBER || a->type == JSON_STRING)
		return a->u.str.len == b->u.str.len &&
		       memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
	if (a->type == JSON_ARRAY) {
		if (a->u.arr.n != b->u.arr.n)
			return 0;
		for (i = 0; i < a->u.arr.n; i++)
			if (!fuzz_same(a->u.arr.items[i], b->u.arr.items[i]))
				return 0;
	}
	if (a->type == JSON_OBJECT) {
		if (a->u.obj.n != b->u.obj.n)
			return 0;
		for (i = 0; i < a->u.obj.n; i++) {
			const struct json_member *x = &a->u.obj.members[i],
						 *y = &b->u.obj.members[i];

			if (x->key_len != y->key_len || memcmp(x->key, y->key, x->key_len) != 0 ||
			    !fuzz_same(x->value, y->value))
				return 0;
		}
	}
	return 1;
}

/* Write the tree with this indent, parse the text again, compare. */
static void
fuzz_roundtrip(const struct json_value *root, int indent)
{
	struct json_writer w;
	struct json_err err;
	struct json_doc *again;
	size_t len;
	char *text;

	json_writer_init(&w, indent);
	json_write_value(&w, root);
	text = json_writer_finish(&w, &len);
	if (!text)
		abort(); /* every parsed tree must be writable */
	again = json_parse(text, len, &err);
	if (!again || !fuzz_same(root, json_root(again)))
		abort();
	json_free(again);
	free(text);
}

/* Touch the conversions: they must not crash on any number. */
static void
fuzz_numbers(const struct json_value *v)
{
	int64_t i;
	uint64_t u;
	double d;

	if (v->type != JSON_NUMBER)
		return;
	json_to_int64(v, &i);
	json_to_uint64(v, &u);
	json_to_double(v, &d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_err err;
	struct json_doc *doc;
	const struct json_value *root;
	size_t i;

	doc = json_parse((const char *)data, size, &err);
	if (!doc) {
		if (err.line == 0 || err.col == 0 || err.off > size || !err.msg[0])
			abort(); /* every error has a place and a message */
		return 0;
	}
	root = json_root(doc);
	fuzz_numbers(root);
	if (root->type == JSON_ARRAY)
		for (i = 0; i < root->u.arr.n; i++)
			fuzz_numbers(root->u.arr.items[i]);
	if (root->type == JSON_OBJECT)
		for (i = 0; i < root->u.obj.n; i++)
			fuzz_numbers(root->u.obj.members[i].value);
#ifdef FUZZ_SPEC
	{
		struct spec s;
		struct err e;

		memset(&s, 0, sizeof(s));
		if (spec_parse("config.json", (const char *)data, size, "/fuzz-bundle", &s, &e) ==
		    0)
			spec_free(&s);
	}
#endif
	fuzz_roundtrip(root, 0);
	fuzz_roundtrip(root, -1);
	fuzz_roundtrip(root, 3);
	json_free(doc);
	return 0;
}
