/*
 * cgroup_stats.h - a container's resource usage read from its cgroup files
 * and written as runc's `events` JSON; OOM notifications (cgroup_stats.c).
 */
#ifndef MINIRUNC_CGROUP_STATS_H
#define MINIRUNC_CGROUP_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/*
 * Where the container's cgroup is.  v2: unified is its one directory.  v1:
 * one directory per controller, NULL where the host has no such hierarchy.
 * hugepages: the directory that names the huge page sizes
 * (/sys/kernel/mm/hugepages; NULL = that one).
 */
struct cgstats_where {
	int v2;
	const char *unified;
	const char *cpu, *cpuacct, *cpuset, *memory, *pids, *blkio, *hugetlb;
	const char *hugepages;
};

struct cgstats_mem {
	uint64_t limit, usage, max, failcnt;
};

struct cgstats_blkio_entry {
	uint64_t major, minor;
	char op[16];
	uint64_t value;
};

struct cgstats_blkio_list {
	struct cgstats_blkio_entry *v;
	size_t n;
};

/* runc's blkio tables, in the order types.Blkio lists them. */
enum cgstats_blkio_table {
	CGSTATS_IO_SERVICE_BYTES,
	CGSTATS_IO_SERVICED,
	CGSTATS_IO_QUEUED,
	CGSTATS_IO_SERVICE_TIME,
	CGSTATS_IO_WAIT_TIME,
	CGSTATS_IO_MERGED,
	CGSTATS_IO_TIME,
	CGSTATS_SECTORS,
	CGSTATS_BLKIO_TABLES
};

struct cgstats_kv {
	char *key;
	uint64_t value;
};

struct cgstats_hugetlb {
	char size[24]; /* "2MB", "1GB" as runc names them */
	uint64_t usage, max, failcnt;
};

struct cgstats_u64s {
	uint64_t *v;
	size_t n;
};

/* libcontainer's cgroups.Stats, the part runc's `events` prints. */
struct cgstats {
	struct {
		uint64_t total, kernel, user; /* nanoseconds */
		struct cgstats_u64s percpu, percpu_kernel, percpu_user;
		uint64_t periods, throttled_periods, throttled_time;
	} cpu;
	struct {
		struct cgstats_u64s cpus, mems;
		uint64_t cpu_exclusive, mem_hardwall, mem_exclusive, memory_migrate;
		uint64_t memory_spread_page, memory_spread_slab, memory_pressure;
		uint64_t sched_load_balance;
		int64_t sched_relax_domain_level;
	} cpuset;
	struct {
		uint64_t cache;
		struct cgstats_mem usage, swap, kernel, kernel_tcp;
		struct cgstats_kv *raw; /* memory.stat, sorted by key */
		size_t n_raw;
	} memory;
	struct {
		uint64_t current, limit; /* limit 0: none ("max") */
	} pids;
	struct cgstats_blkio_list blkio[CGSTATS_BLKIO_TABLES];
	struct cgstats_hugetlb *hugetlb; /* sorted by size name */
	size_t n_hugetlb;
};

/* Read every controller's files (runc: fs GetStats / fs2 GetStats).  On
 * failure e names the file; st is still safe to cgstats_free(). */
int cgstats_read(const struct cgstats_where *at, struct cgstats *st, struct err *e);
void cgstats_free(struct cgstats *st);

/* One "key value" line's value from DIR/FILE (0 when the file or key is
 * absent); -1 with errno on a read or parse error. */
int cgstats_file_key(const char *dir, const char *file, const char *key, uint64_t *v);

/* {"type":"stats","id":ID,"data":{...}} and a newline, as runc's encoder
 * writes it; malloc'd (caller frees), NULL with errno. */
char *cgstats_event_json(const char *id, const struct cgstats *st, size_t *len);
/* {"type":"oom","id":ID} and a newline. */
char *cgstats_oom_json(const char *id, size_t *len);

/*
 * OOM notifications (runc: notify_linux.go, notify_v2_linux.go).  v1: an
 * eventfd registered on memory.oom_control through cgroup.event_control; v2:
 * inotify on memory.events (oom_kill) and cgroup.events (populated).
 */
struct cgstats_oom {
	int v2;
	int fd;		    /* v1: the eventfd; v2: the inotify fd */
	int watch_fd;	    /* v1: memory.oom_control (kept open while registered) */
	int wd_memory;	    /* v2: watch of memory.events */
	int wd_cgroup;	    /* v2: watch of cgroup.events */
	uint64_t oom_kills; /* v2: memory.events oom_kill seen so far */
	char *dir;	    /* the memory cgroup directory */
};

int cgstats_oom_open(struct cgstats_oom *o, const struct cgstats_where *at, struct err *e);
/* The fd to poll for readability. */
int cgstats_oom_fd(const struct cgstats_oom *o);
/* After the fd polled readable: CGSTATS_OOM_KILL (an OOM kill happened) and/or
 * CGSTATS_OOM_GONE (the cgroup is gone, v1, or has no process left, v2: runc
 * stops there), 0 for neither, -1 on error. */
#define CGSTATS_OOM_KILL 1
#define CGSTATS_OOM_GONE 2
int cgstats_oom_read(struct cgstats_oom *o);
void cgstats_oom_close(struct cgstats_oom *o);

/*
 * `minirunc events [--stats] [--interval D] ID` (cgroup_events.c; runc:
 * events.go): runc's JSON lines on stdout; returns the exit status.
 */
int cmd_events(const char *root, const char *id, bool stats_only, const char *interval);

#endif
