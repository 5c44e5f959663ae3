/*
 * cgroup_v2.c - linux.resources written into the one cgroup v2 directory,
 * with runc's conversions from the v1 numbers the OCI spec uses; the v2
 * freezer (cgroup.freeze, waiting for cgroup.events "frozen 1").
 *
 * runc counterpart: libcontainer/cgroups/fs2/{memory,cpu,cpuset,io,pids,
 * hugetlb,freezer}.go, fs2.go setUnified, fscommon/rdma.go.
 * Where runc 1.1 quietly ignores a v1-only field on v2 (swappiness,
 * disableOOMKiller, realtime cpu, blkio leafWeight, net_cls/net_prio), minirunc
 * refuses it up front, naming the field (fail closed: README, "Differences").
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgroup_int.h"

/* ---- Checked before anything is made ------------------------------------ */

static int
cg_v2_refuse(const char *field, const char *why, struct err *e)
{
	errno = ENOTSUP;
	return err_set(e, "config.json: linux.resources.%s: %s on cgroup v2", field, why);
}

/* The controllers the root hands down (runc: needAnyControllers reads the
 * same file); a resource whose controller is not there is refused. */
static int
cg_v2_need(const char *ctrls, bool wanted, const char *ctrl, const char *field, struct err *e)
{
	char word[32];
	size_t n = strlen(ctrl);

	if (!wanted)
		return 0;
	for (const char *p = ctrls; (p = strstr(p, ctrl)); p += n)
		if ((p == ctrls || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
			return 0;
	snprintf(word, sizeof(word), "%s", ctrl);
	errno = ENOTSUP;
	return err_set(e, "config.json: linux.resources.%s: this host has no %s cgroup controller",
		       field, word);
}

/* unified keys are file names CONTROLLER.PARAMETER of an available controller
 * (runc: setUnified checks the same after a failed write). */
static int
cg_v2_check_unified(const struct spec_resources *r, const char *ctrls, struct err *e)
{
	for (size_t i = 0; i < r->n_unified; i++) {
		const char *k = r->unified[i].key, *dot = strchr(k, '.');
		char ctrl[64];

		errno = EINVAL;
		if (strchr(k, '/') || !dot || dot == k || strcmp(k, ".") == 0)
			return err_set(
			    e,
			    "config.json: linux.resources.unified[\"%s\"]: must be a file "
			    "name CONTROLLER.PARAMETER",
			    k);
		snprintf(ctrl, sizeof(ctrl), "%.*s", (int)(dot - k), k);
		if (strcmp(ctrl, "cgroup") != 0 && cg_v2_need(ctrls, true, ctrl, "unified", e) < 0)
			return -1;
	}
	return 0;
}

static int
cg_v2_check_v1_only(const struct spec_resources *r, struct err *e)
{
	if (r->memory.has_swappiness && r->memory.swappiness != UINT64_MAX)
		return cg_v2_refuse("memory.swappiness", "no such knob", e);
	if (r->memory.has_disable_oom_killer && r->memory.disable_oom_killer)
		return cg_v2_refuse("memory.disableOOMKiller", "the OOM killer cannot be disabled",
				    e);
	if ((r->cpu.has_realtime_runtime && r->cpu.realtime_runtime) ||
	    (r->cpu.has_realtime_period && r->cpu.realtime_period))
		return cg_v2_refuse("cpu.realtimeRuntime/realtimePeriod",
				    "no realtime group "
				    "scheduling",
				    e);
	if (r->blkio.has_leaf_weight && r->blkio.leaf_weight)
		return cg_v2_refuse("blockIO.leafWeight", "no leaf weights", e);
	for (size_t i = 0; i < r->blkio.n_weight_device; i++)
		if (r->blkio.weight_device[i].has_leaf_weight &&
		    r->blkio.weight_device[i].leaf_weight)
			return cg_v2_refuse("blockIO.weightDevice.leafWeight", "no leaf weights",
					    e);
	if ((r->network.has_class_id && r->network.class_id) || r->network.n_priorities)
		return cg_v2_refuse("network", "no net_cls/net_prio controllers", e);
	return 0;
}

int
cg_v2_check(const struct spec_resources *r, struct err *e)
{
	char *ctrls;
	size_t len;
	int64_t swap;
	int rc;

	if (cg_v2_check_v1_only(r, e) < 0)
		return -1;
	if (cg_swap_to_v2(r->memory.has_swap ? r->memory.swap : 0,
			  r->memory.has_limit ? r->memory.limit : 0, &swap) < 0)
		return errno = EINVAL,
		       err_set(e, "config.json: linux.resources.memory.swap: %s",
			       r->memory.has_limit && r->memory.limit > 0
				   ? "memory+swap limit should be >= memory limit"
				   : "unable to set swap limit without memory limit");
	ctrls = read_file("/sys/fs/cgroup/cgroup.controllers", 1 << 12, &len);
	if (!ctrls)
		return err_set(e, "read /sys/fs/cgroup/cgroup.controllers:");
	rc = cg_v2_need(ctrls,
			(r->memory.has_limit && r->memory.limit) ||
			    (r->memory.has_reservation && r->memory.reservation) ||
			    (r->memory.has_swap && r->memory.swap),
			"memory", "memory", e);
	if (rc == 0)
		rc = cg_v2_need(
		    ctrls,
		    (r->cpu.has_shares && r->cpu.shares) || (r->cpu.has_quota && r->cpu.quota) ||
			(r->cpu.has_period && r->cpu.period) || (r->cpu.has_idle && r->cpu.idle) ||
			(r->cpu.has_burst && r->cpu.burst),
		    "cpu", "cpu", e);
	if (rc == 0)
		rc = cg_v2_need(ctrls,
				(r->cpu.cpus && *r->cpu.cpus) || (r->cpu.mems && *r->cpu.mems),
				"cpuset", "cpu.cpus/mems", e);
	if (rc == 0)
		rc = cg_v2_need(ctrls, r->pids.has_limit && r->pids.limit > 0, "pids", "pids", e);
	if (rc == 0)
		rc = cg_v2_need(ctrls,
				(r->blkio.has_weight && r->blkio.weight) ||
				    r->blkio.n_weight_device || r->blkio.n_throttle[0] ||
				    r->blkio.n_throttle[1] || r->blkio.n_throttle[2] ||
				    r->blkio.n_throttle[3],
				"io", "blockIO", e);
	if (rc == 0)
		rc = cg_v2_need(ctrls, r->n_hugepages, "hugetlb", "hugepageLimits", e);
	if (rc == 0)
		rc = cg_v2_need(ctrls, r->n_rdma, "rdma", "rdma", e);
	if (rc == 0)
		rc = cg_v2_check_unified(r, ctrls, e);
	free(ctrls);
	return rc;
}

/* ---- Writing ------------------------------------------------------------- */

/* runc's numToStr: 0 = leave alone, -1 = "max". */
static int
cg_v2_num(const struct cg_dir *d, const char *file, int64_t v, const char *field, struct err *e)
{
	if (v == 0)
		return 0;
	if (v == -1)
		return cg_write(d, file, "max", field, e);
	return cg_write_int(d, file, v, field, e);
}

/* Swap first: memory.swap.max is separate from memory.max on v2, so the order
 * does not matter for the kernel; runc writes swap, max, low. */
static int
cg_v2_memory(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	int64_t mem = r->memory.has_limit ? r->memory.limit : 0;
	int64_t swap_in = r->memory.has_swap ? r->memory.swap : 0, swap;

	if (mem == 0 && swap_in == 0 && !(r->memory.has_reservation && r->memory.reservation))
		return 0;
	if (cg_swap_to_v2(swap_in, mem, &swap) < 0)
		return errno = EINVAL,
		       err_set(e, "linux.resources.memory.swap: memory+swap limit should be >= "
				  "memory limit");
	/* A swap equal to the limit means "no swap": 0, written (runc: setMemory). */
	if (swap == 0 && swap_in > 0) {
		if (cg_write(d, "memory.swap.max", "0", "memory.swap", e) < 0)
			return -1;
	} else if (cg_v2_num(d, "memory.swap.max", swap, "memory.swap", e) < 0) {
		return -1;
	}
	if (cg_v2_num(d, "memory.max", mem, "memory.limit", e) < 0)
		return -1;
	return cg_v2_num(d, "memory.low", r->memory.has_reservation ? r->memory.reservation : 0,
			 "memory.reservation", e);
}

/* cpu.weight from shares; cpu.max "QUOTA|max PERIOD" (runc: fs2/cpu.go). */
static int
cg_v2_cpu(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	uint64_t weight = cg_shares_to_weight(r->cpu.has_shares ? r->cpu.shares : 0);
	int64_t quota = r->cpu.has_quota ? r->cpu.quota : 0;
	uint64_t period = r->cpu.has_period ? r->cpu.period : 0;
	char buf[64];

	if (weight && cg_write_int(d, "cpu.weight", (int64_t)weight, "cpu.shares", e) < 0)
		return -1;
	if (quota || period) {
		int n = quota > 0 ? snprintf(buf, sizeof(buf), "%lld", (long long)quota)
				  : snprintf(buf, sizeof(buf), "max");
		snprintf(buf + n, sizeof(buf) - (size_t)n, " %llu",
			 (unsigned long long)(period ? period : 100000));
		if (cg_write(d, "cpu.max", buf, "cpu.quota", e) < 0)
			return -1;
	}
	if (r->cpu.has_burst &&
	    cg_write_int(d, "cpu.max.burst", (int64_t)r->cpu.burst, "cpu.burst", e) < 0)
		return -1;
	if (r->cpu.has_idle && cg_write_int(d, "cpu.idle", r->cpu.idle, "cpu.idle", e) < 0)
		return -1;
	return 0;
}

static int
cg_v2_cpuset(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	if (r->cpu.cpus && *r->cpu.cpus &&
	    cg_write(d, "cpuset.cpus", r->cpu.cpus, "cpu.cpus", e) < 0)
		return -1;
	if (r->cpu.mems && *r->cpu.mems &&
	    cg_write(d, "cpuset.mems", r->cpu.mems, "cpu.mems", e) < 0)
		return -1;
	return 0;
}

static const char *const cg_v2_throttle_keys[THROTTLE_KINDS] = {"rbps", "wbps", "riops", "wiops"};

/* BFQ takes the blkio weight as is (and per device when its file shows a
 * "default N" table); without BFQ, io.weight gets the converted value (runc:
 * fs2/io.go). */
static int
cg_v2_io_weight(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	bool bfq = cg_has_file(d, "io.bfq.weight");
	char buf[96], cur[256];

	if (r->blkio.has_weight && r->blkio.weight) {
		if (bfq ? cg_write_int(d, "io.bfq.weight", r->blkio.weight, "blockIO.weight", e)
			: cg_write_int(d, "io.weight",
				       (int64_t)cg_blkio_to_io_weight(r->blkio.weight),
				       "blockIO.weight", e))
			return -1;
	}
	if (r->blkio.n_weight_device == 0)
		return 0;
	if (!bfq || cg_read(d, "io.bfq.weight", cur, sizeof(cur)) < 0 || !strchr(cur, ' '))
		return errno = ENOTSUP,
		       err_set(e, "linux.resources.blockIO.weightDevice: needs the BFQ scheduler's "
				  "per-device io.bfq.weight");
	for (size_t i = 0; i < r->blkio.n_weight_device; i++) {
		const struct spec_weight_device *w = &r->blkio.weight_device[i];
		if (!w->has_weight || !w->weight)
			continue;
		snprintf(buf, sizeof(buf), "%lld:%lld %u", (long long)w->major, (long long)w->minor,
			 (unsigned)w->weight);
		if (cg_write(d, "io.bfq.weight", buf, "blockIO.weightDevice", e) < 0)
			return -1;
	}
	return 0;
}

static int
cg_v2_io(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	char buf[128];

	if (cg_v2_io_weight(d, r, e) < 0)
		return -1;
	for (int k = 0; k < THROTTLE_KINDS; k++)
		for (size_t i = 0; i < r->blkio.n_throttle[k]; i++) {
			const struct spec_throttle_device *t = &r->blkio.throttle[k][i];
			snprintf(buf, sizeof(buf), "%lld:%lld %s=%llu", (long long)t->major,
				 (long long)t->minor, cg_v2_throttle_keys[k],
				 (unsigned long long)t->rate);
			if (cg_write(d, "io.max", buf, "blockIO", e) < 0)
				return -1;
		}
	return 0;
}

static int
cg_v2_hugetlb(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	char file[96];

	for (size_t i = 0; i < r->n_hugepages; i++) {
		snprintf(file, sizeof(file), "hugetlb.%s.max", r->hugepages[i].pagesize);
		if (cg_write_int(d, file, (int64_t)r->hugepages[i].limit, "hugepageLimits", e) < 0)
			return -1;
	}
	return 0;
}

static int
cg_v2_unified(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	char field[320];

	for (size_t i = 0; i < r->n_unified; i++) {
		snprintf(field, sizeof(field), "unified[\"%s\"]", r->unified[i].key);
		if (cg_write(d, r->unified[i].key, r->unified[i].value, field, e) < 0)
			return -1;
	}
	return 0;
}

/* runc's order (fs2.go Set): pids, memory, io, cpu, (devices), cpuset,
 * hugetlb, rdma, unified last so that it wins. */
int
cg_v2_apply(const struct cg_dir *d, const struct spec_resources *r, struct err *e)
{
	if (r->pids.has_limit && cg_v2_num(d, "pids.max", r->pids.limit, "pids.limit", e) < 0)
		return -1;
	if (cg_v2_memory(d, r, e) < 0 || cg_v2_io(d, r, e) < 0 || cg_v2_cpu(d, r, e) < 0 ||
	    cg_v2_cpuset(d, r, e) < 0 || cg_v2_hugetlb(d, r, e) < 0 || cg_rdma_apply(d, r, e) < 0 ||
	    cg_v2_unified(d, r, e) < 0)
		return -1;
	return 0;
}

/* ---- freezer -------------------------------------------------------------- */

/* "frozen 1" in cgroup.events (cgroup-v2.rst: it is updated once every task
 * has stopped); -1 when unreadable. */
static int
cg_v2_events_frozen(const struct cg_dir *d)
{
	char buf[256], *p;

	if (cg_read(d, "cgroup.events", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "frozen ");
	return p ? p[7] == '1' : -1;
}

int
cg_v2_freeze(const struct cg_dir *d, bool frozen, struct err *e)
{
	int st = -1;

	if (!cg_has_file(d, "cgroup.freeze"))
		return errno = ENOTSUP,
		       err_set(e, "%s: no cgroup.freeze (the freezer needs Linux 5.2)", d->path);
	if (cg_write(d, "cgroup.freeze", frozen ? "1" : "0", NULL, e) < 0)
		return -1;
	/* runc: fs2/freezer.go waitFrozen, 10 ms naps up to 10 s. */
	for (int i = 0; i < 10000; i++) {
		struct timespec ts = {0, 1000000};

		st = cg_v2_events_frozen(d);
		if (st == (frozen ? 1 : 0) || st < 0)
			break;
		nanosleep(&ts, NULL);
	}
	if (st == (frozen ? 1 : 0))
		return 0;
	if (frozen)
		cg_write(d, "cgroup.freeze", "0", NULL, e);
	return errno = ETIMEDOUT,
	       err_set(e, "%s: the cgroup did not %s", d->path, frozen ? "freeze" : "thaw");
}

int
cg_v2_is_frozen(const struct cg_dir *d)
{
	char buf[8];

	if (cg_read(d, "cgroup.freeze", buf, sizeof(buf)) < 0)
		return -1;
	return buf[0] == '1';
}
