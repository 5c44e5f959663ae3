/*
 * cgdevtool.c - a test helper: cgroup_devices.c's two enforcers as commands,
 * so that tests/integration/cgroup_devices.bats (and a person at a root
 * shell) can put device rules on a real cgroup directory and then try the
 * devices from a process inside it.  Not installed; not part of minirunc.
 *
 *   cgdevtool v1 DIR [--defaults] RULE...   write the rules to a v1 devices cgroup
 *   cgdevtool v2 DIR [--defaults] RULE...   attach the eBPF program to a cgroup2 dir
 *   cgdevtool list DIR                      the device programs on a cgroup2 dir: "ID NAME"
 *   cgdevtool foreign DIR                   attach an allow-all program named "other"
 *                                           (one minirunc did not make)
 * RULE is "+c 1:3 rwm" (allow) or "-a *:* rwm" (deny); --defaults appends
 * runc's default allow list.  Exit status: 0 done, 1 failed, 2 usage.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup_devices.h"

static int
usage(void)
{
	fprintf(stderr, "usage: cgdevtool v1|v2 DIR [--defaults] RULE... | list DIR | foreign DIR\n"
			"  RULE: +c 1:3 rwm (allow) or -a *:* rwm (deny)\n");
	return 2;
}

static int
parse_num(const char *s, int64_t *out)
{
	char *end;

	if (strcmp(s, "*") == 0) {
		*out = CGDEV_WILD;
		return 0;
	}
	*out = strtoll(s, &end, 10);
	return (*end || *out < 0) ? -1 : 0;
}

static int
parse_rule(const char *s, struct cgdev_rule *r)
{
	char type, maj[24], min[24], acc[8];

	if ((s[0] != '+' && s[0] != '-') ||
	    sscanf(s + 1, "%c %23[^:]:%23s %7s", &type, maj, min, acc) != 4)
		return -1;
	r->allow = s[0] == '+';
	r->type = type;
	if (parse_num(maj, &r->major) < 0 || parse_num(min, &r->minor) < 0)
		return -1;
	return cgdev_access_parse(acc, &r->access);
}

static int
apply(int v2, const char *dir, int argc, char **argv)
{
	struct cgdev_rules cfg = {0}, all = {0};
	struct cgdev_rule r;
	struct err e = {""};
	int defaults = 0, dfd, rc;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--defaults") == 0) {
			defaults = 1;
			continue;
		}
		if (parse_rule(argv[i], &r) < 0 || cgdev_rules_add(&cfg, &r) < 0) {
			fprintf(stderr, "cgdevtool: bad rule \"%s\"\n", argv[i]);
			return 2;
		}
	}
	if (defaults)
		cgdev_rules_with_defaults(cfg.v, cfg.n, &all);
	else
		all = cfg, cfg = (struct cgdev_rules){0};
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		fprintf(stderr, "cgdevtool: open %s: %s\n", dir, strerror(errno));
		return 1;
	}
	rc = v2 ? cgdev_v2_apply(dfd, all.v, all.n, &e) : cgdev_v1_apply(dfd, all.v, all.n, &e);
	if (rc < 0)
		fprintf(stderr, "cgdevtool: %s\n", e.msg);
	close(dfd);
	cgdev_rules_free(&cfg);
	cgdev_rules_free(&all);
	return rc < 0 ? 1 : 0;
}

static long
bpf(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

static int
list(int dfd)
{
	uint32_t ids[64];
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.query.target_fd = (uint32_t)dfd;
	a.query.attach_type = BPF_CGROUP_DEVICE;
	a.query.prog_ids = (uintptr_t)ids;
	a.query.prog_cnt = 64;
	if (bpf(BPF_PROG_QUERY, &a) < 0)
		return perror("cgdevtool: BPF_PROG_QUERY"), 1;
	for (uint32_t i = 0; i < a.query.prog_cnt; i++) {
		struct bpf_prog_info info;
		union bpf_attr b;
		int fd;

		memset(&b, 0, sizeof(b));
		b.prog_id = ids[i];
		fd = (int)bpf(BPF_PROG_GET_FD_BY_ID, &b);
		memset(&info, 0, sizeof(info));
		memset(&b, 0, sizeof(b));
		b.info.bpf_fd = (uint32_t)fd;
		b.info.info_len = sizeof(info);
		b.info.info = (uintptr_t)&info;
		if (fd < 0 || bpf(BPF_OBJ_GET_INFO_BY_FD, &b) < 0)
			return perror("cgdevtool: program info"), 1;
		printf("%u %s\n", ids[i], info.name);
		close(fd);
	}
	return 0;
}

static int
foreign(int dfd)
{
	struct bpf_insn p[] = {
	    {.code = BPF_ALU | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 1},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insns = (uintptr_t)p;
	a.insn_cnt = 2;
	a.license = (uintptr_t) "";
	memcpy(a.prog_name, "other", 6);
	fd = (int)bpf(BPF_PROG_LOAD, &a);
	if (fd < 0)
		return perror("cgdevtool: BPF_PROG_LOAD"), 1;
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)dfd;
	a.attach_bpf_fd = (uint32_t)fd;
	a.attach_type = BPF_CGROUP_DEVICE;
	a.attach_flags = BPF_F_ALLOW_MULTI;
	if (bpf(BPF_PROG_ATTACH, &a) < 0)
		return perror("cgdevtool: BPF_PROG_ATTACH"), 1;
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	int dfd, rc;

	if (argc < 3)
		return usage();
	if (strcmp(argv[1], "v1") == 0 || strcmp(argv[1], "v2") == 0)
		return apply(argv[1][1] == '2', argv[2], argc - 3, argv + 3);
	if (strcmp(argv[1], "list") != 0 && strcmp(argv[1], "foreign") != 0)
		return usage();
	dfd = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return perror("cgdevtool: open"), 1;
	rc = strcmp(argv[1], "list") == 0 ? list(dfd) : foreign(dfd);
	close(dfd);
	return rc;
}
