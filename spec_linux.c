/*
 * spec_linux.c - the "linux" section of config.json (config-linux.md):
 * namespaces, uid/gid mappings, devices, rootfs propagation, sysctl,
 * cgroupsPath, and the hand-off to the resources and seccomp parsers.
 *
 * runc counterpart: runtime-spec specs-go config.go (type Linux) and
 * libcontainer/specconv (createDevices, namespace and propagation tables).
 * Left out: intelRdt and mountLabel are only noted, so that the runtime can
 * refuse them (fail closed, SECURITY.md); personality, timeOffsets.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "spec_int.h"

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* config-linux.md "Namespaces": the type names and their clone(2) flags. */
static const struct {
	const char *name;
	int flag;
} spec_ns_table[] = {
    {"pid", CLONE_NEWPID},	 {"network", CLONE_NEWNET}, {"mount", CLONE_NEWNS},
    {"ipc", CLONE_NEWIPC},	 {"uts", CLONE_NEWUTS},	    {"user", CLONE_NEWUSER},
    {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

#define SPEC_N_NS (sizeof(spec_ns_table) / sizeof(spec_ns_table[0]))

static int
spec_ns_index(const char *type)
{
	size_t i;

	for (i = 0; i < SPEC_N_NS; i++)
		if (strcmp(type, spec_ns_table[i].name) == 0)
			return (int)i;
	return -1;
}

int
spec_ns_flag(const char *type)
{
	int i = spec_ns_index(type);

	return i < 0 ? 0 : spec_ns_table[i].flag;
}

/* intelRdt: only its presence matters (the runtime refuses it). */
static int
spec_present_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	*(bool *)out = true;
	return 0;
}

static int
spec_sysctl_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec *s = out;

	return spec_map(c, v, &s->sysctl, &s->n_sysctl);
}

static int
spec_ns_type_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_namespace *ns = out;
	const char *type;
	char q[200];
	int i;

	if (spec_str_cb(c, v, &type))
		return -1;
	i = spec_ns_index(type);
	if (i < 0)
		return spec_fail(c, v, "unknown namespace type %s",
				 spec_quote(q, sizeof(q), type, strlen(type)));
	if (c->seen & ((uint64_t)1 << i))
		return spec_fail(c, v, "duplicate namespace type %s",
				 spec_quote(q, sizeof(q), type, strlen(type)));
	c->seen |= (uint64_t)1 << i;
	ns->type = spec_ns_table[i].name;
	ns->flag = spec_ns_table[i].flag;
	return 0;
}

/* path: "" is a new namespace, as in runc; otherwise config-linux.md says it
 * MUST be an absolute path in the runtime's mount namespace. */
static int
spec_ns_path_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	if (spec_label_cb(c, v, out))
		return -1;
	if (*(char **)out && **(char **)out != '/')
		return spec_fail(c, v, "must be an absolute path");
	return 0;
}

static int
spec_ns_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_namespace *ns = out;

	if (spec_expect(c, v, JSON_OBJECT) || spec_field(c, v, "type", true, spec_ns_type_cb, ns) ||
	    spec_field(c, v, "path", false, spec_ns_path_cb, &ns->path))
		return -1;
	return 0;
}

static int
spec_idmap_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_idmap *m = out;

	if (spec_expect(c, v, JSON_OBJECT) ||
	    spec_field(c, v, "containerID", true, spec_u32_cb, &m->container_id) ||
	    spec_field(c, v, "hostID", true, spec_u32_cb, &m->host_id) ||
	    spec_field(c, v, "size", true, spec_u32_pos_cb, &m->size))
		return -1;
	return 0;
}

/* user_namespaces(7): a map has at most 340 lines (Linux 4.15). */
#define SPEC_IDMAP_MAX 340

/* The kernel refuses a range whose first id is 4294967295 or whose end wraps
 * (kernel/user_namespace.c map_write): first + size must stay <= UINT32_MAX. */
static bool
spec_idmap_fits(uint32_t first, uint32_t size)
{
	return (uint64_t)first + size <= UINT32_MAX;
}

static bool
spec_ranges_overlap(uint32_t a, uint32_t na, uint32_t b, uint32_t nb)
{
	return (uint64_t)a < (uint64_t)b + nb && (uint64_t)b < (uint64_t)a + na;
}

/* Mapping k against the ones before it: no range may wrap, and neither the
 * container ranges nor the host ranges may overlap (map_write: mappings_overlap). */
static int
spec_idmap_check_one(struct spec_ctx *c, const struct json_value *v, const struct spec_idmap *m,
		     size_t k)
{
	const struct spec_idmap *x = &m[k];

	if (!spec_idmap_fits(x->container_id, x->size))
		return spec_fail(c, v,
				 "containerID %" PRIu32 " + size %" PRIu32 " passes 4294967295",
				 x->container_id, x->size);
	if (!spec_idmap_fits(x->host_id, x->size))
		return spec_fail(c, v, "hostID %" PRIu32 " + size %" PRIu32 " passes 4294967295",
				 x->host_id, x->size);
	for (size_t i = 0; i < k; i++) {
		if (spec_ranges_overlap(x->container_id, x->size, m[i].container_id, m[i].size))
			return spec_fail(c, v, "container ids overlap those of [%zu]", i);
		if (spec_ranges_overlap(x->host_id, x->size, m[i].host_id, m[i].size))
			return spec_fail(c, v, "host ids overlap those of [%zu]", i);
	}
	return 0;
}

int
spec_idmap_list(struct spec_ctx *c, const struct json_value *obj, const char *key,
		struct spec_idmap **out, size_t *n)
{
	const struct json_value *arr = spec_member(obj, key);
	size_t old;
	void *list;
	int r = 0;

	if (spec_field_each(c, obj, key, sizeof(**out), spec_idmap_cb, &list, n))
		return -1;
	*out = list;
	if (!arr)
		return 0;
	old = spec_path_key(c, key);
	if (*n > SPEC_IDMAP_MAX)
		r = spec_fail(c, arr, "%zu mappings, the kernel takes at most %d", *n,
			      SPEC_IDMAP_MAX);
	for (size_t k = 0; k < *n && r == 0; k++) {
		size_t o = spec_path_push(c, "[%zu]", k);
		r = spec_idmap_check_one(c, arr->u.arr.items[k], *out, k);
		spec_path_pop(c, o);
	}
	spec_path_pop(c, old);
	return r;
}

static int
spec_dev_type_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	const char *t;
	char q[200];

	if (spec_str_cb(c, v, &t))
		return -1;
	if (strlen(t) != 1 || !strchr("cbup", t[0]))
		return spec_fail(c, v, "unknown device type %s (want c, b, u or p)",
				 spec_quote(q, sizeof(q), t, strlen(t)));
	*(char *)out = t[0];
	return 0;
}

/* The kernel keeps 12 bits of major and 20 of minor (linux/kdev_t.h MINORBITS). */
static int
spec_major_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	return spec_int(c, v, 0, 4095, out);
}

static int
spec_minor_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	return spec_int(c, v, 0, (1 << 20) - 1, out);
}

static int
spec_file_mode_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_device *d = out;
	uint64_t x;

	if (spec_uint(c, v, 07777, &x))
		return -1;
	d->has_file_mode = true;
	d->file_mode = (mode_t)x;
	return 0;
}

static int
spec_device_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec_device *d = out;
	bool numbered;

	if (spec_expect(c, v, JSON_OBJECT) ||
	    spec_field(c, v, "type", true, spec_dev_type_cb, &d->type) ||
	    spec_field(c, v, "path", true, spec_abs_cb, &d->path))
		return -1;
	numbered = d->type != 'p'; /* a fifo has no device numbers */
	if (spec_field(c, v, "major", numbered, spec_major_cb, &d->major) ||
	    spec_field(c, v, "minor", numbered, spec_minor_cb, &d->minor) ||
	    spec_field(c, v, "fileMode", false, spec_file_mode_cb, d) ||
	    spec_field(c, v, "uid", false, spec_u32_cb, &d->uid) ||
	    spec_field(c, v, "gid", false, spec_u32_cb, &d->gid))
		return -1;
	d->has_uid = spec_member(v, "uid") != NULL;
	d->has_gid = spec_member(v, "gid") != NULL;
	return 0;
}

/* runc 1.1 specconv mountPropagationMapping: the accepted names. */
static int
spec_propagation_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	static const char *const ok[] = {"shared",  "slave",  "private",  "unbindable",
					 "rshared", "rslave", "rprivate", "runbindable"};
	const char *p;
	char q[200];
	size_t i;

	if (spec_label_cb(c, v, out))
		return -1;
	p = *(const char **)out;
	for (i = 0; p && i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(p, ok[i]) == 0)
			return 0;
	if (!p)
		return 0;
	return spec_fail(c, v, "unknown propagation %s", spec_quote(q, sizeof(q), p, strlen(p)));
}

static int
spec_linux_lists(struct spec_ctx *c, const struct json_value *v, struct spec *s)
{
	void *ns, *dev, *mp, *rp;

	c->seen = 0;
	if (spec_field_each(c, v, "namespaces", sizeof(*s->namespaces), spec_ns_cb, &ns,
			    &s->n_namespaces) ||
	    spec_idmap_list(c, v, "uidMappings", &s->uid_mappings, &s->n_uid_mappings) ||
	    spec_idmap_list(c, v, "gidMappings", &s->gid_mappings, &s->n_gid_mappings) ||
	    spec_field_each(c, v, "devices", sizeof(*s->devices), spec_device_cb, &dev,
			    &s->n_devices) ||
	    spec_field_each(c, v, "maskedPaths", sizeof(char *), spec_abs_cb, &mp,
			    &s->n_masked_paths) ||
	    spec_field_each(c, v, "readonlyPaths", sizeof(char *), spec_abs_cb, &rp,
			    &s->n_readonly_paths))
		return -1;
	s->namespaces = ns;
	s->devices = dev;
	s->masked_paths = mp;
	s->readonly_paths = rp;
	return 0;
}

static bool
spec_maps_root(const struct spec_idmap *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].container_id == 0)
			return true;
	return false;
}

/* runc specconv setupUserNamespace / HostRootUID: a user namespace, new or by
 * path, needs both lists, and both must map the container's root. */
static int
spec_userns_check(struct spec_ctx *c, const struct json_value *v, const struct spec *s)
{
	const char *key = NULL, *why = NULL;
	bool user = false;
	size_t old;
	int r;

	for (size_t i = 0; i < s->n_namespaces; i++)
		user = user || s->namespaces[i].flag == CLONE_NEWUSER;
	if (!user)
		return 0;
	if (!s->n_uid_mappings || !s->n_gid_mappings) {
		key = s->n_uid_mappings ? "gidMappings" : "uidMappings";
		why = "required with a user namespace (runc: \"no mappings found\")";
	} else if (!spec_maps_root(s->uid_mappings, s->n_uid_mappings)) {
		key = "uidMappings";
		why = "container uid 0 is not mapped (runc: \"no user mapping found\")";
	} else if (!spec_maps_root(s->gid_mappings, s->n_gid_mappings)) {
		key = "gidMappings";
		why = "container gid 0 is not mapped (runc: \"no group mapping found\")";
	}
	if (!key)
		return 0;
	old = spec_path_key(c, key);
	r = spec_fail(c, spec_member(v, key) ? spec_member(v, key) : v, "%s", why);
	spec_path_pop(c, old);
	return r;
}

int
spec_linux_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec *s = out;
	const char *label = NULL;

	if (spec_expect(c, v, JSON_OBJECT) || spec_linux_lists(c, v, s) ||
	    spec_userns_check(c, v, s) ||
	    spec_field(c, v, "rootfsPropagation", false, spec_propagation_cb,
		       &s->rootfs_propagation) ||
	    spec_field(c, v, "sysctl", false, spec_sysctl_cb, s) ||
	    spec_field(c, v, "cgroupsPath", false, spec_label_cb, &s->cgroups_path) ||
	    spec_field(c, v, "resources", false, spec_resources_cb, s) ||
	    spec_field(c, v, "seccomp", false, spec_seccomp_cb, s) ||
	    spec_field(c, v, "intelRdt", false, spec_present_cb, &s->has_intel_rdt) ||
	    spec_field(c, v, "mountLabel", false, spec_label_cb, &label))
		return -1;
	s->has_mount_label = label != NULL;
	return 0;
}
