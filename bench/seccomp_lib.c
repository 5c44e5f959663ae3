/*
 * seccomp_lib.c - bench/seccomp.sh's compile-time figures: the same profile
 * (a config.json's linux.seccomp, parsed by minirunc's spec_parse) compiled
 * by minirunc's seccomp_compile() and by libseccomp the way runc builds it
 * (seccomp_init, arch_add, rule_add per name, runc's split of repeated
 * argument indexes, export_bpf; runc's -ENOSYS stub not counted), in one
 * process, alternating, N rounds each.  Prints medians in microseconds and
 * the instruction counts.  A bench tool only: it links libseccomp, the
 * runtime never does.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../seccomp.h"
#include "../spec.h"

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static const uint32_t scmp_arch[SECCOMP_ARCHS] = {
    [SECCOMP_ARCH_X86_64] = SCMP_ARCH_X86_64, [SECCOMP_ARCH_X86] = SCMP_ARCH_X86,
    [SECCOMP_ARCH_X32] = SCMP_ARCH_X32,	      [SECCOMP_ARCH_AARCH64] = SCMP_ARCH_AARCH64,
    [SECCOMP_ARCH_ARM] = SCMP_ARCH_ARM,
};

/* One profile entry's name as runc's matchCall adds it. */
static int
lib_rule(scmp_filter_ctx ctx, const struct seccomp_rule *r, int nr)
{
	struct scmp_arg_cmp a[6];
	unsigned seen = 0;
	bool split = false;

	if (r->n_args == 0)
		return seccomp_rule_add(ctx, r->action, nr, 0);
	for (size_t k = 0; k < r->n_args && k < 6; k++) {
		const struct seccomp_arg *g = &r->args[k];

		split |= (seen >> g->index) & 1;
		seen |= 1u << g->index;
		a[k] = (struct scmp_arg_cmp){g->index, (enum scmp_compare)(g->op + 1), g->value,
					     g->value_two};
	}
	if (!split)
		return seccomp_rule_add_array(ctx, r->action, nr, (unsigned)r->n_args, a);
	for (size_t k = 0; k < r->n_args; k++)
		if (seccomp_rule_add_array(ctx, r->action, nr, 1, &a[k]) < 0)
			return -1;
	return 0;
}

static size_t
lib_compile(const struct seccomp_profile *p, int out)
{
	scmp_filter_ctx ctx = seccomp_init(p->default_action);
	struct stat st;

	for (int a = 0; a < SECCOMP_ARCHS; a++)
		if (p->arches & (1u << a))
			seccomp_arch_add(ctx, scmp_arch[a]);
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t k = 0; k < p->rules[i].n_names; k++) {
			int nr = seccomp_syscall_resolve_name(p->rules[i].names[k]);

			if (p->rules[i].action != p->default_action && nr != __NR_SCMP_ERROR)
				lib_rule(ctx, &p->rules[i], nr);
		}
	ftruncate(out, 0);
	lseek(out, 0, SEEK_SET);
	seccomp_export_bpf(ctx, out);
	seccomp_release(ctx);
	fstat(out, &st);
	return (size_t)st.st_size / 8;
}

static int
cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 1000, out = memfd_create("bpf", 0);
	long long *tm = calloc((size_t)n, sizeof(*tm)), *tl = calloc((size_t)n, sizeof(*tl));
	struct spec s = {0};
	struct err e = {{0}};
	struct seccomp_prog prog;
	size_t len, mine = 0, lib = 0;
	char *buf;

	if (argc < 2 || !tm || !tl || out < 0)
		return fprintf(stderr, "usage: seccomp_lib CONFIG.json [ROUNDS]\n"), 2;
	buf = read_file(argv[1], SPEC_MAX_FILE, &len);
	if (!buf || spec_parse("config.json", buf, len, "/", &s, &e) < 0 || !s.seccomp)
		return fprintf(stderr, "seccomp_lib: %s\n", e.msg), 1;
	for (int i = 0; i < n; i++) {
		long long t0 = now_ns();

		if (seccomp_compile(s.seccomp, &prog, &e) < 0)
			return fprintf(stderr, "seccomp_lib: %s\n", e.msg), 1;
		tm[i] = now_ns() - t0;
		mine = prog.len;
		seccomp_prog_free(&prog);
		t0 = now_ns();
		lib = lib_compile(s.seccomp, out);
		tl[i] = now_ns() - t0;
	}
	qsort(tm, (size_t)n, sizeof(*tm), cmp);
	qsort(tl, (size_t)n, sizeof(*tl), cmp);
	printf("  %-34s %10.1f us %8zu BPF instructions\n", "minirunc seccomp_compile()",
	       tm[n / 2] / 1000.0, mine);
	printf("  %-34s %10.1f us %8zu BPF instructions (+ runc's -ENOSYS stub)\n",
	       "libseccomp 2.5 as runc builds it", tl[n / 2] / 1000.0, lib);
	printf("  %-34s %10.1fx (%d rounds each, alternating, medians)\n", "libseccomp / minirunc",
	       (double)tl[n / 2] / (double)tm[n / 2], n);
	return 0;
}
