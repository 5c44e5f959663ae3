/*
 * rootfs_selftest.c - root only: drive rootfs.c for real, each scenario in a
 * child with its own mount (and pid, ipc, uts, net) namespace, so no mount
 * ever reaches the host.
 *
 *   rootfs_selftest show DIR    build `runc spec`'s mounts over DIR/rootfs (a
 *                               busybox tree), then print mountinfo and /dev
 *                               from inside, as `runc run` would show them
 *   rootfs_selftest escapes DIR the SECURITY.md rows that belong to rootfs.c
 * Environment: DEBUG=1 prints the --debug narration, NOPIVOT=1 uses msMoveRoot.
 *
 * Build: make build-unit (build/tools/rootfs_selftest)
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rootfs.h"

/*
 * The spec `runc spec` writes (spec.c keeps the one copy of it), parsed as
 * minirunc parses any config.json, with root.path = dir/rootfs.  Exits on
 * failure: this is a hand-run tool.
 */
static void
runc_spec(struct spec *s, const char *dir)
{
	struct err e;
	size_t len;
	char *json = spec_default_json(&len);

	if (!json || spec_parse("config.json", json, len, dir, s, &e) < 0) {
		fprintf(stderr, "runc's default spec: %s\n", json ? e.msg : strerror(errno));
		exit(2);
	}
	free(json);
}

/* Run fn in a grandchild that is pid 1 of fresh namespaces; its exit status. */
static int
in_namespaces(int (*fn)(struct spec *), struct spec *s)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS |
			    CLONE_NEWNET) < 0)
			_exit(90);
		pid = fork();
		if (pid == 0)
			_exit(fn(s));
		if (pid < 0 || waitpid(pid, &st, 0) < 0)
			_exit(91);
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The whole sequence the init runs; the message of the failing step, if any. */
static bool no_pivot;

static int
full_run(struct spec *s, struct err *e)
{
	if (rootfs_check(s, e) < 0 || rootfs_prepare(s, e) < 0 ||
	    rootfs_pivot(s, no_pivot, e) < 0 || rootfs_finalize(s, e) < 0)
		return -1;
	return 0;
}

static int
show(struct spec *s)
{
	struct err e;

	if (full_run(s, &e) < 0) {
		fprintf(stderr, "FAIL: %s\n", e.msg);
		return 1;
	}
	execl("/bin/busybox", "sh", "-c",
	      "/bin/busybox cat /proc/self/mountinfo; /bin/busybox ls -l /dev /dev/pts /dev/shm "
	      "/dev/mqueue; /bin/busybox ls -l /sys/fs/cgroup",
	      (char *)NULL);
	return 127;
}

/* ---- SECURITY.md rows ---- */

static int failures;
static char want[256];

static void
expect(const char *what, int ok)
{
	printf("%s %s\n", ok ? "ok  " : "FAIL", what);
	fflush(stdout); /* or the child of the next fork prints it again */
	failures += !ok;
}

static int
expect_error(struct spec *s)
{
	struct err e = {""};
	int r = full_run(s, &e);

	printf("      -> %s\n", r < 0 ? e.msg : "(no error)");
	fflush(stdout);
	return r < 0 && strstr(e.msg, want) ? 0 : 1;
}

static int
symlink_escape_run(struct spec *s)
{
	static const char *none[] = {NULL};
	static struct spec_mount m[] = {
	    {.destination = "/a/b", .type = "tmpfs", .source = "tmpfs", .options = none},
	    {.destination = "/proc", .type = "proc", .source = "proc", .options = none}};
	struct err e;

	s->mounts = m;
	s->n_mounts = 2;
	s->n_masked_paths = s->n_readonly_paths = 0;
	s->root_readonly = false;
	if (full_run(s, &e) < 0) {
		fprintf(stderr, "      %s\n", e.msg);
		return 1;
	}
	/* Inside: /tmp/mr-x/b is the tmpfs. */
	size_t len;
	char *mi = read_file("/proc/self/mountinfo", 1 << 20, &len);

	return mi && strstr(mi, " /tmp/mr-x/b rw,relatime - tmpfs ") ? 0 : 2;
}

static void
sh(const char *cmd)
{
	if (system(cmd) != 0)
		fprintf(stderr, "command failed: %s\n", cmd);
}

static int
console_run(struct spec *s)
{
	struct err e;
	int pty;

	if (full_run(s, &e) < 0)
		return 1;
	pty = open("/dev/null", O_RDWR | O_CLOEXEC); /* any char device will do here */
	if (rootfs_bind_console(pty, &e) == 0)
		return 2;
	printf("      -> %s\n", e.msg);
	fflush(stdout);
	return 0;
}

static int
console_ok_run(struct spec *s)
{
	struct err e;
	struct stat a, b;
	int pty;

	if (full_run(s, &e) < 0)
		return 1;
	pty = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (pty < 0 || rootfs_bind_console(pty, &e) < 0) {
		printf("      -> %s\n", pty < 0 ? "no ptmx" : e.msg);
		return 2;
	}
	return stat("/dev/console", &a) == 0 && fstat(pty, &b) == 0 && a.st_rdev == b.st_rdev ? 0
											      : 3;
}

static void
escapes(const char *dir)
{
	struct spec s;
	char cmd[8192], rootfs[4096];

	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", dir);
	snprintf(cmd, sizeof(cmd),
		 "rm -rf /tmp/mr-x /tmp/mr-hostdir /tmp/mr-hostfile; "
		 "echo host > /tmp/mr-hostfile; mkdir /tmp/mr-hostdir; cd %s && "
		 "rm -rf a tmp proc dev && ln -s ../../../../tmp/mr-x a",
		 rootfs);
	sh(cmd);
	runc_spec(&s, dir);
	expect("CVE-2021-30465: mount at /a/b with /a -> ../../../../tmp/mr-x lands in the rootfs",
	       in_namespaces(symlink_escape_run, &s) == 0);
	snprintf(cmd, sizeof(cmd), "%s/tmp/mr-x/b", rootfs);
	expect("   ... rootfs/tmp/mr-x/b was created", access(cmd, F_OK) == 0);
	expect("   ... nothing at host /tmp/mr-x", access("/tmp/mr-x", F_OK) < 0);

	snprintf(cmd, sizeof(cmd), "cd %s && rm -rf a tmp proc && ln -s /tmp/mr-hostdir proc",
		 rootfs);
	sh(cmd);
	snprintf(want, sizeof(want), "must be mounted on ordinary directory");
	expect("CVE-2019-16884: rootfs/proc a symlink: clear error",
	       in_namespaces(expect_error, &s) == 0);

	snprintf(cmd, sizeof(cmd),
		 "cd %s && rm -rf proc dev && mkdir proc && ln -s /tmp/mr-hostdir dev", rootfs);
	sh(cmd);
	runc_spec(&s, dir);
	s.n_mounts = 1; /* /proc only: /dev is the rootfs' own (a symlink) */
	snprintf(want, sizeof(want), "rootfs /dev");
	expect("CVE-2026-41579: rootfs/dev -> /tmp/mr-hostdir: error",
	       in_namespaces(expect_error, &s) == 0);
	expect("   ... nothing new in /tmp/mr-hostdir",
	       system("test -z \"$(ls -A /tmp/mr-hostdir)\"") == 0);

	snprintf(cmd, sizeof(cmd),
		 "cd %s && rm -rf dev && mkdir dev && ln -s /tmp/mr-hostfile "
		 "dev/null",
		 rootfs);
	sh(cmd);
	runc_spec(&s, dir);
	s.n_mounts = 1;
	s.root_readonly = false;
	want[0] = '\0';
	{
		int r = in_namespaces(expect_error, &s);

		snprintf(cmd, sizeof(cmd), "%s/dev/null", rootfs);
		struct stat st;
		expect("CVE-2025-31133: rootfs/dev/null -> host file: mask stays 1:3 (or error)",
		       r == 1 || (r == 0 && lstat(cmd, &st) == 0 && S_ISLNK(st.st_mode)));
	}
	expect("   ... host file unchanged",
	       system("test \"$(cat /tmp/mr-hostfile)\" = host") == 0);

	snprintf(cmd, sizeof(cmd),
		 "cd %s && rm -rf dev && mkdir dev && ln -s /tmp/mr-hostfile "
		 "dev/console",
		 rootfs);
	sh(cmd);
	runc_spec(&s, dir);
	s.n_mounts = 1;
	s.n_masked_paths = s.n_readonly_paths = 0;
	s.root_readonly = false;
	expect("CVE-2025-52565: planted /dev/console symlink is refused",
	       in_namespaces(console_run, &s) == 0);
	expect("   ... host file unchanged",
	       system("test \"$(cat /tmp/mr-hostfile)\" = host") == 0);

	snprintf(cmd, sizeof(cmd), "cd %s && rm -rf dev", rootfs);
	sh(cmd);
	runc_spec(&s, dir);
	expect("/dev/console bound from a pty has the pty's rdev",
	       in_namespaces(console_ok_run, &s) == 0);
	sh("rm -rf /tmp/mr-x /tmp/mr-hostdir /tmp/mr-hostfile");
}

int
main(int argc, char **argv)
{
	struct spec s;

	if (argc != 3 || getuid() != 0) {
		fprintf(stderr, "usage (as root): %s show|escapes BUNDLE_DIR\n", argv[0]);
		return 2;
	}
	log_debug_on = getenv("DEBUG") != NULL;
	no_pivot = getenv("NOPIVOT") != NULL; /* minirunc run --no-pivot */
	log_who = "init";
	if (strcmp(argv[1], "show") == 0) {
		runc_spec(&s, argv[2]);
		return in_namespaces(show, &s);
	}
	escapes(argv[2]);
	printf("%d failed\n", failures);
	return failures != 0;
}
