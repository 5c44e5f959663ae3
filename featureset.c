/*
 * featureset.c - `minirunc features`: what this build implements, printed as
 * the JSON structure runc 1.1 prints (runc: features.go; runtime-spec
 * features.md and features-linux.md): ociVersionMin/Max, hooks,
 * mountOptions, linux.{namespaces, capabilities, cgroup, seccomp, apparmor,
 * selinux}, annotations.  Engines (containerd, CRI-O, newer podman) ask for it.
 *
 * Nothing here is a hand-kept list of what works.  Each candidate name (the
 * ones runc 1.1 and the runtime spec know) is put to minirunc's own code: a
 * small config.json using it goes through spec_parse() and the checks
 * `create` makes before anything exists (ctr_config_supported()); a mount
 * option through rootfs_parse_options().  A name is listed only if it is
 * accepted, so the output follows the code as features land and cannot
 * claim what `create` would refuse.
 *
 * Left out: runc's "potentiallyUnsafeConfigAnnotations" and the libseccomp
 * version annotation (minirunc has no libseccomp).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "featureset.h"
#include "json.h"
#include "rootfs.h"
#include "spec.h"

/* The oldest and newest runtime-spec versions a config may name (runc 1.1.5's). */
#define FEAT_OCI_MIN "1.0.0"

/* runc 1.1's candidate names; each is probed below. */
static const char *const feat_namespaces[] = {"cgroup", "ipc",	"mount", "network",
					      "pid",	"time", "user",	 "uts"};
static const char *const feat_mount_options[] = {
    "acl",	    "async",	   "atime",	     "bind",
    "defaults",	    "dev",	   "diratime",	     "dirsync",
    "exec",	    "iversion",	   "lazytime",	     "loud",
    "mand",	    "noacl",	   "noatime",	     "nodev",
    "nodiratime",   "noexec",	   "noiversion",     "nolazytime",
    "nomand",	    "norelatime",  "nostrictatime",  "nosuid",
    "nosymfollow",  "private",	   "ratime",	     "rbind",
    "rdev",	    "rdiratime",   "relatime",	     "remount",
    "rexec",	    "rnoatime",	   "rnodev",	     "rnodiratime",
    "rnoexec",	    "rnorelatime", "rnostrictatime", "rnosuid",
    "rnosymfollow", "ro",	   "rprivate",	     "rrelatime",
    "rro",	    "rrw",	   "rshared",	     "rslave",
    "rstrictatime", "rsuid",	   "rsymfollow",     "runbindable",
    "rw",	    "shared",	   "silent",	     "slave",
    "strictatime",  "suid",	   "symfollow",	     "sync",
    "tmpcopyup",    "unbindable"};
static const char *const feat_seccomp_actions[] = {
    "SCMP_ACT_ALLOW",	     "SCMP_ACT_ERRNO",	     "SCMP_ACT_KILL",
    "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG",
    "SCMP_ACT_NOTIFY",	     "SCMP_ACT_TRACE",	     "SCMP_ACT_TRAP"};
static const char *const feat_seccomp_operators[] = {
    "SCMP_CMP_EQ", "SCMP_CMP_GE",	 "SCMP_CMP_GT", "SCMP_CMP_LE",
    "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"};
static const char *const feat_seccomp_archs[] = {
    "SCMP_ARCH_AARCH64",   "SCMP_ARCH_ARM",    "SCMP_ARCH_MIPS",     "SCMP_ARCH_MIPS64",
    "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
    "SCMP_ARCH_PPC",	   "SCMP_ARCH_PPC64",  "SCMP_ARCH_PPC64LE",  "SCMP_ARCH_S390",
    "SCMP_ARCH_S390X",	   "SCMP_ARCH_X32",    "SCMP_ARCH_X86",	     "SCMP_ARCH_X86_64"};

#define FEAT_N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Would `create` accept a config whose "process" members, "linux" members and
 * top-level members are the given JSON fragments (each may be "")?  The base is
 * the smallest config minirunc takes: a mount namespace (unless linux names its
 * own namespaces), a root, a process.
 */
static int
feat_accepts(const char *process, const char *linux, const char *top)
{
	char buf[2048];
	struct spec s = {0};
	struct err e;
	int n, ok;

	n = snprintf(buf, sizeof(buf),
		     "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"rootfs\"}, %s%s"
		     "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\", \"user\": {\"uid\": 0, "
		     "\"gid\": 0}%s%s}, "
		     "\"linux\": {%s%s%s}}",
		     top, *top ? ", " : "", *process ? ", " : "", process,
		     strstr(linux, "\"namespaces\"") ? ""
						     : "\"namespaces\": [{\"type\": \"mount\"}]",
		     *linux && !strstr(linux, "\"namespaces\"") ? ", " : "", linux);
	if (n < 0 || n >= (int)sizeof(buf))
		return 0;
	ok = spec_parse("features", buf, (size_t)n, "/", &s, &e) == 0 &&
	     ctr_config_supported(&s, &e) == 0;
	spec_free(&s);
	return ok;
}

static int
feat_namespace_ok(const char *type)
{
	char linux[512];

	/* A user namespace is only useful with mappings; probe it with them. */
	snprintf(
	    linux, sizeof(linux), "\"namespaces\": [{\"type\": \"mount\"}%s%s%s]%s",
	    strcmp(type, "mount") ? ", {\"type\": \"" : "", strcmp(type, "mount") ? type : "",
	    strcmp(type, "mount") ? "\"}" : "",
	    strcmp(type, "user") == 0
		? ", \"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]"
		  ", \"gidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]"
		: "");
	return spec_ns_flag(type) != 0 && feat_accepts("", linux, "");
}

/* A mount option is recognized when it is a flag, not filesystem data, and
 * create does not refuse it (tmpcopyup is parsed but refused). */
static int
feat_mount_option_ok(const char *name)
{
	const char *opts[] = {name, NULL};
	struct rootfs_mopts o;
	char mount[256];

	memset(&o, 0, sizeof(o));
	if (rootfs_parse_options(opts, &o) < 0 || o.data[0] || o.tmpcopyup)
		return 0;
	snprintf(mount, sizeof(mount),
		 "\"mounts\": [{\"destination\": \"/mnt\", \"type\": \"tmpfs\", "
		 "\"source\": \"tmpfs\", \"options\": [\"%s\"]}]",
		 name);
	return feat_accepts("", "", mount);
}

static int
feat_hook_ok(enum spec_hook_kind k)
{
	char hooks[256];

	snprintf(hooks, sizeof(hooks), "\"hooks\": {\"%s\": [{\"path\": \"/bin/true\"}]}",
		 spec_hook_name(k));
	return feat_accepts("", "", hooks);
}

static int
feat_seccomp_ok(const char *action, const char *op, const char *arch)
{
	char linux[512];

	/* The action on one rule (runc refuses some as the default, NOTIFY among them);
	 * SCMP_ACT_NOTIFY needs a listenerPath. */
	snprintf(linux, sizeof(linux),
		 "\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": "
		 "[\"%s\"], %s\"syscalls\": [{\"names\": [\"getpid\"], \"action\": \"%s\", "
		 "\"args\": [{\"index\": 0, \"value\": 1, \"op\": \"%s\"}]}]}",
		 arch,
		 strcmp(action, "SCMP_ACT_NOTIFY") == 0 ? "\"listenerPath\": \"/run/notify.sock\", "
							: "",
		 action, op);
	return feat_accepts("", linux, "");
}

/* One "key": [names...] member with the candidates for which ok() holds. */
static void
feat_write_list(struct json_writer *w, const char *key, const char *const *names, size_t n,
		int (*ok)(const char *))
{
	json_write_key(w, key);
	json_write_array_begin(w);
	for (size_t i = 0; i < n; i++)
		if (ok(names[i]))
			json_write_string(w, names[i]);
	json_write_array_end(w);
}

static int
feat_action_ok(const char *a)
{
	return feat_seccomp_ok(a, "SCMP_CMP_EQ", "SCMP_ARCH_X86_64");
}

static int
feat_operator_ok(const char *op)
{
	return feat_seccomp_ok("SCMP_ACT_ALLOW", op, "SCMP_ARCH_X86_64");
}

static int
feat_arch_ok(const char *arch)
{
	return feat_seccomp_ok("SCMP_ACT_ALLOW", "SCMP_CMP_EQ", arch);
}

static void
feat_write_enabled(struct json_writer *w, const char *key, int on)
{
	json_write_key(w, key);
	json_write_object_begin(w);
	json_write_key(w, "enabled");
	json_write_bool(w, on);
	json_write_object_end(w);
}

static void
feat_write_seccomp(struct json_writer *w)
{
	int on = feat_accepts("", "\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\"}", "");

	json_write_key(w, "seccomp");
	json_write_object_begin(w);
	json_write_key(w, "enabled");
	json_write_bool(w, on);
	if (on) {
		feat_write_list(w, "actions", feat_seccomp_actions, FEAT_N(feat_seccomp_actions),
				feat_action_ok);
		feat_write_list(w, "operators", feat_seccomp_operators,
				FEAT_N(feat_seccomp_operators), feat_operator_ok);
		feat_write_list(w, "archs", feat_seccomp_archs, FEAT_N(feat_seccomp_archs),
				feat_arch_ok);
	}
	json_write_object_end(w);
}

/* cgroup: v1 and v2 when create takes linux.resources; never systemd's
 * (--systemd-cgroup is refused). */
static void
feat_write_cgroup(struct json_writer *w)
{
	int on = feat_accepts("", "\"resources\": {\"memory\": {\"limit\": 67108864}}", "");

	json_write_key(w, "cgroup");
	json_write_object_begin(w);
	json_write_key(w, "v1");
	json_write_bool(w, on);
	json_write_key(w, "v2");
	json_write_bool(w, on);
	json_write_key(w, "systemd");
	json_write_bool(w, 0);
	json_write_key(w, "systemdUser");
	json_write_bool(w, 0);
	json_write_object_end(w);
}

static void
feat_write_linux(struct json_writer *w)
{
	json_write_key(w, "linux");
	json_write_object_begin(w);
	feat_write_list(w, "namespaces", feat_namespaces, FEAT_N(feat_namespaces),
			feat_namespace_ok);
	json_write_key(w, "capabilities");
	json_write_array_begin(w);
	for (int c = 0; c <= SPEC_CAP_LAST; c++)
		if (spec_cap_name(c))
			json_write_string(w, spec_cap_name(c));
	json_write_array_end(w);
	feat_write_cgroup(w);
	feat_write_seccomp(w);
	feat_write_enabled(w, "apparmor", feat_accepts("\"apparmorProfile\": \"p\"", "", ""));
	feat_write_enabled(w, "selinux", feat_accepts("\"selinuxLabel\": \"l\"", "", ""));
	json_write_object_end(w);
}

char *
features_json(const char *oci_max, const char *version, const char *commit, size_t *len)
{
	struct json_writer w;

	json_writer_init(&w, 4); /* runc prints with four spaces */
	json_write_object_begin(&w);
	json_write_key(&w, "ociVersionMin");
	json_write_string(&w, FEAT_OCI_MIN);
	json_write_key(&w, "ociVersionMax");
	json_write_string(&w, oci_max);
	json_write_key(&w, "hooks");
	json_write_array_begin(&w);
	for (int k = 0; k < HOOK_KINDS; k++)
		if (feat_hook_ok((enum spec_hook_kind)k))
			json_write_string(&w, spec_hook_name((enum spec_hook_kind)k));
	json_write_array_end(&w);
	feat_write_list(&w, "mountOptions", feat_mount_options, FEAT_N(feat_mount_options),
			feat_mount_option_ok);
	feat_write_linux(&w);
	json_write_key(&w, "annotations");
	json_write_object_begin(&w);
	json_write_key(&w, "org.minirunc.commit");
	json_write_string(&w, commit);
	json_write_key(&w, "org.minirunc.version");
	json_write_string(&w, version);
	json_write_object_end(&w);
	json_write_object_end(&w);
	return json_writer_finish(&w, len);
}
