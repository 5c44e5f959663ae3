#!/usr/bin/env bats
# tour.bats - docs/TOUR.md stays true: the functions it names are defined in
# the files it names (tests/tour/names.py), and every `console tour` block is
# run, in order, in one shell (tests/tour/check.py), and what each command
# prints must match the text.  The tour makes bridges, veths, network namespaces and
# iptables rules, so it runs inside private network and mount namespaces
# (tests/tour/isolate.sh) with a scratch directory under $T; nothing may be
# left on the host (helpers.bash snapshot / assert_nothing_left, plus the
# tour's own cgroups, named after its container ids tour-*).

load helpers

# tour_cgroups: cgroup directories named after the tour's container ids.
tour_cgroups() {
	find /sys/fs/cgroup -mindepth 1 -maxdepth 8 -type d -name 'tour-*' 2>/dev/null | sort
}

# tour_reap: a container the tour left running (it failed half way) is killed
# by its cgroup, and the cgroup removed.
tour_reap() {
	local d p
	for d in $(tour_cgroups | sort -r); do
		for p in $(cat "$d/cgroup.procs" 2>/dev/null); do
			kill -9 "$p" 2>/dev/null
		done
	done
	sleep 0.2
	for d in $(tour_cgroups | sort -r); do
		rmdir "$d" 2>/dev/null
	done
	return 0
}

setup() {
	require_minirunc
	local c
	for c in python3 unshare nsenter ip iptables ss chroot; do
		require_cmd "$c"
	done
	[ -x "$BUSYBOX" ] || skip_or_fail "busybox not found ($BUSYBOX)"
	if [ -n "$(tour_cgroups)" ]; then
		skip_or_fail "cgroups named tour-* exist already: $(tour_cgroups | head -n 3)"
	fi
	T=$(mktemp -d /tmp/mr-test.XXXXXX)
	chmod 755 "$T"
	TAG=${T##*/}
	MR_NETNS=()
}

teardown() {
	tour_reap
	mr_teardown
}

@test "tour: docs/TOUR.md names real code, and every console tour block prints what the text says" {
	local st=0
	# Each stop's file and functions, and the netlink table's functions, exist.
	python3 "$MR_TOP/tests/tour/names.py" "$MR_TOP/docs/TOUR.md" "$MR_TOP"
	mkdir "$T/tour"
	chmod 755 "$T/tour"
	snapshot "$T/snap.before"
	timeout 120 "$MR_TOP/tests/tour/isolate.sh" "$T/tour" \
		env MINIRUNC="$(realpath "$MINIRUNC")" TREE="$MR_TOP" \
		python3 "$MR_TOP/tests/tour/check.py" "$MR_TOP/docs/TOUR.md" "$T/tour" \
		>"$T/tap" 2>&1 || st=$?
	cat "$T/tap"
	[ "$st" = 0 ]
	grep -q '^ok ' "$T/tap"
	! grep -q '^not ok' "$T/tap"
	# The tour cleans up after itself; so must the test.
	[ -z "$(tour_cgroups)" ] || {
		echo "cgroups left: $(tour_cgroups)"
		false
	}
	assert_nothing_left "$T/snap.before"
}
