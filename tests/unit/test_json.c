/*
 * test_json.c - json.c on valid, invalid and hostile input, and the writer.
 *
 * Every error message json.c produces is checked here with its line:col, as
 * a user would see it ("config.json:3:14: <msg>").  Hostile inputs: a million
 * '[', 16 MiB strings, 200,000 keys, NUL bytes, every kind of bad UTF-8.
 * Nothing here times anything (TESTING.md); bench/json_bench.c does that.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "unit.h"

static struct json_err last_err;

/* Parse len bytes and expect exactly this error at line:col. */
static int
fails_with(const char *buf, size_t len, unsigned line, unsigned col, const char *msg)
{
	struct json_doc *d;

	errno = 0;
	d = json_parse(buf, len, &last_err);
	if (d) {
		json_free(d);
		fprintf(stderr, "    parsed, want %u:%u: %s\n", line, col, msg);
		return 0;
	}
	if (errno != EINVAL || last_err.line != line || last_err.col != col ||
	    strcmp(last_err.msg, msg) != 0) {
		fprintf(stderr, "    got %u:%u: %s (errno %d)\n    want %u:%u: %s\n", last_err.line,
			last_err.col, last_err.msg, errno, line, col, msg);
		return 0;
	}
	return 1;
}

/* For literals (embedded NUL bytes included). */
#define CHECK_ERR(text, line, col, msg) CHECK(fails_with(text, sizeof(text) - 1, line, col, msg))
#define PARSE(text)			json_parse(text, sizeof(text) - 1, &last_err)

/* Parse a literal holding one string and compare its decoded bytes. */
static int
string_is(const char *buf, size_t len, const char *want, size_t want_len)
{
	struct json_doc *d = json_parse(buf, len, &last_err);
	const struct json_value *v = json_root(d);
	int ok;

	if (!d) {
		fprintf(stderr, "    %u:%u: %s\n", last_err.line, last_err.col, last_err.msg);
		return 0;
	}
	ok = v->type == JSON_STRING && v->u.str.len == want_len &&
	     memcmp(v->u.str.s, want, want_len) == 0 && v->u.str.s[want_len] == '\0';
	json_free(d);
	return ok;
}

#define CHECK_STRING(text, want) CHECK(string_is(text, sizeof(text) - 1, want, sizeof(want) - 1))

/* A buffer of n copies of c (caller frees). */
static char *
repeat(char c, size_t n)
{
	char *b = malloc(n + 1);

	if (b) {
		memset(b, c, n);
		b[n] = '\0';
	}
	return b;
}

/* Structural equality of two trees (recursion is fine here: depth <= 256). */
static int
same_tree(const struct json_value *a, const struct json_value *b)
{
	size_t i;

	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case JSON_NUMBER:
	case JSON_STRING:
		return a->u.str.len == b->u.str.len &&
		       memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
	case JSON_ARRAY:
		if (a->u.arr.n != b->u.arr.n)
			return 0;
		for (i = 0; i < a->u.arr.n; i++)
			if (!same_tree(a->u.arr.items[i], b->u.arr.items[i]))
				return 0;
		return 1;
	case JSON_OBJECT:
		if (a->u.obj.n != b->u.obj.n)
			return 0;
		for (i = 0; i < a->u.obj.n; i++) {
			const struct json_member *x = &a->u.obj.members[i],
						 *y = &b->u.obj.members[i];
			if (x->key_len != y->key_len || memcmp(x->key, y->key, x->key_len) != 0 ||
			    !same_tree(x->value, y->value))
				return 0;
		}
		return 1;
	default:
		return 1;
	}
}

/* Write the tree of text with this indent; caller frees. */
static char *
rewrite(const char *text, size_t len, int indent, size_t *out_len)
{
	struct json_doc *d = json_parse(text, len, &last_err);
	struct json_writer w;
	char *out;

	if (!d)
		return NULL;
	json_writer_init(&w, indent);
	json_write_value(&w, json_root(d));
	out = json_writer_finish(&w, out_len);
	json_free(d);
	return out;
}

static const char runc_config[] =
    "{\n"
    "\t\"ociVersion\": \"1.0.2-dev\",\n"
    "\t\"process\": {\n"
    "\t\t\"terminal\": true,\n"
    "\t\t\"user\": {\n"
    "\t\t\t\"uid\": 0,\n"
    "\t\t\t\"gid\": 0\n"
    "\t\t},\n"
    "\t\t\"args\": [\n"
    "\t\t\t\"sh\"\n"
    "\t\t],\n"
    "\t\t\"env\": [\n"
    "\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
    "\t\t\t\"TERM=xterm\"\n"
    "\t\t],\n"
    "\t\t\"cwd\": \"/\",\n"
    "\t\t\"capabilities\": {\n"
    "\t\t\t\"bounding\": [\n"
    "\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
    "\t\t\t\t\"CAP_KILL\",\n"
    "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
    "\t\t\t],\n"
    "\t\t\t\"effective\": [\n"
    "\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
    "\t\t\t\t\"CAP_KILL\",\n"
    "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
    "\t\t\t],\n"
    "\t\t\t\"permitted\": [\n"
    "\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
    "\t\t\t\t\"CAP_KILL\",\n"
    "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
    "\t\t\t],\n"
    "\t\t\t\"ambient\": [\n"
    "\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
    "\t\t\t\t\"CAP_KILL\",\n"
    "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
    "\t\t\t]\n"
    "\t\t},\n"
    "\t\t\"rlimits\": [\n"
    "\t\t\t{\n"
    "\t\t\t\t\"type\": \"RLIMIT_NOFILE\",\n"
    "\t\t\t\t\"hard\": 1024,\n"
    "\t\t\t\t\"soft\": 1024\n"
    "\t\t\t}\n"
    "\t\t],\n"
    "\t\t\"noNewPrivileges\": true\n"
    "\t},\n"
    "\t\"root\": {\n"
    "\t\t\"path\": \"rootfs\",\n"
    "\t\t\"readonly\": true\n"
    "\t},\n"
    "\t\"hostname\": \"runc\",\n"
    "\t\"mounts\": [\n"
    "\t\t{\n"
    "\t\t\t\"destination\": \"/proc\",\n"
    "\t\t\t\"type\": \"proc\",\n"
    "\t\t\t\"source\": \"proc\"\n"
    "\t\t},\n"
    "\t\t{\n"
    "\t\t\t\"destination\": \"/dev\",\n"
    "\t\t\t\"type\": \"tmpfs\",\n"
    "\t\t\t\"source\": \"tmpfs\",\n"
    "\t\t\t\"options\": [\n"
    "\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"strictatime\",\n"
    "\t\t\t\t\"mode=755\",\n"
    "\t\t\t\t\"size=65536k\"\n"
    "\t\t\t]\n"
    "\t\t},\n"
    "\t\t{\n"
    "\t\t\t\"destination\": \"/dev/pts\",\n"
    "\t\t\t\"type\": \"devpts\",\n"
    "\t\t\t\"source\": \"devpts\",\n"
    "\t\t\t\"options\": [\n"
    "\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"noexec\",\n"
    "\t\t\t\t\"newinstance\",\n"
    "\t\t\t\t\"ptmxmode=0666\",\n"
    "\t\t\t\t\"mode=0620\",\n"
    "\t\t\t\t\"gid=5\"\n"
    "\t\t\t]\n"
    "\t\t},\n"
    "\t\t{\n"
    "\t\t\t\"destination\": \"/dev/shm\",\n"
    "\t\t\t\"type\": \"tmpfs\",\n"
    "\t\t\t\"source\": \"shm\",\n"
    "\t\t\t\"options\": [\n"
    "\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"noexec\",\n"
    "\t\t\t\t\"nodev\",\n"
    "\t\t\t\t\"mode=1777\",\n"
    "\t\t\t\t\"size=65536k\"\n"
    "\t\t\t]\n"
    "\t\t},\n"
    "\t\t{\n"
    "\t\t\t\"destination\": \"/dev/mqueue\",\n"
    "\t\t\t\"type\": \"mqueue\",\n"
    "\t\t\t\"source\": \"mqueue\",\n"
    "\t\t\t\"options\": [\n"
    "\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"noexec\",\n"
    "\t\t\t\t\"nodev\"\n"
    "\t\t\t]\n"
    "\t\t},\n"
    "\t\t{\n"
    "\t\t\t\"destination\": \"/sys\",\n"
    "\t\t\t\"type\": \"sysfs\",\n"
    "\t\t\t\"source\": \"sysfs\",\n"
    "\t\t\t\"options\": [\n"
    "\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"noexec\",\n"
    "\t\t\t\t\"nodev\",\n"
    "\t\t\t\t\"ro\"\n"
    "\t\t\t]\n"
    "\t\t},\n"
    "\t\t{\n"
    "\t\t\t\"destination\": \"/sys/fs/cgroup\",\n"
    "\t\t\t\"type\": \"cgroup\",\n"
    "\t\t\t\"source\": \"cgroup\",\n"
    "\t\t\t\"options\": [\n"
    "\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"noexec\",\n"
    "\t\t\t\t\"nodev\",\n"
    "\t\t\t\t\"relatime\",\n"
    "\t\t\t\t\"ro\"\n"
    "\t\t\t]\n"
    "\t\t}\n"
    "\t],\n"
    "\t\"linux\": {\n"
    "\t\t\"resources\": {\n"
    "\t\t\t\"devices\": [\n"
    "\t\t\t\t{\n"
    "\t\t\t\t\t\"allow\": false,\n"
    "\t\t\t\t\t\"access\": \"rwm\"\n"
    "\t\t\t\t}\n"
    "\t\t\t]\n"
    "\t\t},\n"
    "\t\t\"namespaces\": [\n"
    "\t\t\t{\n"
    "\t\t\t\t\"type\": \"pid\"\n"
    "\t\t\t},\n"
    "\t\t\t{\n"
    "\t\t\t\t\"type\": \"network\"\n"
    "\t\t\t},\n"
    "\t\t\t{\n"
    "\t\t\t\t\"type\": \"ipc\"\n"
    "\t\t\t},\n"
    "\t\t\t{\n"
    "\t\t\t\t\"type\": \"uts\"\n"
    "\t\t\t},\n"
    "\t\t\t{\n"
    "\t\t\t\t\"type\": \"mount\"\n"
    "\t\t\t}\n"
    "\t\t],\n"
    "\t\t\"maskedPaths\": [\n"
    "\t\t\t\"/proc/acpi\",\n"
    "\t\t\t\"/proc/asound\",\n"
    "\t\t\t\"/proc/kcore\",\n"
    "\t\t\t\"/proc/keys\",\n"
    "\t\t\t\"/proc/latency_stats\",\n"
    "\t\t\t\"/proc/timer_list\",\n"
    "\t\t\t\"/proc/timer_stats\",\n"
    "\t\t\t\"/proc/sched_debug\",\n"
    "\t\t\t\"/sys/firmware\",\n"
    "\t\t\t\"/proc/scsi\"\n"
    "\t\t],\n"
    "\t\t\"readonlyPaths\": [\n"
    "\t\t\t\"/proc/bus\",\n"
    "\t\t\t\"/proc/fs\",\n"
    "\t\t\t\"/proc/irq\",\n"
    "\t\t\t\"/proc/sys\",\n"
    "\t\t\t\"/proc/sysrq-trigger\"\n"
    "\t\t]\n"
    "\t}\n"
    "}";

/* ------------------------------------------------------------------------ */
/* Valid documents                                                           */
/* ------------------------------------------------------------------------ */

TEST(scalars_at_top_level)
{
	struct json_doc *d;

	d = PARSE("null");
	CHECK(d && json_root(d)->type == JSON_NULL);
	json_free(d);
	d = PARSE("true");
	CHECK(d && json_root(d)->type == JSON_TRUE);
	json_free(d);
	d = PARSE(" false ");
	CHECK(d && json_root(d)->type == JSON_FALSE && json_root(d)->col == 2);
	json_free(d);
	d = PARSE("42");
	CHECK(d && json_root(d)->type == JSON_NUMBER);
	json_free(d);
	d = PARSE("\"s\"");
	CHECK(d && json_root(d)->type == JSON_STRING);
	json_free(d);
}

TEST(empty_containers)
{
	struct json_doc *d = PARSE("[{}, [], { }, [ ]]");
	const struct json_value *v = json_root(d);

	CHECK(d && v->type == JSON_ARRAY && v->u.arr.n == 4);
	if (d) {
		CHECK(v->u.arr.items[0]->type == JSON_OBJECT && v->u.arr.items[0]->u.obj.n == 0);
		CHECK(v->u.arr.items[1]->type == JSON_ARRAY && v->u.arr.items[1]->u.arr.n == 0);
		CHECK(v->u.arr.items[2]->u.obj.n == 0 && v->u.arr.items[3]->u.arr.n == 0);
	}
	json_free(d);
}

TEST(nested_document_and_json_get)
{
	struct json_doc *d = PARSE("{\"process\": {\"args\": [\"sh\", \"-c\"], \"cwd\": \"/\"},"
				   " \"hostname\": \"box\", \"n\": null}");
	const struct json_value *root = json_root(d), *proc, *args;

	CHECK(d != NULL);
	if (!d)
		return;
	proc = json_get(root, "process");
	args = json_get(proc, "args");
	CHECK(args && args->type == JSON_ARRAY && args->u.arr.n == 2);
	CHECK_STR(args->u.arr.items[1]->u.str.s, "-c");
	CHECK_STR(json_get(proc, "cwd")->u.str.s, "/");
	CHECK_STR(json_get(root, "hostname")->u.str.s, "box");
	CHECK(json_get(root, "n")->type == JSON_NULL);
	CHECK(json_get(root, "missing") == NULL);
	CHECK(json_get(root, "hostnam") == NULL);
	CHECK(json_get(args, "x") == NULL); /* not an object */
	CHECK(json_get(NULL, "x") == NULL);
	/* members stay in document order */
	CHECK_STR(root->u.obj.members[0].key, "process");
	CHECK_STR(root->u.obj.members[2].key, "n");
	json_free(d);
}

TEST(value_and_member_positions)
{
	static const char text[] = "{\n  \"a\": [1,\n    true],\n\t\"b\": \"x\"\n}";
	struct json_doc *d = PARSE(text);
	const struct json_value *root = json_root(d), *a;

	CHECK(d != NULL);
	if (!d)
		return;
	CHECK(root->line == 1 && root->col == 1 && root->off == 0);
	CHECK(root->u.obj.members[0].line == 2 && root->u.obj.members[0].col == 3);
	CHECK(root->u.obj.members[0].off == 4);
	a = json_get(root, "a");
	CHECK(a->line == 2 && a->col == 8 && a->off == 9);
	CHECK(a->u.arr.items[0]->line == 2 && a->u.arr.items[0]->col == 9);
	CHECK(a->u.arr.items[1]->line == 3 && a->u.arr.items[1]->col == 5);
	CHECK(root->u.obj.members[1].line == 4 && root->u.obj.members[1].col == 2);
	CHECK(json_get(root, "b")->col == 7);
	json_free(d);
}

TEST(all_four_whitespace_bytes_accepted)
{
	struct json_doc *d = PARSE(" \t\r\n[ \t\r\n1 \t\r\n, \t\r\n2 \t\r\n] \t\r\n");

	CHECK(d && json_root(d)->u.arr.n == 2);
	json_free(d);
}

TEST(input_is_bounded_by_length_not_nul)
{
	static const char text[] = "[1]garbage";
	struct json_doc *d = json_parse(text, 3, &last_err);

	CHECK(d && json_root(d)->u.arr.n == 1);
	json_free(d);
}

TEST(null_err_pointer_and_null_doc_are_fine)
{
	struct json_doc *d = json_parse("[", 1, NULL);

	CHECK(d == NULL && errno == EINVAL);
	d = json_parse("[]", 2, NULL);
	CHECK(d != NULL);
	json_free(d);
	json_free(NULL);
	CHECK(json_root(NULL) == NULL);
}

TEST(type_names)
{
	CHECK_STR(json_type_name(JSON_NULL), "null");
	CHECK_STR(json_type_name(JSON_TRUE), "boolean");
	CHECK_STR(json_type_name(JSON_FALSE), "boolean");
	CHECK_STR(json_type_name(JSON_NUMBER), "number");
	CHECK_STR(json_type_name(JSON_STRING), "string");
	CHECK_STR(json_type_name(JSON_ARRAY), "array");
	CHECK_STR(json_type_name(JSON_OBJECT), "object");
}

TEST(runc_default_config_parses)
{
	struct json_doc *d = PARSE(runc_config);
	const struct json_value *root = json_root(d), *ns;
	int64_t uid = -1;

	CHECK(d != NULL);
	if (!d)
		return;
	CHECK_STR(json_get(root, "ociVersion")->u.str.s, "1.0.2-dev");
	CHECK(json_to_int64(json_get(json_get(json_get(root, "process"), "user"), "uid"), &uid) ==
	      0);
	CHECK(uid == 0);
	ns = json_get(json_get(root, "linux"), "namespaces");
	CHECK(ns && ns->type == JSON_ARRAY && ns->u.arr.n == 5);
	json_free(d);
}

/* ------------------------------------------------------------------------ */
/* Whitespace, trailing data, stray bytes                                    */
/* ------------------------------------------------------------------------ */

TEST(empty_input_is_end_of_input)
{
	CHECK_ERR("", 1, 1, "unexpected end of input");
	CHECK_ERR(" \n  ", 2, 3, "unexpected end of input");
	CHECK(last_err.off == 4);
}

TEST(form_feed_and_vertical_tab_are_not_whitespace)
{
	CHECK_ERR("\f1", 1, 1, "expected a value, found byte 0x0c");
	CHECK_ERR("[1,\v2]", 1, 4, "expected a value, found byte 0x0b");
	CHECK_ERR("1\f", 1, 2, "trailing data after the document");
}

TEST(trailing_data_rejected)
{
	CHECK_ERR("{} x", 1, 4, "trailing data after the document");
	CHECK_ERR("1 2", 1, 3, "trailing data after the document");
	CHECK_ERR("[]\n\n  ]", 3, 3, "trailing data after the document");
	CHECK(last_err.off == 6);
	CHECK_ERR("truex", 1, 5, "trailing data after the document");
}

TEST(comments_rejected)
{
	CHECK_ERR("// hi\n{}", 1, 1, "comments are not allowed in JSON");
	CHECK_ERR("[1, /* two */ 2]", 1, 5, "comments are not allowed in JSON");
	CHECK_ERR("{\"a\": 1 // one\n}", 1, 9, "comments are not allowed in JSON");
	CHECK_ERR("{} // end", 1, 4, "comments are not allowed in JSON");
}

TEST(nul_byte_outside_a_string_rejected)
{
	CHECK_ERR("\0", 1, 1, "unexpected NUL byte outside a string");
	CHECK_ERR("[1,\0 2]", 1, 4, "unexpected NUL byte outside a string");
	CHECK_ERR("[1\0]", 1, 3, "unexpected NUL byte outside a string");
	CHECK_ERR("{}\0", 1, 3, "unexpected NUL byte outside a string");
	CHECK_ERR("{\"a\"\0:1}", 1, 5, "unexpected NUL byte outside a string");
}

TEST(byte_order_mark_rejected)
{
	CHECK_ERR("\xEF\xBB\xBF{}", 1, 1, "expected a value, found byte 0xef");
}

TEST(unexpected_bytes_where_a_value_belongs)
{
	CHECK_ERR("]", 1, 1, "expected a value, found ']'");
	CHECK_ERR("{\"a\": }", 1, 7, "expected a value, found '}'");
	CHECK_ERR("[,1]", 1, 2, "expected a value, found ','");
	CHECK_ERR("'x'", 1, 1, "expected a value, found '''");
	CHECK_ERR("[\x01]", 1, 2, "expected a value, found byte 0x01");
	CHECK_ERR("\xC3\xA9", 1, 1, "expected a value, found byte 0xc3");
}

/* ------------------------------------------------------------------------ */
/* Numbers                                                                   */
/* ------------------------------------------------------------------------ */

TEST(valid_numbers_keep_their_text)
{
	static const char *const nums[] = {
	    "0",    "-0",   "7",    "-12",     "0.5",
	    "-0.0", "1e10", "1E-2", "-1.5e+3", "123456789.987654321e-0"};
	size_t i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		struct json_doc *d = json_parse(nums[i], strlen(nums[i]), &last_err);

		CHECK(d && json_root(d)->type == JSON_NUMBER);
		if (d)
			CHECK_STR(json_root(d)->u.str.s, nums[i]);
		CHECK(d && json_root(d)->u.str.len == strlen(nums[i]));
		json_free(d);
	}
}

TEST(leading_zeros_rejected)
{
	CHECK_ERR("01", 1, 1, "leading zeros are not allowed");
	CHECK_ERR("[-01]", 1, 3, "leading zeros are not allowed");
	CHECK_ERR("{\"a\":\n  00}", 2, 3, "leading zeros are not allowed");
	CHECK_ERR("0.5e01x", 1, 7, "trailing data after the document"); /* exponents may */
}

TEST(plus_sign_and_bare_dot_rejected)
{
	CHECK_ERR("+1", 1, 1, "a number cannot start with '+'");
	CHECK_ERR("[.5]", 1, 2, "a number cannot start with '.'");
	CHECK_ERR("-.5", 1, 2, "expected a digit after '-'");
}

TEST(incomplete_numbers_rejected)
{
	CHECK_ERR("1.", 1, 3, "expected a digit after '.'");
	CHECK_ERR("[1.]", 1, 4, "expected a digit after '.'");
	CHECK_ERR("1.e5", 1, 3, "expected a digit after '.'");
	CHECK_ERR("1e", 1, 3, "expected a digit in the exponent");
	CHECK_ERR("1e+", 1, 4, "expected a digit in the exponent");
	CHECK_ERR("[2E-x]", 1, 5, "expected a digit in the exponent");
	CHECK_ERR("-", 1, 2, "expected a digit after '-'");
	CHECK_ERR("[-]", 1, 3, "expected a digit after '-'");
}

TEST(nan_and_infinity_rejected)
{
	CHECK_ERR("NaN", 1, 1, "NaN and Infinity are not allowed in JSON");
	CHECK_ERR("[Infinity]", 1, 2, "NaN and Infinity are not allowed in JSON");
	CHECK_ERR("-Infinity", 1, 2, "NaN and Infinity are not allowed in JSON");
	CHECK_ERR("nan", 1, 1, "invalid literal (expected true, false or null)");
}

TEST(hex_and_other_number_forms_rejected)
{
	CHECK_ERR("0x10", 1, 2, "trailing data after the document");
	CHECK_ERR("[1_000]", 1, 3, "expected ',' or ']' after an array element");
	CHECK_ERR("[0 1]", 1, 4, "expected ',' or ']' after an array element");
}

TEST(int64_exact_limits)
{
	struct json_doc *d = PARSE("[9223372036854775807, -9223372036854775808, "
				   "9223372036854775808, -9223372036854775809, -0]");
	const struct json_value *a = json_root(d);
	int64_t n = 0;

	CHECK(d != NULL);
	if (!d)
		return;
	CHECK(json_to_int64(a->u.arr.items[0], &n) == 0 && n == INT64_MAX);
	CHECK(json_to_int64(a->u.arr.items[1], &n) == 0 && n == INT64_MIN);
	CHECK(json_to_int64(a->u.arr.items[2], &n) == -1 && errno == ERANGE);
	CHECK(json_to_int64(a->u.arr.items[3], &n) == -1 && errno == ERANGE);
	CHECK(json_to_int64(a->u.arr.items[4], &n) == 0 && n == 0);
	json_free(d);
}

TEST(uint64_exact_limits)
{
	struct json_doc *d = PARSE("[18446744073709551615, 18446744073709551616, -1, -0, "
				   "99999999999999999999999]");
	const struct json_value *a = json_root(d);
	uint64_t n = 0;

	CHECK(d != NULL);
	if (!d)
		return;
	CHECK(json_to_uint64(a->u.arr.items[0], &n) == 0 && n == UINT64_MAX);
	CHECK(json_to_uint64(a->u.arr.items[1], &n) == -1 && errno == ERANGE);
	CHECK(json_to_uint64(a->u.arr.items[2], &n) == -1 && errno == ERANGE);
	CHECK(json_to_uint64(a->u.arr.items[3], &n) == 0 && n == 0);
	CHECK(json_to_uint64(a->u.arr.items[4], &n) == -1 && errno == ERANGE);
	json_free(d);
}

TEST(integer_forms_refuse_fractions_and_exponents)
{
	struct json_doc *d = PARSE("[1.0, 1e2, 0.5, -3E0, 1.5e99999]");
	const struct json_value *a = json_root(d);
	int64_t i = 0;
	uint64_t u = 0;
	size_t k;

	CHECK(d != NULL);
	if (!d)
		return;
	for (k = 0; k < a->u.arr.n; k++) {
		CHECK(json_to_int64(a->u.arr.items[k], &i) == -1 && errno == EINVAL);
		CHECK(json_to_uint64(a->u.arr.items[k], &u) == -1 && errno == EINVAL);
	}
	json_free(d);
}

TEST(conversions_refuse_other_types)
{
	struct json_doc *d = PARSE("[\"1\", true, null, [], {}]");
	const struct json_value *a = json_root(d);
	int64_t i;
	uint64_t u;
	double x;
	size_t k;

	CHECK(d != NULL);
	if (!d)
		return;
	for (k = 0; k < a->u.arr.n; k++) {
		CHECK(json_to_int64(a->u.arr.items[k], &i) == -1 && errno == EINVAL);
		CHECK(json_to_uint64(a->u.arr.items[k], &u) == -1 && errno == EINVAL);
		CHECK(json_to_double(a->u.arr.items[k], &x) == -1 && errno == EINVAL);
	}
	CHECK(json_to_int64(NULL, &i) == -1 && errno == EINVAL);
	json_free(d);
}

TEST(doubles_via_strtod)
{
	struct json_doc *d = PARSE("[1.5, -2e-3, 1e400, 1e-400, 0, 12345678901234567890]");
	const struct json_value *a = json_root(d);
	double x = 0;

	CHECK(d != NULL);
	if (!d)
		return;
	CHECK(json_to_double(a->u.arr.items[0], &x) == 0 && x == 1.5);
	CHECK(json_to_double(a->u.arr.items[1], &x) == 0 && x == -2e-3);
	CHECK(json_to_double(a->u.arr.items[2], &x) == -1 && errno == ERANGE);
	CHECK(json_to_double(a->u.arr.items[3], &x) == 0 && x == 0.0); /* underflow rounds */
	CHECK(json_to_double(a->u.arr.items[4], &x) == 0 && x == 0.0);
	CHECK(json_to_double(a->u.arr.items[5], &x) == 0 && x == 12345678901234567890.0);
	json_free(d);
}

TEST(huge_number_literal)
{
	size_t n = 100000;
	char *b = repeat('9', n);
	struct json_doc *d;
	int64_t i;
	double x;

	CHECK(b != NULL);
	if (!b)
		return;
	b[0] = '1';
	d = json_parse(b, n, &last_err);
	CHECK(d && json_root(d)->u.str.len == n);
	CHECK(json_to_int64(json_root(d), &i) == -1 && errno == ERANGE);
	CHECK(json_to_double(json_root(d), &x) == -1 && errno == ERANGE);
	json_free(d);
	free(b);
}

/* ------------------------------------------------------------------------ */
/* Literals                                                                  */
/* ------------------------------------------------------------------------ */

TEST(bad_literals)
{
	CHECK_ERR("tru", 1, 4, "unexpected end of input");
	CHECK_ERR("[nul", 1, 5, "unexpected end of input");
	CHECK_ERR("[trux]", 1, 2, "invalid literal (expected true, false or null)");
	CHECK_ERR("True", 1, 1, "expected a value, found 'T'");
	CHECK_ERR("[fals3]", 1, 2, "invalid literal (expected true, false or null)");
	CHECK_ERR("nulll", 1, 5, "trailing data after the document");
}

/* ------------------------------------------------------------------------ */
/* Strings                                                                   */
/* ------------------------------------------------------------------------ */

TEST(simple_escapes)
{
	CHECK_STRING("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t");
	CHECK_STRING("\"plain text\"", "plain text");
	CHECK_STRING("\"\"", "");
}

TEST(unicode_escapes_to_utf8)
{
	CHECK_STRING("\"\\u0041\"", "A");
	CHECK_STRING("\"\\u00e9\\u00E9\"", "\xC3\xA9\xC3\xA9");
	CHECK_STRING("\"\\u20AC\"", "\xE2\x82\xAC");
	CHECK_STRING("\"\\u07FF\\u0800\\uFFFF\"", "\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF");
}

TEST(escaped_nul_is_kept_with_its_length)
{
	CHECK_STRING("\"a\\u0000b\"", "a\0b");
	CHECK_STRING("\"\\u0000\"", "\0");
}

TEST(surrogate_pairs_decoded)
{
	CHECK_STRING("\"\\uD83D\\uDE00\"", "\xF0\x9F\x98\x80");
	CHECK_STRING("\"\\ud83d\\ude00!\"", "\xF0\x9F\x98\x80!");
	CHECK_STRING("\"\\uD800\\uDC00\"", "\xF0\x90\x80\x80");
	CHECK_STRING("\"\\uDBFF\\uDFFF\"", "\xF4\x8F\xBF\xBF");
}

TEST(lone_high_surrogate_rejected)
{
	CHECK_ERR(
	    "\"\\uD800\"", 1, 2,
	    "lone surrogate \\uD800 in string (a high surrogate must be followed by a low one)");
	CHECK_ERR(
	    "[\"ab\\uDBFFx\"]", 1, 5,
	    "lone surrogate \\uDBFF in string (a high surrogate must be followed by a low one)");
	CHECK_ERR(
	    "\"\\uD83D\\u0041\"", 1, 2,
	    "lone surrogate \\uD83D in string (a high surrogate must be followed by a low one)");
	CHECK_ERR(
	    "\"\\uD83D\\uD83D\"", 1, 2,
	    "lone surrogate \\uD83D in string (a high surrogate must be followed by a low one)");
	CHECK_ERR(
	    "\"\\uD83D\\n\"", 1, 2,
	    "lone surrogate \\uD83D in string (a high surrogate must be followed by a low one)");
}

TEST(lone_low_surrogate_rejected)
{
	CHECK_ERR("\"\\uDC00\"", 1, 2,
		  "lone surrogate \\uDC00 in string (a low surrogate must follow a high one)");
	CHECK_ERR("\"x\\uDE00\\uD83D\"", 1, 3,
		  "lone surrogate \\uDE00 in string (a low surrogate must follow a high one)");
}

TEST(unknown_escapes_rejected)
{
	CHECK_ERR("\"\\x41\"", 1, 2, "invalid escape '\\x' in string");
	CHECK_ERR("\"ab\\'\"", 1, 4, "invalid escape '\\'' in string");
	CHECK_ERR("\"\\U0041\"", 1, 2, "invalid escape '\\U' in string");
	CHECK_ERR("\"\\a\"", 1, 2, "invalid escape '\\a' in string");
	CHECK_ERR("\"\\\x01\"", 1, 2, "invalid escape in string");
	CHECK_ERR("\"\\\0\"", 1, 2, "invalid escape in string");
}

TEST(bad_unicode_escapes_rejected)
{
	CHECK_ERR("\"\\u12G4\"", 1, 2, "invalid \\u escape: expected 4 hex digits");
	CHECK_ERR("\"\\u12\"", 1, 2, "invalid \\u escape: expected 4 hex digits");
	CHECK_ERR("\"\\u00", 1, 6, "unexpected end of input");
	CHECK_ERR("\"\\uD83D\\uDE0", 1, 13, "unexpected end of input");
	CHECK_ERR("\"\\", 1, 3, "unexpected end of input");
}

TEST(raw_control_characters_in_strings_rejected)
{
	CHECK_ERR("\"a\tb\"", 1, 3, "unescaped control character 0x09 in string");
	CHECK_ERR("[\"line\nbreak\"]", 1, 7, "unescaped control character 0x0a in string");
	CHECK_ERR("\"\x1F\"", 1, 2, "unescaped control character 0x1f in string");
	CHECK_ERR("\"a\0b\"", 1, 3, "unescaped control character 0x00 in string");
	CHECK_STRING("\"\x7F\"", "\x7F"); /* DEL is not a control character in JSON */
}

TEST(unterminated_strings)
{
	CHECK_ERR("\"abc", 1, 5, "unexpected end of input");
	CHECK_ERR("{\"key", 1, 6, "unexpected end of input");
	CHECK_ERR("[\"a\\\"]", 1, 7, "unexpected end of input");
}

TEST(valid_utf8_kept_as_is)
{
	CHECK_STRING("\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"",
		     "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
	CHECK_STRING("\"\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\"",
		     "\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80");
	CHECK_STRING("\"\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\"", "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF");
}

TEST(overlong_utf8_rejected)
{
	CHECK_ERR("\"\xC0\x80\"", 1, 2, "invalid UTF-8 in string");
	CHECK_ERR("\"\xC1\xBF\"", 1, 2, "invalid UTF-8 in string");
	CHECK_ERR("\"\xE0\x80\x80\"", 1, 2, "invalid UTF-8 in string");
	CHECK_ERR("\"\xE0\x9F\xBF\"", 1, 2, "invalid UTF-8 in string");
	CHECK_ERR("\"\xF0\x80\x80\x80\"", 1, 2, "invalid UTF-8 in string");
	CHECK_ERR("\"\xF0\x8F\xBF\xBF\"", 1, 2, "invalid UTF-8 in string");
}

TEST(utf8_encoded_surrogates_rejected)
{
	CHECK_ERR("\"\xED\xA0\x80\"", 1, 2, "invalid UTF-8 in string");
	CHECK_ERR("\"ok \xED\xBF\xBF\"", 1, 5, "invalid UTF-8 in string");
	CHECK_ERR("\"\xED\xA0\xBD\xED\xB8\x80\"", 1, 2, "invalid UTF-8 in string"); /* CESU-8 */
}

TEST(utf8_past_u10ffff_rejected)
{
	CHECK_ERR("\"\xF4\x90\x80\x80\"", 1, 2, "invalid UTF-8 in string");
	CHECK_ERR("\"\xF5\x80\x80\x80\"", 1, 2, "invalid UTF-8 in string");
	CHECK_ERR("\"\xF8\x88\x80\x80\x80\"", 1, 2, "invalid UTF-8 in string");
	CHECK_ERR("\"\xFE\"", 1, 2, "invalid UTF-8 in string");
	CHECK_ERR("\"\xFF\"", 1, 2, "invalid UTF-8 in string");
}

TEST(truncated_and_stray_utf8_rejected)
{
	CHECK_ERR("\"\xC3\"", 1, 2, "invalid UTF-8 in string");
	CHECK_ERR("\"ab\xE2\x82\"", 1, 4, "invalid UTF-8 in string");
	CHECK_ERR("\"\xF0\x9F\x98\"", 1, 2, "invalid UTF-8 in string");
	CHECK_ERR("\"\xF0\x9F\x98", 1, 2, "invalid UTF-8 in string"); /* then end of input */
	CHECK_ERR("\"\x80\"", 1, 2, "invalid UTF-8 in string");
	CHECK_ERR("\"\xC3\xA9\xBF\"", 1, 4, "invalid UTF-8 in string");
	CHECK_ERR("\"\xE2\x28\xA1\"", 1, 2, "invalid UTF-8 in string");
}

TEST(bad_utf8_in_keys_rejected)
{
	CHECK_ERR("{\"k\xFF\": 1}", 1, 4, "invalid UTF-8 in string");
	CHECK_ERR("{\n \"a\": 1,\n \"\xC0\xAF\": 2}", 3, 3, "invalid UTF-8 in string");
}

TEST(long_string_16mib)
{
	size_t n = 16u << 20, i;
	char *b = repeat('a', n + 2);
	struct json_doc *d;
	const struct json_value *v;
	int same = 1;

	CHECK(b != NULL);
	if (!b)
		return;
	b[0] = '"';
	b[n + 1] = '"';
	for (i = 1; i < n; i += 4096)
		b[i] = 'b';
	d = json_parse(b, n + 2, &last_err);
	v = json_root(d);
	CHECK(d && v->type == JSON_STRING && v->u.str.len == n);
	for (i = 0; d && i < n; i += 4096)
		same &= v->u.str.s[i] == 'b';
	CHECK(same);
	json_free(d);
	free(b);
}

TEST(long_string_of_escapes)
{
	size_t n = 1u << 20, i;
	char *b = malloc(2 * n + 2);
	struct json_doc *d;
	const struct json_value *v;
	int same = 1;

	CHECK(b != NULL);
	if (!b)
		return;
	b[0] = '"';
	for (i = 0; i < n; i++)
		memcpy(b + 1 + 2 * i, "\\n", 2);
	b[2 * n + 1] = '"';
	d = json_parse(b, 2 * n + 2, &last_err);
	v = json_root(d);
	CHECK(d && v->u.str.len == n);
	for (i = 0; d && i < n; i++)
		same &= v->u.str.s[i] == '\n';
	CHECK(same);
	json_free(d);
	free(b);
}

TEST(huge_unterminated_string)
{
	size_t n = 4u << 20;
	char *b = repeat('x', n);

	CHECK(b != NULL);
	if (!b)
		return;
	b[0] = '"';
	CHECK(fails_with(b, n, 1, (unsigned)n + 1, "unexpected end of input"));
	free(b);
}

/* ------------------------------------------------------------------------ */
/* Objects and arrays                                                        */
/* ------------------------------------------------------------------------ */

TEST(object_syntax_errors)
{
	CHECK_ERR("{", 1, 2, "unexpected end of input");
	CHECK_ERR("{1: 2}", 1, 2, "expected a string key or '}'");
	CHECK_ERR("{a: 2}", 1, 2, "expected a string key or '}'");
	CHECK_ERR("{\"a\" 1}", 1, 6, "expected ':' after an object key");
	CHECK_ERR("{\"a\"}", 1, 5, "expected ':' after an object key");
	CHECK_ERR("{\"a\": 1 \"b\": 2}", 1, 9, "expected ',' or '}' after an object member");
	CHECK_ERR("{\"a\": 1]", 1, 8, "expected ',' or '}' after an object member");
	CHECK_ERR("{\"a\": 1, 2}", 1, 10, "expected a string key after ','");
	CHECK_ERR("{\"a\": 1,", 1, 9, "unexpected end of input");
	CHECK_ERR("{\"a\":", 1, 6, "unexpected end of input");
}

TEST(object_trailing_comma_rejected)
{
	CHECK_ERR("{\"a\": 1,}", 1, 9, "trailing comma before '}'");
	CHECK_ERR("{\"a\": 1,\n}", 2, 1, "trailing comma before '}'");
}

TEST(array_syntax_errors)
{
	CHECK_ERR("[", 1, 2, "unexpected end of input");
	CHECK_ERR("[1 2]", 1, 4, "expected ',' or ']' after an array element");
	CHECK_ERR("[1}", 1, 3, "expected ',' or ']' after an array element");
	CHECK_ERR("[1,", 1, 4, "unexpected end of input");
	CHECK_ERR("[1,]", 1, 4, "trailing comma before ']'");
	CHECK_ERR("[[1], [2]", 1, 10, "unexpected end of input");
	CHECK_ERR("[\"a\":1]", 1, 5, "expected ',' or ']' after an array element");
}

TEST(error_positions_in_a_config_file)
{
	static const char text[] = "{\n"
				   "\t\"ociVersion\": \"1.0.2\",\n"
				   "\t\"process\": {\n"
				   "\t\t\"cwd\": \"/\"\n"
				   "\t\t\"args\": [\"sh\"]\n"
				   "\t}\n"
				   "}\n";

	CHECK_ERR(text, 5, 3, "expected ',' or '}' after an object member");
	CHECK(last_err.off == (size_t)(strstr(text, "\"args\"") - text));
}

TEST(crlf_line_endings_count_lines)
{
	CHECK_ERR("[\r\n1,\r\n x]", 3, 2, "expected a value, found 'x'");
}

/* ------------------------------------------------------------------------ */
/* Duplicate keys                                                            */
/* ------------------------------------------------------------------------ */

TEST(duplicate_key_names_both_positions)
{
	CHECK_ERR("{\"a\":1,\"a\":2}", 1, 8, "duplicate key \"a\" (first at 1:2)");
	CHECK_ERR("{\n\t\"process\": {\n\t\t\"cwd\": \"/\",\n\t\t\"env\": [],\n\t\t\"cwd\": "
		  "\"/tmp\"\n\t}\n}",
		  5, 3, "duplicate key \"cwd\" (first at 3:3)");
}

TEST(duplicate_key_message_example_from_the_issue)
{
	CHECK_ERR("{\n  \"process\": {\n    \"cwd\": \"/\",\n    \"cwd\": \"/\"}}", 4, 5,
		  "duplicate key \"cwd\" (first at 3:5)");
}

TEST(duplicate_key_found_before_later_syntax_errors)
{
	CHECK_ERR("{\"a\":1,\"a\":2 x", 1, 8, "duplicate key \"a\" (first at 1:2)");
}

TEST(same_key_in_different_objects_is_fine)
{
	struct json_doc *d = PARSE("{\"a\":{\"a\":1,\"b\":{\"a\":2}},\"b\":[{\"a\":1},{\"a\":2}]}");

	CHECK(d != NULL);
	json_free(d);
}

TEST(duplicate_key_after_escape_decoding)
{
	CHECK_ERR("{\"ab\":1,\"\\u0061b\":2}", 1, 9, "duplicate key \"ab\" (first at 1:2)");
}

TEST(keys_with_nul_compared_by_length)
{
	struct json_doc *d = PARSE("{\"a\\u0000b\":1,\"a\\u0000c\":2,\"a\":3,\"a\\u0000\":4}");

	CHECK(d && json_root(d)->u.obj.n == 4);
	CHECK(d && json_root(d)->u.obj.members[3].key_len == 2);
	json_free(d);
	CHECK_ERR("{\"a\\u0000\":1,\"a\\u0000\":2}", 1, 14, "duplicate key \"a?\" (first at 1:2)");
}

TEST(duplicate_key_message_shortens_long_keys)
{
	char text[256];
	char key[101];

	memset(key, 'k', 100);
	key[100] = '\0';
	snprintf(text, sizeof(text), "{\"%s\":1,\"%s\":2}", key, key);
	CHECK(fails_with(
	    text, strlen(text), 1, 107,
	    "duplicate key \"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...\" (first at 1:2)"));
	CHECK_ERR("{\"a\\\"b\":1,\"a\\\"b\":1}", 1, 11, "duplicate key \"a\\\"b\" (first at 1:2)");
}

/* An object of n keys "k0".."k<n-1>", then optionally "k<dup>" again. */
static char *
make_object(size_t n, long dup, size_t *len)
{
	size_t cap = n * 24 + 64, o = 0, i;
	char *b = malloc(cap);

	if (!b)
		return NULL;
	b[o++] = '{';
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(b + o, cap - o, "%s\"k%zu\":%zu", i ? "," : "", i, i);
	if (dup >= 0)
		o += (size_t)snprintf(b + o, cap - o, ",\"k%ld\":0", dup);
	b[o++] = '}';
	*len = o;
	return b;
}

TEST(duplicate_key_in_a_big_object)
{
	size_t len;
	char *b = make_object(1000, 777, &len);

	CHECK(b != NULL);
	if (!b)
		return;
	CHECK(json_parse(b, len, &last_err) == NULL);
	CHECK(strstr(last_err.msg, "duplicate key \"k777\" (first at 1:") == last_err.msg);
	CHECK(last_err.col == len - 8); /* the quote of the second "k777" */
	free(b);
	b = make_object(9, 0, &len); /* the ninth key: the table is built here */
	CHECK(b && json_parse(b, len, &last_err) == NULL);
	CHECK_STR(last_err.msg, "duplicate key \"k0\" (first at 1:2)");
	free(b);
}

TEST(object_with_200000_keys)
{
	size_t len;
	char *b = make_object(200000, -1, &len);
	struct json_doc *d;
	int64_t n = 0;

	CHECK(b != NULL);
	if (!b)
		return;
	d = json_parse(b, len, &last_err);
	CHECK(d && json_root(d)->u.obj.n == 200000);
	CHECK(json_to_int64(json_get(json_root(d), "k199999"), &n) == 0 && n == 199999);
	json_free(d);
	free(b);
}

TEST(many_nested_objects_reuse_tables)
{
	/* Many big objects at the same depth: each gets its table anew. */
	size_t len, o = 0, i, cap;
	char *one = make_object(50, -1, &len), *b;
	struct json_doc *d;

	cap = (len + 1) * 2000 + 2;
	b = malloc(cap);
	CHECK(one && b);
	if (!one || !b) {
		free(one);
		free(b);
		return;
	}
	b[o++] = '[';
	for (i = 0; i < 2000; i++) {
		if (i)
			b[o++] = ',';
		memcpy(b + o, one, len);
		o += len;
	}
	b[o++] = ']';
	d = json_parse(b, o, &last_err);
	CHECK(d && json_root(d)->u.arr.n == 2000);
	json_free(d);
	free(one);
	free(b);
}

/* ------------------------------------------------------------------------ */
/* Depth                                                                     */
/* ------------------------------------------------------------------------ */

/* n '[' then n ']' (closed = 1) or only the '['. */
static char *
make_nested(size_t n, int closed, size_t *len)
{
	char *b = malloc(2 * n + 1);

	if (!b)
		return NULL;
	memset(b, '[', n);
	memset(b + n, ']', n);
	*len = closed ? 2 * n : n;
	return b;
}

TEST(depth_256_accepted)
{
	size_t len, depth = 0;
	char *b = make_nested(JSON_MAX_DEPTH, 1, &len);
	struct json_doc *d = b ? json_parse(b, len, &last_err) : NULL;
	const struct json_value *v = json_root(d);

	CHECK(d != NULL);
	while (v && v->type == JSON_ARRAY) {
		depth++;
		v = v->u.arr.n ? v->u.arr.items[0] : NULL;
	}
	CHECK(depth == JSON_MAX_DEPTH);
	json_free(d);
	free(b);
}

TEST(depth_257_rejected)
{
	size_t len;
	char *b = make_nested(JSON_MAX_DEPTH + 1, 1, &len);

	CHECK(b && fails_with(b, len, 1, 257, "nesting deeper than 256"));
	CHECK(last_err.off == 256);
	free(b);
}

TEST(a_million_open_brackets_is_a_clean_error)
{
	size_t len;
	char *b = make_nested(1000000, 0, &len);

	CHECK(b && fails_with(b, len, 1, 257, "nesting deeper than 256"));
	free(b);
}

TEST(deep_objects_rejected_too)
{
	size_t i, o = 0;
	char b[257 * 5 + 16];

	for (i = 0; i < 257; i++) {
		memcpy(b + o, "{\"a\":", 5);
		o += 5;
	}
	CHECK(fails_with(b, o, 1, 256 * 5 + 1, "nesting deeper than 256"));
}

TEST(long_flat_array)
{
	size_t n = 1000000, i;
	char *b = malloc(2 * n + 1);
	struct json_doc *d;

	CHECK(b != NULL);
	if (!b)
		return;
	b[0] = '[';
	for (i = 0; i < n; i++) {
		b[1 + 2 * i] = '7';
		b[2 + 2 * i] = i + 1 < n ? ',' : ']';
	}
	d = json_parse(b, 2 * n + 1, &last_err);
	CHECK(d && json_root(d)->u.arr.n == n);
	CHECK(d && json_root(d)->u.arr.items[n - 1]->col == 2 * n);
	json_free(d);
	free(b);
}

/* ------------------------------------------------------------------------ */
/* The writer                                                                */
/* ------------------------------------------------------------------------ */

/* A small document written by hand, in the order `state` writes one. */
static char *
write_sample(int indent)
{
	struct json_writer w;

	json_writer_init(&w, indent);
	json_write_object_begin(&w);
	json_write_key(&w, "ociVersion");
	json_write_string(&w, "1.0.2");
	json_write_key(&w, "pid");
	json_write_int(&w, 42);
	json_write_key(&w, "annotations");
	json_write_object_begin(&w);
	json_write_object_end(&w);
	json_write_key(&w, "args");
	json_write_array_begin(&w);
	json_write_string(&w, "sh");
	json_write_bool(&w, 0);
	json_write_null(&w);
	json_write_array_end(&w);
	json_write_key(&w, "empty");
	json_write_array_begin(&w);
	json_write_array_end(&w);
	json_write_object_end(&w);
	return json_writer_finish(&w, NULL);
}

TEST(writer_compact)
{
	char *s = write_sample(0);

	CHECK_STR(s, "{\"ociVersion\":\"1.0.2\",\"pid\":42,\"annotations\":{},"
		     "\"args\":[\"sh\",false,null],\"empty\":[]}");
	free(s);
}

TEST(writer_indented_like_marshalindent)
{
	char *s = write_sample(2);

	CHECK_STR(s, "{\n"
		     "  \"ociVersion\": \"1.0.2\",\n"
		     "  \"pid\": 42,\n"
		     "  \"annotations\": {},\n"
		     "  \"args\": [\n"
		     "    \"sh\",\n"
		     "    false,\n"
		     "    null\n"
		     "  ],\n"
		     "  \"empty\": []\n"
		     "}");
	free(s);
}

TEST(writer_tabs)
{
	char *s = write_sample(-1);

	CHECK_STR(s, "{\n\t\"ociVersion\": \"1.0.2\",\n\t\"pid\": 42,\n\t\"annotations\": {},\n"
		     "\t\"args\": [\n\t\t\"sh\",\n\t\tfalse,\n\t\tnull\n\t],\n\t\"empty\": []\n}");
	free(s);
}

TEST(writer_wide_indent)
{
	struct json_writer w;
	char *s;

	json_writer_init(&w, 40); /* wider than the writer's run of spaces */
	json_write_array_begin(&w);
	json_write_int(&w, 1);
	json_write_array_end(&w);
	s = json_writer_finish(&w, NULL);
	CHECK(s && strlen(s) == 1 + 1 + 40 + 1 + 1 + 1);
	CHECK(s && s[42] == '1');
	free(s);
}

TEST(writer_scalars_at_top_level)
{
	struct json_writer w;
	size_t len = 0;
	char *s;

	json_writer_init(&w, 2);
	json_write_string(&w, "x");
	s = json_writer_finish(&w, &len);
	CHECK_STR(s, "\"x\"");
	CHECK(len == 3);
	free(s);
	json_writer_init(&w, 0);
	json_write_null(&w);
	s = json_writer_finish(&w, NULL);
	CHECK_STR(s, "null");
	free(s);
}

/* Write one string compactly and return the text. */
static char *
write_str(const char *s, size_t n)
{
	struct json_writer w;

	json_writer_init(&w, 0);
	json_write_string_len(&w, s, n);
	return json_writer_finish(&w, NULL);
}

TEST(writer_escapes_specials_and_controls)
{
	static const char in[] = "q\" b\\ n\n t\t r\r b\b f\f 01\x01 1f\x1f del\x7f /";
	char *s = write_str(in, sizeof(in) - 1);

	CHECK_STR(s, "\"q\\\" b\\\\ n\\n t\\t r\\r b\\b f\\f 01\\u0001 1f\\u001f del\x7f /\"");
	free(s);
}

TEST(writer_escapes_nul_by_length)
{
	char *s = write_str("a\0b", 3);

	CHECK_STR(s, "\"a\\u0000b\"");
	free(s);
}

TEST(writer_keeps_valid_utf8_and_replaces_invalid)
{
	char *s = write_str("\xC3\xA9\xF0\x9F\x98\x80", 6);

	CHECK_STR(s, "\"\xC3\xA9\xF0\x9F\x98\x80\"");
	free(s);
	s = write_str("a\xFF"
		      "b\xC3",
		      4);
	CHECK_STR(s, "\"a\\ufffdb\\ufffd\"");
	free(s);
	s = write_str("\xED\xA0\x80", 3); /* a surrogate: three bad bytes */
	CHECK_STR(s, "\"\\ufffd\\ufffd\\ufffd\"");
	free(s);
}

TEST(writer_escapes_keys)
{
	struct json_writer w;
	char *s;

	json_writer_init(&w, 0);
	json_write_object_begin(&w);
	json_write_key(&w, "a\"b\n");
	json_write_uint(&w, 1);
	json_write_key_len(&w, "k\0", 2);
	json_write_string(&w, NULL); /* NULL writes null */
	json_write_object_end(&w);
	s = json_writer_finish(&w, NULL);
	CHECK_STR(s, "{\"a\\\"b\\n\":1,\"k\\u0000\":null}");
	free(s);
}

TEST(writer_integer_limits)
{
	struct json_writer w;
	char *s;

	json_writer_init(&w, 0);
	json_write_array_begin(&w);
	json_write_int(&w, INT64_MIN);
	json_write_int(&w, INT64_MAX);
	json_write_uint(&w, UINT64_MAX);
	json_write_int(&w, 0);
	json_write_bool(&w, 7);
	json_write_array_end(&w);
	s = json_writer_finish(&w, NULL);
	CHECK_STR(s, "[-9223372036854775808,9223372036854775807,18446744073709551615,0,true]");
	free(s);
}

TEST(writer_number_literals_are_checked)
{
	struct json_writer w;
	char *s;

	json_writer_init(&w, 0);
	json_write_array_begin(&w);
	json_write_number(&w, "-1.5e+3", 7);
	json_write_number(&w, "0", 1);
	json_write_array_end(&w);
	s = json_writer_finish(&w, NULL);
	CHECK_STR(s, "[-1.5e+3,0]");
	free(s);
	json_writer_init(&w, 0);
	json_write_number(&w, "01", 2);
	CHECK(json_writer_finish(&w, NULL) == NULL && errno == EINVAL);
	json_writer_init(&w, 0);
	json_write_number(&w, "1 ", 2);
	CHECK(json_writer_finish(&w, NULL) == NULL && errno == EINVAL);
}

TEST(writer_misuse_is_a_sticky_error)
{
	struct json_writer w;

	json_writer_init(&w, 0); /* a value in an object without a key */
	json_write_object_begin(&w);
	json_write_int(&w, 1);
	json_write_object_end(&w);
	CHECK(json_writer_finish(&w, NULL) == NULL && errno == EINVAL);

	json_writer_init(&w, 0); /* a key in an array */
	json_write_array_begin(&w);
	json_write_key(&w, "k");
	json_write_array_end(&w);
	CHECK(json_writer_finish(&w, NULL) == NULL && errno == EINVAL);

	json_writer_init(&w, 0); /* mismatched end */
	json_write_array_begin(&w);
	json_write_object_end(&w);
	CHECK(json_writer_finish(&w, NULL) == NULL && errno == EINVAL);

	json_writer_init(&w, 0); /* two documents */
	json_write_int(&w, 1);
	json_write_int(&w, 2);
	CHECK(json_writer_finish(&w, NULL) == NULL && errno == EINVAL);
}

TEST(writer_unfinished_documents_fail)
{
	struct json_writer w;

	json_writer_init(&w, 0); /* nothing written */
	CHECK(json_writer_finish(&w, NULL) == NULL && errno == EINVAL);

	json_writer_init(&w, 0); /* left open */
	json_write_object_begin(&w);
	CHECK(json_writer_finish(&w, NULL) == NULL && errno == EINVAL);

	json_writer_init(&w, 0); /* a key without its value */
	json_write_object_begin(&w);
	json_write_key(&w, "k");
	json_write_object_end(&w);
	CHECK(json_writer_finish(&w, NULL) == NULL && errno == EINVAL);

	json_writer_init(&w, 2); /* discard frees what was written */
	json_write_array_begin(&w);
	json_write_string(&w, "data");
	json_writer_discard(&w);
	CHECK(w.buf == NULL);
}

TEST(writer_depth_limit)
{
	struct json_writer w;
	char *s;
	int i;

	json_writer_init(&w, 0);
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_write_array_begin(&w);
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_write_array_end(&w);
	s = json_writer_finish(&w, NULL);
	CHECK(s && strlen(s) == 2 * JSON_MAX_DEPTH);
	free(s);

	json_writer_init(&w, 0);
	for (i = 0; i <= JSON_MAX_DEPTH; i++)
		json_write_array_begin(&w);
	for (i = 0; i <= JSON_MAX_DEPTH; i++)
		json_write_array_end(&w);
	CHECK(json_writer_finish(&w, NULL) == NULL && errno == EINVAL);
}

/* ------------------------------------------------------------------------ */
/* Round trips                                                               */
/* ------------------------------------------------------------------------ */

TEST(roundtrip_runc_config_byte_for_byte)
{
	size_t len = 0;
	char *s = rewrite(runc_config, sizeof(runc_config) - 1, -1, &len);

	CHECK(s && len == sizeof(runc_config) - 1);
	CHECK(s && memcmp(s, runc_config, sizeof(runc_config) - 1) == 0);
	free(s);
}

TEST(roundtrip_compact_and_indented_trees_equal)
{
	static const int indents[] = {0, 1, 4, -1};
	struct json_doc *orig = PARSE(runc_config), *again;
	size_t i, len;

	CHECK(orig != NULL);
	for (i = 0; orig && i < sizeof(indents) / sizeof(indents[0]); i++) {
		char *s = rewrite(runc_config, sizeof(runc_config) - 1, indents[i], &len);

		again = s ? json_parse(s, len, &last_err) : NULL;
		CHECK(again && same_tree(json_root(orig), json_root(again)));
		json_free(again);
		free(s);
	}
	json_free(orig);
}

TEST(roundtrip_decoded_strings)
{
	static const char text[] =
	    "[\"\\u00e9\\ud83d\\ude00\\u0000\\n\\/\\u001F\\u007f\", -0.0e-0]";
	size_t len;
	char *s = rewrite(text, sizeof(text) - 1, 0, &len);

	CHECK_STR(s, "[\"\xC3\xA9\xF0\x9F\x98\x80\\u0000\\n/\\u001f\x7F\",-0.0e-0]");
	free(s);
}

TEST(roundtrip_deepest_document)
{
	size_t len, olen = 0;
	char *b = make_nested(JSON_MAX_DEPTH, 1, &len);
	char *s = b ? rewrite(b, len, 0, &olen) : NULL;

	CHECK(s && olen == len && memcmp(s, b, len) == 0);
	free(s);
	free(b);
}

TEST(write_value_of_a_subtree_inside_a_document)
{
	struct json_doc *d = PARSE("{\"a\": [1, {\"b\": true}], \"c\": \"x\"}");
	struct json_writer w;
	char *s;

	CHECK(d != NULL);
	if (!d)
		return;
	json_writer_init(&w, 0);
	json_write_object_begin(&w);
	json_write_key(&w, "copy");
	json_write_value(&w, json_get(json_root(d), "a"));
	json_write_key(&w, "c");
	json_write_value(&w, json_get(json_root(d), "c"));
	json_write_object_end(&w);
	s = json_writer_finish(&w, NULL);
	CHECK_STR(s, "{\"copy\":[1,{\"b\":true}],\"c\":\"x\"}");
	free(s);
	json_free(d);
}

int
main(void)
{
	RUN(scalars_at_top_level);
	RUN(empty_containers);
	RUN(nested_document_and_json_get);
	RUN(value_and_member_positions);
	RUN(all_four_whitespace_bytes_accepted);
	RUN(input_is_bounded_by_length_not_nul);
	RUN(null_err_pointer_and_null_doc_are_fine);
	RUN(type_names);
	RUN(runc_default_config_parses);

	RUN(empty_input_is_end_of_input);
	RUN(form_feed_and_vertical_tab_are_not_whitespace);
	RUN(trailing_data_rejected);
	RUN(comments_rejected);
	RUN(nul_byte_outside_a_string_rejected);
	RUN(byte_order_mark_rejected);
	RUN(unexpected_bytes_where_a_value_belongs);

	RUN(valid_numbers_keep_their_text);
	RUN(leading_zeros_rejected);
	RUN(plus_sign_and_bare_dot_rejected);
	RUN(incomplete_numbers_rejected);
	RUN(nan_and_infinity_rejected);
	RUN(hex_and_other_number_forms_rejected);
	RUN(int64_exact_limits);
	RUN(uint64_exact_limits);
	RUN(integer_forms_refuse_fractions_and_exponents);
	RUN(conversions_refuse_other_types);
	RUN(doubles_via_strtod);
	RUN(huge_number_literal);
	RUN(bad_literals);

	RUN(simple_escapes);
	RUN(unicode_escapes_to_utf8);
	RUN(escaped_nul_is_kept_with_its_length);
	RUN(surrogate_pairs_decoded);
	RUN(lone_high_surrogate_rejected);
	RUN(lone_low_surrogate_rejected);
	RUN(unknown_escapes_rejected);
	RUN(bad_unicode_escapes_rejected);
	RUN(raw_control_characters_in_strings_rejected);
	RUN(unterminated_strings);
	RUN(valid_utf8_kept_as_is);
	RUN(overlong_utf8_rejected);
	RUN(utf8_encoded_surrogates_rejected);
	RUN(utf8_past_u10ffff_rejected);
	RUN(truncated_and_stray_utf8_rejected);
	RUN(bad_utf8_in_keys_rejected);
	RUN(long_string_16mib);
	RUN(long_string_of_escapes);
	RUN(huge_unterminated_string);

	RUN(object_syntax_errors);
	RUN(object_trailing_comma_rejected);
	RUN(array_syntax_errors);
	RUN(error_positions_in_a_config_file);
	RUN(crlf_line_endings_count_lines);

	RUN(duplicate_key_names_both_positions);
	RUN(duplicate_key_message_example_from_the_issue);
	RUN(duplicate_key_found_before_later_syntax_errors);
	RUN(same_key_in_different_objects_is_fine);
	RUN(duplicate_key_after_escape_decoding);
	RUN(keys_with_nul_compared_by_length);
	RUN(duplicate_key_message_shortens_long_keys);
	RUN(duplicate_key_in_a_big_object);
	RUN(object_with_200000_keys);
	RUN(many_nested_objects_reuse_tables);

	RUN(depth_256_accepted);
	RUN(depth_257_rejected);
	RUN(a_million_open_brackets_is_a_clean_error);
	RUN(deep_objects_rejected_too);
	RUN(long_flat_array);

	RUN(writer_compact);
	RUN(writer_indented_like_marshalindent);
	RUN(writer_tabs);
	RUN(writer_wide_indent);
	RUN(writer_scalars_at_top_level);
	RUN(writer_escapes_specials_and_controls);
	RUN(writer_escapes_nul_by_length);
	RUN(writer_keeps_valid_utf8_and_replaces_invalid);
	RUN(writer_escapes_keys);
	RUN(writer_integer_limits);
	RUN(writer_number_literals_are_checked);
	RUN(writer_misuse_is_a_sticky_error);
	RUN(writer_unfinished_documents_fail);
	RUN(writer_depth_limit);

	RUN(roundtrip_runc_config_byte_for_byte);
	RUN(roundtrip_compact_and_indented_trees_equal);
	RUN(roundtrip_decoded_strings);
	RUN(roundtrip_deepest_document);
	RUN(write_value_of_a_subtree_inside_a_document);
	UNIT_END();
}
