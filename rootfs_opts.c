/*
 * rootfs_opts.c - the words of config.json's mounts[].options, and which
 * sysctl keys a container may set: pure tables and parsers, no system call.
 *
 * runc counterpart: libcontainer/specconv (parseMountOptions, its flag and
 * propagation tables, the "r"-prefixed recursive mount_setattr words of runc
 * 1.1) and libcontainer/configs/validate (sysctl: which keys belong to which
 * namespace).
 *
 * Left out: SELinux context options (passed as data, as any unknown word).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "rootfs.h"
#include "rootfs_int.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>

/* ------------------------------------------------------------------------ */
/* Mount options: runc's vocabulary (specconv parseMountOptions)             */
/* ------------------------------------------------------------------------ */

enum opt_kind { OPT_SET, OPT_CLEAR, OPT_PROP, OPT_RSET, OPT_RCLEAR, OPT_RATIME, OPT_COPYUP };

struct opt_def {
	const char *name;
	enum opt_kind kind;
	unsigned long value;
};

/* Every word runc knows; anything else is filesystem data (mode=, size=, ...). */
static const struct opt_def opt_table[] = {
    {"acl", OPT_SET, MS_POSIXACL},
    {"async", OPT_CLEAR, MS_SYNCHRONOUS},
    {"atime", OPT_CLEAR, MS_NOATIME},
    {"bind", OPT_SET, MS_BIND},
    {"defaults", OPT_SET, 0},
    {"dev", OPT_CLEAR, MS_NODEV},
    {"diratime", OPT_CLEAR, MS_NODIRATIME},
    {"dirsync", OPT_SET, MS_DIRSYNC},
    {"exec", OPT_CLEAR, MS_NOEXEC},
    {"iversion", OPT_SET, MS_I_VERSION},
    {"lazytime", OPT_SET, MS_LAZYTIME},
    {"loud", OPT_CLEAR, MS_SILENT},
    {"mand", OPT_SET, MS_MANDLOCK},
    {"noacl", OPT_CLEAR, MS_POSIXACL},
    {"noatime", OPT_SET, MS_NOATIME},
    {"nodev", OPT_SET, MS_NODEV},
    {"nodiratime", OPT_SET, MS_NODIRATIME},
    {"noexec", OPT_SET, MS_NOEXEC},
    {"noiversion", OPT_CLEAR, MS_I_VERSION},
    {"nolazytime", OPT_CLEAR, MS_LAZYTIME},
    {"nomand", OPT_CLEAR, MS_MANDLOCK},
    {"norelatime", OPT_CLEAR, MS_RELATIME},
    {"nostrictatime", OPT_CLEAR, MS_STRICTATIME},
    {"nosuid", OPT_SET, MS_NOSUID},
    {"rbind", OPT_SET, MS_BIND | MS_REC},
    {"relatime", OPT_SET, MS_RELATIME},
    {"remount", OPT_SET, MS_REMOUNT},
    {"ro", OPT_SET, MS_RDONLY},
    {"rw", OPT_CLEAR, MS_RDONLY},
    {"silent", OPT_SET, MS_SILENT},
    {"strictatime", OPT_SET, MS_STRICTATIME},
    {"suid", OPT_CLEAR, MS_NOSUID},
    {"sync", OPT_SET, MS_SYNCHRONOUS},
    {"private", OPT_PROP, MS_PRIVATE},
    {"rprivate", OPT_PROP, MS_PRIVATE | MS_REC},
    {"shared", OPT_PROP, MS_SHARED},
    {"rshared", OPT_PROP, MS_SHARED | MS_REC},
    {"slave", OPT_PROP, MS_SLAVE},
    {"rslave", OPT_PROP, MS_SLAVE | MS_REC},
    {"unbindable", OPT_PROP, MS_UNBINDABLE},
    {"runbindable", OPT_PROP, MS_UNBINDABLE | MS_REC},
    /* runc 1.1's recursive variants, applied with mount_setattr(AT_RECURSIVE). */
    {"rro", OPT_RSET, MOUNT_ATTR_RDONLY},
    {"rrw", OPT_RCLEAR, MOUNT_ATTR_RDONLY},
    {"rnosuid", OPT_RSET, MOUNT_ATTR_NOSUID},
    {"rsuid", OPT_RCLEAR, MOUNT_ATTR_NOSUID},
    {"rnodev", OPT_RSET, MOUNT_ATTR_NODEV},
    {"rdev", OPT_RCLEAR, MOUNT_ATTR_NODEV},
    {"rnoexec", OPT_RSET, MOUNT_ATTR_NOEXEC},
    {"rexec", OPT_RCLEAR, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", OPT_RSET, MOUNT_ATTR_NODIRATIME},
    {"rdiratime", OPT_RCLEAR, MOUNT_ATTR_NODIRATIME},
    {"rnosymfollow", OPT_RSET, MOUNT_ATTR_NOSYMFOLLOW},
    {"rsymfollow", OPT_RCLEAR, MOUNT_ATTR_NOSYMFOLLOW},
    {"rrelatime", OPT_RATIME, MOUNT_ATTR_RELATIME},
    {"rnoatime", OPT_RATIME, MOUNT_ATTR_NOATIME},
    {"rstrictatime", OPT_RATIME, MOUNT_ATTR_STRICTATIME},
    {"ratime", OPT_RATIME, MOUNT_ATTR_RELATIME},
    {"rnorelatime", OPT_RATIME, MOUNT_ATTR_RELATIME},
    {"rnostrictatime", OPT_RATIME, MOUNT_ATTR_RELATIME},
    {"tmpcopyup", OPT_COPYUP, 0},
};

static const struct opt_def *
opt_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(opt_table) / sizeof(opt_table[0]); i++)
		if (strcmp(opt_table[i].name, name) == 0)
			return &opt_table[i];
	return NULL;
}

/* Append one word to the ','-joined data; the kernel copies at most a page. */
static int
opt_data_append(struct rootfs_mopts *o, const char *word)
{
	size_t have = strlen(o->data), add = strlen(word) + (have ? 1 : 0);

	if (have + add + 1 > sizeof(o->data)) {
		errno = E2BIG;
		return -1;
	}
	if (have)
		o->data[have++] = ',';
	strcpy(o->data + have, word);
	return 0;
}

static int
opt_apply(struct rootfs_mopts *o, const struct opt_def *d)
{
	switch (d->kind) {
	case OPT_SET:
		o->flags |= d->value;
		break;
	case OPT_CLEAR:
		o->flags &= ~d->value;
		break;
	case OPT_RSET:
		o->attr_set |= d->value;
		o->attr_clr &= ~d->value;
		break;
	case OPT_RCLEAR:
		o->attr_clr |= d->value;
		o->attr_set &= ~d->value;
		break;
	case OPT_RATIME:
		/* The atime modes are one field: clear it all, then set one. */
		o->attr_clr |= MOUNT_ATTR__ATIME;
		o->attr_set = (o->attr_set & ~(uint64_t)MOUNT_ATTR__ATIME) | d->value;
		break;
	case OPT_COPYUP:
		o->tmpcopyup = true;
		break;
	case OPT_PROP:
		if (o->n_propagation == ROOTFS_MAX_PROPAGATION) {
			errno = EINVAL;
			return -1;
		}
		o->propagation[o->n_propagation++] = d->value;
		break;
	}
	return 0;
}

int
rootfs_parse_options(const char **opts, struct rootfs_mopts *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; opts && opts[i]; i++) {
		const struct opt_def *d = opt_lookup(opts[i]);

		if (d ? opt_apply(out, d) : opt_data_append(out, opts[i]))
			return -1;
	}
	return 0;
}

enum rootfs_kind
rootfs_mount_kind(const char *type, const struct rootfs_mopts *o)
{
	if (o->flags & MS_BIND)
		return ROOTFS_BIND;
	if (!type || !*type)
		return ROOTFS_NOTYPE;
	if (strcmp(type, "proc") == 0)
		return ROOTFS_PROC;
	if (strcmp(type, "sysfs") == 0)
		return ROOTFS_SYSFS;
	if (strcmp(type, "cgroup") == 0)
		return ROOTFS_CGROUP;
	if (strcmp(type, "tmpfs") == 0)
		return ROOTFS_TMPFS;
	return ROOTFS_OTHER;
}

unsigned long
rootfs_propagation_flags(const char *name)
{
	const struct opt_def *d = name ? opt_lookup(name) : NULL;

	return d && d->kind == OPT_PROP ? d->value : 0;
}

/* ------------------------------------------------------------------------ */
/* sysctl: runc's list of namespaced keys (libcontainer/configs/validate)    */
/* ------------------------------------------------------------------------ */

const char *
rootfs_sysctl_refusal(const char *key, int ns_flags)
{
	static const char *const ipc_keys[] = {
	    "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
	    "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"};
	bool ipc = strncmp(key, "fs.mqueue.", 10) == 0;

	for (size_t i = 0; i < sizeof(ipc_keys) / sizeof(ipc_keys[0]); i++)
		ipc = ipc || strcmp(key, ipc_keys[i]) == 0;
	if (ipc)
		return ns_flags & CLONE_NEWIPC ? NULL : "not allowed in the host's ipc namespace";
	if (strncmp(key, "net.", 4) == 0)
		return ns_flags & CLONE_NEWNET ? NULL
					       : "not allowed in the host's network namespace";
	if ((ns_flags & CLONE_NEWUTS) && strcmp(key, "kernel.domainname") == 0)
		return NULL;
	if ((ns_flags & CLONE_NEWUTS) && strcmp(key, "kernel.hostname") == 0)
		return "not allowed: it conflicts with the OCI \"hostname\" field";
	return "not in a separate kernel namespace";
}
