/*
 * scprobe.c - run inside a container under a seccomp profile: make a fixed
 * list of syscalls, each in a child of its own, and print one line each:
 *   NAME(ARGS): ok | errno NAME | killed by SIGSYS | ...
 * Arguments are chosen so that an allowed call fails harmlessly (bad fd,
 * bad pointer) and never changes anything; what the filter decides shows
 * as the errno it returns or the signal it sends.  tests/integration/
 * seccomp.bats runs it under runc and minirunc and wants the same report.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct call {
	const char *what;
	long nr;
	long a[6];
};

#define BAD ((long)-1) /* a bad fd, and an unmapped address */

static const struct call calls[] = {
    {"read(-1)", SYS_read, {BAD, 0, 0}},
    {"write(-1)", SYS_write, {BAD, 0, 0}},
    {"close(-1)", SYS_close, {BAD}},
    {"getpid", SYS_getpid, {0}},
    {"personality(0xffffffff)", SYS_personality, {0xffffffffL}},
    {"personality(8)", SYS_personality, {8}},
    {"personality(0x20000)", SYS_personality, {0x20000}},
    {"personality(4)", SYS_personality, {4}},
    {"socket(AF_UNIX,SOCK_STREAM)", SYS_socket, {1, 1, 0}},
    {"socket(AF_NETLINK,RAW,AUDIT)", SYS_socket, {16, 3, 9}},
    {"socket(AF_NETLINK,RAW,ROUTE)", SYS_socket, {16, 3, 0}},
    {"socket(AF_INET,RAW,9)", SYS_socket, {2, 3, 9}},
    {"mount(bad)", SYS_mount, {BAD, BAD, BAD, 0, 0}},
    {"umount2(bad)", SYS_umount2, {BAD, 0}},
    {"ptrace(-1)", SYS_ptrace, {BAD, 0, 0, 0}},
    {"reboot(0)", SYS_reboot, {0, 0, 0, 0}},
    {"kexec_load(bad)", SYS_kexec_load, {0, 0, BAD, 0}},
    {"bpf(-1)", SYS_bpf, {BAD, 0, 0}},
    {"keyctl(-1)", SYS_keyctl, {BAD, 0, 0}},
    {"add_key(bad)", SYS_add_key, {BAD, BAD, 0, 0, 0}},
    {"unshare(0)", SYS_unshare, {0}},
    {"setns(-1)", SYS_setns, {BAD, 0}},
    {"clone3(bad)", 435, {BAD, 0}}, /* 435 on x86_64 and asm-generic */
    {"open_by_handle_at(-1)", SYS_open_by_handle_at, {BAD, BAD, 0}},
    {"chroot(bad)", SYS_chroot, {BAD}},
    {"acct(bad)", SYS_acct, {BAD}},
    {"settimeofday(bad)", SYS_settimeofday, {BAD, BAD}},
    {"kill(0,0)", SYS_kill, {0, 0}},
    {"getpriority(0,0)", SYS_getpriority, {0, 0}},
    {"getpriority(1,0)", SYS_getpriority, {1, 0}},
    {"futex_waitv(bad)", 449, {BAD, 1, 0, 0, 0}},
    {"syscall 451 (newer than the tables)", 451, {0}},
    {"syscall 460", 460, {0}},
    {"syscall 1000", 1000, {0}},
#ifdef __x86_64__
    {"x32 getpid", 0x40000000 | 39, {0}},
    {"x32 syscall 1000", 0x40000000 | 1000, {0}},
    {"syscall -1", -1, {0}},
#endif
};

static void
report(const struct call *c, int status, int out)
{
	char line[256];
	int n;

	if (WIFSIGNALED(status))
		n = snprintf(line, sizeof(line), "%s: killed by %s\n", c->what,
			     strsignal(WTERMSIG(status)));
	else if (WEXITSTATUS(status) == 0)
		n = snprintf(line, sizeof(line), "%s: ok\n", c->what);
	else
		n = snprintf(line, sizeof(line), "%s: errno %d\n", c->what, WEXITSTATUS(status));
	if (write(out, line, (size_t)n) != n)
		_exit(2);
}

int
main(void)
{
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		const struct call *c = &calls[i];
		int status;
		pid_t pid = fork();

		if (pid < 0)
			return perror("fork"), 1;
		if (pid == 0) {
			long r =
			    syscall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], c->a[5]);

			_exit(r < 0 ? (errno & 0xff ? errno & 0xff : 255) : 0);
		}
		if (waitpid(pid, &status, 0) < 0)
			return perror("waitpid"), 1;
		report(c, status, 1);
	}
	return 0;
}
