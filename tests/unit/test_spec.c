/*
 * test_spec.c - spec.c: every validation message, exactly (file, line:col of
 * the offending value, JSON path, wording), and the positive path: runc's
 * default config lands in the right fields, the name tables, the arena.
 *
 * Documents are written with ' for " (Q() swaps them) to stay readable.  The
 * expected line:col is computed from the document text by AT(), at the first
 * occurrence of a marker, so each expectation is exact yet independent of the
 * parser under test.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spec.h"
#include "unit.h"

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static struct spec s;
static struct err e;
static char doc[8192];
static char want[1024];

/* The document with every ' turned into ". */
static const char *
Q(const char *text)
{
	size_t i;

	for (i = 0; text[i] && i + 1 < sizeof(doc); i++)
		doc[i] = text[i] == '\'' ? '"' : text[i];
	doc[i] = '\0';
	return doc;
}

/* Parse the current doc as config.json of bundle /b; "" on success, else the message. */
static const char *
parse_doc(void)
{
	spec_free(&s);
	memset(&e, 0, sizeof(e));
	if (spec_parse("config.json", doc, strlen(doc), "/b", &s, &e) == 0)
		return "";
	CHECK(errno != 0);
	CHECK(s.arena == NULL); /* failure leaves nothing behind */
	return e.msg;
}

static const char *
parse(const char *text)
{
	Q(text);
	return parse_doc();
}

/* "config.json:L:C: rest" where L:C is the first occurrence of marker in doc. */
static const char *
AT(const char *marker, const char *rest)
{
	const char *hit = strstr(doc, marker), *p;
	unsigned line = 1, col = 1;

	if (!hit) {
		snprintf(want, sizeof(want), "(marker %s not in document)", marker);
		return want;
	}
	for (p = doc; p < hit; p++) {
		if (*p == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	snprintf(want, sizeof(want), "config.json:%u:%u: %s", line, col, rest);
	return want;
}

/* Shorthand: expect the error `rest` at marker (marker uses ' too). */
#define EXPECT(text, marker, rest)                                                                 \
	do {                                                                                       \
		const char *got_ = parse(text);                                                    \
		char m_[256];                                                                      \
		size_t i_;                                                                         \
		for (i_ = 0; (marker)[i_] && i_ + 1 < sizeof(m_); i_++)                            \
			m_[i_] = (marker)[i_] == '\'' ? '"' : (marker)[i_];                        \
		m_[i_] = '\0';                                                                     \
		CHECK_STR(got_, AT(m_, rest));                                                     \
	} while (0)

#define HEAD	 "{'ociVersion':'1.0.2','root':{'path':'rootfs'}"
#define USER	 "'user':{'uid':0,'gid':0}"
#define PROC(x)	 HEAD ",'process':{" USER ",'args':['sh'],'cwd':'/'," x "}}"
#define LINUX(x) HEAD ",'linux':{" x "}}"

/* `runc spec` of runc 1.1.5, byte for byte. */
static const char runc_default[] =
    "{\n\t\"ociVersion\": \"1.0.2-dev\",\n\t\"process\": {\n\t\t\"terminal\": true,\n"
    "\t\t\"user\": {\n\t\t\t\"uid\": 0,\n\t\t\t\"gid\": 0\n\t\t},\n"
    "\t\t\"args\": [\n\t\t\t\"sh\"\n\t\t],\n\t\t\"env\": [\n"
    "\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
    "\t\t\t\"TERM=xterm\"\n\t\t],\n\t\t\"cwd\": \"/\",\n\t\t\"capabilities\": {\n"
    "\t\t\t\"bounding\": [\n\t\t\t\t\"CAP_AUDIT_WRITE\",\n\t\t\t\t\"CAP_KILL\",\n"
    "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n\t\t\t],\n"
    "\t\t\t\"effective\": [\n\t\t\t\t\"CAP_AUDIT_WRITE\",\n\t\t\t\t\"CAP_KILL\",\n"
    "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n\t\t\t],\n"
    "\t\t\t\"permitted\": [\n\t\t\t\t\"CAP_AUDIT_WRITE\",\n\t\t\t\t\"CAP_KILL\",\n"
    "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n\t\t\t],\n"
    "\t\t\t\"ambient\": [\n\t\t\t\t\"CAP_AUDIT_WRITE\",\n\t\t\t\t\"CAP_KILL\",\n"
    "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n\t\t\t]\n\t\t},\n"
    "\t\t\"rlimits\": [\n\t\t\t{\n\t\t\t\t\"type\": \"RLIMIT_NOFILE\",\n"
    "\t\t\t\t\"hard\": 1024,\n\t\t\t\t\"soft\": 1024\n\t\t\t}\n\t\t],\n"
    "\t\t\"noNewPrivileges\": true\n\t},\n"
    "\t\"root\": {\n\t\t\"path\": \"rootfs\",\n\t\t\"readonly\": true\n\t},\n"
    "\t\"hostname\": \"runc\",\n\t\"mounts\": [\n"
    "\t\t{\n\t\t\t\"destination\": \"/proc\",\n\t\t\t\"type\": \"proc\",\n"
    "\t\t\t\"source\": \"proc\"\n\t\t},\n"
    "\t\t{\n\t\t\t\"destination\": \"/dev\",\n\t\t\t\"type\": \"tmpfs\",\n"
    "\t\t\t\"source\": \"tmpfs\",\n\t\t\t\"options\": [\n\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"strictatime\",\n\t\t\t\t\"mode=755\",\n\t\t\t\t\"size=65536k\"\n"
    "\t\t\t]\n\t\t},\n"
    "\t\t{\n\t\t\t\"destination\": \"/dev/pts\",\n\t\t\t\"type\": \"devpts\",\n"
    "\t\t\t\"source\": \"devpts\",\n\t\t\t\"options\": [\n\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"noexec\",\n\t\t\t\t\"newinstance\",\n\t\t\t\t\"ptmxmode=0666\",\n"
    "\t\t\t\t\"mode=0620\",\n\t\t\t\t\"gid=5\"\n\t\t\t]\n\t\t},\n"
    "\t\t{\n\t\t\t\"destination\": \"/dev/shm\",\n\t\t\t\"type\": \"tmpfs\",\n"
    "\t\t\t\"source\": \"shm\",\n\t\t\t\"options\": [\n\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"noexec\",\n\t\t\t\t\"nodev\",\n\t\t\t\t\"mode=1777\",\n"
    "\t\t\t\t\"size=65536k\"\n\t\t\t]\n\t\t},\n"
    "\t\t{\n\t\t\t\"destination\": \"/dev/mqueue\",\n\t\t\t\"type\": \"mqueue\",\n"
    "\t\t\t\"source\": \"mqueue\",\n\t\t\t\"options\": [\n\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"noexec\",\n\t\t\t\t\"nodev\"\n\t\t\t]\n\t\t},\n"
    "\t\t{\n\t\t\t\"destination\": \"/sys\",\n\t\t\t\"type\": \"sysfs\",\n"
    "\t\t\t\"source\": \"sysfs\",\n\t\t\t\"options\": [\n\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"noexec\",\n\t\t\t\t\"nodev\",\n\t\t\t\t\"ro\"\n\t\t\t]\n\t\t},\n"
    "\t\t{\n\t\t\t\"destination\": \"/sys/fs/cgroup\",\n\t\t\t\"type\": \"cgroup\",\n"
    "\t\t\t\"source\": \"cgroup\",\n\t\t\t\"options\": [\n\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"noexec\",\n\t\t\t\t\"nodev\",\n\t\t\t\t\"relatime\",\n"
    "\t\t\t\t\"ro\"\n\t\t\t]\n\t\t}\n\t],\n"
    "\t\"linux\": {\n\t\t\"resources\": {\n\t\t\t\"devices\": [\n\t\t\t\t{\n"
    "\t\t\t\t\t\"allow\": false,\n\t\t\t\t\t\"access\": \"rwm\"\n\t\t\t\t}\n"
    "\t\t\t]\n\t\t},\n\t\t\"namespaces\": [\n"
    "\t\t\t{\n\t\t\t\t\"type\": \"pid\"\n\t\t\t},\n"
    "\t\t\t{\n\t\t\t\t\"type\": \"network\"\n\t\t\t},\n"
    "\t\t\t{\n\t\t\t\t\"type\": \"ipc\"\n\t\t\t},\n"
    "\t\t\t{\n\t\t\t\t\"type\": \"uts\"\n\t\t\t},\n"
    "\t\t\t{\n\t\t\t\t\"type\": \"mount\"\n\t\t\t}\n\t\t],\n"
    "\t\t\"maskedPaths\": [\n\t\t\t\"/proc/acpi\",\n\t\t\t\"/proc/asound\",\n"
    "\t\t\t\"/proc/kcore\",\n\t\t\t\"/proc/keys\",\n\t\t\t\"/proc/latency_stats\",\n"
    "\t\t\t\"/proc/timer_list\",\n\t\t\t\"/proc/timer_stats\",\n"
    "\t\t\t\"/proc/sched_debug\",\n\t\t\t\"/sys/firmware\",\n\t\t\t\"/proc/scsi\"\n"
    "\t\t],\n\t\t\"readonlyPaths\": [\n\t\t\t\"/proc/bus\",\n\t\t\t\"/proc/fs\",\n"
    "\t\t\t\"/proc/irq\",\n\t\t\t\"/proc/sys\",\n\t\t\t\"/proc/sysrq-trigger\"\n"
    "\t\t]\n\t}\n}";

/* Structural JSON equality: same keys and values, key order ignored. */
static int
json_same(const struct json_value *a, const struct json_value *b)
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
			if (!json_same(a->u.arr.items[i], b->u.arr.items[i]))
				return 0;
		return 1;
	case JSON_OBJECT:
		if (a->u.obj.n != b->u.obj.n)
			return 0;
		for (i = 0; i < a->u.obj.n; i++) {
			const struct json_value *o = json_get(b, a->u.obj.members[i].key);

			if (!o || !json_same(a->u.obj.members[i].value, o))
				return 0;
		}
		return 1;
	default:
		return 1;
	}
}

/* ---- whole-document errors ------------------------------------------- */

TEST(bad_json_names_file_and_place)
{
	const char *m = parse("{'ociVersion': }");

	CHECK(strncmp(m, "config.json:1:16: ", 18) == 0);
}

TEST(document_not_an_object)
{
	EXPECT("[1]", "[", "expected an object, got array");
}

TEST(file_over_size_cap)
{
	struct spec t;
	char *big = calloc(1, SPEC_MAX_FILE + 2);

	memset(&e, 0, sizeof(e));
	CHECK(big != NULL);
	if (!big)
		return;
	CHECK(spec_parse("config.json", big, SPEC_MAX_FILE + 1, "/b", &t, &e) == -1);
	CHECK(errno == EFBIG);
	CHECK_STR(e.msg, "config.json: larger than 4194304 bytes (SPEC_MAX_FILE)");
	free(big);
}

TEST(oci_version_missing)
{
	EXPECT("{'root':{'path':'r'}}", "{", "ociVersion: required field is missing");
}

TEST(oci_version_wrong_type)
{
	EXPECT("{'ociVersion':1,'root':{'path':'r'}}", "1,",
	       "ociVersion: expected a string, got number");
}

TEST(oci_version_empty)
{
	EXPECT("{'ociVersion':'','root':{'path':'r'}}", "''", "ociVersion: must not be empty");
}

TEST(root_missing)
{
	EXPECT("{'ociVersion':'1.0.2'}", "{", "root: required field is missing");
}

TEST(root_not_object)
{
	EXPECT("{'ociVersion':'1.0.2','root':'rootfs'}", "'rootfs'",
	       "root: expected an object, got string");
}

TEST(root_path_missing)
{
	EXPECT("{'ociVersion':'1.0.2','root':{'readonly':true}}", "{'readonly'",
	       "root.path: required field is missing");
}

TEST(root_path_empty)
{
	EXPECT("{'ociVersion':'1.0.2','root':{'path':''}}", "''", "root.path: must not be empty");
}

TEST(root_readonly_not_bool)
{
	EXPECT("{'ociVersion':'1.0.2','root':{'path':'r','readonly':'yes'}}", "'yes'",
	       "root.readonly: expected a boolean, got string");
}

/* ---- mounts ----------------------------------------------------------- */

TEST(mounts_not_array)
{
	EXPECT(HEAD ",'mounts':{}}", "{}", "mounts: expected an array, got object");
}

TEST(mount_destination_missing)
{
	EXPECT(HEAD ",'mounts':[{'destination':'/a'},{'type':'tmpfs'}]}", "{'type'",
	       "mounts[1].destination: required field is missing");
}

TEST(mount_destination_relative)
{
	EXPECT(HEAD ",'mounts':[{'destination':'proc','type':'proc'}]}", "'proc'",
	       "mounts[0].destination: must be an absolute path");
}

TEST(mount_option_not_string)
{
	EXPECT(HEAD ",'mounts':[{'destination':'/a','options':['ro',7]}]}", "7]",
	       "mounts[0].options[1]: expected a string, got number");
}

TEST(mount_source_with_nul)
{
	EXPECT(HEAD ",'mounts':[{'destination':'/a','source':'/x\\u0000y'}]}", "'/x",
	       "mounts[0].source: contains a NUL byte");
}

TEST(mount_option_with_nul)
{
	EXPECT(HEAD ",'mounts':[{'destination':'/a','options':['ro\\u0000']}]}", "'ro\\u",
	       "mounts[0].options[0]: contains a NUL byte");
}

/* ---- process ---------------------------------------------------------- */

TEST(process_not_object)
{
	EXPECT(HEAD ",'process':[]}", "[]", "process: expected an object, got array");
}

TEST(process_args_missing)
{
	EXPECT(HEAD ",'process':{" USER ",'cwd':'/'}}", "{'user'",
	       "process.args: required field is missing");
}

TEST(process_args_empty)
{
	EXPECT(HEAD ",'process':{" USER ",'args':[],'cwd':'/'}}", "[]",
	       "process.args: must not be empty");
}

TEST(process_args_element_type)
{
	EXPECT(HEAD ",'process':{" USER ",'args':['sh','-c',3],'cwd':'/'}}", "3]",
	       "process.args[2]: expected a string, got number");
}

TEST(process_args_with_nul)
{
	EXPECT(HEAD ",'process':{" USER ",'args':['s\\u0000h'],'cwd':'/'}}", "'s",
	       "process.args[0]: contains a NUL byte");
}

TEST(process_cwd_missing)
{
	EXPECT(HEAD ",'process':{" USER ",'args':['sh']}}", "{'user'",
	       "process.cwd: required field is missing");
}

TEST(process_cwd_relative)
{
	EXPECT(HEAD ",'process':{" USER ",'args':['sh'],'cwd':'tmp'}}", "'tmp'",
	       "process.cwd: must be an absolute path");
}

TEST(process_cwd_with_nul)
{
	EXPECT(HEAD ",'process':{" USER ",'args':['sh'],'cwd':'/a\\u0000'}}", "'/a",
	       "process.cwd: contains a NUL byte");
}

TEST(process_user_missing)
{
	EXPECT(HEAD ",'process':{'args':['sh'],'cwd':'/'}}", "{'args'",
	       "process.user: required field is missing");
}

TEST(process_uid_missing)
{
	EXPECT(HEAD ",'process':{'user':{'gid':0},'args':['sh'],'cwd':'/'}}", "{'gid'",
	       "process.user.uid: required field is missing");
}

TEST(process_gid_missing)
{
	EXPECT(HEAD ",'process':{'user':{'uid':0},'args':['sh'],'cwd':'/'}}", "{'uid'",
	       "process.user.gid: required field is missing");
}

TEST(process_uid_negative)
{
	EXPECT(HEAD ",'process':{'user':{'uid':-1,'gid':0},'args':['sh'],'cwd':'/'}}", "-1",
	       "process.user.uid: -1 is out of range (0..4294967295)");
}

TEST(process_gid_too_big)
{
	EXPECT(HEAD ",'process':{'user':{'uid':0,'gid':4294967296},'args':['sh'],'cwd':'/'}}",
	       "4294967296", "process.user.gid: 4294967296 is out of range (0..4294967295)");
}

TEST(process_uid_fraction)
{
	EXPECT(HEAD ",'process':{'user':{'uid':1.5,'gid':0},'args':['sh'],'cwd':'/'}}", "1.5",
	       "process.user.uid: expected an integer, got 1.5");
}

TEST(process_uid_string)
{
	EXPECT(HEAD ",'process':{'user':{'uid':'0','gid':0},'args':['sh'],'cwd':'/'}}", "'0'",
	       "process.user.uid: expected an integer, got string");
}

TEST(process_additional_gid_range)
{
	EXPECT(HEAD ",'process':{'user':{'uid':0,'gid':0,'additionalGids':[1,99999999999]},"
		    "'args':['sh'],'cwd':'/'}}",
	       "99999999999",
	       "process.user.additionalGids[1]: 99999999999 is out of range (0..4294967295)");
}

TEST(process_umask_range)
{
	EXPECT(HEAD ",'process':{'user':{'uid':0,'gid':0,'umask':1000},'args':['sh'],'cwd':'/'}}",
	       "1000", "process.user.umask: 1000 is out of range (0..511)");
}

TEST(process_env_without_equals)
{
	EXPECT(PROC("'env':['A=1','NOEQUALS']"), "'NOEQUALS'",
	       "process.env[1]: invalid environment variable \"NOEQUALS\": missing '='");
}

TEST(process_env_empty_name)
{
	EXPECT(PROC("'env':['=x']"), "'=x'",
	       "process.env[0]: environment variable name is empty: \"=x\"");
}

TEST(process_env_with_nul)
{
	EXPECT(PROC("'env':['A=\\u0000']"), "'A=", "process.env[0]: contains a NUL byte");
}

TEST(process_terminal_not_bool)
{
	EXPECT(PROC("'terminal':1"), "1}", "process.terminal: expected a boolean, got number");
}

TEST(process_console_height_missing)
{
	EXPECT(PROC("'consoleSize':{'width':80}"), "{'width'",
	       "process.consoleSize.height: required field is missing");
}

TEST(process_console_width_range)
{
	EXPECT(PROC("'consoleSize':{'height':24,'width':70000}"), "70000",
	       "process.consoleSize.width: 70000 is out of range (0..65535)");
}

TEST(process_caps_set_not_array)
{
	EXPECT(PROC("'capabilities':{'bounding':'CAP_KILL'}"), "'CAP_KILL'",
	       "process.capabilities.bounding: expected an array, got string");
}

TEST(process_caps_name_not_string)
{
	EXPECT(PROC("'capabilities':{'effective':['CAP_KILL',5]}"), "5]",
	       "process.capabilities.effective[1]: expected a string, got number");
}

TEST(process_unknown_cap_is_a_warning)
{
	CHECK_STR(parse(PROC("'capabilities':{'bounding':['CAP_KILL','CAP_FOO']}")), "");
	CHECK(s.n_warnings == 1);
	CHECK(s.warnings && s.warnings[1] == NULL);
	if (s.n_warnings == 1)
		CHECK_STR(s.warnings[0],
			  AT("\"CAP_FOO\"", "process.capabilities.bounding[1]: unknown capability "
					    "\"CAP_FOO\", ignored"));
	CHECK(s.process.caps.bounding == 1u << 5);
}

TEST(process_rlimit_type_missing)
{
	EXPECT(PROC("'rlimits':[{'soft':1,'hard':1}]"), "{'soft'",
	       "process.rlimits[0].type: required field is missing");
}

TEST(process_rlimit_unknown_type)
{
	EXPECT(PROC("'rlimits':[{'type':'RLIMIT_FOO','soft':1,'hard':1}]"), "'RLIMIT_FOO'",
	       "process.rlimits[0].type: unknown rlimit type \"RLIMIT_FOO\"");
}

TEST(process_rlimit_duplicate_type)
{
	EXPECT(PROC("'rlimits':[{'type':'RLIMIT_NOFILE','soft':1,'hard':1},"
		    "{'type':'RLIMIT_CORE','soft':1,'hard':1},"
		    "{'type':'RLIMIT_NOFILE ','soft':1,'hard':1},"
		    "{'type':'RLIMIT_NOFILE','soft':2,'hard':2}]"),
	       "'RLIMIT_NOFILE ','soft'",
	       "process.rlimits[2].type: unknown rlimit type "
	       "\"RLIMIT_NOFILE \"");
	EXPECT(PROC("'rlimits':[{'type':'RLIMIT_NOFILE','soft':1,'hard':1},"
		    "{'type':'RLIMIT_CORE','soft':1,'hard':1},"
		    "{'type':'RLIMIT_NOFILE','soft':2,'hard':2}]"),
	       "'RLIMIT_NOFILE','soft':2",
	       "process.rlimits[2].type: duplicate rlimit type \"RLIMIT_NOFILE\"");
}

TEST(process_rlimit_out_of_uint64)
{
	EXPECT(PROC("'rlimits':[{'type':'RLIMIT_CORE','soft':1,'hard':18446744073709551616}]"),
	       "18446744073709551616",
	       "process.rlimits[0].hard: 18446744073709551616 is out of range "
	       "(0..18446744073709551615)");
}

TEST(process_rlimit_soft_above_hard)
{
	EXPECT(PROC("'rlimits':[{'type':'RLIMIT_CORE','soft':10,'hard':5}]"), "10,",
	       "process.rlimits[0].soft: soft limit is above the hard limit");
}

TEST(process_rlimit_soft_missing)
{
	EXPECT(PROC("'rlimits':[{'type':'RLIMIT_CORE','hard':5}]"), "{'type'",
	       "process.rlimits[0].soft: required field is missing");
}

TEST(process_oom_score_adj_range)
{
	EXPECT(PROC("'oomScoreAdj':1001"), "1001",
	       "process.oomScoreAdj: 1001 is out of range (-1000..1000)");
}

TEST(process_no_new_privileges_not_bool)
{
	EXPECT(PROC("'noNewPrivileges':'true'"), "'true'",
	       "process.noNewPrivileges: expected a boolean, got string");
}

/* ---- hostname, hooks, annotations ------------------------------------ */

TEST(hostname_with_nul)
{
	EXPECT(HEAD ",'hostname':'a\\u0000b'}", "'a", "hostname: contains a NUL byte");
}

TEST(hostname_too_long)
{
	EXPECT(HEAD
	       ",'hostname':'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',"
	       "'linux':{'namespaces':[{'type':'uts'}]}}",
	       "'aaa", "hostname: longer than 64 bytes");
}

TEST(hostname_needs_uts_namespace)
{
	EXPECT(HEAD ",'hostname':'box','linux':{'namespaces':[{'type':'pid'}]}}", "'box'",
	       "hostname: needs a new UTS namespace (add {\"type\": \"uts\"})");
}

TEST(domainname_needs_uts_namespace)
{
	EXPECT(HEAD ",'domainname':'lan'}", "'lan'",
	       "domainname: needs a new UTS namespace (add {\"type\": \"uts\"})");
}

TEST(hooks_not_object)
{
	EXPECT(HEAD ",'hooks':[]}", "[]", "hooks: expected an object, got array");
}

TEST(hook_path_missing)
{
	EXPECT(HEAD ",'hooks':{'prestart':[{'args':['x']}]}}", "{'args'",
	       "hooks.prestart[0].path: required field is missing");
}

TEST(hook_path_relative)
{
	EXPECT(HEAD ",'hooks':{'poststop':[{'path':'/bin/true'},{'path':'bin/netns'}]}}",
	       "'bin/netns'", "hooks.poststop[1].path: must be an absolute path");
}

TEST(hook_timeout_zero)
{
	EXPECT(HEAD ",'hooks':{'createRuntime':[{'path':'/h','timeout':0}]}}", "0}",
	       "hooks.createRuntime[0].timeout: must be greater than zero");
}

TEST(hook_timeout_negative)
{
	EXPECT(HEAD ",'hooks':{'poststart':[{'path':'/h','timeout':-5}]}}", "-5",
	       "hooks.poststart[0].timeout: must be greater than zero");
}

TEST(hook_arg_with_nul)
{
	EXPECT(HEAD ",'hooks':{'startContainer':[{'path':'/h','args':['h','\\u0000']}]}}",
	       "'\\u0000'", "hooks.startContainer[0].args[1]: contains a NUL byte");
}

TEST(hook_env_not_string)
{
	EXPECT(HEAD ",'hooks':{'createContainer':[{'path':'/h','env':[true]}]}}", "true",
	       "hooks.createContainer[0].env[0]: expected a string, got boolean");
}

TEST(annotation_value_not_string)
{
	EXPECT(HEAD ",'annotations':{'org.x':'1','a':2}}", "2}",
	       "annotations[\"a\"]: expected a string, got number");
}

TEST(annotation_key_with_nul)
{
	EXPECT(HEAD ",'annotations':{'k\\u0000':'v'}}", "'k",
	       "annotations[\"k\\x00\"]: key contains a NUL byte");
}

TEST(annotation_value_with_nul)
{
	EXPECT(HEAD ",'annotations':{'k':'v\\u0000'}}", "'v",
	       "annotations[\"k\"]: contains a NUL byte");
}

/* ---- linux ------------------------------------------------------------ */

TEST(linux_not_object)
{
	EXPECT(HEAD ",'linux':true}", "true", "linux: expected an object, got boolean");
}

TEST(namespace_unknown_type)
{
	EXPECT(LINUX("'namespaces':[{'type':'pid'},{'type':'netwrk'}]"), "'netwrk'",
	       "linux.namespaces[1].type: unknown namespace type \"netwrk\"");
}

TEST(namespace_duplicate_type)
{
	EXPECT(LINUX("'namespaces':[{'type':'pid'},{'type':'ipc'},{'type':'pid','path':'/p'}]"),
	       "'pid','path'", "linux.namespaces[2].type: duplicate namespace type \"pid\"");
}

TEST(namespace_type_missing)
{
	EXPECT(LINUX("'namespaces':[{'path':'/proc/1/ns/net'}]"), "{'path':'/proc",
	       "linux.namespaces[0].type: required field is missing");
}

TEST(namespace_path_relative)
{
	EXPECT(LINUX("'namespaces':[{'type':'network','path':'proc/1/ns/net'}]"), "'proc/",
	       "linux.namespaces[0].path: must be an absolute path");
}

TEST(idmap_zero_size)
{
	EXPECT(LINUX("'namespaces':[{'type':'user'}],"
		     "'uidMappings':[{'containerID':0,'hostID':1000,'size':0}]"),
	       "0}", "linux.uidMappings[0].size: must be greater than zero");
}

TEST(idmap_host_id_missing)
{
	EXPECT(LINUX("'namespaces':[{'type':'user'}],"
		     "'gidMappings':[{'containerID':0,'size':1}]"),
	       "{'containerID'", "linux.gidMappings[0].hostID: required field is missing");
}

TEST(idmap_without_user_namespace)
{
	EXPECT(LINUX("'uidMappings':[{'containerID':0,'hostID':1000,'size':1}]"), "[{'cont",
	       "linux.uidMappings: given without a user namespace");
}

TEST(device_unknown_type)
{
	EXPECT(LINUX("'devices':[{'type':'x','path':'/dev/x','major':1,'minor':1}]"), "'x'",
	       "linux.devices[0].type: unknown device type \"x\" (want c, b, u or p)");
}

TEST(device_path_relative)
{
	EXPECT(LINUX("'devices':[{'type':'c','path':'dev/x','major':1,'minor':1}]"), "'dev/x'",
	       "linux.devices[0].path: must be an absolute path");
}

TEST(device_major_missing)
{
	EXPECT(LINUX("'devices':[{'type':'c','path':'/dev/x','minor':1}]"), "{'type'",
	       "linux.devices[0].major: required field is missing");
}

TEST(device_minor_range)
{
	EXPECT(LINUX("'devices':[{'type':'b','path':'/dev/x','major':8,'minor':1048576}]"),
	       "1048576", "linux.devices[0].minor: 1048576 is out of range (0..1048575)");
}

TEST(device_file_mode_range)
{
	EXPECT(LINUX("'devices':[{'type':'c','path':'/dev/x','major':1,'minor':3,'fileMode':"
		     "4096}]"),
	       "4096", "linux.devices[0].fileMode: 4096 is out of range (0..4095)");
}

TEST(masked_path_relative)
{
	EXPECT(LINUX("'maskedPaths':['/proc/kcore','proc/keys']"), "'proc/keys'",
	       "linux.maskedPaths[1]: must be an absolute path");
}

TEST(readonly_path_not_string)
{
	EXPECT(LINUX("'readonlyPaths':[null]"), "null",
	       "linux.readonlyPaths[0]: expected a string, got null");
}

TEST(rootfs_propagation_unknown)
{
	EXPECT(LINUX("'rootfsPropagation':'rslaves'"), "'rslaves'",
	       "linux.rootfsPropagation: unknown propagation \"rslaves\"");
}

TEST(sysctl_value_not_string)
{
	EXPECT(LINUX("'sysctl':{'net.ipv4.ip_forward':1}"), "1}",
	       "linux.sysctl[\"net.ipv4.ip_forward\"]: expected a string, got number");
}

TEST(cgroups_path_not_string)
{
	EXPECT(LINUX("'cgroupsPath':5"), "5}", "linux.cgroupsPath: expected a string, got number");
}

TEST(seccomp_not_object)
{
	EXPECT(LINUX("'seccomp':[]"), "[]", "linux.seccomp: expected an object, got array");
}

TEST(line_and_column_across_lines)
{
	/* runc's default with a relative cwd: the place is on line 16, after two tabs. */
	char *p;

	strcpy(doc, runc_default);
	p = strstr(doc, "\"cwd\": \"/\"");
	CHECK(p != NULL);
	if (!p)
		return;
	memcpy(p, "\"cwd\": \"x\"", 10);
	CHECK_STR(parse_doc(), "config.json:16:10: process.cwd: must be an absolute path");
	CHECK_STR(AT("\"x\"", "process.cwd: must be an absolute path"),
		  "config.json:16:10: process.cwd: must be an absolute path");
}

/* ---- spec_load, spec_parse_process ----------------------------------- */

static char tmpdir[64];

static void
write_config(const char *dir, const char *text)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/config.json", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	CHECK(fd >= 0);
	if (fd >= 0) {
		CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
		close(fd);
	}
}

TEST(load_missing_bundle)
{
	spec_free(&s);
	CHECK(spec_load("/nonexistent/bundle", &s, &e) == -1);
	CHECK(errno == ENOENT);
	CHECK_STR(e.msg, "bundle /nonexistent/bundle: No such file or directory");
}

TEST(load_bundle_is_a_file)
{
	spec_free(&s);
	CHECK(spec_load("/etc/hostname", &s, &e) == -1);
	CHECK_STR(e.msg, "bundle /etc/hostname: Not a directory");
}

TEST(load_missing_config)
{
	char want_msg[160];

	spec_free(&s);
	CHECK(spec_load(tmpdir, &s, &e) == -1);
	snprintf(want_msg, sizeof(want_msg), "open %s/config.json: No such file or directory",
		 tmpdir);
	CHECK_STR(e.msg, want_msg);
}

TEST(load_names_file_as_given)
{
	char want_msg[200], cwd[4096];

	write_config(tmpdir, Q(PROC("'env':['X']")));
	spec_free(&s);
	CHECK(spec_load(tmpdir, &s, &e) == -1);
	snprintf(want_msg, sizeof(want_msg), "%s/config.json%s", tmpdir,
		 strchr(AT("\"X\"", "process.env[0]"), ':'));
	CHECK(strncmp(e.msg, want_msg, strlen(want_msg)) == 0);
	/* With the bundle ".", the file is just "config.json". */
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(chdir(tmpdir) == 0);
	CHECK(spec_load(".", &s, &e) == -1);
	CHECK(strncmp(e.msg, "config.json:1:", 14) == 0);
	CHECK(chdir(cwd) == 0);
}

TEST(load_default_config_from_disk)
{
	size_t len;
	char *text = spec_default_json(&len);

	CHECK(text != NULL);
	if (!text)
		return;
	write_config(tmpdir, text);
	free(text);
	spec_free(&s);
	CHECK(spec_load(tmpdir, &s, &e) == 0);
	CHECK_STR(s.bundle, tmpdir);
	CHECK(s.root_path && strncmp(s.root_path, tmpdir, strlen(tmpdir)) == 0);
	CHECK(s.root_path && strcmp(s.root_path + strlen(tmpdir), "/rootfs") == 0);
	spec_free(&s);
}

TEST(parse_process_alone)
{
	struct spec owner;
	struct spec_process p;
	const char *text;

	memset(&owner, 0, sizeof(owner));
	text = Q("{'user':{'uid':1,'gid':2},'args':['ls','-l'],'cwd':'/tmp',"
		 "'capabilities':{'bounding':['CAP_KILL','CAP_BOGUS']}}");
	CHECK(spec_parse_process("process.json", text, strlen(text), &owner, &p, &e) == 0);
	CHECK(p.n_args == 2 && strcmp(p.args[1], "-l") == 0 && p.args[2] == NULL);
	CHECK(p.user.uid == 1 && p.user.gid == 2);
	CHECK_STR(p.cwd, "/tmp");
	CHECK(p.env && p.env[0] == NULL && p.n_env == 0);
	CHECK(owner.n_warnings == 1);
	text = Q("{'user':{'uid':1,'gid':2},'args':[],'cwd':'/'}");
	CHECK(spec_parse_process("process.json", text, strlen(text), &owner, &p, &e) == -1);
	CHECK_STR(e.msg, "process.json:1:34: args: must not be empty");
	CHECK(p.args == NULL);
	spec_free(&owner);
}

/* ---- positive: values land in the right fields ----------------------- */

TEST(default_json_is_runcs)
{
	struct json_err je;
	struct json_doc *a, *b;
	size_t len;
	char *text = spec_default_json(&len);

	CHECK(text != NULL && len == strlen(text));
	if (!text)
		return;
	a = json_parse(text, len, &je);
	b = json_parse(runc_default, strlen(runc_default), &je);
	CHECK(a && b && json_same(json_root(a), json_root(b)));
	/* Tab indentation like runc: the second line starts with one tab. */
	CHECK(strncmp(text, "{\n\t\"ociVersion\": \"1.0.2-dev\",\n\t\"process\"", 40) == 0);
	json_free(a);
	json_free(b);
	free(text);
}

TEST(runc_default_fields)
{
	strcpy(doc, runc_default);
	CHECK_STR(parse_doc(), "");
	CHECK_STR(s.oci_version, "1.0.2-dev");
	CHECK_STR(s.bundle, "/b");
	CHECK_STR(s.root_path, "/b/rootfs");
	CHECK(s.root_readonly);
	CHECK(s.has_process && s.process.terminal && !s.process.has_console_size);
	CHECK(s.process.user.uid == 0 && s.process.user.gid == 0 && !s.process.user.has_umask);
	CHECK(s.process.n_args == 1 && strcmp(s.process.args[0], "sh") == 0 && !s.process.args[1]);
	CHECK(s.process.n_env == 2 && strcmp(s.process.env[1], "TERM=xterm") == 0 &&
	      !s.process.env[2]);
	CHECK_STR(s.process.cwd, "/");
	CHECK(s.process.no_new_privileges && !s.process.has_oom_score_adj);
	CHECK(!s.process.apparmor_profile && !s.process.selinux_label);
	CHECK(s.n_warnings == 0);
	CHECK_STR(s.hostname, "runc");
	CHECK(s.domainname == NULL);
}

TEST(runc_default_caps_masks)
{
	strcpy(doc, runc_default);
	CHECK_STR(parse_doc(), "");
	CHECK(s.process.has_caps);
	CHECK(s.process.caps.bounding == 0x20000420);
	CHECK(s.process.caps.effective == 0x20000420);
	CHECK(s.process.caps.permitted == 0x20000420);
	CHECK(s.process.caps.ambient == 0x20000420);
	CHECK(s.process.caps.inheritable == 0);
}

TEST(runc_default_rlimits_mounts)
{
	strcpy(doc, runc_default);
	CHECK_STR(parse_doc(), "");
	CHECK(s.process.n_rlimits == 1);
	CHECK(s.process.rlimits[0].resource == RLIMIT_NOFILE);
	CHECK_STR(s.process.rlimits[0].name, "RLIMIT_NOFILE");
	CHECK(s.process.rlimits[0].soft == 1024 && s.process.rlimits[0].hard == 1024);
	CHECK(s.n_mounts == 7);
	CHECK_STR(s.mounts[0].destination, "/proc");
	CHECK_STR(s.mounts[0].type, "proc");
	CHECK(s.mounts[0].n_options == 0 && s.mounts[0].options && !s.mounts[0].options[0]);
	CHECK_STR(s.mounts[2].destination, "/dev/pts");
	CHECK(s.mounts[2].n_options == 6 && strcmp(s.mounts[2].options[5], "gid=5") == 0);
	CHECK_STR(s.mounts[3].source, "shm");
}

TEST(runc_default_linux)
{
	strcpy(doc, runc_default);
	CHECK_STR(parse_doc(), "");
	CHECK(s.n_namespaces == 5);
	CHECK(s.namespaces[0].flag == CLONE_NEWPID && s.namespaces[1].flag == CLONE_NEWNET);
	CHECK(s.namespaces[4].flag == CLONE_NEWNS && !s.namespaces[4].path);
	CHECK_STR(s.namespaces[3].type, "uts");
	CHECK(s.n_masked_paths == 10 && strcmp(s.masked_paths[9], "/proc/scsi") == 0 &&
	      !s.masked_paths[10]);
	CHECK(s.n_readonly_paths == 5 && !s.readonly_paths[5]);
	CHECK(s.resources.present && s.resources.n_devices == 1 && !s.resources.devices[0].allow &&
	      s.resources.devices[0].type == 'a' && s.resources.devices[0].major == -1 &&
	      strcmp(s.resources.devices[0].access, "rwm") == 0);
	CHECK(!s.has_seccomp && !s.has_intel_rdt && !s.has_mount_label);
	CHECK(s.rootfs_propagation == NULL && s.cgroups_path == NULL);
	CHECK(s.n_uid_mappings == 0 && s.n_devices == 0 && s.n_sysctl == 0);
}

TEST(everything_else_lands)
{
	CHECK_STR(parse(HEAD
			",'hostname':'h','domainname':'d',"
			"'process':{'user':{'uid':1000,'gid':100,'umask':18,"
			"'additionalGids':[5,4294967295]},'args':['a','b=c'],'cwd':'/w',"
			"'env':['A=b=c'],'consoleSize':{'height':24,'width':80},"
			"'oomScoreAdj':-1000,'apparmorProfile':'p','selinuxLabel':'',"
			"'rlimits':[{'type':'RLIMIT_CORE','soft':0,'hard':18446744073709551615}]},"
			"'hooks':{'prestart':[{'path':'/bin/netns','args':['netns','x'],"
			"'env':['E'],'timeout':5}],'poststop':[{'path':'/p'}]},"
			"'annotations':{'k':'v','k2':''},"
			"'linux':{'namespaces':[{'type':'user'},{'type':'uts'},"
			"{'type':'network','path':'/run/netns/x'},{'type':'cgroup'},"
			"{'type':'time'},{'type':'ipc','path':''}],"
			"'uidMappings':[{'containerID':0,'hostID':100000,'size':65536}],"
			"'gidMappings':[{'containerID':0,'hostID':100000,'size':65536}],"
			"'devices':[{'type':'c','path':'/dev/fuse','major':10,'minor':229,"
			"'fileMode':438,'uid':0},{'type':'p','path':'/dev/fifo'}],"
			"'rootfsPropagation':'rprivate','sysctl':{'net.core.somaxconn':'1024'},"
			"'cgroupsPath':'/x','resources':{'devices':[],'memory':{'limit':1}},"
			"'seccomp':{},'intelRdt':{},'mountLabel':'m'}}"),
		  "");
	CHECK_STR(s.domainname, "d");
	CHECK(s.process.user.has_umask && s.process.user.umask == 022);
	CHECK(s.process.user.n_additional_gids == 2 &&
	      s.process.user.additional_gids[1] == 4294967295u);
	CHECK(s.process.has_console_size && s.process.console_height == 24 &&
	      s.process.console_width == 80);
	CHECK(s.process.has_oom_score_adj && s.process.oom_score_adj == -1000);
	CHECK_STR(s.process.apparmor_profile, "p");
	CHECK(s.process.selinux_label == NULL && !s.process.has_caps);
	CHECK(s.process.rlimits[0].hard == UINT64_MAX &&
	      s.process.rlimits[0].resource == RLIMIT_CORE);
	CHECK(s.hooks[HOOK_PRESTART].n == 1 && s.hooks[HOOK_PRESTART].v[0].timeout == 5);
	CHECK_STR(s.hooks[HOOK_PRESTART].v[0].args[1], "x");
	CHECK_STR(s.hooks[HOOK_PRESTART].v[0].env[0], "E");
	CHECK(s.hooks[HOOK_POSTSTOP].n == 1 && s.hooks[HOOK_POSTSTOP].v[0].n_args == 0 &&
	      s.hooks[HOOK_POSTSTOP].v[0].args[0] == NULL &&
	      s.hooks[HOOK_POSTSTOP].v[0].timeout == 0);
	CHECK(s.hooks[HOOK_CREATE_RUNTIME].n == 0);
	CHECK(s.n_annotations == 2 && strcmp(s.annotations[1].key, "k2") == 0 &&
	      strcmp(s.annotations[1].value, "") == 0);
	CHECK(s.n_namespaces == 6 && s.namespaces[0].flag == CLONE_NEWUSER);
	CHECK_STR(s.namespaces[2].path, "/run/netns/x");
	CHECK(s.namespaces[3].flag == CLONE_NEWCGROUP && s.namespaces[4].flag == CLONE_NEWTIME);
	CHECK(s.namespaces[5].path == NULL);
	CHECK(s.n_uid_mappings == 1 && s.uid_mappings[0].host_id == 100000 &&
	      s.uid_mappings[0].size == 65536 && s.n_gid_mappings == 1);
	CHECK(s.n_devices == 2 && s.devices[0].type == 'c' && s.devices[0].major == 10 &&
	      s.devices[0].minor == 229 && s.devices[0].has_file_mode &&
	      s.devices[0].file_mode == 0666 && s.devices[0].has_uid && !s.devices[0].has_gid);
	CHECK(s.devices[1].type == 'p' && !s.devices[1].has_file_mode);
	CHECK_STR(s.rootfs_propagation, "rprivate");
	CHECK(s.n_sysctl == 1 && strcmp(s.sysctl[0].value, "1024") == 0);
	CHECK_STR(s.cgroups_path, "/x");
	CHECK(s.resources.present);
	CHECK(s.has_seccomp && s.has_intel_rdt && s.has_mount_label);
}

TEST(null_counts_as_absent_and_unknown_fields_are_ignored)
{
	CHECK_STR(parse(HEAD ",'hostname':null,'process':null,'future':{'x':[1,2]},"
			     "'linux':{'seccomp':null,'resources':{'devices':[],'cpu':null},"
			     "'personality':{'domain':'LINUX'}},'windows':{}}"),
		  "");
	CHECK(s.hostname == NULL && !s.has_process && !s.has_seccomp);
	CHECK(s.resources.present && s.resources.n_devices == 0 && !s.resources.cpu.has_shares);
	CHECK(s.mounts != NULL && s.n_mounts == 0 && s.warnings == NULL);
}

TEST(root_path_resolved_against_bundle)
{
	CHECK_STR(parse("{'ociVersion':'1','root':{'path':'../r/./fs/'}}"), "");
	CHECK_STR(s.root_path, "/r/fs");
	CHECK_STR(parse("{'ociVersion':'1','root':{'path':'/x/../y//z/.'}}"), "");
	CHECK_STR(s.root_path, "/y/z");
	CHECK_STR(parse("{'ociVersion':'1','root':{'path':'/../..'}}"), "");
	CHECK_STR(s.root_path, "/");
}

TEST(relative_bundle_made_absolute)
{
	char cwd[4096], want_b[4200];
	const char *text = Q("{'ociVersion':'1','root':{'path':'rootfs'}}");

	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	spec_free(&s);
	CHECK(spec_parse("c", text, strlen(text), "./bun/../bundle/", &s, &e) == 0);
	snprintf(want_b, sizeof(want_b), "%s/bundle", strcmp(cwd, "/") ? cwd : "");
	CHECK_STR(s.bundle, want_b);
	strcat(want_b, "/rootfs");
	CHECK_STR(s.root_path, want_b);
}

TEST(cap_table)
{
	int i;

	CHECK(spec_cap_from_name("CAP_CHOWN") == 0);
	CHECK(spec_cap_from_name("CAP_KILL") == 5);
	CHECK(spec_cap_from_name("CAP_NET_BIND_SERVICE") == 10);
	CHECK(spec_cap_from_name("CAP_SYS_ADMIN") == 21);
	CHECK(spec_cap_from_name("CAP_AUDIT_WRITE") == 29);
	CHECK(spec_cap_from_name("CAP_CHECKPOINT_RESTORE") == 40);
	CHECK(spec_cap_from_name("cap_kill") == -1 && spec_cap_from_name("KILL") == -1);
	CHECK(spec_cap_name(-1) == NULL && spec_cap_name(41) == NULL);
	for (i = 0; i <= SPEC_CAP_LAST; i++)
		CHECK(spec_cap_name(i) && spec_cap_from_name(spec_cap_name(i)) == i);
}

TEST(ns_and_rlimit_tables)
{
	CHECK(spec_ns_flag("pid") == CLONE_NEWPID && spec_ns_flag("network") == CLONE_NEWNET);
	CHECK(spec_ns_flag("mount") == CLONE_NEWNS && spec_ns_flag("ipc") == CLONE_NEWIPC);
	CHECK(spec_ns_flag("uts") == CLONE_NEWUTS && spec_ns_flag("user") == CLONE_NEWUSER);
	CHECK(spec_ns_flag("cgroup") == CLONE_NEWCGROUP && spec_ns_flag("time") == 0x80);
	CHECK(spec_ns_flag("net") == 0 && spec_ns_flag("") == 0);
	CHECK(spec_rlimit_from_name("RLIMIT_NOFILE") == RLIMIT_NOFILE);
	CHECK(spec_rlimit_from_name("RLIMIT_RTTIME") == RLIMIT_RTTIME);
	CHECK(spec_rlimit_from_name("NOFILE") == -1);
}

TEST(free_is_idempotent)
{
	struct spec z;

	memset(&z, 0, sizeof(z));
	spec_free(&z);
	spec_free(NULL);
	CHECK_STR(parse(PROC("'env':['A=1']")), "");
	spec_free(&s);
	spec_free(&s);
	CHECK(s.arena == NULL && s.process.args == NULL);
}

TEST(many_warnings_grow_the_list)
{
	char text[4096] = HEAD ",'process':{" USER ",'args':['sh'],'cwd':'/','capabilities':"
			       "{'ambient':[";
	int i;

	for (i = 0; i < 40; i++)
		strcat(text, i ? ",'CAP_NOPE'" : "'CAP_NOPE'");
	strcat(text, "]}}}");
	CHECK_STR(parse(text), "");
	CHECK(s.n_warnings == 40 && s.warnings[39] && s.warnings[40] == NULL);
	CHECK(s.process.caps.ambient == 0);
}

int
main(void)
{
	strcpy(tmpdir, "/tmp/test_spec.XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;

	RUN(bad_json_names_file_and_place);
	RUN(document_not_an_object);
	RUN(file_over_size_cap);
	RUN(oci_version_missing);
	RUN(oci_version_wrong_type);
	RUN(oci_version_empty);
	RUN(root_missing);
	RUN(root_not_object);
	RUN(root_path_missing);
	RUN(root_path_empty);
	RUN(root_readonly_not_bool);
	RUN(mounts_not_array);
	RUN(mount_destination_missing);
	RUN(mount_destination_relative);
	RUN(mount_option_not_string);
	RUN(mount_source_with_nul);
	RUN(mount_option_with_nul);
	RUN(process_not_object);
	RUN(process_args_missing);
	RUN(process_args_empty);
	RUN(process_args_element_type);
	RUN(process_args_with_nul);
	RUN(process_cwd_missing);
	RUN(process_cwd_relative);
	RUN(process_cwd_with_nul);
	RUN(process_user_missing);
	RUN(process_uid_missing);
	RUN(process_gid_missing);
	RUN(process_uid_negative);
	RUN(process_gid_too_big);
	RUN(process_uid_fraction);
	RUN(process_uid_string);
	RUN(process_additional_gid_range);
	RUN(process_umask_range);
	RUN(process_env_without_equals);
	RUN(process_env_empty_name);
	RUN(process_env_with_nul);
	RUN(process_terminal_not_bool);
	RUN(process_console_height_missing);
	RUN(process_console_width_range);
	RUN(process_caps_set_not_array);
	RUN(process_caps_name_not_string);
	RUN(process_unknown_cap_is_a_warning);
	RUN(process_rlimit_type_missing);
	RUN(process_rlimit_unknown_type);
	RUN(process_rlimit_duplicate_type);
	RUN(process_rlimit_out_of_uint64);
	RUN(process_rlimit_soft_above_hard);
	RUN(process_rlimit_soft_missing);
	RUN(process_oom_score_adj_range);
	RUN(process_no_new_privileges_not_bool);
	RUN(hostname_with_nul);
	RUN(hostname_too_long);
	RUN(hostname_needs_uts_namespace);
	RUN(domainname_needs_uts_namespace);
	RUN(hooks_not_object);
	RUN(hook_path_missing);
	RUN(hook_path_relative);
	RUN(hook_timeout_zero);
	RUN(hook_timeout_negative);
	RUN(hook_arg_with_nul);
	RUN(hook_env_not_string);
	RUN(annotation_value_not_string);
	RUN(annotation_key_with_nul);
	RUN(annotation_value_with_nul);
	RUN(linux_not_object);
	RUN(namespace_unknown_type);
	RUN(namespace_duplicate_type);
	RUN(namespace_type_missing);
	RUN(namespace_path_relative);
	RUN(idmap_zero_size);
	RUN(idmap_host_id_missing);
	RUN(idmap_without_user_namespace);
	RUN(device_unknown_type);
	RUN(device_path_relative);
	RUN(device_major_missing);
	RUN(device_minor_range);
	RUN(device_file_mode_range);
	RUN(masked_path_relative);
	RUN(readonly_path_not_string);
	RUN(rootfs_propagation_unknown);
	RUN(sysctl_value_not_string);
	RUN(cgroups_path_not_string);
	RUN(seccomp_not_object);
	RUN(line_and_column_across_lines);
	RUN(load_missing_bundle);
	RUN(load_bundle_is_a_file);
	RUN(load_missing_config);
	RUN(load_names_file_as_given);
	RUN(load_default_config_from_disk);
	RUN(parse_process_alone);
	RUN(default_json_is_runcs);
	RUN(runc_default_fields);
	RUN(runc_default_caps_masks);
	RUN(runc_default_rlimits_mounts);
	RUN(runc_default_linux);
	RUN(everything_else_lands);
	RUN(null_counts_as_absent_and_unknown_fields_are_ignored);
	RUN(root_path_resolved_against_bundle);
	RUN(relative_bundle_made_absolute);
	RUN(cap_table);
	RUN(ns_and_rlimit_tables);
	RUN(free_is_idempotent);
	RUN(many_warnings_grow_the_list);

	spec_free(&s);
	{
		char path[128];

		snprintf(path, sizeof(path), "%s/config.json", tmpdir);
		unlink(path);
		rmdir(tmpdir);
	}
	UNIT_END();
}
