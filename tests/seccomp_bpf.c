/*
 * seccomp_bpf.c - a test and bench tool: compile a config.json's
 * linux.seccomp with seccomp.c and write the program out, for
 * tests/seccomp/equal.py to run beside libseccomp's and for bench/seccomp.sh
 * to time.
 *
 *   seccomp_bpf CONFIG.json            raw struct sock_filter[] on stdout
 *   seccomp_bpf -t N CONFIG.json       compile N times: "insns=I median_ns=T"
 *   seccomp_bpf -d CONFIG.json         the same as the first, with --debug lines
 * Exit 1 with the compiler's message on a bad profile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "seccomp.h"
#include "spec.h"

static long long
tool_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
tool_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static int
tool_time(const struct seccomp_profile *p, int n)
{
	long long *t = calloc((size_t)n, sizeof(*t));
	struct seccomp_prog prog;
	struct err e = {{0}};
	size_t len = 0;

	if (!t)
		return 1;
	for (int i = 0; i < n; i++) {
		long long t0 = tool_now_ns();

		if (seccomp_compile(p, &prog, &e) < 0) {
			fprintf(stderr, "seccomp_bpf: %s\n", e.msg);
			return 1;
		}
		t[i] = tool_now_ns() - t0;
		len = prog.len;
		seccomp_prog_free(&prog);
	}
	qsort(t, (size_t)n, sizeof(*t), tool_cmp);
	printf("insns=%zu median_ns=%lld\n", len, t[n / 2]);
	free(t);
	return 0;
}

int
main(int argc, char **argv)
{
	struct spec s = {0};
	struct seccomp_prog prog;
	struct err e = {{0}};
	char *buf;
	size_t len;
	int opt, times = 0;

	while ((opt = getopt(argc, argv, "t:d")) != -1) {
		if (opt == 't')
			times = atoi(optarg);
		else if (opt == 'd')
			log_debug_on = 1;
		else
			return 2;
	}
	if (optind != argc - 1)
		return fprintf(stderr, "usage: seccomp_bpf [-d] [-t N] CONFIG.json\n"), 2;
	buf = read_file(argv[optind], SPEC_MAX_FILE, &len);
	if (!buf)
		return perror(argv[optind]), 1;
	if (spec_parse("config.json", buf, len, "/", &s, &e) < 0)
		return fprintf(stderr, "seccomp_bpf: %s\n", e.msg), 1;
	if (!s.seccomp)
		return fprintf(stderr, "seccomp_bpf: no linux.seccomp\n"), 1;
	if (times > 0)
		return tool_time(s.seccomp, times);
	if (seccomp_compile(s.seccomp, &prog, &e) < 0)
		return fprintf(stderr, "seccomp_bpf: %s\n", e.msg), 1;
	fwrite(prog.insns, sizeof(*prog.insns), prog.len, stdout);
	fprintf(stderr, "insns=%zu syscalls=%zu unknown=%zu flags=%#x\n", prog.len, prog.n_syscalls,
		prog.n_unknown, prog.flags);
	seccomp_prog_free(&prog);
	spec_free(&s);
	free(buf);
	return 0;
}
