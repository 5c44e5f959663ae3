/*
 * cgroup_events.c - `minirunc events`: the container's stats every interval
 * and an "oom" line for each OOM kill, until the container's cgroup is gone;
 * `--stats` prints one stats line and exits.
 *
 * runc counterpart: events.go (the command: flags, messages, the loop),
 * libcontainer/notify_linux.go (v1: an eventfd registered on
 * memory.oom_control) and notify_v2_linux.go (v2: inotify on memory.events
 * and cgroup.events); the JSON as events.go convertLibcontainerStats and
 * types/events.go make it (their omitempty tags decide which zero values
 * are left out).  The stats themselves come from cgroup_stats.c.
 * Difference, on purpose: on v2 one "oom" line per OOM kill (memory.events
 * oom_kill rising); runc prints one for every change of memory.events once
 * oom_kill is non-zero (so also for later "max" or "high" counts).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_stats.h"
#include "cgroups.h"
#include "container.h"
#include "json.h"
#include "state.h"

/* ------------------------------------------------------------------ JSON */

/* Go's omitempty: a zero number or an empty list is left out. */
static void
cgstats_opt_u64(struct json_writer *w, const char *key, uint64_t v)
{
	if (!v)
		return;
	json_write_key(w, key);
	json_write_uint(w, v);
}

static void
cgstats_u64_key(struct json_writer *w, const char *key, uint64_t v)
{
	json_write_key(w, key);
	json_write_uint(w, v);
}

static void
cgstats_opt_list(struct json_writer *w, const char *key, const struct cgstats_u64s *l)
{
	if (!l->n)
		return;
	json_write_key(w, key);
	json_write_array_begin(w);
	for (size_t i = 0; i < l->n; i++)
		json_write_uint(w, l->v[i]);
	json_write_array_end(w);
}

static void
cgstats_json_cpu(struct json_writer *w, const struct cgstats *st)
{
	json_write_key(w, "cpu");
	json_write_object_begin(w);
	json_write_key(w, "usage");
	json_write_object_begin(w);
	cgstats_opt_u64(w, "total", st->cpu.total);
	cgstats_opt_list(w, "percpu", &st->cpu.percpu);
	cgstats_opt_list(w, "percpu_kernel", &st->cpu.percpu_kernel);
	cgstats_opt_list(w, "percpu_user", &st->cpu.percpu_user);
	cgstats_u64_key(w, "kernel", st->cpu.kernel);
	cgstats_u64_key(w, "user", st->cpu.user);
	json_write_object_end(w);
	json_write_key(w, "throttling");
	json_write_object_begin(w);
	cgstats_opt_u64(w, "periods", st->cpu.periods);
	cgstats_opt_u64(w, "throttledPeriods", st->cpu.throttled_periods);
	cgstats_opt_u64(w, "throttledTime", st->cpu.throttled_time);
	json_write_object_end(w);
	json_write_object_end(w);
}

static void
cgstats_json_cpuset(struct json_writer *w, const struct cgstats *st)
{
	json_write_key(w, "cpuset");
	json_write_object_begin(w);
	cgstats_opt_list(w, "cpus", &st->cpuset.cpus);
	cgstats_u64_key(w, "cpu_exclusive", st->cpuset.cpu_exclusive);
	cgstats_opt_list(w, "mems", &st->cpuset.mems);
	cgstats_u64_key(w, "mem_hardwall", st->cpuset.mem_hardwall);
	cgstats_u64_key(w, "mem_exclusive", st->cpuset.mem_exclusive);
	cgstats_u64_key(w, "memory_migrate", st->cpuset.memory_migrate);
	cgstats_u64_key(w, "memory_spread_page", st->cpuset.memory_spread_page);
	cgstats_u64_key(w, "memory_spread_slab", st->cpuset.memory_spread_slab);
	cgstats_u64_key(w, "memory_pressure", st->cpuset.memory_pressure);
	cgstats_u64_key(w, "sched_load_balance", st->cpuset.sched_load_balance);
	json_write_key(w, "sched_relax_domain_level");
	json_write_int(w, st->cpuset.sched_relax_domain_level);
	json_write_object_end(w);
}

static void
cgstats_json_mem_entry(struct json_writer *w, const char *key, const struct cgstats_mem *m)
{
	json_write_key(w, key);
	json_write_object_begin(w);
	cgstats_u64_key(w, "limit", m->limit);
	cgstats_opt_u64(w, "usage", m->usage);
	cgstats_opt_u64(w, "max", m->max);
	cgstats_u64_key(w, "failcnt", m->failcnt);
	json_write_object_end(w);
}

static void
cgstats_json_memory(struct json_writer *w, const struct cgstats *st)
{
	json_write_key(w, "memory");
	json_write_object_begin(w);
	cgstats_opt_u64(w, "cache", st->memory.cache);
	cgstats_json_mem_entry(w, "usage", &st->memory.usage);
	cgstats_json_mem_entry(w, "swap", &st->memory.swap);
	cgstats_json_mem_entry(w, "kernel", &st->memory.kernel);
	cgstats_json_mem_entry(w, "kernelTCP", &st->memory.kernel_tcp);
	if (st->memory.n_raw) {
		json_write_key(w, "raw");
		json_write_object_begin(w);
		for (size_t i = 0; i < st->memory.n_raw; i++)
			cgstats_u64_key(w, st->memory.raw[i].key, st->memory.raw[i].value);
		json_write_object_end(w);
	}
	json_write_object_end(w);
}

static void
cgstats_json_blkio(struct json_writer *w, const struct cgstats *st)
{
	static const char *const names[CGSTATS_BLKIO_TABLES] = {
	    "ioServiceBytesRecursive", "ioServicedRecursive", "ioQueueRecursive",
	    "ioServiceTimeRecursive",  "ioWaitTimeRecursive", "ioMergedRecursive",
	    "ioTimeRecursive",	       "sectorsRecursive"};

	json_write_key(w, "blkio");
	json_write_object_begin(w);
	for (int t = 0; t < CGSTATS_BLKIO_TABLES; t++) {
		if (!st->blkio[t].n)
			continue;
		json_write_key(w, names[t]);
		json_write_array_begin(w);
		for (size_t i = 0; i < st->blkio[t].n; i++) {
			const struct cgstats_blkio_entry *b = &st->blkio[t].v[i];

			json_write_object_begin(w);
			cgstats_opt_u64(w, "major", b->major);
			cgstats_opt_u64(w, "minor", b->minor);
			if (b->op[0]) {
				json_write_key(w, "op");
				json_write_string(w, b->op);
			}
			cgstats_opt_u64(w, "value", b->value);
			json_write_object_end(w);
		}
		json_write_array_end(w);
	}
	json_write_object_end(w);
}

static void
cgstats_json_rest(struct json_writer *w, const struct cgstats *st)
{
	json_write_key(w, "pids");
	json_write_object_begin(w);
	cgstats_opt_u64(w, "current", st->pids.current);
	cgstats_opt_u64(w, "limit", st->pids.limit);
	json_write_object_end(w);
	cgstats_json_blkio(w, st);
	json_write_key(w, "hugetlb");
	json_write_object_begin(w);
	for (size_t i = 0; i < st->n_hugetlb; i++) {
		json_write_key(w, st->hugetlb[i].size);
		json_write_object_begin(w);
		cgstats_opt_u64(w, "usage", st->hugetlb[i].usage);
		cgstats_opt_u64(w, "max", st->hugetlb[i].max);
		cgstats_u64_key(w, "failcnt", st->hugetlb[i].failcnt);
		json_write_object_end(w);
	}
	json_write_object_end(w);
	json_write_key(w, "intel_rdt");
	json_write_object_begin(w);
	json_write_object_end(w);
	json_write_key(w, "network_interfaces");
	json_write_null(w);
}

/* The event line; st NULL for an OOM event (no "data", as runc omits it). */
static char *
cgstats_event(const char *type, const char *id, const struct cgstats *st, size_t *len)
{
	struct json_writer w;
	char *out, *nl;
	size_t n;

	json_writer_init(&w, 0);
	json_write_object_begin(&w);
	json_write_key(&w, "type");
	json_write_string(&w, type);
	json_write_key(&w, "id");
	json_write_string(&w, id);
	if (st) {
		json_write_key(&w, "data");
		json_write_object_begin(&w);
		cgstats_json_cpu(&w, st);
		cgstats_json_cpuset(&w, st);
		cgstats_json_memory(&w, st);
		cgstats_json_rest(&w, st);
		json_write_object_end(&w);
	}
	json_write_object_end(&w);
	out = json_writer_finish(&w, &n);
	if (!out)
		return NULL;
	/* json.Encoder.Encode ends each value with a newline */
	nl = realloc(out, n + 2);
	if (!nl) {
		free(out);
		return NULL;
	}
	nl[n] = '\n';
	nl[n + 1] = '\0';
	if (len)
		*len = n + 1;
	return nl;
}

char *
cgstats_event_json(const char *id, const struct cgstats *st, size_t *len)
{
	return cgstats_event("stats", id, st, len);
}

char *
cgstats_oom_json(const char *id, size_t *len)
{
	return cgstats_event("oom", id, NULL, len);
}

/* ------------------------------------------------------------------- OOM */

/* v1: an eventfd the kernel signals on each OOM in the memory cgroup, and
 * once more when the cgroup is removed (memcontrol.c, cgroup.event_control). */
static int
cgstats_oom_open_v1(struct cgstats_oom *o, struct err *e)
{
	char path[4096], line[64];
	int fd, rc;

	snprintf(path, sizeof(path), "%s/memory.oom_control", o->dir);
	o->watch_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (o->watch_fd < 0)
		return err_set(e, "open %s:", path);
	o->fd = eventfd(0, EFD_CLOEXEC);
	if (o->fd < 0)
		return err_set(e, "eventfd:");
	snprintf(path, sizeof(path), "%s/cgroup.event_control", o->dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, "open %s:", path);
	snprintf(line, sizeof(line), "%d %d", o->fd, o->watch_fd);
	rc = write_all(fd, line, strlen(line));
	close(fd);
	return rc < 0 ? err_set(e, "write %s:", path) : 0;
}

static int
cgstats_oom_kills(const char *dir, uint64_t *n)
{
	return cgstats_file_key(dir, "memory.events", "oom_kill", n);
}

/* v2: memory.events changes on each OOM kill, cgroup.events when the last
 * process leaves; the cgroup files give no other notification (runc:
 * registerMemoryEventV2). */
static int
cgstats_oom_open_v2(struct cgstats_oom *o, struct err *e)
{
	char path[4096];

	o->fd = inotify_init1(IN_CLOEXEC);
	if (o->fd < 0)
		return err_set(e, "inotify_init1:");
	snprintf(path, sizeof(path), "%s/memory.events", o->dir);
	o->wd_memory = inotify_add_watch(o->fd, path, IN_MODIFY);
	if (o->wd_memory < 0)
		return err_set(e, "inotify_add_watch %s:", path);
	snprintf(path, sizeof(path), "%s/cgroup.events", o->dir);
	o->wd_cgroup = inotify_add_watch(o->fd, path, IN_MODIFY);
	if (o->wd_cgroup < 0)
		return err_set(e, "inotify_add_watch %s:", path);
	if (cgstats_oom_kills(o->dir, &o->oom_kills) < 0)
		return err_set(e, "read %s/memory.events:", o->dir);
	return 0;
}

int
cgstats_oom_open(struct cgstats_oom *o, const struct cgstats_where *at, struct err *e)
{
	const char *dir = at->v2 ? at->unified : at->memory;
	int rc;

	memset(o, 0, sizeof(*o));
	o->fd = o->watch_fd = -1;
	o->v2 = at->v2;
	if (!dir) {
		errno = ENOENT;
		return err_set(e, "memory controller missing");
	}
	o->dir = strdup(dir);
	if (!o->dir)
		return err_set(e, "oom notification:");
	rc = o->v2 ? cgstats_oom_open_v2(o, e) : cgstats_oom_open_v1(o, e);
	if (rc < 0)
		cgstats_oom_close(o);
	return rc;
}

int
cgstats_oom_fd(const struct cgstats_oom *o)
{
	return o->fd;
}

static int
cgstats_oom_read_v1(struct cgstats_oom *o)
{
	char path[4096];
	uint64_t n;
	struct stat sb;

	if (read_retry(o->fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		return -1;
	/* the same eventfd fires when the cgroup goes: then its files are gone */
	snprintf(path, sizeof(path), "%s/cgroup.event_control", o->dir);
	if (lstat(path, &sb) < 0 && errno == ENOENT)
		return CGSTATS_OOM_GONE;
	return CGSTATS_OOM_KILL;
}

static int
cgstats_oom_read_v2(struct cgstats_oom *o)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n = read_retry(o->fd, buf, sizeof(buf));
	int rc = 0;

	if (n <= 0)
		return -1;
	for (ssize_t off = 0; off + (ssize_t)sizeof(struct inotify_event) <= n;) {
		const struct inotify_event *ev = (const void *)(buf + off);
		uint64_t kills, populated = 1;

		off += (ssize_t)sizeof(*ev) + ev->len;
		/* one event per rise of oom_kill; runc sends one on every change
		 * of memory.events once oom_kill is non-zero */
		if (ev->wd == o->wd_memory && cgstats_oom_kills(o->dir, &kills) == 0 &&
		    kills > o->oom_kills) {
			o->oom_kills = kills;
			rc |= CGSTATS_OOM_KILL;
		}
		if (ev->wd == o->wd_cgroup &&
		    (cgstats_file_key(o->dir, "cgroup.events", "populated", &populated) < 0 ||
		     populated == 0))
			rc |= CGSTATS_OOM_GONE;
	}
	return rc;
}

int
cgstats_oom_read(struct cgstats_oom *o)
{
	return o->v2 ? cgstats_oom_read_v2(o) : cgstats_oom_read_v1(o);
}

void
cgstats_oom_close(struct cgstats_oom *o)
{
	if (o->fd >= 0)
		close(o->fd);
	if (o->watch_fd >= 0)
		close(o->watch_fd);
	free(o->dir);
	o->fd = o->watch_fd = -1;
	o->dir = NULL;
}

/* ------------------------------------------------------------ the command */

static const struct ev_unit {
	const char *name;
	double ns;
} ev_units[] = {{"ns", 1},   {"us", 1e3}, {"\xc2\xb5s", 1e3}, {"\xce\xbcs", 1e3},
		{"ms", 1e6}, {"s", 1e9},  {"m", 60e9},	      {"h", 3600e9}};

/* The unit at s, the longest that fits ("ms" rather than "m"); NULL if none. */
static const struct ev_unit *
ev_unit_at(const char *s)
{
	const struct ev_unit *best = NULL;

	for (size_t i = 0; i < sizeof(ev_units) / sizeof(ev_units[0]); i++) {
		size_t n = strlen(ev_units[i].name);

		if (strncmp(s, ev_units[i].name, n) == 0 && (!best || n > strlen(best->name)))
			best = &ev_units[i];
	}
	return best;
}

/*
 * A duration as urfave/cli's DurationFlag reads it (Go's time.ParseDuration):
 * a sign, then one or more NUMBER UNIT ("1.5s", "1m30s", "100ms"), or "0".
 */
static int
ev_duration(const char *s, int64_t *out)
{
	double total = 0;
	int neg = 0;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (strcmp(s, "0") == 0)
		return *out = 0, 0;
	if (!*s)
		return -1;
	while (*s) {
		double v = 0, scale = 1;
		int digits = 0;
		const struct ev_unit *u;

		for (; *s >= '0' && *s <= '9'; s++, digits++)
			v = v * 10 + (*s - '0');
		if (*s == '.')
			for (s++; *s >= '0' && *s <= '9'; s++, digits++)
				v += (*s - '0') * (scale /= 10);
		u = digits ? ev_unit_at(s) : NULL;
		if (!u)
			return -1;
		total += v * u->ns;
		s += strlen(u->name);
	}
	if (total >= 9223372036854775807.0)
		return -1;
	*out = (int64_t)(neg ? -total : total);
	return 0;
}

/* The stats paths of the container's cgroup (v1: runc's fs manager reads the
 * v1 hierarchies also on a hybrid host). */
static void
ev_where(const struct cg *cg, struct cgstats_where *at)
{
	memset(at, 0, sizeof(*at));
	at->v2 = cg->layout == CG_V2;
	if (at->v2) {
		at->unified = cg_path(cg, "");
		return;
	}
	at->cpu = cg_path(cg, "cpu");
	at->cpuacct = cg_path(cg, "cpuacct");
	at->cpuset = cg_path(cg, "cpuset");
	at->memory = cg_path(cg, "memory");
	at->pids = cg_path(cg, "pids");
	at->blkio = cg_path(cg, "blkio");
	at->hugetlb = cg_path(cg, "hugetlb");
}

/* One stats line on stdout; a failure is an error line, the loop goes on
 * (runc: logrus.Error, continue). */
static int
ev_print_stats(const char *id, const struct cgstats_where *at)
{
	struct cgstats st;
	struct err e = {""};
	char *line = NULL;
	size_t len = 0;
	int rc = -1;

	if (cgstats_read(at, &st, &e) < 0) {
		log_error("unable to get container cgroup stats: %s", e.msg);
	} else if (!(line = cgstats_event_json(id, &st, &len))) {
		log_error("events: %s", strerror(errno));
	} else {
		rc = write_all(1, line, len);
	}
	free(line);
	cgstats_free(&st);
	return rc;
}

static int
ev_print_oom(const char *id)
{
	size_t len;
	char *line = cgstats_oom_json(id, &len);
	int rc = line ? write_all(1, line, len) : -1;

	free(line);
	return rc;
}

static int64_t
ev_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Stats every interval, "oom" lines as they come, until the cgroup is gone
 * (v1) or empty (v2).  The first stats line comes after one interval, as
 * runc's time.Tick. */
static int
ev_loop(const char *id, const struct cgstats_where *at, int64_t interval, struct err *e)
{
	struct cgstats_oom o;
	int64_t next = ev_now() + interval;

	if (cgstats_oom_open(&o, at, e) < 0)
		return -1;
	for (;;) {
		int64_t left = next - ev_now();
		struct timespec ts = {left > 0 ? left / 1000000000 : 0,
				      left > 0 ? left % 1000000000 : 0};
		struct pollfd p = {cgstats_oom_fd(&o), POLLIN, 0};
		int n = ppoll(&p, 1, &ts, NULL), r;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, "events: poll:");
			break;
		}
		if (n == 0) {
			next += interval;
			ev_print_stats(id, at);
			continue;
		}
		r = cgstats_oom_read(&o);
		if (r > 0 && (r & CGSTATS_OOM_KILL) && ev_print_oom(id) < 0)
			r = -1;
		if (r < 0 || (r & CGSTATS_OOM_GONE)) {
			cgstats_oom_close(&o);
			return r < 0 ? err_set(e, "events: OOM notification:") : 0;
		}
	}
	cgstats_oom_close(&o);
	return -1;
}

/* The container's cgroup from its state; the state lock is let go at once,
 * so that a long `events` never holds up `delete` (runc takes none). */
static int
ev_load(const char *root, const char *id, struct cg *cg, struct err *e)
{
	struct state st;
	int dirfd = ctr_open_existing(root, id, &st, e), rc = -1;

	if (dirfd < 0)
		return -1;
	if (strcmp(state_status(&st), "stopped") == 0) {
		errno = ESRCH;
		err_set(e, "container with id %s is not running", id);
	} else {
		rc = ctr_cg_load(&st, cg, e);
	}
	state_free(&st);
	close(dirfd);
	return rc;
}

int
cmd_events(const char *root, const char *id, bool stats_only, const char *interval)
{
	struct cgstats_where at;
	struct cg cg;
	struct err e = {""};
	int64_t ns = 5000000000; /* runc: 5s */
	int rc;

	if (interval && ev_duration(interval, &ns) < 0) {
		log_error("invalid value \"%s\" for flag -interval: parse error", interval);
		return 1;
	}
	if (ns <= 0) {
		log_error("duration interval must be greater than 0");
		return 1;
	}
	if (ev_load(root, id, &cg, &e) < 0) {
		log_error("%s", e.msg);
		return 1;
	}
	ev_where(&cg, &at);
	if (stats_only) {
		rc = ev_print_stats(id, &at);
		cg_free(&cg);
		return rc < 0 ? 1 : 0;
	}
	rc = ev_loop(id, &at, ns, &e);
	cg_free(&cg);
	if (rc < 0)
		log_error("%s", e.msg);
	return rc < 0 ? 1 : 0;
}
