/*
 * seccomp_load.c - the names of linux.seccomp, the syscall tables' lookup,
 * loading a compiled filter, and handing a notify listener to its agent.
 *
 * runc counterparts: libcontainer/seccomp/config.go (the names it accepts),
 * patchbpf/enosys_linux.go sysSeccompSetFilter (the load),
 * process_linux.go sendContainerProcessState (the listener hand-off).
 * Left out: nothing runc 1.1.5 does; it refuses every "flags" value, minirunc
 * passes the four the runtime-spec names to seccomp(2) (a kernel without one
 * refuses the load, and that error is reported).
 */
#include "seccomp.h"

#include "json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

int
seccomp_sys_lookup(const char *name)
{
	unsigned lo = 0, hi = seccomp_systab_len;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		int c = strcmp(name, seccomp_sys_strtab + seccomp_systab[mid].name);

		if (c == 0)
			return (int)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

int64_t
seccomp_sys_nr(int idx, enum seccomp_arch arch)
{
	uint16_t v;

	if (idx < 0 || (unsigned)idx >= seccomp_systab_len || arch >= SECCOMP_ARCHS)
		return -1;
	v = seccomp_systab[idx].nr[arch];
	if (v == SECCOMP_NR_ABSENT)
		return -1;
	if (arch == SECCOMP_ARCH_ARM && (v & 0x8000))
		return SECCOMP_ARM_BASE + (v & 0x7fff);
	if (arch == SECCOMP_ARCH_X32)
		return (int64_t)(v | SECCOMP_X32_BIT);
	return v;
}

/* runc getAction(): KILL is KILL_THREAD; ERRNO and TRACE default to EPERM. */
int
seccomp_action_from_name(const char *name, uint32_t errno_ret, bool has_errno, uint32_t *out)
{
	static const struct {
		const char *name;
		uint32_t act;
	} acts[] = {
	    {"SCMP_ACT_KILL", SECCOMP_ACT_KILL_THREAD},
	    {"SCMP_ACT_KILL_THREAD", SECCOMP_ACT_KILL_THREAD},
	    {"SCMP_ACT_KILL_PROCESS", SECCOMP_ACT_KILL_PROCESS},
	    {"SCMP_ACT_TRAP", SECCOMP_ACT_TRAP},
	    {"SCMP_ACT_ERRNO", SECCOMP_ACT_ERRNO},
	    {"SCMP_ACT_TRACE", SECCOMP_ACT_TRACE},
	    {"SCMP_ACT_ALLOW", SECCOMP_ACT_ALLOW},
	    {"SCMP_ACT_LOG", SECCOMP_ACT_LOG},
	    {"SCMP_ACT_NOTIFY", SECCOMP_ACT_NOTIFY},
	};

	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		if (strcmp(name, acts[i].name) != 0)
			continue;
		*out = acts[i].act;
		if (*out == SECCOMP_ACT_ERRNO || *out == SECCOMP_ACT_TRACE)
			*out |= (has_errno ? errno_ret : EPERM) & 0xffff;
		return 0;
	}
	return -1;
}

int
seccomp_op_from_name(const char *name)
{
	static const char *const ops[] = {
	    [SECCOMP_OP_NE] = "SCMP_CMP_NE",
	    [SECCOMP_OP_LT] = "SCMP_CMP_LT",
	    [SECCOMP_OP_LE] = "SCMP_CMP_LE",
	    [SECCOMP_OP_EQ] = "SCMP_CMP_EQ",
	    [SECCOMP_OP_GE] = "SCMP_CMP_GE",
	    [SECCOMP_OP_GT] = "SCMP_CMP_GT",
	    [SECCOMP_OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(name, ops[i]) == 0)
			return (int)i;
	return -1;
}

/* Every name runc accepts (config.go archs).  The ones without a table here
 * are ABIs no host minirunc builds for can run, so their sections could
 * never be reached: accepted, and left out of the program. */
int
seccomp_arch_from_name(const char *name)
{
	static const struct {
		const char *name;
		int arch;
	} archs[] = {
	    {"SCMP_ARCH_X86_64", SECCOMP_ARCH_X86_64},
	    {"SCMP_ARCH_X86", SECCOMP_ARCH_X86},
	    {"SCMP_ARCH_X32", SECCOMP_ARCH_X32},
	    {"SCMP_ARCH_AARCH64", SECCOMP_ARCH_AARCH64},
	    {"SCMP_ARCH_ARM", SECCOMP_ARCH_ARM},
	    {"SCMP_ARCH_MIPS", SECCOMP_ARCH_FOREIGN},
	    {"SCMP_ARCH_MIPS64", SECCOMP_ARCH_FOREIGN},
	    {"SCMP_ARCH_MIPS64N32", SECCOMP_ARCH_FOREIGN},
	    {"SCMP_ARCH_MIPSEL", SECCOMP_ARCH_FOREIGN},
	    {"SCMP_ARCH_MIPSEL64", SECCOMP_ARCH_FOREIGN},
	    {"SCMP_ARCH_MIPSEL64N32", SECCOMP_ARCH_FOREIGN},
	    {"SCMP_ARCH_PPC", SECCOMP_ARCH_FOREIGN},
	    {"SCMP_ARCH_PPC64", SECCOMP_ARCH_FOREIGN},
	    {"SCMP_ARCH_PPC64LE", SECCOMP_ARCH_FOREIGN},
	    {"SCMP_ARCH_S390", SECCOMP_ARCH_FOREIGN},
	    {"SCMP_ARCH_S390X", SECCOMP_ARCH_FOREIGN},
	};

	for (size_t i = 0; i < sizeof(archs) / sizeof(archs[0]); i++)
		if (strcmp(name, archs[i].name) == 0)
			return archs[i].arch;
	return -1;
}

/* The runtime-spec's flags (config-linux.md "Seccomp" flags). */
int
seccomp_flag_from_name(const char *name)
{
	if (strcmp(name, "SECCOMP_FILTER_FLAG_TSYNC") == 0)
		return SECCOMP_FILTER_FLAG_TSYNC;
	if (strcmp(name, "SECCOMP_FILTER_FLAG_LOG") == 0)
		return SECCOMP_FILTER_FLAG_LOG;
	if (strcmp(name, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
		return SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	if (strcmp(name, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0)
		return 1 << 5; /* SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, Linux 5.19 */
	return -1;
}

int
seccomp_filter_load(const struct seccomp_prog *prog, struct err *e)
{
	struct sock_fprog fp = {.len = (unsigned short)prog->len, .filter = prog->insns};
	unsigned flags = prog->flags;
	long rc;

	/* TSYNC and a listener exclude each other unless TSYNC_ESRCH says how a
	 * sync failure is reported (seccomp(2)); the init has one thread. */
	if ((flags & SECCOMP_FILTER_FLAG_TSYNC) && (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER))
		flags |= 1 << 4; /* SECCOMP_FILTER_FLAG_TSYNC_ESRCH, Linux 5.7 */
	rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fp);
	if (rc < 0)
		return err_set(e, "seccomp(SECCOMP_SET_MODE_FILTER, flags %#x, %zu instructions):",
			       flags, prog->len);
	return (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) ? (int)rc : 0;
}

int
seccomp_send_listener(const char *path, const char *state_json, size_t state_len, int fd,
		      struct err *e)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	ssize_t n;
	int s, rc;

	if (strlen(path) >= sizeof(sa.sun_path))
		return errno = ENAMETOOLONG, err_set(e, "seccomp listenerPath %s:", path);
	memcpy(sa.sun_path, path, strlen(path));
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return err_set(e, "seccomp agent socket:");
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = err_set(e,
			     "failed to connect with seccomp agent specified in the seccomp "
			     "profile (%s):",
			     path);
		close(s);
		return rc;
	}
	n = send_with_fd(s, state_json, state_len, fd);
	if (n != (ssize_t)state_len)
		rc = err_set(e, "cannot send seccomp fd to %s:", path);
	else
		rc = 0;
	close(s);
	return rc;
}

int
seccomp_prepare(const struct seccomp_profile *p, struct seccomp_prog *out, struct err *e)
{
	if (seccomp_compile(p, out, e) < 0)
		return -1;
	log_debug("seccomp: %zu syscalls named in %zu rules (%zu unknown, ignored), %zu BPF "
		  "instructions  (runc: seccomp_linux.go InitSeccomp, patchbpf)",
		  out->n_syscalls, p->n_rules, out->n_unknown, out->len);
	return 0;
}

int
seccomp_notify_agent(const struct seccomp_profile *p, const char *state_json, size_t len, int pid,
		     int fd, struct err *e)
{
	struct json_writer w;
	char head[128];
	char *msg;
	size_t n;
	int rc;

	/* runc marshals specs.ContainerProcessState: ociVersion, fds, pid,
	 * metadata (omitted when empty), state. */
	json_writer_init(&w, 0);
	if (p->listener_metadata && *p->listener_metadata)
		json_write_string(&w, p->listener_metadata);
	if (w.failed)
		return free(w.buf), errno = ENOMEM, err_set(e, "seccomp agent message:");
	snprintf(head, sizeof(head),
		 "{\"ociVersion\":\"1.0.2-dev\",\"fds\":[\"seccompFd\"],\"pid\":%d,", pid);
	n = strlen(head) + (w.len ? w.len + 12 : 0) + 9 + len + 2;
	msg = malloc(n);
	if (!msg)
		return free(w.buf), errno = ENOMEM, err_set(e, "seccomp agent message:");
	snprintf(msg, n, "%s%s%.*s%s\"state\":%.*s}", head, w.len ? "\"metadata\":" : "",
		 (int)w.len, w.len ? w.buf : "", w.len ? "," : "", (int)len, state_json);
	free(w.buf);
	rc = seccomp_send_listener(p->listener_path, msg, strlen(msg), fd, e);
	free(msg);
	return rc;
}
