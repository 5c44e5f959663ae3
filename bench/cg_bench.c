/*
 * cg_bench.c - the cgroup step of a container's start, alone: cg_plan (the
 * layout and the paths), cg_create (mkdir), cg_enter (one pid into
 * cgroup.procs), cg_apply (the resources), then cg_destroy, for a bundle's
 * config.json.  The pid is a child that sleeps; every round uses a new id.
 *
 * Usage: cg_bench BUNDLE [N]   (N rounds, 200 by default; needs root)
 * Prints the median and 90th percentile of each step and of their sum, in microseconds.
 * runc's counterpart is manager.Apply + manager.Set in process_linux.go.
 * Not a test: it asserts nothing.
 *
 * Build: cc -std=c11 -O2 -D_GNU_SOURCE -I. bench/cg_bench.c $(every .c but minirunc.c)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroups.h"
#include "spec.h"

static double
cgb_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
cgb_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
cgb_median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cgb_cmp);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* After cgb_median (t sorted): the 90th percentile. */
static double
cgb_p90(const double *t, int n)
{
	return t[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1];
}

/* One round; t[0..4] get plan, create, enter, apply, destroy. */
static int
cgb_round(const struct spec *s, int i, pid_t pid, double t[5])
{
	struct cg cg;
	struct err e;
	char id[64];
	double t0 = cgb_now_us(), t1, t2, t3, t4;

	snprintf(id, sizeof(id), "cg-bench-%d-%d", (int)getpid(), i);
	if (cg_plan(&cg, s, id, &e) < 0)
		goto fail;
	t1 = cgb_now_us();
	if (cg_create(&cg, &s->resources, &e) < 0)
		goto fail;
	t2 = cgb_now_us();
	if (cg_enter(&cg, pid, &e) < 0)
		goto fail;
	t3 = cgb_now_us();
	if (cg_apply(&cg, &s->resources, &e) < 0)
		goto fail;
	t4 = cgb_now_us();
	/* back out of the cgroup, so that destroy has nothing to kill */
	{
		char self[64];
		FILE *f;
		snprintf(self, sizeof(self), "%d", (int)pid);
		for (size_t k = 0; k < cg.n; k++) {
			char path[4200];
			snprintf(path, sizeof(path), "%.*s/cgroup.procs",
				 (int)(strlen(cg.d[k].path) - strlen(strrchr(cg.d[k].path, '/'))),
				 cg.d[k].path);
			if ((f = fopen(path, "w"))) {
				fputs(self, f);
				fclose(f);
			}
		}
	}
	if (cg_destroy(&cg, &e) < 0)
		goto fail;
	t[0] = t1 - t0, t[1] = t2 - t1, t[2] = t3 - t2, t[3] = t4 - t3;
	t[4] = cgb_now_us() - t4;
	cg_free(&cg);
	return 0;
fail:
	fprintf(stderr, "cg_bench: %s\n", e.msg);
	cg_destroy(&cg, &e);
	cg_free(&cg);
	return -1;
}

int
main(int argc, char **argv)
{
	static const char *const names[5] = {"plan", "create (mkdir)", "enter (cgroup.procs)",
					     "apply (resources)", "destroy (rmdir)"};
	struct spec s;
	struct err e;
	int n = argc > 2 ? atoi(argv[2]) : 200;
	double *t[5], sum[1024];
	pid_t pid;

	if (argc < 2 || n < 1 || n > 1024)
		return fprintf(stderr, "usage: cg_bench BUNDLE [N<=1024]\n"), 2;
	if (spec_load(argv[1], &s, &e) < 0)
		return fprintf(stderr, "cg_bench: %s\n", e.msg), 1;
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	for (int k = 0; k < 5; k++)
		t[k] = calloc((size_t)n, sizeof(double));
	for (int i = 0; i < n; i++) {
		double r[5];
		if (cgb_round(&s, i, pid, r) < 0) {
			kill(pid, SIGKILL);
			return 1;
		}
		sum[i] = r[0] + r[1] + r[2] + r[3];
		for (int k = 0; k < 5; k++)
			t[k][i] = r[k];
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	printf("  layout %s, %d rounds, us:     median      p90\n", cg_layout_name(cg_detect()), n);
	for (int k = 0; k < 5; k++) {
		double m = cgb_median(t[k], n);
		printf("  %-24s %8.1f %8.1f\n", names[k], m, cgb_p90(t[k], n));
	}
	{
		double m = cgb_median(sum, n);
		printf("  %-24s %8.1f %8.1f\n", "plan+create+enter+apply", m, cgb_p90(sum, n));
	}
	spec_free(&s);
	return 0;
}
