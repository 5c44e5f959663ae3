/*
 * spec_resources.c - linux.resources of config.json (config-linux.md
 * "Control groups"): what the container's cgroup must enforce, into struct
 * spec_resources; the same object alone for `update -r FILE`.
 *
 * runc counterpart: runtime-spec specs-go LinuxResources (the JSON types:
 * a negative number where Go has uint64 is an error there too) and
 * libcontainer/specconv CreateCgroupConfig (device rule defaults: type "a",
 * major/minor -1; an empty access is an error).  Values are stored as given;
 * cgroups.c decides what each means (0 asks for nothing, as in runc).
 * Kernel-memory limits get runc 1.1's warning and are not written (Linux
 * 6.x has no such knob).
 */
#include <errno.h>
#include <string.h>

#include "spec_int.h"

/* ---- Scalars with a presence flag ----------------------------------------- */

/* obj.key as int64 in [min, max], noting presence. */
static int
spec_res_int(struct spec_ctx *c, const struct json_value *obj, const char *key, int64_t min,
	     int64_t max, bool *has, int64_t *out)
{
	const struct json_value *v = spec_member(obj, key);
	size_t old;
	int r;

	if (!v)
		return 0;
	old = spec_path_key(c, key);
	r = spec_int(c, v, min, max, out);
	spec_path_pop(c, old);
	*has = r == 0;
	return r;
}

static int
spec_res_uint(struct spec_ctx *c, const struct json_value *obj, const char *key, uint64_t max,
	      bool *has, uint64_t *out)
{
	const struct json_value *v = spec_member(obj, key);
	size_t old;
	int r;

	if (!v)
		return 0;
	old = spec_path_key(c, key);
	r = spec_uint(c, v, max, out);
	spec_path_pop(c, old);
	*has = r == 0;
	return r;
}

static int
spec_res_u16(struct spec_ctx *c, const struct json_value *obj, const char *key, bool *has,
	     uint16_t *out)
{
	uint64_t x = 0;
	int r = spec_res_uint(c, obj, key, UINT16_MAX, has, &x);

	*out = (uint16_t)x;
	return r;
}

static int
spec_res_u32(struct spec_ctx *c, const struct json_value *obj, const char *key, bool *has,
	     uint32_t *out)
{
	uint64_t x = 0;
	int r = spec_res_uint(c, obj, key, UINT32_MAX, has, &x);

	*out = (uint32_t)x;
	return r;
}

static int
spec_res_bool(struct spec_ctx *c, const struct json_value *obj, const char *key, bool *has,
	      bool *out)
{
	*has = spec_member(obj, key) != NULL;
	return spec_field(c, obj, key, false, spec_bool_cb, out);
}

/* ---- devices ---------------------------------------------------------------- */

static int
spec_rule_access(struct spec_ctx *c, const struct json_value *v, struct spec_device_rule *d)
{
	const char *a = v->u.str.s;

	if (spec_expect(c, v, JSON_STRING))
		return -1;
	/* runc: specconv "device access at %d field cannot be empty". */
	if (v->u.str.len == 0)
		return spec_fail(c, v, "must not be empty");
	if (v->u.str.len > 3 || strspn(a, "rwm") != v->u.str.len)
		return spec_fail(c, v, "\"%.8s\" is not a set of r, w, m", a);
	for (size_t i = 0; i < v->u.str.len; i++)
		if (strchr(a + i + 1, a[i]))
			return spec_fail(c, v, "\"%s\" names '%c' twice", a, a[i]);
	memcpy(d->access, a, v->u.str.len + 1);
	return 0;
}

static int
spec_rule_type(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_device_rule *d = out;

	if (spec_expect(c, v, JSON_STRING))
		return -1;
	if (v->u.str.len != 1 || !strchr("abc", v->u.str.s[0]))
		return spec_fail(c, v, "invalid cgroup device type \"%.8s\" (a, b or c)",
				 v->u.str.s);
	d->type = v->u.str.s[0];
	return 0;
}

static int
spec_rule_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_device_rule *d = out;
	const struct json_value *a;
	bool has = false;
	size_t old;
	int r;

	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	d->type = 'a';
	d->major = d->minor = -1;
	if (spec_field(c, v, "allow", true, spec_bool_cb, &d->allow) ||
	    spec_field(c, v, "type", false, spec_rule_type, d) ||
	    spec_res_int(c, v, "major", -1, INT64_MAX, &has, &d->major) ||
	    spec_res_int(c, v, "minor", -1, INT64_MAX, &has, &d->minor))
		return -1;
	a = spec_member(v, "access");
	if (!a)
		return spec_fail(c, v, "access: required field is missing");
	old = spec_path_key(c, "access");
	r = spec_rule_access(c, a, d);
	spec_path_pop(c, old);
	return r;
}

/* ---- memory, cpu, pids ---------------------------------------------------- */

static int
spec_memory_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_resources *r = out;

	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	if (spec_res_int(c, v, "limit", INT64_MIN, INT64_MAX, &r->memory.has_limit,
			 &r->memory.limit) ||
	    spec_res_int(c, v, "reservation", INT64_MIN, INT64_MAX, &r->memory.has_reservation,
			 &r->memory.reservation) ||
	    spec_res_int(c, v, "swap", INT64_MIN, INT64_MAX, &r->memory.has_swap,
			 &r->memory.swap) ||
	    spec_res_int(c, v, "kernel", INT64_MIN, INT64_MAX, &r->memory.has_kernel,
			 &r->memory.kernel) ||
	    spec_res_int(c, v, "kernelTCP", INT64_MIN, INT64_MAX, &r->memory.has_kernel_tcp,
			 &r->memory.kernel_tcp) ||
	    spec_res_uint(c, v, "swappiness", UINT64_MAX, &r->memory.has_swappiness,
			  &r->memory.swappiness) ||
	    spec_res_bool(c, v, "disableOOMKiller", &r->memory.has_disable_oom_killer,
			  &r->memory.disable_oom_killer) ||
	    spec_res_bool(c, v, "useHierarchy", &r->memory.has_use_hierarchy,
			  &r->memory.use_hierarchy))
		return -1;
	/* Linux 6.x keeps memory.use_hierarchy at 1 and refuses 0. */
	if (r->memory.has_use_hierarchy && !r->memory.use_hierarchy)
		return spec_fail(c, v,
				 "useHierarchy: false is not possible (the kernel always "
				 "uses the hierarchy)");
	/* runc 1.1 specconv: the same words, a warning, nothing written. */
	if (r->memory.has_kernel || r->memory.has_kernel_tcp)
		return spec_warn(c, v, "kernel memory settings are ignored and will be removed");
	return 0;
}

static int
spec_cpu_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_resources *r = out;

	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	return spec_res_uint(c, v, "shares", UINT64_MAX, &r->cpu.has_shares, &r->cpu.shares) ||
		       spec_res_int(c, v, "quota", INT64_MIN, INT64_MAX, &r->cpu.has_quota,
				    &r->cpu.quota) ||
		       spec_res_uint(c, v, "period", UINT64_MAX, &r->cpu.has_period,
				     &r->cpu.period) ||
		       spec_res_int(c, v, "realtimeRuntime", INT64_MIN, INT64_MAX,
				    &r->cpu.has_realtime_runtime, &r->cpu.realtime_runtime) ||
		       spec_res_uint(c, v, "realtimePeriod", UINT64_MAX,
				     &r->cpu.has_realtime_period, &r->cpu.realtime_period) ||
		       spec_res_int(c, v, "idle", INT64_MIN, INT64_MAX, &r->cpu.has_idle,
				    &r->cpu.idle) ||
		       spec_res_uint(c, v, "burst", UINT64_MAX, &r->cpu.has_burst, &r->cpu.burst) ||
		       spec_field(c, v, "cpus", false, spec_str_cb, &r->cpu.cpus) ||
		       spec_field(c, v, "mems", false, spec_str_cb, &r->cpu.mems)
		   ? -1
		   : 0;
}

static int
spec_pids_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_resources *r = out;

	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	if (!spec_member(v, "limit"))
		return spec_fail(c, v, "limit: required field is missing");
	return spec_res_int(c, v, "limit", INT64_MIN, INT64_MAX, &r->pids.has_limit,
			    &r->pids.limit);
}

/* ---- blockIO ------------------------------------------------------------ */

static int
spec_weight_dev_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_weight_device *w = out;
	bool has = false;

	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	if (!spec_member(v, "major") || !spec_member(v, "minor"))
		return spec_fail(c, v, "major and minor are required");
	return spec_res_int(c, v, "major", 0, INT64_MAX, &has, &w->major) ||
		       spec_res_int(c, v, "minor", 0, INT64_MAX, &has, &w->minor) ||
		       spec_res_u16(c, v, "weight", &w->has_weight, &w->weight) ||
		       spec_res_u16(c, v, "leafWeight", &w->has_leaf_weight, &w->leaf_weight)
		   ? -1
		   : 0;
}

static int
spec_throttle_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_throttle_device *t = out;
	bool has = false;

	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	if (!spec_member(v, "major") || !spec_member(v, "minor") || !spec_member(v, "rate"))
		return spec_fail(c, v, "major, minor and rate are required");
	return spec_res_int(c, v, "major", 0, INT64_MAX, &has, &t->major) ||
		       spec_res_int(c, v, "minor", 0, INT64_MAX, &has, &t->minor) ||
		       spec_res_uint(c, v, "rate", UINT64_MAX, &has, &t->rate)
		   ? -1
		   : 0;
}

static int
spec_blkio_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	static const char *const keys[THROTTLE_KINDS] = {
	    "throttleReadBpsDevice", "throttleWriteBpsDevice", "throttleReadIOPSDevice",
	    "throttleWriteIOPSDevice"};
	struct spec_resources *r = out;

	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	if (spec_res_u16(c, v, "weight", &r->blkio.has_weight, &r->blkio.weight) ||
	    spec_res_u16(c, v, "leafWeight", &r->blkio.has_leaf_weight, &r->blkio.leaf_weight) ||
	    spec_field_each(c, v, "weightDevice", sizeof(struct spec_weight_device),
			    spec_weight_dev_cb, (void **)&r->blkio.weight_device,
			    &r->blkio.n_weight_device))
		return -1;
	for (int k = 0; k < THROTTLE_KINDS; k++)
		if (spec_field_each(c, v, keys[k], sizeof(struct spec_throttle_device),
				    spec_throttle_cb, (void **)&r->blkio.throttle[k],
				    &r->blkio.n_throttle[k]))
			return -1;
	return 0;
}

/* ---- hugepages, rdma, network, unified ----------------------------------- */

/* pageSize as the kernel names its hugetlb files: "2MB", "1GB", "64KB". */
static int
spec_hugepage_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_hugepage_limit *h = out;
	const char *p;
	bool has = false;
	size_t n;

	if (spec_expect(c, v, JSON_OBJECT) ||
	    spec_field(c, v, "pageSize", true, spec_nonempty_cb, &h->pagesize) ||
	    spec_res_uint(c, v, "limit", UINT64_MAX, &has, &h->limit))
		return -1;
	if (!has)
		return spec_fail(c, v, "limit: required field is missing");
	p = h->pagesize;
	n = strspn(p, "0123456789");
	if (n == 0 || (strcmp(p + n, "KB") && strcmp(p + n, "MB") && strcmp(p + n, "GB")))
		return spec_fail(c, v, "pageSize \"%.20s\": want a size like 2MB or 1GB", p);
	return 0;
}

static int
spec_rdma_cb(struct spec_ctx *c, const struct json_value *v, struct spec_rdma_limit *l)
{
	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	return spec_res_u32(c, v, "hcaHandles", &l->has_hca_handles, &l->hca_handles) ||
		       spec_res_u32(c, v, "hcaObjects", &l->has_hca_objects, &l->hca_objects)
		   ? -1
		   : 0;
}

static int
spec_rdma_map_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_resources *r = out;
	char q[200];

	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	r->rdma = spec_alloc_array(c, v->u.obj.n, sizeof(*r->rdma));
	if (!r->rdma)
		return -1;
	for (size_t i = 0; i < v->u.obj.n; i++) {
		const struct json_member *m = &v->u.obj.members[i];
		size_t old =
		    spec_path_push(c, "[%s]", spec_quote(q, sizeof(q), m->key, m->key_len));
		int rc = strlen(m->key) != m->key_len || strpbrk(m->key, " \n")
			     ? spec_fail_key(c, m, "not a device name")
			     : spec_rdma_cb(c, m->value, &r->rdma[i]);

		spec_path_pop(c, old);
		if (rc || !(r->rdma[i].device = spec_strndup(c, m->key, m->key_len)))
			return -1;
		r->n_rdma++;
	}
	return 0;
}

static int
spec_prio_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_net_priority *p = out;

	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	return spec_field(c, v, "name", true, spec_nonempty_cb, &p->name) ||
		       spec_field(c, v, "priority", true, spec_u32_cb, &p->priority)
		   ? -1
		   : 0;
}

static int
spec_network_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_resources *r = out;

	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	return spec_res_u32(c, v, "classID", &r->network.has_class_id, &r->network.class_id) ||
		       spec_field_each(c, v, "priorities", sizeof(struct spec_net_priority),
				       spec_prio_cb, (void **)&r->network.priorities,
				       &r->network.n_priorities)
		   ? -1
		   : 0;
}

static int
spec_unified_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_resources *r = out;

	return spec_map(c, v, &r->unified, &r->n_unified);
}

/* ---- The object --------------------------------------------------------- */

/* Every member of one LinuxResources object into r. */
static int
spec_resources_obj(struct spec_ctx *c, const struct json_value *v, struct spec_resources *r)
{
	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	r->present = true;
	return spec_field_each(c, v, "devices", sizeof(struct spec_device_rule), spec_rule_cb,
			       (void **)&r->devices, &r->n_devices) ||
		       spec_field(c, v, "memory", false, spec_memory_cb, r) ||
		       spec_field(c, v, "cpu", false, spec_cpu_cb, r) ||
		       spec_field(c, v, "pids", false, spec_pids_cb, r) ||
		       spec_field(c, v, "blockIO", false, spec_blkio_cb, r) ||
		       spec_field_each(c, v, "hugepageLimits", sizeof(struct spec_hugepage_limit),
				       spec_hugepage_cb, (void **)&r->hugepages, &r->n_hugepages) ||
		       spec_field(c, v, "rdma", false, spec_rdma_map_cb, r) ||
		       spec_field(c, v, "network", false, spec_network_cb, r) ||
		       spec_field(c, v, "unified", false, spec_unified_cb, r)
		   ? -1
		   : 0;
}

int
spec_resources_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec *s = out;

	return spec_resources_obj(c, v, &s->resources);
}

/* `update -r FILE`: the object alone, paths in messages from its members. */
int
spec_resources_doc(struct spec_ctx *c, const struct json_value *v, struct spec_resources *r)
{
	memset(r, 0, sizeof(*r));
	return spec_resources_obj(c, v, r);
}
