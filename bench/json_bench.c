/*
 * json_bench.c - how long json_parse() takes on a config.json.
 *
 * Usage: json_bench CONFIG.JSON [N]   (N parses, 10000 by default)
 * Prints the median and mean time of one parse (and of one json_free) in
 * microseconds, and of writing the tree back out the way `minirunc spec`
 * does.  Meant for runc's default config (`runc spec`), the file every
 * container start reads; runc's counterpart is the json.Decode in
 * spec.go loadSpec.  Not a test: it asserts nothing.
 *
 * Build: cc -O2 -std=c11 -D_GNU_SOURCE -I. bench/json_bench.c json.c util.c
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "util.h"

static double
bench_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts t in place; prints "median X us, mean Y us". */
static void
bench_report(const char *what, double *t, size_t n)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += t[i];
	qsort(t, n, sizeof(*t), bench_cmp);
	printf("%-7s median %8.3f us   mean %8.3f us   min %8.3f us\n", what,
	       n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2, sum / (double)n, t[0]);
}

/* One round: parse, write (tabs, as `runc spec`), free; each step timed. */
static int
bench_round(const char *buf, size_t len, double *tp, double *tw, double *tf)
{
	struct json_writer w;
	struct json_err err;
	struct json_doc *d;
	double t0, t1, t2;
	char *out;

	t0 = bench_now_us();
	d = json_parse(buf, len, &err);
	t1 = bench_now_us();
	if (!d) {
		fprintf(stderr, "json_bench: %u:%u: %s\n", err.line, err.col, err.msg);
		return -1;
	}
	json_writer_init(&w, -1);
	json_write_value(&w, json_root(d));
	out = json_writer_finish(&w, NULL);
	t2 = bench_now_us();
	free(out);
	json_free(d);
	*tp = t1 - t0;
	*tw = t2 - t1;
	*tf = bench_now_us() - t2;
	return out ? 0 : -1;
}

int
main(int argc, char **argv)
{
	size_t len, n = 10000, i;
	double *tp, *tw, *tf;
	char *buf;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s CONFIG.JSON [N]\n", argv[0]);
		return 2;
	}
	if (argc == 3 && (n = strtoul(argv[2], NULL, 10)) == 0)
		n = 1;
	buf = read_file(argv[1], 64u << 20, &len);
	if (!buf) {
		fprintf(stderr, "json_bench: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	tp = calloc(n, sizeof(*tp));
	tw = calloc(n, sizeof(*tw));
	tf = calloc(n, sizeof(*tf));
	if (!tp || !tw || !tf)
		return 1;
	for (i = 0; i < n; i++)
		if (bench_round(buf, len, &tp[i], &tw[i], &tf[i]) < 0)
			return 1;
	printf("json_bench: %s, %zu bytes, %zu rounds\n", argv[1], len, n);
	bench_report("parse", tp, n);
	bench_report("write", tw, n);
	bench_report("free", tf, n);
	free(tp);
	free(tw);
	free(tf);
	free(buf);
	return 0;
}
