/*
 * process.h - the init's last mile before execve(): rlimits, oom_score_adj,
 * user and groups, capabilities, umask, cwd, env, no_new_privs, fds.
 * runc: libcontainer/init_linux.go finalizeNamespace(), setupUser(),
 * standard_init_linux.go Init().
 */
#ifndef MINIRUNC_PROCESS_H
#define MINIRUNC_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "spec.h"
#include "util.h"

/*
 * In the init (or an exec'd process), after the rootfs is final and before
 * telling the runtime it is ready: rlimits, oom_score_adj, bounding set,
 * groups/gid/uid (keeping capabilities across setuid), the other capability
 * sets and ambient, umask, chdir(cwd) checked with getcwd, and args[0] looked
 * up through the PATH of p->env into exe (exelen bytes).
 * runc's error when args[0] is not found:
 *   exec: "foo": executable file not found in $PATH
 * It also builds the environment execve() will get (see proc_env_build);
 * proc_exec() uses it.
 */
typedef int (*proc_step_fn)(void *arg, struct err *e);
int proc_setup(const struct spec_process *p, char *exe, size_t exelen, struct err *e);

/* The same, with before_creds (when not NULL) run after the umask and cwd and
 * before the change of credentials, while the process still has every
 * capability: where runc loads a seccomp filter when no_new_privs is off
 * (standard_init_linux.go Init, before finalizeNamespace). */
int proc_setup_with(const struct spec_process *p, char *exe, size_t exelen,
		    proc_step_fn before_creds, void *arg, struct err *e);

/* Every signal back to its default action and none blocked: what the runtime
 * blocks or ignores (and what its caller ignored) must not reach the
 * container's process or a hook through fork and execve.  Async-signal-safe. */
void proc_reset_signals(void);

/*
 * The very last step: every fd above 2 + preserve_fds is made close-on-exec
 * (so the new program holds none of them, while the caller can still report
 * an execve failure over its sync socket), fds 3 .. 2 + preserve_fds lose
 * close-on-exec, no_new_privs is set when asked, then execve(exe, args, env).
 * Returns only on failure ("exec /bin/foo: Permission denied").
 */
int proc_exec(const struct spec_process *p, const char *exe, int preserve_fds, struct err *e);

/*
 * runc creates a missing process.cwd (mkdir -p, 0755) inside the rootfs right
 * after pivot_root (rootfs_linux.go prepareRootfs).  Call it after
 * rootfs_pivot() and before rootfs_finalize() (a read-only root would refuse
 * it).  "mkdir /etc/passwd: Not a directory" when a component is a file.
 */
int proc_make_cwd(const char *cwd, struct err *e);

/* ---- helpers, exposed for the unit tests ---- */

/* /proc/sys/kernel/cap_last_cap, or CAP_LAST_CAP of the headers if unreadable. */
int proc_cap_last(void);
/* The bits of capabilities 0..last. */
uint64_t proc_cap_known(int last);
/* A 64-bit mask as the two 32-bit words of _LINUX_CAPABILITY_VERSION_3. */
void proc_cap_split(uint64_t mask, uint32_t word[2]);

/*
 * Go's filepath.Clean, which exec.LookPath applies to "dir/file": collapse
 * "//", drop ".", resolve ".." lexically; "" becomes ".".  -1/ENAMETOOLONG
 * when out (outlen bytes) is too small.
 */
int proc_path_clean(const char *in, char *out, size_t outlen);

/*
 * exec.LookPath as runc 1.1.5 (Go 1.19) runs it: a name with '/' is used as
 * is; otherwise each element of path (the PATH value, NULL when unset; an
 * empty element means ".") is tried; a match is a non-directory with some
 * execute bit.  A match found through a relative element is an error, as in
 * Go >= 1.19.  Fills out (outlen bytes) or e.
 */
int proc_lookpath(const char *file, const char *path, char *out, size_t outlen, struct err *e);

/*
 * The environment runc hands to execve: process.env with a repeated name
 * keeping its first place and its last value (Go's os.Setenv), plus
 * HOME=<home> when HOME is unset or empty (init_linux.go setupUser).
 * Entries without '=' or with an empty name are errors, as in runc.
 * Returns one malloc'd block (array and the HOME string), caller frees.
 */
char **proc_env_build(char *const *env, const char *home, struct err *e);

/* The value of name in a NULL-terminated env, or NULL. */
const char *proc_env_get(char *const *env, const char *name);

/*
 * The home directory of uid in a passwd(5) file (the container's
 * /etc/passwd); "/" when the file or the user is missing, as runc's
 * user.GetExecUserPath defaults.  out gets at most outlen bytes.
 */
void proc_passwd_home(const char *passwd, uid_t uid, char *out, size_t outlen);

/*
 * Every fd >= first: closed (cloexec_only false) or marked close-on-exec
 * (true).  close_range(2) where the kernel has it, else a walk of
 * /proc/self/fd.
 */
int proc_fds_from(int first, bool cloexec_only);
/* The /proc/self/fd walk alone (the fallback of proc_fds_from). */
int proc_fds_walk(int first, bool cloexec_only);

#endif
