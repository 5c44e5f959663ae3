/*
 * cgroup_stats.c - what `minirunc events` reports: a container's resource
 * usage read from its cgroup's files (cgroup_events.c writes it as runc's
 * JSON and watches for OOM kills).
 *
 * runc counterpart: libcontainer/cgroups/fs/{cpu,cpuacct,cpuset,memory,pids,
 * blkio,hugetlb}.go GetStats (v1), cgroups/fs2/{cpu,memory,io,pids,
 * hugetlb}.go (v2, with their conversions to v1's units and names).
 * Left out: memory.numa_stat and rdma (read by runc, never printed by
 * `events`), Intel RDT (printed as {} as runc does without it), network
 * interfaces (runc fills them only for libcontainer's own veth networks,
 * never from an OCI config: null).
 */
#include "cgroup_stats.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"

#define CGSTATS_FILE_MAX (1u << 20)

/* --------------------------------------------------------- file reading */

/* DIR/FILE as a malloc'd string; NULL with errno (ENOENT when absent). */
static char *
cgstats_slurp(const char *dir, const char *file)
{
	char path[4096];
	size_t len;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return read_file(path, CGSTATS_FILE_MAX, &len);
}

/*
 * A number as runc's fscommon.ParseUint takes it: "max" is UINT64_MAX, a
 * negative number (memory stats can be, through kernel bugs) is 0.
 */
static int
cgstats_parse_u64(const char *s, uint64_t *out)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (strncmp(s, "max", 3) == 0 && (s[3] == '\0' || s[3] == '\n')) {
		*out = UINT64_MAX;
		return 0;
	}
	errno = 0;
	if (*s == '-') {
		(void)strtoll(s, &end, 10);
		*out = 0;
	} else if (*s >= '0' && *s <= '9') {
		*out = strtoull(s, &end, 10);
	} else {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE && *s != '-')
		return -1;
	while (*end == ' ' || *end == '\n')
		end++;
	if (*end) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* One number from DIR/FILE (runc: GetCgroupParamUint). */
static int
cgstats_u64(const char *dir, const char *file, uint64_t *out, struct err *e)
{
	char *s = cgstats_slurp(dir, file);
	int rc;

	if (!s)
		return err_set(e, "read %s/%s:", dir, file);
	rc = cgstats_parse_u64(s, out);
	free(s);
	if (rc < 0)
		return err_set(e, "parse %s/%s:", dir, file);
	return 0;
}

/* The same where an absent file is no error (it stays 0). */
static int
cgstats_u64_opt(const char *dir, const char *file, uint64_t *out, struct err *e)
{
	int rc = cgstats_u64(dir, file, out, e);

	if (rc < 0 && errno == ENOENT) {
		*out = 0;
		return 0;
	}
	return rc;
}

/* Split text into lines in place: calls fn(line, arg) for each non-empty one. */
static int
cgstats_lines(char *text, int (*fn)(char *line, void *arg), void *arg)
{
	char *save = NULL;

	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		if (fn(l, arg) < 0)
			return -1;
	return 0;
}

static int
cgstats_push(struct cgstats_u64s *l, uint64_t v)
{
	uint64_t *n = realloc(l->v, (l->n + 1) * sizeof(*n));

	if (!n)
		return -1;
	n[l->n++] = v;
	l->v = n;
	return 0;
}

/* ---------------------------------------------------------------- memory */

static int
cgstats_cmp_kv(const void *a, const void *b)
{
	return strcmp(((const struct cgstats_kv *)a)->key, ((const struct cgstats_kv *)b)->key);
}

/* "key value" (runc: fscommon.ParseKeyValue): exactly two fields. */
static int
cgstats_key_value(char *line, char **key, uint64_t *v)
{
	char *sp = strchr(line, ' ');

	if (!sp || strchr(sp + 1, ' ')) {
		errno = EINVAL;
		return -1;
	}
	*sp = '\0';
	*key = line;
	return cgstats_parse_u64(sp + 1, v);
}

static int
cgstats_raw_line(char *line, void *arg)
{
	struct cgstats *st = arg;
	struct cgstats_kv *n;
	char *key;
	uint64_t v;

	if (cgstats_key_value(line, &key, &v) < 0)
		return -1;
	n = realloc(st->memory.raw, (st->memory.n_raw + 1) * sizeof(*n));
	if (!n)
		return -1;
	st->memory.raw = n;
	n[st->memory.n_raw].key = strdup(key);
	n[st->memory.n_raw].value = v;
	if (!n[st->memory.n_raw].key)
		return -1;
	st->memory.n_raw++;
	return 0;
}

static uint64_t
cgstats_raw_get(const struct cgstats *st, const char *key)
{
	for (size_t i = 0; i < st->memory.n_raw; i++)
		if (strcmp(st->memory.raw[i].key, key) == 0)
			return st->memory.raw[i].value;
	return 0;
}

/* memory.stat into raw (sorted, as Go prints a map); 1 when absent. */
static int
cgstats_memory_stat(const char *dir, struct cgstats *st, struct err *e)
{
	char *s = cgstats_slurp(dir, "memory.stat");
	int rc;

	if (!s)
		return errno == ENOENT ? 1 : err_set(e, "read %s/memory.stat:", dir);
	rc = cgstats_lines(s, cgstats_raw_line, st);
	free(s);
	if (rc < 0)
		return err_set(e, "parse %s/memory.stat:", dir);
	if (st->memory.n_raw)
		qsort(st->memory.raw, st->memory.n_raw, sizeof(*st->memory.raw), cgstats_cmp_kv);
	return 0;
}

/* v1 memory[.NAME].{usage_in_bytes,max_usage_in_bytes,failcnt,limit_in_bytes}
 * (runc: getMemoryData); an absent memsw/kmem is zero. */
static int
cgstats_v1_mem_entry(const char *dir, const char *name, struct cgstats_mem *m, struct err *e)
{
	static const char *const what[4] = {"usage_in_bytes", "max_usage_in_bytes", "failcnt",
					    "limit_in_bytes"};
	uint64_t *to[4] = {&m->usage, &m->max, &m->failcnt, &m->limit};
	char file[64];

	for (int i = 0; i < 4; i++) {
		snprintf(file, sizeof(file), "memory%s%s.%s", *name ? "." : "", name, what[i]);
		if (cgstats_u64(dir, file, to[i], e) < 0) {
			if (i == 0 && *name && errno == ENOENT)
				return 0;
			return -1;
		}
	}
	return 0;
}

static int
cgstats_v1_memory(const char *dir, struct cgstats *st, struct err *e)
{
	uint64_t hier;
	int rc = cgstats_memory_stat(dir, st, e);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	st->memory.cache = cgstats_raw_get(st, "cache");
	if (cgstats_v1_mem_entry(dir, "", &st->memory.usage, e) < 0 ||
	    cgstats_v1_mem_entry(dir, "memsw", &st->memory.swap, e) < 0 ||
	    cgstats_v1_mem_entry(dir, "kmem", &st->memory.kernel, e) < 0 ||
	    cgstats_v1_mem_entry(dir, "kmem.tcp", &st->memory.kernel_tcp, e) < 0)
		return -1;
	/* runc reads it (and fails without it) though events does not print it. */
	return cgstats_u64(dir, "memory.use_hierarchy", &hier, e);
}

/* v2: memory.current / memory.max, swap the same; swap is reported as
 * memory + swap, as v1 counts it (runc: fs2 statMemory). */
static int
cgstats_v2_memory(const char *dir, struct cgstats *st, struct err *e)
{
	struct cgstats_mem *u = &st->memory.usage, *sw = &st->memory.swap;
	int rc = cgstats_memory_stat(dir, st, e);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	st->memory.cache = cgstats_raw_get(st, "file");
	if (cgstats_u64(dir, "memory.current", &u->usage, e) < 0 ||
	    cgstats_u64(dir, "memory.max", &u->limit, e) < 0)
		return -1;
	if (cgstats_u64(dir, "memory.swap.current", &sw->usage, e) == 0) {
		if (cgstats_u64(dir, "memory.swap.max", &sw->limit, e) < 0)
			return -1;
	} else if (errno != ENOENT) {
		return -1;
	}
	sw->usage += u->usage;
	if (sw->limit != UINT64_MAX)
		sw->limit += u->limit;
	return 0;
}

/* ------------------------------------------------------------------- cpu */

struct cgstats_keys {
	const char *const *names; /* NULL-terminated */
	uint64_t **to;
	const uint64_t *scales; /* NULL: 1 each (v2 counts microseconds, runc prints ns) */
};

static int
cgstats_keys_line(char *line, void *arg)
{
	struct cgstats_keys *k = arg;
	char *key;
	uint64_t v;

	if (cgstats_key_value(line, &key, &v) < 0)
		return -1;
	for (size_t i = 0; k->names[i]; i++)
		if (strcmp(k->names[i], key) == 0)
			*k->to[i] = v * (k->scales ? k->scales[i] : 1);
	return 0;
}

/* Pick the named keys of a "key value" file; absent file: nothing. */
static int
cgstats_keyed_file(const char *dir, const char *file, struct cgstats_keys *k, struct err *e)
{
	char *s = cgstats_slurp(dir, file);
	int rc;

	if (!s)
		return errno == ENOENT ? 0 : err_set(e, "read %s/%s:", dir, file);
	rc = cgstats_lines(s, cgstats_keys_line, k);
	free(s);
	return rc < 0 ? err_set(e, "parse %s/%s:", dir, file) : 0;
}

static int
cgstats_v1_cpu(const char *dir, struct cgstats *st, struct err *e)
{
	static const char *const names[] = {"nr_periods", "nr_throttled", "throttled_time", NULL};
	uint64_t *to[] = {&st->cpu.periods, &st->cpu.throttled_periods, &st->cpu.throttled_time};
	struct cgstats_keys k = {names, to, NULL};

	return cgstats_keyed_file(dir, "cpu.stat", &k, e);
}

static int
cgstats_v2_cpu(const char *dir, struct cgstats *st, struct err *e)
{
	static const char *const names[] = {"usage_usec", "user_usec",	  "system_usec",
					    "nr_periods", "nr_throttled", "throttled_usec",
					    NULL};
	static const uint64_t scales[] = {1000, 1000, 1000, 1, 1, 1000};
	uint64_t *to[] = {&st->cpu.total,
			  &st->cpu.user,
			  &st->cpu.kernel,
			  &st->cpu.periods,
			  &st->cpu.throttled_periods,
			  &st->cpu.throttled_time};
	struct cgstats_keys k = {names, to, scales};

	return cgstats_keyed_file(dir, "cpu.stat", &k, e);
}

static int
cgstats_percpu_line(char *line, void *arg)
{
	struct cgstats_u64s *l = arg;
	char *save = NULL;
	uint64_t v;

	for (char *w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save))
		if (cgstats_parse_u64(w, &v) < 0 || cgstats_push(l, v) < 0)
			return -1;
	return 0;
}

/* cpuacct.usage_all: a header, then "CPU USER SYSTEM" per cpu (runc:
 * getPercpuUsageInModes; absent on older kernels). */
static int
cgstats_usage_all(char *s, struct cgstats *st)
{
	char *save = NULL, *l = strtok_r(s, "\n", &save);
	unsigned long long cpu, user, sys;

	while (l && (l = strtok_r(NULL, "\n", &save)))
		if (sscanf(l, "%llu %llu %llu", &cpu, &user, &sys) == 3)
			if (cgstats_push(&st->cpu.percpu_kernel, sys) < 0 ||
			    cgstats_push(&st->cpu.percpu_user, user) < 0)
				return -1;
	return 0;
}

/* cpuacct.stat counts USER_HZ ticks; runc takes the tick as 1/100 s. */
static int
cgstats_v1_cpuacct_stat(const char *dir, struct cgstats *st, struct err *e)
{
	char *s = cgstats_slurp(dir, "cpuacct.stat");
	unsigned long long user, sys;
	int n;

	if (!s)
		return err_set(e, "read %s/cpuacct.stat:", dir);
	n = sscanf(s, "user %llu system %llu", &user, &sys);
	free(s);
	if (n != 2) {
		errno = EINVAL;
		return err_set(e, "parse %s/cpuacct.stat:", dir);
	}
	st->cpu.user = user * 1000000000ull / 100;
	st->cpu.kernel = sys * 1000000000ull / 100;
	return 0;
}

static int
cgstats_v1_cpuacct(const char *dir, struct cgstats *st, struct err *e)
{
	char *s;
	int rc;

	if (cgstats_v1_cpuacct_stat(dir, st, e) < 0 ||
	    cgstats_u64(dir, "cpuacct.usage", &st->cpu.total, e) < 0)
		return -1;
	s = cgstats_slurp(dir, "cpuacct.usage_percpu");
	if (!s)
		return err_set(e, "read %s/cpuacct.usage_percpu:", dir);
	rc = cgstats_lines(s, cgstats_percpu_line, &st->cpu.percpu);
	free(s);
	if (rc < 0)
		return err_set(e, "parse %s/cpuacct.usage_percpu:", dir);
	s = cgstats_slurp(dir, "cpuacct.usage_all");
	if (!s)
		return errno == ENOENT ? 0 : err_set(e, "read %s/cpuacct.usage_all:", dir);
	rc = cgstats_usage_all(s, st);
	free(s);
	return rc < 0 ? err_set(e, "parse %s/cpuacct.usage_all:", dir) : 0;
}

/* ---------------------------------------------------------------- cpuset */

/* "0-3,8,10-11" into each number (runc: getCpusetStat). */
static int
cgstats_cpu_list(const char *s, struct cgstats_u64s *l)
{
	while (*s && *s != '\n') {
		char *end;
		unsigned long lo = strtoul(s, &end, 10), hi = lo;

		if (end == s)
			return -1;
		if (*end == '-') {
			s = end + 1;
			hi = strtoul(s, &end, 10);
			if (end == s || hi < lo || hi > 65535)
				return -1;
		}
		for (unsigned long i = lo; i <= hi; i++)
			if (cgstats_push(l, i) < 0)
				return -1;
		s = *end == ',' ? end + 1 : end;
	}
	return 0;
}

static int
cgstats_cpuset_list(const char *dir, const char *file, struct cgstats_u64s *l, struct err *e)
{
	char *s = cgstats_slurp(dir, file);
	int rc;

	if (!s)
		return errno == ENOENT ? 0 : err_set(e, "read %s/%s:", dir, file);
	rc = cgstats_cpu_list(s, l);
	free(s);
	if (rc < 0) {
		errno = EINVAL;
		return err_set(e, "parse %s/%s:", dir, file);
	}
	return 0;
}

static int
cgstats_v1_cpuset(const char *dir, struct cgstats *st, struct err *e)
{
	static const char *const files[] = {
	    "cpuset.cpu_exclusive",   "cpuset.mem_hardwall",	   "cpuset.mem_exclusive",
	    "cpuset.memory_migrate",  "cpuset.memory_spread_page", "cpuset.memory_spread_slab",
	    "cpuset.memory_pressure", "cpuset.sched_load_balance"};
	uint64_t *to[] = {&st->cpuset.cpu_exclusive,	  &st->cpuset.mem_hardwall,
			  &st->cpuset.mem_exclusive,	  &st->cpuset.memory_migrate,
			  &st->cpuset.memory_spread_page, &st->cpuset.memory_spread_slab,
			  &st->cpuset.memory_pressure,	  &st->cpuset.sched_load_balance};
	char *s;

	if (cgstats_cpuset_list(dir, "cpuset.cpus", &st->cpuset.cpus, e) < 0 ||
	    cgstats_cpuset_list(dir, "cpuset.mems", &st->cpuset.mems, e) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (cgstats_u64_opt(dir, files[i], to[i], e) < 0)
			return -1;
	s = cgstats_slurp(dir, "cpuset.sched_relax_domain_level");
	if (!s)
		return errno == ENOENT
			   ? 0
			   : err_set(e, "read %s/cpuset.sched_relax_domain_level:", dir);
	st->cpuset.sched_relax_domain_level = strtoll(s, NULL, 10);
	free(s);
	return 0;
}

/* ------------------------------------------------------------------ pids */

static int
cgstats_pids(const char *dir, int v2, struct cgstats *st, struct err *e)
{
	char *s;

	if (cgstats_u64(dir, "pids.current", &st->pids.current, e) == 0) {
		if (cgstats_u64(dir, "pids.max", &st->pids.limit, e) < 0)
			return -1;
		/* runc prints no limit as 0 */
		if (st->pids.limit == UINT64_MAX)
			st->pids.limit = 0;
		return 0;
	}
	if (errno != ENOENT || !v2)
		return -1;
	/* v2 without the pids controller: count cgroup.procs (runc:
	 * statPidsFromCgroupProcs). */
	s = cgstats_slurp(dir, "cgroup.procs");
	if (!s)
		return err_set(e, "read %s/cgroup.procs:", dir);
	for (char *p = s; *p; p++)
		st->pids.current += *p == '\n';
	free(s);
	return 0;
}

/* ----------------------------------------------------------------- blkio */

static int
cgstats_blkio_add(struct cgstats_blkio_list *l, uint64_t major, uint64_t minor, const char *op,
		  uint64_t value)
{
	struct cgstats_blkio_entry *n = realloc(l->v, (l->n + 1) * sizeof(*n));

	if (!n)
		return -1;
	l->v = n;
	n[l->n].major = major;
	n[l->n].minor = minor;
	snprintf(n[l->n].op, sizeof(n[l->n].op), "%s", op);
	n[l->n].value = value;
	l->n++;
	return 0;
}

/* "8:0 Read 4096" or "8:0 4096"; "Total N" is skipped (runc: getBlkioStat). */
static int
cgstats_blkio_line(char *line, void *arg)
{
	char *f[5], *save = NULL;
	int n = 0;
	uint64_t maj, min, v;

	for (char *w = strtok_r(line, " :", &save); w && n < 5; w = strtok_r(NULL, " :", &save))
		f[n++] = w;
	if (n == 2 && strcmp(f[0], "Total") == 0)
		return 0;
	if (n < 3 || n > 4 || cgstats_parse_u64(f[0], &maj) < 0 ||
	    cgstats_parse_u64(f[1], &min) < 0 || cgstats_parse_u64(f[n - 1], &v) < 0) {
		errno = EINVAL;
		return -1;
	}
	return cgstats_blkio_add(arg, maj, min, n == 4 ? f[2] : "", v);
}

static int
cgstats_blkio_file(const char *dir, const char *file, struct cgstats_blkio_list *l, struct err *e)
{
	char *s = cgstats_slurp(dir, file);
	int rc;

	if (!s)
		return errno == ENOENT ? 0 : err_set(e, "read %s/%s:", dir, file);
	rc = cgstats_lines(s, cgstats_blkio_line, l);
	free(s);
	return rc < 0 ? err_set(e, "parse %s/%s:", dir, file) : 0;
}

/*
 * v1 has several sets of blkio files, by I/O scheduler and kernel; runc
 * takes the first set whose first file has entries, in this order (blkio.go
 * GetStats): bfq debug, bfq, cfq, throttle recursive, throttle.
 */
static const struct cgstats_blkio_file {
	const char *file;
	enum cgstats_blkio_table table;
} cgstats_bfq_debug[] = {{"blkio.bfq.sectors_recursive", CGSTATS_SECTORS},
			 {"blkio.bfq.io_service_time_recursive", CGSTATS_IO_SERVICE_TIME},
			 {"blkio.bfq.io_wait_time_recursive", CGSTATS_IO_WAIT_TIME},
			 {"blkio.bfq.io_merged_recursive", CGSTATS_IO_MERGED},
			 {"blkio.bfq.io_queued_recursive", CGSTATS_IO_QUEUED},
			 {"blkio.bfq.time_recursive", CGSTATS_IO_TIME},
			 {"blkio.bfq.io_serviced_recursive", CGSTATS_IO_SERVICED},
			 {"blkio.bfq.io_service_bytes_recursive", CGSTATS_IO_SERVICE_BYTES},
			 {NULL, 0}},
  cgstats_bfq[] = {{"blkio.bfq.io_serviced_recursive", CGSTATS_IO_SERVICED},
		   {"blkio.bfq.io_service_bytes_recursive", CGSTATS_IO_SERVICE_BYTES},
		   {NULL, 0}},
  cgstats_cfq[] = {{"blkio.sectors_recursive", CGSTATS_SECTORS},
		   {"blkio.io_service_time_recursive", CGSTATS_IO_SERVICE_TIME},
		   {"blkio.io_wait_time_recursive", CGSTATS_IO_WAIT_TIME},
		   {"blkio.io_merged_recursive", CGSTATS_IO_MERGED},
		   {"blkio.io_queued_recursive", CGSTATS_IO_QUEUED},
		   {"blkio.time_recursive", CGSTATS_IO_TIME},
		   {"blkio.io_serviced_recursive", CGSTATS_IO_SERVICED},
		   {"blkio.io_service_bytes_recursive", CGSTATS_IO_SERVICE_BYTES},
		   {NULL, 0}},
  cgstats_throttle_rec[] = {{"blkio.throttle.io_serviced_recursive", CGSTATS_IO_SERVICED},
			    {"blkio.throttle.io_service_bytes_recursive", CGSTATS_IO_SERVICE_BYTES},
			    {NULL, 0}},
  cgstats_throttle[] = {{"blkio.throttle.io_serviced", CGSTATS_IO_SERVICED},
			{"blkio.throttle.io_service_bytes", CGSTATS_IO_SERVICE_BYTES},
			{NULL, 0}};

/* One set: 1 when its first file had entries (the set is taken), else 0. */
static int
cgstats_blkio_set(const char *dir, const struct cgstats_blkio_file *set, struct cgstats *st,
		  struct err *e)
{
	for (size_t i = 0; set[i].file; i++) {
		struct cgstats_blkio_list *l = &st->blkio[set[i].table];

		if (cgstats_blkio_file(dir, set[i].file, l, e) < 0)
			return -1;
		/* runc: an empty first file means "not this set"; a later
		 * empty one ends the search with what was found. */
		if (l->n == 0)
			return i == 0 ? 0 : 1;
	}
	return 1;
}

static int
cgstats_v1_blkio(const char *dir, struct cgstats *st, struct err *e)
{
	const struct cgstats_blkio_file *sets[] = {cgstats_bfq_debug, cgstats_bfq, cgstats_cfq,
						   cgstats_throttle_rec, cgstats_throttle};

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		int rc = cgstats_blkio_set(dir, sets[i], st, e);

		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
	return 0;
}

/* v2 io.stat: "8:0 rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N", mapped
 * to v1's two tables with ops Read / Write (runc: fs2 statIo). */
static int
cgstats_io_line(char *line, void *arg)
{
	struct cgstats *st = arg;
	char *save = NULL, *dev = strtok_r(line, " ", &save);
	unsigned long long maj, min, v;
	char op[16];

	if (!dev || sscanf(dev, "%llu:%llu", &maj, &min) != 2)
		return 0;
	for (char *w = strtok_r(NULL, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		enum cgstats_blkio_table t = CGSTATS_IO_SERVICE_BYTES;

		if (sscanf(w, "%15[a-z]=%llu", op, &v) != 2)
			continue;
		if (strcmp(op, "rios") == 0 || strcmp(op, "wios") == 0)
			t = CGSTATS_IO_SERVICED;
		else if (strcmp(op, "rbytes") != 0 && strcmp(op, "wbytes") != 0)
			continue;
		if (cgstats_blkio_add(&st->blkio[t], maj, min, op[0] == 'r' ? "Read" : "Write", v) <
		    0)
			return -1;
	}
	return 0;
}

static int
cgstats_v2_io(const char *dir, struct cgstats *st, struct err *e)
{
	char *s = cgstats_slurp(dir, "io.stat");
	int rc;

	if (!s)
		return errno == ENOENT ? 0 : err_set(e, "read %s/io.stat:", dir);
	rc = cgstats_lines(s, cgstats_io_line, st);
	free(s);
	return rc < 0 ? err_set(e, "parse %s/io.stat:", dir) : 0;
}

/* --------------------------------------------------------------- hugetlb */

static int
cgstats_cmp_hugetlb(const void *a, const void *b)
{
	return strcmp(((const struct cgstats_hugetlb *)a)->size,
		      ((const struct cgstats_hugetlb *)b)->size);
}

/* Page sizes as runc names them from /sys/kernel/mm/hugepages/hugepages-NkB
 * (cgroups.HugePageSizes): 2048kB -> "2MB", 1048576kB -> "1GB". */
static int
cgstats_page_sizes(const char *dir, char (*out)[24], int cap)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d)) && n < cap) {
		unsigned long kb;
		char unit[4];

		if (sscanf(de->d_name, "hugepages-%lu%3s", &kb, unit) != 2 || strcmp(unit, "kB"))
			continue;
		if (kb >= (1ul << 20))
			snprintf(out[n++], 24, "%luGB", kb >> 20);
		else if (kb >= (1ul << 10))
			snprintf(out[n++], 24, "%luMB", kb >> 10);
		else
			snprintf(out[n++], 24, "%luKB", kb);
	}
	closedir(d);
	return n;
}

/* v1: hugetlb.SIZE.{usage_in_bytes,max_usage_in_bytes,failcnt}; v2:
 * hugetlb.SIZE.current and the "max" count of hugetlb.SIZE.events. */
static int
cgstats_hugetlb_one(const char *dir, int v2, struct cgstats_hugetlb *h, struct err *e)
{
	char f[64];
	struct cgstats_keys k = {(const char *const[]){"max", NULL}, (uint64_t *[]){&h->failcnt},
				 NULL};

	snprintf(f, sizeof(f), "hugetlb.%s.%s", h->size, v2 ? "current" : "usage_in_bytes");
	if (cgstats_u64(dir, f, &h->usage, e) < 0)
		return -1;
	if (v2) {
		snprintf(f, sizeof(f), "hugetlb.%s.events", h->size);
		return cgstats_keyed_file(dir, f, &k, e);
	}
	snprintf(f, sizeof(f), "hugetlb.%s.max_usage_in_bytes", h->size);
	if (cgstats_u64(dir, f, &h->max, e) < 0)
		return -1;
	snprintf(f, sizeof(f), "hugetlb.%s.failcnt", h->size);
	return cgstats_u64(dir, f, &h->failcnt, e);
}

static int
cgstats_hugetlb(const char *dir, const struct cgstats_where *at, struct cgstats *st, struct err *e)
{
	char sizes[8][24];
	int n = cgstats_page_sizes(at->hugepages ? at->hugepages : "/sys/kernel/mm/hugepages",
				   sizes, 8);

	if (n < 0)
		return err_set(e, "read the huge page sizes:");
	st->hugetlb = calloc((size_t)n + 1, sizeof(*st->hugetlb));
	if (!st->hugetlb)
		return err_set(e, "hugetlb stats:");
	for (int i = 0; i < n; i++) {
		struct cgstats_hugetlb *h = &st->hugetlb[st->n_hugetlb];

		memcpy(h->size, sizes[i], sizeof(h->size));
		if (cgstats_hugetlb_one(dir, at->v2, h, e) < 0) {
			/* v2 without the hugetlb controller: none (runc ignores ENOENT) */
			return at->v2 && errno == ENOENT ? 0 : -1;
		}
		st->n_hugetlb++;
	}
	qsort(st->hugetlb, st->n_hugetlb, sizeof(*st->hugetlb), cgstats_cmp_hugetlb);
	return 0;
}

/* ----------------------------------------------------------- all of them */

static int
cgstats_read_v1(const struct cgstats_where *at, struct cgstats *st, struct err *e)
{
	/* runc: fs.manager GetStats, subsystems in its order */
	if (at->cpuset && cgstats_v1_cpuset(at->cpuset, st, e) < 0)
		return -1;
	if (at->memory && cgstats_v1_memory(at->memory, st, e) < 0)
		return -1;
	if (at->cpu && cgstats_v1_cpu(at->cpu, st, e) < 0)
		return -1;
	if (at->cpuacct && cgstats_v1_cpuacct(at->cpuacct, st, e) < 0)
		return -1;
	if (at->pids && cgstats_pids(at->pids, 0, st, e) < 0)
		return -1;
	if (at->blkio && cgstats_v1_blkio(at->blkio, st, e) < 0)
		return -1;
	return at->hugetlb ? cgstats_hugetlb(at->hugetlb, at, st, e) : 0;
}

static int
cgstats_read_v2(const struct cgstats_where *at, struct cgstats *st, struct err *e)
{
	const char *d = at->unified;

	/* runc: fs2.manager GetStats; cpu.stat is there without the controller */
	if (cgstats_pids(d, 1, st, e) < 0 || cgstats_v2_memory(d, st, e) < 0 ||
	    cgstats_v2_io(d, st, e) < 0 || cgstats_v2_cpu(d, st, e) < 0)
		return -1;
	return cgstats_hugetlb(d, at, st, e);
}

int
cgstats_read(const struct cgstats_where *at, struct cgstats *st, struct err *e)
{
	memset(st, 0, sizeof(*st));
	return at->v2 ? cgstats_read_v2(at, st, e) : cgstats_read_v1(at, st, e);
}

void
cgstats_free(struct cgstats *st)
{
	free(st->cpu.percpu.v);
	free(st->cpu.percpu_kernel.v);
	free(st->cpu.percpu_user.v);
	free(st->cpuset.cpus.v);
	free(st->cpuset.mems.v);
	for (size_t i = 0; i < st->memory.n_raw; i++)
		free(st->memory.raw[i].key);
	free(st->memory.raw);
	for (int i = 0; i < CGSTATS_BLKIO_TABLES; i++)
		free(st->blkio[i].v);
	free(st->hugetlb);
	memset(st, 0, sizeof(*st));
}

int
cgstats_file_key(const char *dir, const char *file, const char *key, uint64_t *v)
{
	struct cgstats_keys k = {(const char *const[]){key, NULL}, (uint64_t *[]){v}, NULL};

	*v = 0;
	return cgstats_keyed_file(dir, file, &k, NULL);
}
