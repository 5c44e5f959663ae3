/*
 * seccomp.h - OCI linux.seccomp compiled to classic BPF by minirunc itself,
 * and loaded (seccomp.c, seccomp_bpf.c, the tables in seccomp_tables.c).
 *
 * The profile (struct seccomp_profile) is what spec_seccomp.c makes of
 * config.json; seccomp_compile() turns it into the program runc 1.1 loads
 * for it: libseccomp's decision for every (architecture, syscall,
 * arguments), behind runc's -ENOSYS stub (libcontainer/seccomp/patchbpf).
 */
#ifndef MINIRUNC_SECCOMP_H
#define MINIRUNC_SECCOMP_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* The architectures minirunc has syscall tables for (seccomp_tables.c columns). */
enum seccomp_arch {
	SECCOMP_ARCH_X86_64,
	SECCOMP_ARCH_X86,
	SECCOMP_ARCH_X32,
	SECCOMP_ARCH_AARCH64,
	SECCOMP_ARCH_ARM,
	SECCOMP_ARCHS,
	SECCOMP_ARCH_FOREIGN = 100, /* a name runc accepts, for an ABI this host never runs */
};

#if defined(__x86_64__) && !defined(__ILP32__)
#define SECCOMP_ARCH_NATIVE SECCOMP_ARCH_X86_64
#elif defined(__x86_64__)
#define SECCOMP_ARCH_NATIVE SECCOMP_ARCH_X32
#elif defined(__i386__)
#define SECCOMP_ARCH_NATIVE SECCOMP_ARCH_X86
#elif defined(__aarch64__)
#define SECCOMP_ARCH_NATIVE SECCOMP_ARCH_AARCH64
#elif defined(__arm__)
#define SECCOMP_ARCH_NATIVE SECCOMP_ARCH_ARM
#else
#error "seccomp.c has no syscall table for this architecture"
#endif

/* The actions, as the kernel spells them (linux/seccomp.h SECCOMP_RET_*). */
#define SECCOMP_ACT_KILL_PROCESS 0x80000000U
#define SECCOMP_ACT_KILL_THREAD	 0x00000000U
#define SECCOMP_ACT_TRAP	 0x00030000U
#define SECCOMP_ACT_ERRNO	 0x00050000U /* | errno */
#define SECCOMP_ACT_NOTIFY	 0x7fc00000U
#define SECCOMP_ACT_TRACE	 0x7ff00000U /* | data */
#define SECCOMP_ACT_LOG		 0x7ffc0000U
#define SECCOMP_ACT_ALLOW	 0x7fff0000U
#define SECCOMP_ACT_MASK	 0xffff0000U

enum seccomp_op {
	SECCOMP_OP_NE,
	SECCOMP_OP_LT,
	SECCOMP_OP_LE,
	SECCOMP_OP_EQ,
	SECCOMP_OP_GE,
	SECCOMP_OP_GT,
	SECCOMP_OP_MASKED_EQ
};

struct seccomp_arg {
	unsigned index; /* 0..5 */
	enum seccomp_op op;
	uint64_t value, value_two; /* MASKED_EQ: (arg & value) == value_two */
};

/* One entry of linux.seccomp.syscalls. */
struct seccomp_rule {
	const char **names;
	size_t n_names;
	uint32_t action; /* SECCOMP_ACT_* | data */
	struct seccomp_arg *args;
	size_t n_args;
	unsigned line, col; /* of the entry in config.json, for messages */
};

struct seccomp_profile {
	const char *file;   /* "config.json" as messages name it */
	unsigned line, col; /* of linux.seccomp */
	uint32_t default_action;
	bool default_permissive;   /* ALLOW, LOG or TRACE: runc adds no -ENOSYS stub */
	enum seccomp_arch native;  /* SECCOMP_ARCH_NATIVE; libseccomp always filters it */
	unsigned arches;	   /* 1 << enum seccomp_arch, the ones listed */
	unsigned flags;		   /* SECCOMP_FILTER_FLAG_* asked for */
	const char *listener_path; /* NULL when absent */
	const char *listener_metadata;
	struct seccomp_rule *rules;
	size_t n_rules;
	bool notify; /* some rule is SCMP_ACT_NOTIFY */
};

/* A compiled filter; insns is malloc'd (seccomp_prog_free). */
struct seccomp_prog {
	struct sock_filter *insns;
	size_t len;
	unsigned flags;	   /* for seccomp(2): the profile's, plus NEW_LISTENER with notify */
	size_t n_syscalls; /* distinct names with a rule in the filter */
	size_t n_unknown;  /* names no table knows: ignored, as runc ignores them */
};

/*
 * The program runc 1.1.5 would load for p (libseccomp 2.5's decisions and
 * runc's -ENOSYS stub), in at most BPF_MAXINSNS instructions.  Errors name
 * the entry: "config.json:12:5: linux.seccomp.syscalls[3]: ...".
 */
int seccomp_compile(const struct seccomp_profile *p, struct seccomp_prog *out, struct err *e);
void seccomp_prog_free(struct seccomp_prog *prog);

/*
 * seccomp(SECCOMP_SET_MODE_FILTER) with the program's flags.  Returns the
 * listener fd (NEW_LISTENER), 0 without one, or -1 with e set.  The caller
 * holds CAP_SYS_ADMIN or has set no_new_privs (seccomp(2) EACCES).
 */
int seccomp_filter_load(const struct seccomp_prog *prog, struct err *e);

/*
 * runc's hand-off of a listener fd (process_linux.go sendContainerProcessState):
 * connect to the profile's listenerPath and send the container process state
 * JSON (state_json, state_len bytes) with the fd in one SCM_RIGHTS message.
 */
int seccomp_send_listener(const char *path, const char *state_json, size_t state_len, int fd,
			  struct err *e);

/* The runtime's step: compile p, saying its size on --debug. */
int seccomp_prepare(const struct seccomp_profile *p, struct seccomp_prog *out, struct err *e);

/*
 * The runtime's side of SCMP_ACT_NOTIFY (runc process_linux.go, procSeccomp):
 * the container process state (runtime-spec "containerProcessState":
 * ociVersion, fds ["seccompFd"], pid, metadata, state) built around
 * state_json (the OCI state, len bytes) and sent with fd to listenerPath.
 */
int seccomp_notify_agent(const struct seccomp_profile *p, const char *state_json, size_t len,
			 int pid, int fd, struct err *e);

/* Names as runc spells them: -1 for an unknown name. */
int seccomp_action_from_name(const char *name, uint32_t errno_ret, bool has_errno, uint32_t *out);
int seccomp_op_from_name(const char *name);
int seccomp_arch_from_name(const char *name); /* enum seccomp_arch, _FOREIGN, or -1 */
int seccomp_flag_from_name(const char *name); /* SECCOMP_FILTER_FLAG_* bit, or -1 */

/* ---- the tables (seccomp_tables.c, generated by tools/gen-syscalls.py) ---- */
#define SECCOMP_NR_ABSENT 0xffff
#define SECCOMP_X32_BIT	  0x40000000U
#define SECCOMP_ARM_BASE  0x0f0000U /* __ARM_NR_BASE (EABI) */
struct seccomp_sysent {
	uint16_t name; /* offset in seccomp_sys_strtab */
	uint8_t mux;   /* x86: socketcall call 1..20, 0x80 | ipc call, 0 */
	uint16_t nr[SECCOMP_ARCHS];
};
extern const char seccomp_sys_strtab[];
extern const struct seccomp_sysent seccomp_systab[];
extern const unsigned seccomp_systab_len;

int seccomp_sys_lookup(const char *name);		 /* table index, or -1 */
int64_t seccomp_sys_nr(int idx, enum seccomp_arch arch); /* -1 when the arch lacks it */

#endif
