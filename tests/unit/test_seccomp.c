/*
 * test_seccomp.c - seccomp.c's tables, names and program shape.  What the
 * program decides is proved against libseccomp in tests/seccomp/equal.py
 * (seccomp.bats); here: the generated tables agree with the kernel headers
 * this build sees, and the program is well formed (arch check first, every
 * jump inside the program, nothing past BPF_MAXINSNS).
 */
#include <asm/unistd.h>
#include <errno.h>
#include <linux/filter.h>
#include <stdlib.h>

#include "seccomp.h"
#include "spec.h"
#include "unit.h"

TEST(tables_match_the_kernel_headers)
{
	int r = seccomp_sys_lookup("read"), s = seccomp_sys_lookup("socket");

	CHECK(r >= 0 && s >= 0);
#ifdef __x86_64__
	CHECK(seccomp_sys_nr(r, SECCOMP_ARCH_X86_64) == __NR_read);
	CHECK(seccomp_sys_nr(s, SECCOMP_ARCH_X86_64) == __NR_socket);
	CHECK(seccomp_sys_nr(seccomp_sys_lookup("futex_waitv"), SECCOMP_ARCH_X86_64) ==
	      __NR_futex_waitv);
#endif
	CHECK(seccomp_sys_nr(r, SECCOMP_ARCH_X86) == 3);
	CHECK(seccomp_sys_nr(s, SECCOMP_ARCH_X86) == 359);
	CHECK(seccomp_systab[s].mux == 1); /* SYS_SOCKET of socketcall(2) */
	CHECK(seccomp_systab[seccomp_sys_lookup("shmctl")].mux == (0x80 | 24));
	CHECK(seccomp_sys_nr(r, SECCOMP_ARCH_X32) == (int64_t)(SECCOMP_X32_BIT | 0));
	CHECK(seccomp_sys_nr(r, SECCOMP_ARCH_AARCH64) == 63);
	CHECK(seccomp_sys_nr(seccomp_sys_lookup("cacheflush"), SECCOMP_ARCH_ARM) == 0x0f0002);
	CHECK(seccomp_sys_nr(seccomp_sys_lookup("arch_prctl"), SECCOMP_ARCH_AARCH64) == -1);
	CHECK(seccomp_sys_lookup("no_such_call") == -1);
	CHECK(seccomp_sys_lookup("") == -1);
}

TEST(tables_sorted_for_the_binary_search)
{
	for (unsigned i = 1; i < seccomp_systab_len; i++)
		CHECK(strcmp(seccomp_sys_strtab + seccomp_systab[i - 1].name,
			     seccomp_sys_strtab + seccomp_systab[i].name) < 0);
	for (unsigned i = 0; i < seccomp_systab_len; i++)
		CHECK(seccomp_sys_lookup(seccomp_sys_strtab + seccomp_systab[i].name) == (int)i);
}

TEST(names_as_runc_spells_them)
{
	uint32_t a = 0;

	CHECK(seccomp_action_from_name("SCMP_ACT_ERRNO", 0, false, &a) == 0 && a == 0x50001);
	CHECK(seccomp_action_from_name("SCMP_ACT_ERRNO", 38, true, &a) == 0 && a == 0x50026);
	CHECK(seccomp_action_from_name("SCMP_ACT_TRACE", 0, false, &a) == 0 && a == 0x7ff00001);
	CHECK(seccomp_action_from_name("SCMP_ACT_KILL", 0, false, &a) == 0 && a == 0);
	CHECK(seccomp_action_from_name("SCMP_ACT_KILL_PROCESS", 0, false, &a) == 0 &&
	      a == 0x80000000U);
	CHECK(seccomp_action_from_name("SCMP_ACT_NOTIFY", 0, false, &a) == 0 && a == 0x7fc00000);
	CHECK(seccomp_action_from_name("SCMP_ACT_allow", 0, false, &a) == -1);
	CHECK(seccomp_op_from_name("SCMP_CMP_MASKED_EQ") == SECCOMP_OP_MASKED_EQ);
	CHECK(seccomp_op_from_name("SCMP_CMP_EQUAL") == -1);
	CHECK(seccomp_arch_from_name("SCMP_ARCH_X32") == SECCOMP_ARCH_X32);
	CHECK(seccomp_arch_from_name("SCMP_ARCH_S390X") == SECCOMP_ARCH_FOREIGN);
	CHECK(seccomp_arch_from_name("SCMP_ARCH_RISCV64") == -1); /* runc 1.1.5 lacks it */
	CHECK(seccomp_flag_from_name("SECCOMP_FILTER_FLAG_LOG") == 2);
	CHECK(seccomp_flag_from_name("SECCOMP_FILTER_FLAG_NEW_LISTENER") == -1);
}

/* Every jump lands inside the program and every path ends in a RET. */
static int
well_formed(const struct seccomp_prog *p)
{
	for (size_t i = 0; i < p->len; i++) {
		const struct sock_filter *f = &p->insns[i];

		if (BPF_CLASS(f->code) == BPF_JMP) {
			size_t t = i + 1 + (BPF_OP(f->code) == BPF_JA ? f->k : f->jt);
			size_t e = i + 1 + (BPF_OP(f->code) == BPF_JA ? f->k : f->jf);

			if (t >= p->len || e >= p->len)
				return 0;
		} else if (BPF_CLASS(f->code) != BPF_RET && i + 1 == p->len) {
			return 0;
		}
	}
	return p->len > 0 && p->len <= 4096;
}

static int
compile(const char *json, struct seccomp_prog *prog, struct err *e)
{
	struct spec s = {0};
	int rc;

	rc = spec_parse("config.json", json, strlen(json), "/", &s, e);
	if (rc == 0)
		rc = seccomp_compile(s.seccomp, prog, e);
	spec_free(&s);
	return rc;
}

TEST(program_starts_with_the_arch_and_keeps_jumps_inside)
{
	struct seccomp_prog p;
	struct err e = {{0}};
	const char *cfg =
	    "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"linux\":{\"seccomp\":"
	    "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
	    "\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\",\"SCMP_ARCH_AARCH64\",\"SCMP_ARCH_ARM\"],"
	    "\"syscalls\":[{\"names\":[\"read\",\"write\",\"close\",\"socket\"],"
	    "\"action\":\"SCMP_ACT_ALLOW\"}]}}}";

	CHECK(compile(cfg, &p, &e) == 0);
	CHECK(well_formed(&p));
	CHECK(p.insns[0].code == (BPF_LD | BPF_W | BPF_ABS) && p.insns[0].k == 4);
	CHECK(p.n_syscalls == 4);
	seccomp_prog_free(&p);
}

/* Enough argument rules that targets lie beyond a conditional jump's 255. */
TEST(long_programs_use_trampolines)
{
	struct seccomp_prog p;
	struct err e = {{0}};
	char *cfg = malloc(200000);
	size_t n, rets = 0;
	bool far = false;

	n = (size_t)sprintf(cfg,
			    "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"linux\":{"
			    "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[");
	for (int i = 0; i < 600; i++)
		n += (size_t)sprintf(cfg + n,
				     "%s{\"names\":[\"%s\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":"
				     "[{\"index\":1,\"value\":%d,\"op\":\"SCMP_CMP_EQ\"}]}",
				     i ? "," : "", i % 2 ? "ioctl" : "fcntl", i);
	strcpy(cfg + n, ",{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}}}");
	CHECK(compile(cfg, &p, &e) == 0);
	CHECK(well_formed(&p));
	/* a far code target gets a JA; a far return a fresh RET */
	for (size_t i = 0; i < p.len; i++) {
		far |= p.insns[i].code == (BPF_JMP | BPF_JA) && p.insns[i].k > 255;
		rets += p.insns[i].code == (BPF_RET | BPF_K) && p.insns[i].k == 0x7fff0000;
	}
	CHECK(far);
	CHECK(rets > 2);
	seccomp_prog_free(&p);
	free(cfg);
}

TEST(too_long_and_conflicts_name_the_field)
{
	struct seccomp_prog p;
	struct err e = {{0}};
	const char *conflict =
	    "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"linux\":{\"seccomp\":{"
	    "\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[\n"
	    "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":"
	    "0,"
	    "\"op\":\"SCMP_CMP_EQ\"}]},\n"
	    "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_LOG\",\"args\":[{\"index\":0,\"value\":0,"
	    "\"op\":\"SCMP_CMP_EQ\"}]}]}}}";

	CHECK(compile(conflict, &p, &e) == -1);
	CHECK_STR(e.msg, "config.json:3:1: linux.seccomp.syscalls[1]: conflicts with an earlier "
			 "rule for \"read\"");
}

int
main(void)
{
	RUN(tables_match_the_kernel_headers);
	RUN(tables_sorted_for_the_binary_search);
	RUN(names_as_runc_spells_them);
	RUN(program_starts_with_the_arch_and_keeps_jumps_inside);
	RUN(long_programs_use_trampolines);
	RUN(too_long_and_conflicts_name_the_field);
	UNIT_END();
}
