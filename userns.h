/*
 * userns.h - user namespaces: the id maps the runtime writes for the init,
 * newuidmap/newgidmap for an unprivileged caller, the init becoming root
 * inside, the user namespace an idmapped mount needs, and the defaults of a
 * rootless run.  runc: nsexec.c (update_uidmap, try_mapping_tool),
 * rootless_linux.go, utils_linux.go (the XDG root).
 */
#ifndef MINIRUNC_USERNS_H
#define MINIRUNC_USERNS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "spec.h"
#include "util.h"

/*
 * /proc/PID/uid_map text of a list of mappings: one "containerID hostID
 * size\n" line each, as user_namespaces(7) wants it written in one write(2).
 * Returns the length, or -1/E2BIG when buf is too small.
 */
int userns_map_text(const struct spec_idmap *m, size_t n, char *buf, size_t cap);

/* Does this list map exactly one id, the caller's own `id`, to container id 0..?
 * That is all an unprivileged process may write itself (user_namespaces(7)). */
bool userns_map_is_own(const struct spec_idmap *m, size_t n, uint32_t id);

/*
 * Write the uid and gid maps of the new user namespace of PID from the
 * config, the runtime side of sync step 0.  As root every map is written
 * directly.  An unprivileged caller writes a map of only its own id itself
 * (for gids, after "deny" to /proc/PID/setgroups, as the kernel requires and
 * runc does) and hands any other map to newuidmap/newgidmap, which check it
 * against /etc/subuid and /etc/subgid.  -1 with e naming the field.
 */
int userns_write_maps(pid_t pid, const struct spec *s, struct err *e);

/*
 * The argument vector of newuidmap/newgidmap: TOOL PID cid hid size ...
 * argv gets n*3+2 pointers into store (cap bytes) and a NULL.  Pure, for the
 * unit tests.  Returns argc, or -1/E2BIG.
 */
int userns_helper_argv(const char *tool, pid_t pid, const struct spec_idmap *m, size_t n,
		       char **argv, size_t argv_cap, char *store, size_t cap);

/* Where newuidmap ("newuidmap") lives: the first of /usr/bin, /bin,
 * /usr/sbin, /sbin that has it, into buf.  -1/ENOENT when none. */
int userns_helper_find(const char *name, char *buf, size_t cap);

/*
 * In the init, once it is in its user namespace (made or joined): check a
 * joined namespace's maps against the config's, then become root of the
 * namespace (setresuid 0), so the mounts and nodes it makes are owned by the
 * container's root (runc: nsexec.c, "Become root in the namespace proper").
 * userns_finish_init, after the other namespaces are unshared, sets the gid.
 */
int userns_enter_init(const struct spec *s, bool joined, struct err *e);
int userns_finish_init(struct err *e);

/* Is this process in a user namespace other than the initial one?
 * (runc: userns.RunningInUserNS, /proc/self/uid_map not "0 0 4294967295") */
bool userns_running_in_userns(void);

/*
 * A user namespace owned by the caller whose maps are m/gm, for
 * mount_setattr(MOUNT_ATTR_IDMAP): a short-lived child is cloned into a new
 * one, mapped as userns_write_maps would, and the namespace kept by an fd.
 * Returns that fd (O_CLOEXEC) or -1 with e filled.
 */
int userns_fd_for_maps(const struct spec_idmap *um, size_t nu, const struct spec_idmap *gm,
		       size_t ng, struct err *e);

/* Does any mount ask to be idmapped (mounts[].uidMappings)? */
bool userns_has_idmapped_mounts(const struct spec *s);

/*
 * Runtime side of idmapped mount i (a bind): a detached copy of its source
 * (open_tree OPEN_TREE_CLONE, recursive for rbind) made idmapped with
 * mount_setattr(MOUNT_ATTR_IDMAP) and the mount's maps (the container's own
 * user namespace when init > 0 and the maps are the same).  The init attaches
 * it with move_mount(2).  Returns the tree's fd, or -1 with e naming the mount
 * (ENOSYS: no mount_setattr; EINVAL: the filesystem cannot be idmapped).
 */
int userns_idmap_tree(const struct spec *s, size_t i, pid_t init, struct err *e);

/*
 * The --root default: system_root for root; for anyone else
 * $XDG_RUNTIME_DIR/minirunc when XDG_RUNTIME_DIR is set, made 0700 with the
 * sticky bit as runc makes $XDG_RUNTIME_DIR/runc (main.go).  buf gets the
 * path.  -1 with e when it cannot be made.
 */
int userns_default_root(const char *system_root, char *buf, size_t cap, struct err *e);

/*
 * Rootless or not is the runtime's effective uid when it started (runc:
 * RootlessEUID), noted once by main() before any clone, so that the init,
 * root of its namespace by then, still knows: a rootless container keeps its
 * supplementary groups and may ask for none (runc: setupUser).
 */
void userns_note_caller(void);
/* The name of uid from /etc/passwd, or "#UID" (runc list's owner column). */
void userns_user_name(uid_t uid, char *buf, size_t cap);
bool userns_caller_rootless(void);

#endif
