/*
 * test_cgroup_devices.c - the device cgroup rules of cgroup_devices.c:
 *   - the eBPF program, run here in a tiny interpreter that knows only the
 *     instructions cgroup_devices.c emits (any other opcode fails the test),
 *     over (type, major, minor, access) cases: runc's default list behind a
 *     deny-all, allow-all, a deny list, partial access, last rule wins;
 *   - the emulator refusing what v1 would silently ignore;
 *   - the v1 line sequence (runc's Transition), from a new cgroup and for an
 *     update, and the v1 writer against a temp dir (with its final check).
 * The same programs are loaded into a real kernel by
 * tests/integration/cgroup_devices.bats.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup_devices.h"
#include "unit.h"

/* --------------------------------------------------------- interpreter */

/* Run prog over struct bpf_cgroup_dev_ctx {access_type, major, minor}:
 * returns r0, or -1 for an instruction it does not know, an out-of-range
 * jump or load, or a program that does not end in exit. */
static long
run_prog(const struct bpf_insn *p, size_t n, uint32_t access_type, uint32_t major, uint32_t minor)
{
	uint32_t ctx[3] = {access_type, major, minor};
	uint64_t r[11] = {0};

	for (size_t pc = 0; pc < n; pc++) {
		const struct bpf_insn *i = &p[pc];

		if (i->dst_reg > 10 || i->src_reg > 10)
			return -1;
		switch (i->code) {
		case BPF_LDX | BPF_MEM | BPF_W:
			if (i->src_reg != 1 || i->off < 0 || i->off > 8 || i->off % 4)
				return -1;
			r[i->dst_reg] = ctx[i->off / 4];
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			r[i->dst_reg] = (uint32_t)(r[i->dst_reg] & (uint32_t)i->imm);
			break;
		case BPF_ALU | BPF_RSH | BPF_K:
			r[i->dst_reg] = (uint32_t)r[i->dst_reg] >> i->imm;
			break;
		case BPF_ALU | BPF_MOV | BPF_X:
			r[i->dst_reg] = (uint32_t)r[i->src_reg];
			break;
		case BPF_ALU | BPF_MOV | BPF_K:
			r[i->dst_reg] = (uint32_t)i->imm;
			break;
		case BPF_JMP | BPF_JNE | BPF_K:
			if (i->off < 0 || pc + 1 + (size_t)i->off >= n)
				return -1;
			if (r[i->dst_reg] != (uint64_t)(int64_t)i->imm)
				pc += (size_t)i->off;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			if (i->off < 0 || pc + 1 + (size_t)i->off >= n)
				return -1;
			if (r[i->dst_reg] == (uint64_t)(int64_t)i->imm)
				pc += (size_t)i->off;
			break;
		case BPF_JMP | BPF_JNE | BPF_X:
			if (i->off < 0 || pc + 1 + (size_t)i->off >= n)
				return -1;
			if (r[i->dst_reg] != r[i->src_reg])
				pc += (size_t)i->off;
			break;
		case BPF_JMP | BPF_EXIT:
			return (long)r[0];
		default:
			return -1;
		}
	}
	return -1;
}

/* What the kernel asks: open(2) of a char device for reading and writing
 * asks READ|WRITE at once; mknod asks MKNOD. */
#define ASK_R  BPF_DEVCG_ACC_READ
#define ASK_W  BPF_DEVCG_ACC_WRITE
#define ASK_RW (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE)
#define ASK_M  BPF_DEVCG_ACC_MKNOD
#define CHR    BPF_DEVCG_DEV_CHAR
#define BLK    BPF_DEVCG_DEV_BLOCK

static struct bpf_insn *prog;
static size_t prog_n;

static int
build(const struct cgdev_rule *rules, size_t n, int defaults)
{
	struct cgdev_rules all = {0};
	struct err e = {""};
	int rc;

	free(prog);
	prog = NULL;
	if (defaults)
		cgdev_rules_with_defaults(rules, n, &all);
	else
		for (size_t i = 0; i < n; i++)
			cgdev_rules_add(&all, &rules[i]);
	rc = cgdev_bpf_build(all.v, all.n, &prog, &prog_n, &e);
	if (rc < 0)
		fprintf(stderr, "  build: %s\n", e.msg);
	cgdev_rules_free(&all);
	return rc;
}

static long
ask(int type, unsigned major, unsigned minor, unsigned access)
{
	return run_prog(prog, prog_n, (uint32_t)type | (access << 16), major, minor);
}

#define DENY_ALL                                                                                   \
	{                                                                                          \
		'a', CGDEV_WILD, CGDEV_WILD, CGDEV_RWM, false                                      \
	}
#define ALLOW_ALL                                                                                  \
	{                                                                                          \
		'a', CGDEV_WILD, CGDEV_WILD, CGDEV_RWM, true                                       \
	}

/* ------------------------------------------------------------- programs */

TEST(bpf_runc_default_config)
{
	/* `runc spec`'s one rule, then runc's default allow list. */
	struct cgdev_rule r[] = {DENY_ALL};

	CHECK(build(r, 1, 1) == 0);
	CHECK(ask(CHR, 1, 3, ASK_RW) == 1);   /* /dev/null */
	CHECK(ask(CHR, 1, 5, ASK_R) == 1);    /* /dev/zero */
	CHECK(ask(CHR, 1, 7, ASK_RW) == 1);   /* /dev/full */
	CHECK(ask(CHR, 1, 8, ASK_R) == 1);    /* /dev/random */
	CHECK(ask(CHR, 1, 9, ASK_R) == 1);    /* /dev/urandom */
	CHECK(ask(CHR, 5, 0, ASK_RW) == 1);   /* /dev/tty */
	CHECK(ask(CHR, 5, 2, ASK_RW) == 1);   /* /dev/ptmx */
	CHECK(ask(CHR, 136, 0, ASK_RW) == 1); /* /dev/pts/0 */
	CHECK(ask(CHR, 136, 99, ASK_W) == 1);
	CHECK(ask(CHR, 10, 200, ASK_RW) == 1); /* /dev/net/tun */
	CHECK(ask(CHR, 10, 229, ASK_RW) == 0); /* /dev/fuse */
	CHECK(ask(CHR, 10, 229, ASK_R) == 0);
	CHECK(ask(CHR, 1, 1, ASK_R) == 0);  /* /dev/mem */
	CHECK(ask(CHR, 5, 1, ASK_RW) == 0); /* /dev/console: not in runc's list */
	CHECK(ask(CHR, 4, 1, ASK_RW) == 0); /* /dev/tty1 */
	CHECK(ask(BLK, 8, 0, ASK_R) == 0);  /* /dev/sda */
	CHECK(ask(BLK, 1, 3, ASK_R) == 0);  /* block 1:3 is not char 1:3 */
	/* mknod of anything is allowed (c *:* m, b *:* m), using it is not. */
	CHECK(ask(CHR, 10, 229, ASK_M) == 1);
	CHECK(ask(BLK, 8, 0, ASK_M) == 1);
	CHECK(ask(CHR, 10, 229, ASK_M | ASK_R) == 0);
}

TEST(bpf_no_rules_denies_everything)
{
	/* runc's emulator starts at deny-all: no rule at all is no device. */
	CHECK(build(NULL, 0, 0) == 0);
	CHECK(prog_n == 8); /* prologue (6) + w0 = 0; exit */
	CHECK(ask(CHR, 1, 3, ASK_R) == 0);
	CHECK(ask(BLK, 8, 0, ASK_M) == 0);
}

TEST(bpf_allow_all)
{
	struct cgdev_rule r[] = {DENY_ALL, ALLOW_ALL};

	CHECK(build(r, 2, 0) == 0);
	CHECK(prog_n == 8);
	CHECK(ask(CHR, 10, 229, ASK_RW) == 1);
	CHECK(ask(BLK, 8, 0, ASK_RW | ASK_M) == 1);
}

TEST(bpf_deny_list)
{
	/* allow all, then take fuse and every block device's writes away.  A
	 * deny takes away any access it names: open(O_RDWR) of a block device is
	 * refused too (v1's rule; runc's v2 program lets it through). */
	struct cgdev_rule r[] = {ALLOW_ALL,
				 {'c', 10, 229, CGDEV_RWM, false},
				 {'b', CGDEV_WILD, CGDEV_WILD, CGDEV_W, false}};

	CHECK(build(r, 3, 0) == 0);
	CHECK(ask(CHR, 10, 229, ASK_R) == 0);
	CHECK(ask(CHR, 10, 229, ASK_M) == 0);
	CHECK(ask(CHR, 1, 3, ASK_RW) == 1);
	CHECK(ask(BLK, 8, 0, ASK_R) == 1);
	CHECK(ask(BLK, 8, 0, ASK_W) == 0);
	CHECK(ask(BLK, 8, 0, ASK_RW) == 0);
}

TEST(bpf_partial_access)
{
	/* read-only null: an open for reading and writing asks both at once */
	struct cgdev_rule r[] = {
	    DENY_ALL, {'c', 1, 3, CGDEV_R, true}, {'c', 1, 5, CGDEV_R | CGDEV_W, true}};

	CHECK(build(r, 3, 0) == 0);
	CHECK(ask(CHR, 1, 3, ASK_R) == 1);
	CHECK(ask(CHR, 1, 3, ASK_W) == 0);
	CHECK(ask(CHR, 1, 3, ASK_RW) == 0);
	CHECK(ask(CHR, 1, 3, ASK_M) == 0);
	CHECK(ask(CHR, 1, 5, ASK_RW) == 1);
	CHECK(ask(CHR, 1, 5, ASK_M) == 0);
}

TEST(bpf_later_rule_wins)
{
	/* rules apply in order, as writes to devices.allow/deny would */
	struct cgdev_rule allow_then_deny[] = {
	    DENY_ALL, {'c', 1, 3, CGDEV_RWM, true}, {'c', 1, 3, CGDEV_W, false}};
	struct cgdev_rule reset[] = {DENY_ALL, {'c', 1, 3, CGDEV_RWM, true}, DENY_ALL};
	struct cgdev_rule wild_minor[] = {DENY_ALL, {'c', 1, CGDEV_WILD, CGDEV_RWM, true}};

	CHECK(build(allow_then_deny, 3, 0) == 0);
	CHECK(ask(CHR, 1, 3, ASK_R) == 1);
	CHECK(ask(CHR, 1, 3, ASK_W) == 0);
	CHECK(ask(CHR, 1, 3, ASK_M) == 1);
	CHECK(build(reset, 3, 0) == 0);
	CHECK(ask(CHR, 1, 3, ASK_R) == 0);
	CHECK(build(wild_minor, 2, 0) == 0);
	CHECK(ask(CHR, 1, 3, ASK_R) == 1);
	CHECK(ask(CHR, 1, 200000, ASK_RW) == 1);
	CHECK(ask(CHR, 2, 3, ASK_R) == 0);
}

TEST(bpf_refuses_what_v1_would_ignore)
{
	/* v1 cannot take c 1:3 out of c 1:*; runc refuses, so do we */
	struct cgdev_rule hole[] = {
	    DENY_ALL, {'c', 1, CGDEV_WILD, CGDEV_R, true}, {'c', 1, 3, CGDEV_R, false}};
	struct cgdev_rule big[] = {DENY_ALL, {'c', 1, 1LL << 33, CGDEV_R, true}};
	struct cgdev_rule fifo[] = {{'p', 1, 3, CGDEV_R, true}};
	struct bpf_insn *p = NULL;
	size_t n = 0;
	struct err e = {""};

	CHECK(cgdev_bpf_build(hole, 3, &p, &n, &e) < 0);
	CHECK(strstr(e.msg, "\"c 1:3 r\" would punch a hole in the wildcard rule \"c 1:* r\"") !=
	      NULL);
	CHECK(cgdev_bpf_build(big, 2, &p, &n, &e) < 0);
	CHECK(strstr(e.msg, "32 bits") != NULL);
	CHECK(cgdev_bpf_build(fifo, 1, &p, &n, &e) < 0);
	CHECK(strstr(e.msg, "device type 'p'") != NULL);
	CHECK(p == NULL);
}

TEST(bpf_instruction_shape)
{
	/* The block for "c 1:3 r": type, access (3), major, minor, verdict (2). */
	struct cgdev_rule r[] = {DENY_ALL, {'c', 1, 3, CGDEV_R, true}};

	CHECK(build(r, 2, 0) == 0);
	CHECK(prog_n == 6 + 8 + 2);
	CHECK(prog[6].code == (BPF_JMP | BPF_JNE | BPF_K) && prog[6].imm == CHR &&
	      prog[6].off == 7);
	CHECK(prog[8].imm == BPF_DEVCG_ACC_READ);
	CHECK(prog[9].code == (BPF_JMP | BPF_JNE | BPF_X) && prog[9].off == 4);
	CHECK(prog[10].imm == 1 && prog[10].off == 3);
	CHECK(prog[11].imm == 3 && prog[11].off == 2);
	CHECK(prog[12].code == (BPF_ALU | BPF_MOV | BPF_K) && prog[12].imm == 1);
	CHECK(prog[14].code == (BPF_ALU | BPF_MOV | BPF_K) && prog[14].imm == 0);
	CHECK(prog[15].code == (BPF_JMP | BPF_EXIT));
}

/* ---------------------------------------------------------- defaults */

TEST(defaults_after_the_config)
{
	/* runc appends its eleven defaults after the config's rules */
	struct cgdev_rule r[] = {DENY_ALL};
	struct cgdev_rules all = {0};
	char s[48];

	CHECK(cgdev_rules_with_defaults(r, 1, &all) == 0);
	CHECK(all.n == 12);
	cgdev_rule_string(&all.v[0], s, sizeof(s));
	CHECK_STR(s, "a *:* rwm");
	cgdev_rule_string(&all.v[3], s, sizeof(s));
	CHECK_STR(s, "c 1:3 rwm");
	cgdev_rule_string(&all.v[11], s, sizeof(s));
	CHECK_STR(s, "c 10:200 rwm");
	cgdev_rules_free(&all);
}

TEST(access_parse)
{
	unsigned a = 0;

	CHECK(cgdev_access_parse("rwm", &a) == 0 && a == CGDEV_RWM);
	CHECK(cgdev_access_parse("mr", &a) == 0 && a == (CGDEV_M | CGDEV_R));
	CHECK(cgdev_access_parse("", &a) < 0 && errno == EINVAL);
	CHECK(cgdev_access_parse("rx", &a) < 0);
}

/* ---------------------------------------------------------- cgroup v1 */

/* The transition from devices.list text to rules, one string per line ("-" deny, "+" allow). */
static char *
transition(const char *list, const struct cgdev_rule *rules, size_t n, int defaults)
{
	static char out[2048];
	struct cgdev_emu src, dst;
	struct cgdev_rules all = {0}, tr = {0};
	struct err e = {""};
	char s[48];

	out[0] = '\0';
	if (defaults)
		cgdev_rules_with_defaults(rules, n, &all);
	else
		for (size_t i = 0; i < n; i++)
			cgdev_rules_add(&all, &rules[i]);
	cgdev_emu_init(&dst, false);
	if (cgdev_emu_from_list(&src, list, &e) < 0)
		snprintf(out, sizeof(out), "error: %s", e.msg);
	for (size_t i = 0; !out[0] && i < all.n; i++)
		if (cgdev_emu_apply(&dst, &all.v[i], &e) < 0)
			snprintf(out, sizeof(out), "error: %s", e.msg);
	if (!out[0])
		cgdev_transition(&src, &dst, &tr);
	for (size_t i = 0; i < tr.n; i++) {
		cgdev_rule_string(&tr.v[i], s, sizeof(s));
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%c%s", i ? "," : "",
			 tr.v[i].allow ? '+' : '-', s);
	}
	cgdev_rules_free(&all);
	cgdev_rules_free(&tr);
	cgdev_emu_free(&src);
	cgdev_emu_free(&dst);
	return out;
}

TEST(v1_lines_new_cgroup)
{
	/* A new v1 cgroup inherits allow-all ("a *:* rwm"): deny all first, then
	 * each allow in (major, minor, type) order - the devices.list runc 1.1.5
	 * leaves on this machine for `runc spec`'s config. */
	struct cgdev_rule r[] = {DENY_ALL};

	CHECK_STR(transition("a *:* rwm\n", r, 1, 1),
		  "-a *:* rwm,+b *:* m,+c *:* m,+c 1:3 rwm,+c 1:5 rwm,+c 1:7 rwm,+c 1:8 rwm,"
		  "+c 1:9 rwm,+c 5:0 rwm,+c 5:2 rwm,+c 10:200 rwm,+c 136:* rwm");
}

TEST(v1_lines_update)
{
	/* From an allow list to another: no disruptive "a" rule, only the changes. */
	struct cgdev_rule r[] = {
	    DENY_ALL, {'c', 1, 3, CGDEV_R | CGDEV_W, true}, {'c', 1, 9, CGDEV_RWM, true}};
	struct cgdev_rule same[] = {{'c', 1, 3, CGDEV_RWM, true}, {'c', 1, 5, CGDEV_RWM, true}};
	struct cgdev_rule to_blacklist[] = {ALLOW_ALL, {'c', 10, 229, CGDEV_RWM, false}};

	CHECK_STR(transition("c 1:3 rwm\nc 1:5 rwm\n", r, 3, 0), "-c 1:3 m,-c 1:5 rwm,+c 1:9 rwm");
	CHECK_STR(transition("c 1:5 rwm\nc 1:3 rwm\n", same, 2, 0), "");
	/* An allow-all source: its denies are not listed, so start over. */
	CHECK_STR(transition("a *:* rwm\n", to_blacklist, 2, 0), "+a *:* rwm,-c 10:229 rwm");
	CHECK_STR(transition("c 1:3 rwm\n", to_blacklist, 2, 0), "+a *:* rwm,-c 10:229 rwm");
	CHECK_STR(transition("c 1:3 bogus\n", NULL, 0, 0),
		  "error: devices.list: malformed line \"c 1:3 bogus\"");
}

static char dir[64];

static void
put(const char *name, const char *text)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
}

static char *
get(const char *name)
{
	static char buf[1024];
	char path[128];
	size_t len;
	char *s;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	s = read_file(path, sizeof(buf) - 1, &len);
	snprintf(buf, sizeof(buf), "%s", s ? s : "(none)");
	free(s);
	return buf;
}

TEST(v1_apply_dirfd)
{
	struct cgdev_rule r[] = {
	    DENY_ALL, {'c', 1, 3, CGDEV_RWM, true}, {'c', 1, 5, CGDEV_R, true}};
	struct err e = {""};
	int dfd;

	snprintf(dir, sizeof(dir), "/tmp/mr-unit-cgdev.XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	put("devices.list", "a *:* rwm\n");
	put("devices.allow", "");
	put("devices.deny", "");
	/* A plain file does not change as a cgroup does: the final check fails closed. */
	CHECK(cgdev_v1_apply(dfd, r, 3, &e) < 0);
	CHECK_STR(e.msg, "devices.list after the update is not what the rules ask for");
	CHECK_STR(get("devices.deny"), "a *:* rwm\n");
	CHECK_STR(get("devices.allow"), "c 1:3 rwm\nc 1:5 r\n");
	/* The cgroup already as asked: nothing written, the check passes. */
	put("devices.list", "c 1:5 r\nc 1:3 rwm\n");
	put("devices.allow", "");
	put("devices.deny", "");
	CHECK(cgdev_v1_apply(dfd, r, 3, &e) == 0);
	CHECK_STR(get("devices.allow"), "");
	CHECK_STR(get("devices.deny"), "");
	/* No devices.list: not a devices cgroup. */
	put("devices.list", "");
	unlinkat(dfd, "devices.list", 0);
	CHECK(cgdev_v1_apply(dfd, r, 3, &e) < 0);
	CHECK_STR(e.msg, "open devices.list: No such file or directory");
	unlinkat(dfd, "devices.allow", 0);
	unlinkat(dfd, "devices.deny", 0);
	close(dfd);
	CHECK(rmdir(dir) == 0);
}

int
main(void)
{
	RUN(bpf_runc_default_config);
	RUN(bpf_no_rules_denies_everything);
	RUN(bpf_allow_all);
	RUN(bpf_deny_list);
	RUN(bpf_partial_access);
	RUN(bpf_later_rule_wins);
	RUN(bpf_refuses_what_v1_would_ignore);
	RUN(bpf_instruction_shape);
	RUN(defaults_after_the_config);
	RUN(access_parse);
	RUN(v1_lines_new_cgroup);
	RUN(v1_lines_update);
	RUN(v1_apply_dirfd);
	free(prog);
	UNIT_END();
}
