/*
 * spec_default.c - `minirunc spec` and `minirunc spec --rootless`: the same
 * document runc writes (key order, tabs, its default mounts, capabilities,
 * masked and read-only paths), through json_write.c.
 *
 * runc counterpart: runc 1.1 spec.go and libcontainer/specconv Example() and
 * ToRootless().
 *
 * Left out: nothing of runc's; spec.bats compares the output with runc's key by
 * key, and userns.bats the --rootless one.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "spec.h"
#include "spec_int.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>

/* ---------------------------------------------------------------------- */
/* `minirunc spec`: the same document as `runc spec` (runc 1.1 spec.go and   */
/* libcontainer/specconv Example()), written with tabs like runc's.         */

static void
spec_write_strv(struct json_writer *w, const char *key, const char *const *v)
{
	json_write_key(w, key);
	json_write_array_begin(w);
	for (; *v; v++)
		json_write_string(w, *v);
	json_write_array_end(w);
}

static void
spec_default_process(struct json_writer *w)
{
	static const char *const args[] = {"sh", NULL};
	static const char *const env[] = {
	    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm",
	    NULL};
	static const char *const caps[] = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE",
					   NULL};
	static const char *const sets[] = {"bounding", "effective", "permitted", "ambient", NULL};
	const char *const *set;

	json_write_key(w, "process");
	json_write_object_begin(w);
	json_write_key(w, "terminal");
	json_write_bool(w, 1);
	json_write_key(w, "user");
	json_write_object_begin(w);
	json_write_key(w, "uid");
	json_write_int(w, 0);
	json_write_key(w, "gid");
	json_write_int(w, 0);
	json_write_object_end(w);
	spec_write_strv(w, "args", args);
	spec_write_strv(w, "env", env);
	json_write_key(w, "cwd");
	json_write_string(w, "/");
	json_write_key(w, "capabilities");
	json_write_object_begin(w);
	for (set = sets; *set; set++)
		spec_write_strv(w, *set, caps);
	json_write_object_end(w);
	json_write_key(w, "rlimits");
	json_write_array_begin(w);
	json_write_object_begin(w);
	json_write_key(w, "type");
	json_write_string(w, "RLIMIT_NOFILE");
	json_write_key(w, "hard");
	json_write_uint(w, 1024);
	json_write_key(w, "soft");
	json_write_uint(w, 1024);
	json_write_object_end(w);
	json_write_array_end(w);
	json_write_key(w, "noNewPrivileges");
	json_write_bool(w, 1);
	json_write_object_end(w);
}

static const struct {
	const char *destination, *type, *source;
	const char *options[7];
} spec_default_mounts[] = {
    {"/proc", "proc", "proc", {NULL}},
    {"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k", NULL}},
    {"/dev/pts",
     "devpts",
     "devpts",
     {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL}},
    {"/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL}},
    {"/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev", NULL}},
    {"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro", NULL}},
    {"/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro", NULL}},
};

/* runc specconv ToRootless: /sys becomes a recursive bind of the host's (sysfs
 * cannot be mounted without a network namespace of one's own), and uid=/gid=
 * options go (the ids would not map). */
static const char *const spec_rootless_sys[] = {"rbind", "nosuid", "noexec", "nodev", "ro", NULL};

static void
spec_default_mounts_write(struct json_writer *w, bool rootless)
{
	size_t i;

	json_write_key(w, "mounts");
	json_write_array_begin(w);
	for (i = 0; i < sizeof(spec_default_mounts) / sizeof(spec_default_mounts[0]); i++) {
		bool sys = rootless && strcmp(spec_default_mounts[i].destination, "/sys") == 0;
		const char *opts[8];
		size_t k = 0;

		for (const char *const *o = spec_default_mounts[i].options; *o; o++)
			if (!rootless ||
			    (strncmp(*o, "gid=", 4) != 0 && strncmp(*o, "uid=", 4) != 0))
				opts[k++] = *o;
		opts[k] = NULL;
		json_write_object_begin(w);
		json_write_key(w, "destination");
		json_write_string(w, spec_default_mounts[i].destination);
		json_write_key(w, "type");
		json_write_string(w, sys ? "none" : spec_default_mounts[i].type);
		json_write_key(w, "source");
		json_write_string(w, sys ? "/sys" : spec_default_mounts[i].source);
		/* Go's omitempty: /proc has no "options" key at all. */
		if (opts[0])
			spec_write_strv(w, "options", sys ? spec_rootless_sys : opts);
		json_write_object_end(w);
	}
	json_write_array_end(w);
}

/* "uidMappings": [{"containerID": 0, "hostID": id, "size": 1}] */
static void
spec_default_idmap(struct json_writer *w, const char *key, uint32_t id)
{
	json_write_key(w, key);
	json_write_array_begin(w);
	json_write_object_begin(w);
	json_write_key(w, "containerID");
	json_write_uint(w, 0);
	json_write_key(w, "hostID");
	json_write_uint(w, id);
	json_write_key(w, "size");
	json_write_uint(w, 1);
	json_write_object_end(w);
	json_write_array_end(w);
}

static void
spec_default_linux(struct json_writer *w, const uint32_t *rootless_ids)
{
	static const char *const ns[] = {"pid", "network", "ipc", "uts", "mount", NULL};
	/* ToRootless: no network namespace (it could only have lo), a user one last. */
	static const char *const ns_rootless[] = {"pid", "ipc", "uts", "mount", "user", NULL};
	static const char *const masked[] = {"/proc/acpi",
					     "/proc/asound",
					     "/proc/kcore",
					     "/proc/keys",
					     "/proc/latency_stats",
					     "/proc/timer_list",
					     "/proc/timer_stats",
					     "/proc/sched_debug",
					     "/sys/firmware",
					     "/proc/scsi",
					     NULL};
	static const char *const ro[] = {
	    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL};
	const char *const *p;

	json_write_key(w, "linux");
	json_write_object_begin(w);
	if (rootless_ids) {
		/* The caller's own ids, the one mapping it may write itself; no cgroup
		 * resources (ToRootless drops them). */
		spec_default_idmap(w, "uidMappings", rootless_ids[0]);
		spec_default_idmap(w, "gidMappings", rootless_ids[1]);
	}
	if (!rootless_ids) {
		json_write_key(w, "resources");
		json_write_object_begin(w);
		json_write_key(w, "devices");
		json_write_array_begin(w);
		json_write_object_begin(w);
		json_write_key(w, "allow");
		json_write_bool(w, 0);
		json_write_key(w, "access");
		json_write_string(w, "rwm");
		json_write_object_end(w);
		json_write_array_end(w);
		json_write_object_end(w);
	}
	json_write_key(w, "namespaces");
	json_write_array_begin(w);
	for (p = rootless_ids ? ns_rootless : ns; *p; p++) {
		json_write_object_begin(w);
		json_write_key(w, "type");
		json_write_string(w, *p);
		json_write_object_end(w);
	}
	json_write_array_end(w);
	spec_write_strv(w, "maskedPaths", masked);
	spec_write_strv(w, "readonlyPaths", ro);
	json_write_object_end(w);
}

static char *
spec_default_write(const uint32_t *rootless_ids, size_t *len)
{
	struct json_writer w;
	size_t n;

	json_writer_init(&w, -1);
	json_write_object_begin(&w);
	json_write_key(&w, "ociVersion");
	json_write_string(&w, "1.0.2-dev");
	spec_default_process(&w);
	json_write_key(&w, "root");
	json_write_object_begin(&w);
	json_write_key(&w, "path");
	json_write_string(&w, "rootfs");
	json_write_key(&w, "readonly");
	json_write_bool(&w, 1);
	json_write_object_end(&w);
	json_write_key(&w, "hostname");
	json_write_string(&w, "runc");
	spec_default_mounts_write(&w, rootless_ids != NULL);
	spec_default_linux(&w, rootless_ids);
	json_write_object_end(&w);
	return json_writer_finish(&w, len ? len : &n);
}

char *
spec_default_json(size_t *len)
{
	return spec_default_write(NULL, len);
}

char *
spec_rootless_json(uint32_t uid, uint32_t gid, size_t *len)
{
	const uint32_t ids[2] = {uid, gid};

	return spec_default_write(ids, len);
}
