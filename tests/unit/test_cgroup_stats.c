/*
 * test_cgroup_stats.c - cgroup_stats.c against cgroup files:
 *   - the v1 files of a real runc container (tests/unit/fixtures/cgstats-v1)
 *     give byte for byte the line `runc events --stats` printed for it;
 *   - v2 files (written here in the kernel's formats) give runc's fs2
 *     conversions: microseconds to ns, swap as memory + swap, io.stat into
 *     v1's Read/Write tables, pids from cgroup.procs without the controller,
 *     hugetlb sizes named as runc names them;
 *   - v1 blkio: the first set of files that has entries, runc's order;
 *   - Go's omitempty: which zero values are left out;
 *   - a missing or malformed file names itself.
 * Run from the top of the tree (make unit).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup_stats.h"
#include "unit.h"

#define FIX "tests/unit/fixtures/cgstats-v1"

static char tmp[64];

/* Files for a test directory: {name, content}, NULL-terminated. */
static void
files(const char *sub, const char *const *kv)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmp, sub);
	mkdir(path, 0755);
	for (size_t i = 0; kv[i]; i += 2) {
		int fd;

		snprintf(path, sizeof(path), "%s/%s/%s", tmp, sub, kv[i]);
		if (strchr(kv[i], '/')) { /* a directory (hugepages-NkB/) */
			mkdir(path, 0755);
			continue;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		CHECK(fd >= 0 && write(fd, kv[i + 1], strlen(kv[i + 1])) >= 0);
		close(fd);
	}
}

static char *
sub(const char *name)
{
	static char paths[8][256];
	static int k;
	char *p = paths[k++ % 8];

	snprintf(p, 256, "%s/%s", tmp, name);
	return p;
}

/* The stats line for at, or "error: MSG". Caller frees. */
static char *
line(const struct cgstats_where *at, const char *id)
{
	struct cgstats st;
	struct err e = {""};
	char *out;

	if (cgstats_read(at, &st, &e) < 0) {
		cgstats_free(&st);
		if (asprintf(&out, "error: %s", e.msg) < 0)
			return NULL;
		return out;
	}
	out = cgstats_event_json(id, &st, NULL);
	cgstats_free(&st);
	return out;
}

TEST(v1_real_container_is_runcs_line)
{
	struct cgstats_where at = {.cpu = FIX "/cpu",
				   .cpuacct = FIX "/cpuacct",
				   .cpuset = FIX "/cpuset",
				   .memory = FIX "/memory",
				   .pids = FIX "/pids",
				   .blkio = FIX "/blkio"};
	size_t len;
	char *want = read_file(FIX "/runc-events-stats.json", 1 << 20, &len);
	char *got = line(&at, "cgdevref");

	CHECK(want != NULL);
	CHECK_STR(got, want ? want : "");
	free(want);
	free(got);
}

TEST(v2_conversions)
{
	static const char *const v2[] = {
	    "cgroup.procs",
	    "1\n2\n3\n",
	    "pids.current",
	    "3\n",
	    "pids.max",
	    "max\n",
	    "memory.stat",
	    "anon 1048576\nfile 4096\nkernel 8192\n",
	    "memory.current",
	    "1200000\n",
	    "memory.max",
	    "67108864\n",
	    "memory.swap.current",
	    "4096\n",
	    "memory.swap.max",
	    "max\n",
	    "io.stat",
	    "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n",
	    "cpu.stat",
	    "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 10\n"
	    "nr_throttled 2\nthrottled_usec 300\nnr_bursts 0\nburst_usec 0\n",
	    "hugetlb.2MB.current",
	    "0\n",
	    "hugetlb.2MB.events",
	    "max 0\n",
	    "hugetlb.1GB.current",
	    "1073741824\n",
	    "hugetlb.1GB.events",
	    "max 3\n",
	    NULL};
	static const char *const pages[] = {"hugepages-2048kB/", "", "hugepages-1048576kB/", "",
					    NULL};
	struct cgstats_where at = {.v2 = 1, .unified = sub("v2"), .hugepages = sub("hp")};
	char *got;

	files("v2", v2);
	files("hp", pages);
	got = line(&at, "c2");
	CHECK_STR(
	    got,
	    "{\"type\":\"stats\",\"id\":\"c2\",\"data\":{\"cpu\":{\"usage\":{\"total\":1500000,"
	    "\"kernel\":500000,\"user\":1000000},\"throttling\":{\"periods\":10,"
	    "\"throttledPeriods\":2,\"throttledTime\":300000}},\"cpuset\":{\"cpu_exclusive\":0,"
	    "\"mem_hardwall\":0,\"mem_exclusive\":0,\"memory_migrate\":0,"
	    "\"memory_spread_page\":0,\"memory_spread_slab\":0,\"memory_pressure\":0,"
	    "\"sched_load_balance\":0,\"sched_relax_domain_level\":0},\"memory\":{\"cache\":4096,"
	    "\"usage\":{\"limit\":67108864,\"usage\":1200000,\"failcnt\":0},"
	    "\"swap\":{\"limit\":18446744073709551615,\"usage\":1204096,\"failcnt\":0},"
	    "\"kernel\":{\"limit\":0,\"failcnt\":0},\"kernelTCP\":{\"limit\":0,\"failcnt\":0},"
	    "\"raw\":{\"anon\":1048576,\"file\":4096,\"kernel\":8192}},\"pids\":{\"current\":3},"
	    "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":4096},"
	    "{\"major\":8,\"op\":\"Write\",\"value\":8192}],\"ioServicedRecursive\":[{\"major\":8,"
	    "\"op\":\"Read\",\"value\":1},{\"major\":8,\"op\":\"Write\",\"value\":2}]},"
	    "\"hugetlb\":{\"1GB\":{\"usage\":1073741824,\"failcnt\":3},\"2MB\":{\"failcnt\":0}},"
	    "\"intel_rdt\":{},\"network_interfaces\":null}}\n");
	free(got);
}

TEST(v2_without_controllers)
{
	/* A cgroup2 directory with no controller enabled (this host's unified
	 * hierarchy): pids counted from cgroup.procs, cpu.stat alone, no
	 * memory, no hugetlb; a finite swap limit adds the memory limit. */
	static const char *const bare[] = {"cgroup.procs", "7\n8\n", "cpu.stat",
					   "usage_usec 2\nuser_usec 1\nsystem_usec 1\n", NULL};
	static const char *const pages[] = {"hugepages-2048kB/", "", NULL};
	static const char *const mem[] = {
	    "memory.stat",	   "file 0\n", "memory.current",  "10\n", "memory.max", "100\n",
	    "memory.swap.current", "5\n",      "memory.swap.max", "50\n", NULL};
	struct cgstats_where at = {.v2 = 1, .unified = sub("bare"), .hugepages = sub("hp2")};
	struct cgstats st;
	struct err e;

	files("bare", bare);
	files("hp2", pages);
	CHECK(cgstats_read(&at, &st, &e) == 0);
	CHECK(st.pids.current == 2 && st.pids.limit == 0);
	CHECK(st.cpu.total == 2000 && st.memory.n_raw == 0 && st.n_hugetlb == 0);
	cgstats_free(&st);
	files("mem", mem);
	at.unified = sub("mem");
	CHECK(cgstats_read(&at, &st, &e) < 0); /* no cgroup.procs and no pids.current */
	CHECK(strstr(e.msg, "/mem/cgroup.procs: No such file or directory") != NULL);
	cgstats_free(&st);
	files("mem", (const char *const[]){"pids.current", "0\n", "pids.max", "max\n", NULL});
	CHECK(cgstats_read(&at, &st, &e) == 0);
	CHECK(st.memory.swap.usage == 15 && st.memory.swap.limit == 150);
	cgstats_free(&st);
}

TEST(v1_blkio_first_set_with_entries)
{
	/* bfq sets empty ("Total 0"), cfq has entries: cfq it is, up to the
	 * first empty file (io_wait_time here), as runc's loop stops. */
	static const char *const b[] = {"blkio.bfq.io_serviced_recursive",
					"Total 0\n",
					"blkio.sectors_recursive",
					"8:0 16\nTotal 16\n",
					"blkio.io_service_time_recursive",
					"8:0 Read 100\n8:0 Write 0\n8:0 Total 100\nTotal 100\n",
					"blkio.io_wait_time_recursive",
					"Total 0\n",
					"blkio.io_merged_recursive",
					"8:0 Read 1\n",
					"blkio.throttle.io_serviced_recursive",
					"8:0 Read 5\n",
					NULL};
	struct cgstats_where at = {.blkio = sub("blkio")};
	char *got, *p;

	files("blkio", b);
	got = line(&at, "b");
	p = got ? strstr(got, "\"blkio\":") : NULL;
	CHECK(p != NULL);
	if (p)
		CHECK(
		    strncmp(
			p,
			"\"blkio\":{\"ioServiceTimeRecursive\":[{\"major\":8,\"op\":\"Read\","
			"\"value\":100},{\"major\":8,\"op\":\"Write\"},{\"major\":8,\"op\":"
			"\"Total\",\"value\":100}],\"sectorsRecursive\":[{\"major\":8,"
			"\"value\":16}]},",
			strlen("\"blkio\":{\"ioServiceTimeRecursive\":[{\"major\":8,\"op\":"
			       "\"Read\",\"value\":100},{\"major\":8,\"op\":\"Write\"},{\"major\":"
			       "8,\"op\":\"Total\",\"value\":100}],\"sectorsRecursive\":[{"
			       "\"major\":8,\"value\":16}]},")) == 0);
	free(got);
}

TEST(errors_name_the_file)
{
	static const char *const bad[] = {"memory.stat", "cache twelve\n", NULL};
	static const char *const nolimit[] = {"memory.stat", "cache 1\n", "memory.usage_in_bytes",
					      "5\n", NULL};
	struct cgstats_where at = {.memory = sub("bad")};
	char *got;

	files("bad", bad);
	got = line(&at, "x");
	CHECK(got && strstr(got, "error: parse ") &&
	      strstr(got, "/bad/memory.stat: Invalid argument"));
	free(got);
	files("nolimit", nolimit);
	at.memory = sub("nolimit");
	got = line(&at, "x");
	CHECK(got && strstr(got, "/nolimit/memory.max_usage_in_bytes: No such file or directory"));
	free(got);
	/* a v1 controller the host lacks is left out, not an error */
	at.memory = NULL;
	got = line(&at, "x");
	CHECK(got && strncmp(got, "{\"type\":\"stats\"", 15) == 0);
	free(got);
}

static int
ready(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};

	return poll(&p, 1, 2000) == 1;
}

TEST(oom_v2_inotify)
{
	/* v2's notification is inotify on two cgroup files; on plain files
	 * the same IN_MODIFY comes, so the watcher's logic runs here. */
	static const char *const before[] = {"memory.events",
					     "low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n",
					     "cgroup.events", "populated 1\nfrozen 0\n", NULL};
	struct cgstats_where at = {.v2 = 1, .unified = sub("oom")};
	struct cgstats_oom o;
	struct err e = {""};

	files("oom", before);
	CHECK(cgstats_oom_open(&o, &at, &e) == 0);
	CHECK(o.oom_kills == 1); /* an OOM before `events` started is not reported */
	files("oom", (const char *const[]){"memory.events", "max 5\noom 1\noom_kill 1\n", NULL});
	CHECK(ready(cgstats_oom_fd(&o)) && cgstats_oom_read(&o) == 0);
	files("oom", (const char *const[]){"memory.events", "max 6\noom 2\noom_kill 2\n", NULL});
	CHECK(ready(cgstats_oom_fd(&o)) && cgstats_oom_read(&o) == CGSTATS_OOM_KILL);
	files("oom", (const char *const[]){"cgroup.events", "populated 0\nfrozen 0\n", NULL});
	CHECK(ready(cgstats_oom_fd(&o)) && cgstats_oom_read(&o) == CGSTATS_OOM_GONE);
	cgstats_oom_close(&o);
	/* no memory.events: runc's events fails the same way */
	at.unified = sub("nonesuch");
	CHECK(cgstats_oom_open(&o, &at, &e) < 0);
	CHECK(strstr(e.msg, "inotify_add_watch ") && strstr(e.msg, "No such file or directory"));
	at = (struct cgstats_where){.memory = NULL};
	CHECK(cgstats_oom_open(&o, &at, &e) < 0);
	CHECK_STR(e.msg, "memory controller missing");
}

TEST(oom_line)
{
	char *s = cgstats_oom_json("c1", NULL);

	CHECK_STR(s, "{\"type\":\"oom\",\"id\":\"c1\"}\n");
	free(s);
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int
main(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/mr-unit-cgstats.XXXXXX");
	if (!mkdtemp(tmp))
		return 1;
	RUN(v1_real_container_is_runcs_line);
	RUN(v2_conversions);
	RUN(v2_without_controllers);
	RUN(v1_blkio_first_set_with_entries);
	RUN(errors_name_the_file);
	RUN(oom_v2_inotify);
	RUN(oom_line);
	if (nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "cannot remove %s\n", tmp);
	UNIT_END();
}
