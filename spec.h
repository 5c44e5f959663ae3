/*
 * spec.h - config.json as C structs (the OCI runtime-spec, config.md).
 *
 * spec_load() reads <bundle>/config.json, checks it, and fills struct spec.
 * Every string points into memory owned by the struct and freed by
 * spec_free(); string lists are NULL-terminated so they can go to execve().
 * Fields minirunc cannot honour (seccomp, AppArmor, SELinux, ...) are recorded
 * so that the runtime refuses them (fails closed) instead of ignoring them.
 */
#ifndef MINIRUNC_SPEC_H
#define MINIRUNC_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "json.h"
#include "util.h"

#define SPEC_MAX_FILE (4u << 20) /* config.json larger than 4 MiB is refused */
/*
 * The one limit every later reader of a container's state JSON (state.json, a hook's stdin)
 * takes, derived from the config's: the state holds at most the config's own bytes
 * (annotations, ociVersion: re-encoded compact, never longer than they were written) plus
 * its own fields (id <= 1024, bundle and rootfs <= PATH_MAX each, even at 6 bytes an escaped
 * byte: < 56 KiB).  state_write() refuses a larger state, so whatever `create` accepts,
 * `state`, `start`, `kill`, `delete` and the hooks can read.
 */
#define SPEC_MAX_STATE (SPEC_MAX_FILE + (64u << 10))
#define SPEC_CAP_LAST  40 /* CAP_CHECKPOINT_RESTORE, the last one spec_cap_name() knows */

struct spec_arena;	/* private to spec.c */
struct seccomp_profile; /* seccomp.h */

struct spec_idmap {
	uint32_t container_id, host_id, size;
};

struct spec_mount {
	const char *destination; /* absolute inside the container */
	const char *type;	 /* may be NULL (bind mounts) */
	const char *source;	 /* may be NULL */
	const char **options;	 /* NULL-terminated, may be empty */
	size_t n_options;
	struct spec_idmap *uid_mappings, *gid_mappings; /* an idmapped mount: both or none */
	size_t n_uid_mappings, n_gid_mappings;
};

struct spec_rlimit {
	int resource; /* RLIMIT_* */
	const char *name;
	uint64_t soft, hard;
};

/* The five capability sets as bit masks: bit N = capability N (linux/capability.h). */
struct spec_caps {
	uint64_t bounding, effective, inheritable, permitted, ambient;
};

struct spec_user {
	uint32_t uid, gid;
	bool has_umask;
	mode_t umask;
	uint32_t *additional_gids;
	size_t n_additional_gids;
};

struct spec_process {
	bool terminal;
	bool has_console_size;
	unsigned console_height, console_width;
	struct spec_user user;
	char **args; /* NULL-terminated, at least one */
	size_t n_args;
	char **env; /* NULL-terminated, may be empty */
	size_t n_env;
	const char *cwd; /* absolute */
	bool has_caps;	 /* "capabilities" present */
	struct spec_caps caps;
	struct spec_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privileges;
	bool has_oom_score_adj;
	int oom_score_adj;
	const char *apparmor_profile; /* non-NULL when asked: refused later */
	const char *selinux_label;    /* likewise */
};

enum spec_hook_kind {
	HOOK_PRESTART,
	HOOK_CREATE_RUNTIME,
	HOOK_CREATE_CONTAINER,
	HOOK_START_CONTAINER,
	HOOK_POSTSTART,
	HOOK_POSTSTOP,
	HOOK_KINDS
};

struct spec_hook {
	const char *path; /* absolute */
	char **args;	  /* NULL-terminated; may be empty (then argv = {path}) */
	size_t n_args;
	char **env; /* NULL-terminated; may be empty */
	size_t n_env;
	bool has_env; /* "env" given: exactly it; absent: the runtime's own, as runc */
	int timeout;  /* seconds; 0 = none */
};

struct spec_hook_list {
	struct spec_hook *v;
	size_t n;
};

struct spec_namespace {
	int flag;	  /* CLONE_NEWPID, CLONE_NEWNET, ... */
	const char *type; /* its name in config.json: "pid", "network", ... */
	const char *path; /* NULL: a new one */
};

struct spec_device {
	char type; /* 'c', 'b', 'u' (unbuffered char), 'p' (fifo) */
	const char *path;
	int64_t major, minor;
	bool has_file_mode;
	mode_t file_mode;
	bool has_uid, has_gid;
	uint32_t uid, gid;
};

struct spec_kv {
	const char *key, *value;
};

/* linux.resources.devices[]: one cgroup device rule (runc: specconv
 * CreateCgroupConfig).  Type 'a' (all), 'b' or 'c'; -1 = any major/minor. */
struct spec_device_rule {
	bool allow;
	char type;	      /* 'a' when absent, as runc */
	int64_t major, minor; /* -1 when absent (wildcard) */
	char access[4];	      /* letters of "rwm" as given, NUL-terminated */
};

/* blockIO.weightDevice[] and throttle*Device[] entries (config-linux.md). */
struct spec_weight_device {
	int64_t major, minor;
	bool has_weight, has_leaf_weight;
	uint16_t weight, leaf_weight;
};
struct spec_throttle_device {
	int64_t major, minor;
	uint64_t rate;
};
enum spec_throttle_kind {
	THROTTLE_READ_BPS,
	THROTTLE_WRITE_BPS,
	THROTTLE_READ_IOPS,
	THROTTLE_WRITE_IOPS,
	THROTTLE_KINDS
};

struct spec_hugepage_limit {
	const char *pagesize; /* "2MB", "1GB" */
	uint64_t limit;
};
struct spec_rdma_limit {
	const char *device;
	bool has_hca_handles, has_hca_objects;
	uint32_t hca_handles, hca_objects;
};
struct spec_net_priority {
	const char *name;
	uint32_t priority;
};

/*
 * linux.resources (config-linux.md "Control groups").  has_* says a field was
 * given (JSON null = absent); only given fields are written, as runc writes
 * only non-zero ones.  cgroups.c turns this into cgroup files; `update`
 * fills one from its flags or -r FILE.
 */
struct spec_resources {
	bool present;
	struct spec_device_rule *devices;
	size_t n_devices;
	struct {
		bool has_limit, has_reservation, has_swap, has_kernel, has_kernel_tcp,
		    has_swappiness, has_disable_oom_killer, has_use_hierarchy;
		int64_t limit, reservation, swap, kernel, kernel_tcp;
		uint64_t swappiness;
		bool disable_oom_killer, use_hierarchy;
	} memory;
	struct {
		bool has_shares, has_quota, has_period, has_realtime_runtime, has_realtime_period,
		    has_idle, has_burst;
		uint64_t shares, period, realtime_period, burst;
		int64_t quota, realtime_runtime, idle;
		const char *cpus, *mems; /* NULL when absent */
	} cpu;
	struct {
		bool has_limit;
		int64_t limit;
	} pids;
	struct {
		bool has_weight, has_leaf_weight;
		uint16_t weight, leaf_weight;
		struct spec_weight_device *weight_device;
		size_t n_weight_device;
		struct spec_throttle_device *throttle[THROTTLE_KINDS];
		size_t n_throttle[THROTTLE_KINDS];
	} blkio;
	struct spec_hugepage_limit *hugepages;
	size_t n_hugepages;
	struct spec_rdma_limit *rdma;
	size_t n_rdma;
	struct {
		bool has_class_id;
		uint32_t class_id;
		struct spec_net_priority *priorities;
		size_t n_priorities;
	} network;
	struct spec_kv *unified; /* v2 file name -> value */
	size_t n_unified;
};

struct spec {
	const char *oci_version;
	char *bundle;	 /* absolute, as given or made absolute */
	char *root_path; /* absolute: root.path resolved against the bundle */
	bool root_readonly;

	struct spec_mount *mounts;
	size_t n_mounts;

	bool has_process;
	struct spec_process process;

	const char *hostname;	/* NULL when absent */
	const char *domainname; /* NULL when absent */

	struct spec_hook_list hooks[HOOK_KINDS];

	struct spec_kv *annotations;
	size_t n_annotations;

	/* linux */
	struct spec_namespace *namespaces;
	size_t n_namespaces;
	struct spec_idmap *uid_mappings, *gid_mappings;
	size_t n_uid_mappings, n_gid_mappings;
	struct spec_device *devices;
	size_t n_devices;
	const char **masked_paths; /* NULL-terminated */
	size_t n_masked_paths;
	const char **readonly_paths; /* NULL-terminated */
	size_t n_readonly_paths;
	const char *rootfs_propagation; /* NULL: runc's default (rslave) */
	struct spec_kv *sysctl;
	size_t n_sysctl;
	const char *cgroups_path;
	struct spec_resources resources; /* linux.resources (spec_resources.c) */

	/* linux.seccomp (spec_seccomp.c; compiled by seccomp.c); NULL when absent
	 * or empty (no defaultAction and no syscalls: runc loads no filter). */
	struct seccomp_profile *seccomp;

	/* Parsed only so that minirunc can refuse them (fail closed);
	 * has_seccomp only notes that linux.seccomp is there. */
	bool has_seccomp, has_intel_rdt, has_mount_label;

	/* Warnings met while loading (unknown capability names, as the spec says
	 * they are not errors); NULL-terminated. */
	const char **warnings;
	size_t n_warnings;

	struct spec_arena *arena; /* owns everything above */
};

/*
 * Load and validate <bundle>/config.json.  bundle may be relative: s->bundle
 * is made absolute lexically (like runc's filepath.Abs: symlinks are not
 * resolved).  Returns 0, or -1 with errno and e->msg, one of:
 *   "bundle DIR: No such file or directory"        (DIR exactly as given)
 *   "open DIR/config.json: No such file or directory"
 *   "DIR/config.json: larger than 4194304 bytes (SPEC_MAX_FILE)"
 *   "DIR/config.json:3:9: <json parser's message>"
 *   "DIR/config.json:12:7: process.cwd: must be an absolute path"
 * The file name in messages is the bundle exactly as given + "/config.json"
 * (no "/" added when DIR ends in one), and plain "config.json" when the
 * bundle is ".".  line:col is that of the offending value (for a missing
 * required field: of the object that lacks it); the field is named by its
 * JSON path: "process.args[2]", "linux.namespaces[1].type",
 * "annotations[\"key\"]".  On failure *out is zeroed (spec_free() is still
 * safe to call).
 *
 * Rules worth knowing (details at the top of spec.c): a JSON null counts as
 * absent; unknown fields are ignored; a NUL byte in any string that becomes
 * a C string is an error; env entries need a '=' and a non-empty name (runc
 * 1.1's init refuses them too); unknown capability names are warnings in
 * s->warnings ("config.json:L:C: process.capabilities.bounding[3]: unknown
 * capability \"CAP_FOO\", ignored"), never errors.
 */
int spec_load(const char *bundle, struct spec *out, struct err *e);

/* The same from a buffer; name is used in messages.  bundle is made absolute
 * as above but need not exist (NULL means "."). */
int spec_parse(const char *name, const char *buf, size_t len, const char *bundle, struct spec *out,
	       struct err *e);

/*
 * Parse a process object alone (`exec -p process.json`).  Same rules as
 * config.json's "process"; paths in messages start at the object's members
 * ("process.json:3:2: args: must not be empty").  Strings are allocated in
 * owner's arena and warnings appended to owner->warnings, so *out lives until
 * spec_free(owner).  owner may be a zeroed struct spec (then it gets an arena
 * and must be spec_free()d even when this fails).  On failure *out is zeroed.
 */
int spec_parse_process(const char *name, const char *buf, size_t len, struct spec *owner,
		       struct spec_process *out, struct err *e);

/*
 * Parse a LinuxResources object alone (`update -r FILE`), into owner->resources
 * (strings in owner's arena, as spec_parse_process; owner may be zeroed and must
 * be spec_free()d even when this fails).  Messages name the members from the
 * object down: "resources.json:3:12: memory.limit: expected an integer, got string".
 */
int spec_parse_resources(const char *name, const char *buf, size_t len, struct spec *owner,
			 struct err *e);

/* Free everything spec_load()/spec_parse() made and zero *s; NULL or a zeroed
 * struct is fine. */
void spec_free(struct spec *s);

/* Name <-> number tables used elsewhere (process.c, exec's --cap). */
int spec_cap_from_name(const char *name); /* "CAP_KILL" -> 5; -1 if unknown */
const char *spec_cap_name(int cap);	  /* NULL if unknown */
/* "prestart", "createRuntime", ... as config.json spells them ("unknown" if out of range). */
const char *spec_hook_name(enum spec_hook_kind k);
int spec_ns_flag(const char *type);	     /* "network" -> CLONE_NEWNET; 0 if unknown */
int spec_rlimit_from_name(const char *name); /* "RLIMIT_NOFILE" -> RLIMIT_NOFILE; -1 if unknown */

/*
 * The config.json that `minirunc spec` writes: the same content as
 * `runc spec` (runc 1.1.5), tab-indented like runc's.  Returns malloc'd text
 * (caller frees; *len its length, len may be NULL) or NULL with errno.
 */
char *spec_default_json(size_t *len);

/* `runc spec --rootless` (runc 1.1.5 specconv ToRootless) for a caller whose
 * euid/egid are uid/gid: those ids mapped to 0, a user namespace instead of a
 * network one, /sys bound from the host, no uid=/gid= options, no resources. */
char *spec_rootless_json(uint32_t uid, uint32_t gid, size_t *len);

#endif
