/*
 * cgroup_v1.c - linux.resources written into cgroup v1 files (and on a
 * hybrid host, where runc uses v1 for every resource), and the v1 freezer.
 *
 * runc counterpart: libcontainer/cgroups/fs/{memory,cpu,cpuset,pids,blkio,
 * hugetlb,net_cls,net_prio,freezer}.go and fscommon/rdma.go: the same files,
 * the same order and the same "0 asks for nothing" rule.  Kernel-memory
 * limits are ignored with runc 1.1's warning (spec_resources.c prints it;
 * Linux 6.x took the knob away).  Left out: nothing runc 1.1.5 writes.
 * cpu.idle and cpu.cfs_burst_us (runc 1.2) are written too: accepted and
 * ignored would fail open.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgroup_int.h"

/* ---- What needs which controller ----------------------------------------- */

static bool
cg_memory_set(const struct spec_resources *r)
{
	return (r->memory.has_limit && r->memory.limit) ||
	       (r->memory.has_reservation && r->memory.reservation) ||
	       (r->memory.has_swap && r->memory.swap) ||
	       (r->memory.has_swappiness && r->memory.swappiness != UINT64_MAX) ||
	       (r->memory.has_disable_oom_killer && r->memory.disable_oom_killer);
}

static bool
cg_cpu_set(const struct spec_resources *r)
{
	return (r->cpu.has_shares && r->cpu.shares) || (r->cpu.has_quota && r->cpu.quota) ||
	       (r->cpu.has_period && r->cpu.period) ||
	       (r->cpu.has_realtime_runtime && r->cpu.realtime_runtime) ||
	       (r->cpu.has_realtime_period && r->cpu.realtime_period) ||
	       (r->cpu.has_idle && r->cpu.idle) || (r->cpu.has_burst && r->cpu.burst);
}

static bool
cg_cpuset_set(const struct spec_resources *r)
{
	return (r->cpu.cpus && *r->cpu.cpus) || (r->cpu.mems && *r->cpu.mems);
}

static bool
cg_blkio_set(const struct spec_resources *r)
{
	size_t n = r->blkio.n_weight_device;

	for (int k = 0; k < THROTTLE_KINDS; k++)
		n += r->blkio.n_throttle[k];
	return (r->blkio.has_weight && r->blkio.weight) ||
	       (r->blkio.has_leaf_weight && r->blkio.leaf_weight) || n;
}

bool
cg_needs_any(const struct spec_resources *r)
{
	return cg_memory_set(r) || cg_cpu_set(r) || cg_cpuset_set(r) ||
	       (r->pids.has_limit && r->pids.limit > 0) || cg_blkio_set(r) || r->n_hugepages ||
	       r->n_rdma || (r->network.has_class_id && r->network.class_id) ||
	       r->network.n_priorities || r->n_unified;
}

/* "A controller the host lacks: one line naming it." */
static int
cg_v1_need(const struct cg *cg, bool wanted, const char *ctrl, const char *field, struct err *e)
{
	if (!wanted || cg_find(cg, ctrl))
		return 0;
	errno = ENOTSUP;
	return err_set(e, "config.json: linux.resources.%s: this host has no %s cgroup controller",
		       field, ctrl);
}

int
cg_v1_check(const struct cg *cg, const struct spec_resources *r, struct err *e)
{
	errno = ENOTSUP;
	if (r->n_unified)
		return err_set(e,
			       "config.json: linux.resources.unified: needs cgroup v2 (this host's "
			       "cgroups are %s)",
			       cg_layout_name(cg->layout));
	/* runc: a missing devices hierarchy is fatal "for security reasons" (fs/paths.go). */
	if (cg_v1_need(cg, true, "devices", "devices", e) < 0 ||
	    cg_v1_need(cg, cg_memory_set(r), "memory", "memory", e) < 0 ||
	    cg_v1_need(cg, cg_cpu_set(r), "cpu", "cpu", e) < 0 ||
	    cg_v1_need(cg, cg_cpuset_set(r), "cpuset", "cpu.cpus/mems", e) < 0 ||
	    cg_v1_need(cg, r->pids.has_limit && r->pids.limit > 0, "pids", "pids", e) < 0 ||
	    cg_v1_need(cg, cg_blkio_set(r), "blkio", "blockIO", e) < 0 ||
	    cg_v1_need(cg, r->n_hugepages, "hugetlb", "hugepageLimits", e) < 0 ||
	    cg_v1_need(cg, r->n_rdma, "rdma", "rdma", e) < 0 ||
	    cg_v1_need(cg, r->network.has_class_id && r->network.class_id, "net_cls",
		       "network.classID", e) < 0 ||
	    cg_v1_need(cg, r->network.n_priorities, "net_prio", "network.priorities", e) < 0)
		return -1;
	return 0;
}

/* ---- memory --------------------------------------------------------------- */

static int
cg_read_u64(const struct cg_dir *d, const char *file, uint64_t *v)
{
	char buf[64];

	if (cg_read(d, file, buf, sizeof(buf)) < 0)
		return -1;
	*v = strtoull(buf, NULL, 10);
	return 0;
}

/* EBUSY: the group already uses more than the new limit (runc: setMemory). */
static int
cg_v1_set_memory(const struct cg_dir *d, int64_t v, struct err *e)
{
	uint64_t usage = 0, peak = 0;

	if (v == 0 || cg_write_int(d, "memory.limit_in_bytes", v, "memory.limit", e) == 0)
		return 0;
	if (errno != EBUSY)
		return -1;
	cg_read_u64(d, "memory.usage_in_bytes", &usage);
	cg_read_u64(d, "memory.max_usage_in_bytes", &peak);
	errno = EBUSY;
	return err_set(e,
		       "linux.resources.memory.limit: unable to set memory limit to %lld (current "
		       "usage: %" PRIu64 ", peak usage: %" PRIu64 ")",
		       (long long)v, usage, peak);
}

static int
cg_v1_set_swap(const struct cg_dir *d, int64_t v, struct err *e)
{
	return v == 0 ? 0 : cg_write_int(d, "memory.memsw.limit_in_bytes", v, "memory.swap", e);
}

/* memsw must stay >= the limit at every moment, so which goes first depends
 * on the current limit (runc: setMemoryAndSwap). */
static int
cg_v1_memory_and_swap(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	int64_t mem = r->memory.has_limit ? r->memory.limit : 0;
	int64_t swap = r->memory.has_swap ? r->memory.swap : 0;
	uint64_t cur;

	if (mem == -1 && swap == 0 && cg_has_file(d, "memory.memsw.limit_in_bytes"))
		swap = -1;
	if (mem != 0 && swap != 0) {
		if (cg_read_u64(d, "memory.limit_in_bytes", &cur) < 0)
			return err_set(e, "read %s/memory.limit_in_bytes:", d->path);
		if (swap == -1 || cur < (uint64_t)swap)
			return cg_v1_set_swap(d, swap, e) < 0 || cg_v1_set_memory(d, mem, e) < 0
				   ? -1
				   : 0;
	}
	return cg_v1_set_memory(d, mem, e) < 0 || cg_v1_set_swap(d, swap, e) < 0 ? -1 : 0;
}

static int
cg_v1_memory(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	if (cg_v1_memory_and_swap(d, r, e) < 0)
		return -1;
	if (r->memory.has_reservation && r->memory.reservation &&
	    cg_write_int(d, "memory.soft_limit_in_bytes", r->memory.reservation,
			 "memory.reservation", e) < 0)
		return -1;
	if (r->memory.has_disable_oom_killer && r->memory.disable_oom_killer &&
	    cg_write(d, "memory.oom_control", "1", "memory.disableOOMKiller", e) < 0)
		return -1;
	if (!r->memory.has_swappiness || r->memory.swappiness == UINT64_MAX)
		return 0;
	if (r->memory.swappiness > 100)
		return errno = EINVAL,
		       err_set(
			   e,
			   "linux.resources.memory.swappiness: invalid memory swappiness value: "
			   "%" PRIu64 " (valid range is 0-100)",
			   r->memory.swappiness);
	return cg_write_int(d, "memory.swappiness", (int64_t)r->memory.swappiness,
			    "memory.swappiness", e);
}

/* ---- cpu, cpuset ---------------------------------------------------------- */

static int
cg_v1_rt(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	if (r->cpu.has_realtime_period && r->cpu.realtime_period &&
	    cg_write_int(d, "cpu.rt_period_us", (int64_t)r->cpu.realtime_period,
			 "cpu.realtimePeriod", e) < 0)
		return -1;
	if (r->cpu.has_realtime_runtime && r->cpu.realtime_runtime &&
	    cg_write_int(d, "cpu.rt_runtime_us", r->cpu.realtime_runtime, "cpu.realtimeRuntime",
			 e) < 0)
		return -1;
	return 0;
}

/* The kernel clamps cpu.shares to [2, 262144]; runc reads it back and says so. */
static int
cg_v1_shares(const struct cg_dir *d, uint64_t shares, struct err *e)
{
	uint64_t got = 0;

	if (shares == 0)
		return 0;
	if (cg_write_int(d, "cpu.shares", (int64_t)shares, "cpu.shares", e) < 0)
		return -1;
	if (cg_read_u64(d, "cpu.shares", &got) < 0)
		return err_set(e, "read %s/cpu.shares:", d->path);
	errno = ERANGE;
	if (shares > got)
		return err_set(
		    e, "linux.resources.cpu.shares: the maximum allowed cpu-shares is %" PRIu64,
		    got);
	if (shares < got)
		return err_set(
		    e, "linux.resources.cpu.shares: the minimum allowed cpu-shares is %" PRIu64,
		    got);
	return 0;
}

/* A new period may be refused (EINVAL) while the old quota does not fit it:
 * then it goes again after the quota (runc: fs/cpu.go Set). */
static int
cg_v1_quota(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	uint64_t period = r->cpu.has_period ? r->cpu.period : 0;
	int64_t quota = r->cpu.has_quota ? r->cpu.quota : 0;
	bool again = false;

	if (period) {
		if (cg_write_int(d, "cpu.cfs_period_us", (int64_t)period, "cpu.period", e) < 0) {
			if (errno != EINVAL || quota == 0)
				return -1;
			again = true;
		}
	}
	if (quota == 0)
		return 0;
	if (cg_write_int(d, "cpu.cfs_quota_us", quota, "cpu.quota", e) < 0)
		return -1;
	return again ? cg_write_int(d, "cpu.cfs_period_us", (int64_t)period, "cpu.period", e) : 0;
}

static int
cg_v1_cpu(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	if (cg_v1_shares(d, r->cpu.has_shares ? r->cpu.shares : 0, e) < 0 ||
	    cg_v1_quota(d, r, e) < 0 || cg_v1_rt(d, r, e) < 0)
		return -1;
	if (r->cpu.has_burst &&
	    cg_write_int(d, "cpu.cfs_burst_us", (int64_t)r->cpu.burst, "cpu.burst", e) < 0)
		return -1;
	if (r->cpu.has_idle && cg_write_int(d, "cpu.idle", r->cpu.idle, "cpu.idle", e) < 0)
		return -1;
	return 0;
}

static int
cg_v1_cpuset(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	if (r->cpu.cpus && *r->cpu.cpus &&
	    cg_write(d, "cpuset.cpus", r->cpu.cpus, "cpu.cpus", e) < 0)
		return -1;
	if (r->cpu.mems && *r->cpu.mems &&
	    cg_write(d, "cpuset.mems", r->cpu.mems, "cpu.mems", e) < 0)
		return -1;
	return 0;
}

/* ---- pids, blkio, hugetlb, network, rdma -------------------------------- */

/* 0 asks for nothing; any negative value means no limit (runc: fs/pids.go). */
static int
cg_v1_pids(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	if (!r->pids.has_limit || r->pids.limit == 0)
		return 0;
	if (r->pids.limit < 0)
		return cg_write(d, "pids.max", "max", "pids.limit", e);
	return cg_write_int(d, "pids.max", r->pids.limit, "pids.limit", e);
}

static const char *const cg_v1_throttle_files[THROTTLE_KINDS] = {
    "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
    "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device"};
static const char *const cg_throttle_fields[THROTTLE_KINDS] = {
    "blockIO.throttleReadBpsDevice", "blockIO.throttleWriteBpsDevice",
    "blockIO.throttleReadIOPSDevice", "blockIO.throttleWriteIOPSDevice"};

static int
cg_v1_weight_devices(const struct cg_dir *d, const struct spec_resources *r, const char *file,
		     struct err *e)
{
	char buf[96];

	for (size_t i = 0; i < r->blkio.n_weight_device; i++) {
		const struct spec_weight_device *w = &r->blkio.weight_device[i];
		if (w->has_weight && w->weight) {
			snprintf(buf, sizeof(buf), "%lld:%lld %u", (long long)w->major,
				 (long long)w->minor, (unsigned)w->weight);
			if (cg_write(d, file, buf, "blockIO.weightDevice", e) < 0)
				return -1;
		}
		if (w->has_leaf_weight && w->leaf_weight) {
			snprintf(buf, sizeof(buf), "%lld:%lld %u", (long long)w->major,
				 (long long)w->minor, (unsigned)w->leaf_weight);
			if (cg_write(d, "blkio.leaf_weight_device", buf, "blockIO.weightDevice",
				     e) < 0)
				return -1;
		}
	}
	return 0;
}

/* blkio.weight (CFQ) or, on kernels with only BFQ, blkio.bfq.weight (runc:
 * fs/blkio.go detectWeightFilenames). */
static int
cg_v1_blkio(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	bool cfq = cg_has_file(d, "blkio.weight");
	const char *wf = cfq ? "blkio.weight" : "blkio.bfq.weight";
	const char *wdf = cfq ? "blkio.weight_device" : "blkio.bfq.weight_device";
	char buf[96];

	if (r->blkio.has_weight && r->blkio.weight &&
	    cg_write_int(d, wf, r->blkio.weight, "blockIO.weight", e) < 0)
		return -1;
	if (r->blkio.has_leaf_weight && r->blkio.leaf_weight &&
	    cg_write_int(d, "blkio.leaf_weight", r->blkio.leaf_weight, "blockIO.leafWeight", e) < 0)
		return -1;
	if (cg_v1_weight_devices(d, r, wdf, e) < 0)
		return -1;
	for (int k = 0; k < THROTTLE_KINDS; k++)
		for (size_t i = 0; i < r->blkio.n_throttle[k]; i++) {
			const struct spec_throttle_device *t = &r->blkio.throttle[k][i];
			snprintf(buf, sizeof(buf), "%lld:%lld %llu", (long long)t->major,
				 (long long)t->minor, (unsigned long long)t->rate);
			if (cg_write(d, cg_v1_throttle_files[k], buf, cg_throttle_fields[k], e) < 0)
				return -1;
		}
	return 0;
}

static int
cg_v1_hugetlb(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	char file[96];

	for (size_t i = 0; i < r->n_hugepages; i++) {
		snprintf(file, sizeof(file), "hugetlb.%s.limit_in_bytes", r->hugepages[i].pagesize);
		if (cg_write_int(d, file, (int64_t)r->hugepages[i].limit, "hugepageLimits", e) < 0)
			return -1;
	}
	return 0;
}

/* rdma.max takes "DEVICE hca_handle=N hca_object=M" with only the given
 * keys (runc: fscommon/rdma.go); the same file on v1 and v2. */
int
cg_rdma_apply(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	char buf[512];

	for (size_t i = 0; i < r->n_rdma; i++) {
		const struct spec_rdma_limit *l = &r->rdma[i];
		int n = snprintf(buf, sizeof(buf), "%s", l->device);
		if (l->has_hca_handles)
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, " hca_handle=%u",
				      l->hca_handles);
		if (l->has_hca_objects)
			snprintf(buf + n, sizeof(buf) - (size_t)n, " hca_object=%u",
				 l->hca_objects);
		if (cg_write(d, "rdma.max", buf, "rdma", e) < 0)
			return -1;
	}
	return 0;
}

static int
cg_v1_network(const struct cg *cg, const struct spec_resources *r, struct err *e)
{
	const struct cg_dir *cls = cg_find(cg, "net_cls"), *prio = cg_find(cg, "net_prio");
	char buf[128];

	if (cls && r->network.has_class_id && r->network.class_id &&
	    cg_write_int(cls, "net_cls.classid", r->network.class_id, "network.classID", e) < 0)
		return -1;
	for (size_t i = 0; prio && i < r->network.n_priorities; i++) {
		snprintf(buf, sizeof(buf), "%s %u", r->network.priorities[i].name,
			 r->network.priorities[i].priority);
		if (cg_write(prio, "net_prio.ifpriomap", buf, "network.priorities", e) < 0)
			return -1;
	}
	return 0;
}

/* Each controller in runc's subsystem order (fs/fs.go); devices come last,
 * through cgdev_apply(). */
int
cg_v1_apply(const struct cg *cg, const struct spec_resources *r, struct err *e)
{
	const struct cg_dir *d;

	if ((d = cg_find(cg, "cpuset")) && cg_v1_cpuset(d, r, e) < 0)
		return -1;
	if ((d = cg_find(cg, "memory")) && cg_v1_memory(d, r, e) < 0)
		return -1;
	if ((d = cg_find(cg, "cpu")) && cg_v1_cpu(d, r, e) < 0)
		return -1;
	if ((d = cg_find(cg, "pids")) && cg_v1_pids(d, r, e) < 0)
		return -1;
	if ((d = cg_find(cg, "blkio")) && cg_v1_blkio(d, r, e) < 0)
		return -1;
	if ((d = cg_find(cg, "hugetlb")) && cg_v1_hugetlb(d, r, e) < 0)
		return -1;
	if (cg_v1_network(cg, r, e) < 0)
		return -1;
	if ((d = cg_find(cg, "rdma")) && cg_rdma_apply(d, r, e) < 0)
		return -1;
	return 0;
}

/* ---- freezer -------------------------------------------------------------- */

/*
 * Write FROZEN and wait until freezer.state says so; a task that keeps
 * forking can hold it at FREEZING, so the request is repeated now and then
 * (runc: fs/freezer.go Set retries with a thaw in between).
 */
int
cg_v1_freeze(const struct cg_dir *d, bool frozen, struct err *e)
{
	const char *want = frozen ? "FROZEN" : "THAWED";
	char state[32];

	for (int i = 0; i < 2000; i++) {
		struct timespec ts = {0, 100000};

		if (i % 50 == 0 && cg_write(d, "freezer.state", want, NULL, e) < 0)
			return -1;
		if (cg_read(d, "freezer.state", state, sizeof(state)) < 0)
			return err_set(e, "read %s/freezer.state:", d->path);
		if (strcmp(state, want) == 0)
			return 0;
		nanosleep(&ts, NULL);
	}
	if (frozen)
		cg_write(d, "freezer.state", "THAWED", NULL, e);
	return errno = EBUSY,
	       err_set(e, "%s/freezer.state: still %s, not %s", d->path, state, want);
}

int
cg_v1_is_frozen(const struct cg_dir *d)
{
	char state[32];

	if (cg_read(d, "freezer.state", state, sizeof(state)) < 0)
		return -1;
	if (strcmp(state, "THAWED") == 0)
		return 0;
	/* Frozen by a parent's freezer is not paused by us (runc: GetState reads
	 * freezer.self_freezing); FREEZING is on its way to paused. */
	if (strcmp(state, "FROZEN") == 0 &&
	    cg_read(d, "freezer.self_freezing", state, sizeof(state)) == 0)
		return strcmp(state, "1") == 0;
	return 1;
}
