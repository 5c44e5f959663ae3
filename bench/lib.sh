#!/usr/bin/env bash
# bench/lib.sh - what the bench scripts share (sourced by bench/run.sh, cgroups.sh, seccomp.sh,
# userns.sh, engines.sh): the clock, the median, and the mount namespace crun runs in.
# Not a test: nothing here asserts.

# now_us: the wall clock in microseconds (bash's EPOCHREALTIME, no fork).
now_us() { echo "${EPOCHREALTIME/./}"; }

# median [DECIMALS]: the median of the microsecond figures on stdin, in ms (default 2 decimals);
# prints nothing for no figures.
median() {
	tr ' ' '\n' | grep . | sort -n | awk -v d="${1:-2}" '{ a[NR] = $1 } END {
		if (!NR) exit
		m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		printf "%.*f", d, m / 1000 }'
}

# bench_crun_ns WORK MNTNS: crun 1.8 refuses this machine's hybrid cgroup layout while a
# controller sits on the v2 hierarchy, so it runs in a mount namespace, kept at MNTNS (a file
# under WORK/ns, a private bind), where /sys/fs/cgroup/unified is covered by an empty tmpfs:
# `nsenter --mount=MNTNS crun ...`.  Status 0 when that namespace is made.  The caller's
# cleanup unmounts MNTNS and WORK/ns.
bench_crun_ns() {
	mkdir -p "$1/ns" && touch "$2" &&
		mount --bind "$1/ns" "$1/ns" && mount --make-private "$1/ns" &&
		unshare --mount="$2" --propagation private \
			sh -c 'mount -t tmpfs none /sys/fs/cgroup/unified 2>/dev/null || true'
}
