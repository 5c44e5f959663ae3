#!/usr/bin/env bats
# messages.bats - where runc's own tests match a phrase of runc's error or
# warning, minirunc's line carries the same phrase, made by the same config
# under both runtimes (the phrase is checked case for case, as runc's tests
# do), and a refusal leaves nothing behind.
# runc counterpart (v1.1.5): mask.bats "prohibit symlink /proc", cgroups.bats
# "non-empty cgroup" and "pre-existing frozen cgroup", seccomp.bats
# "startContainer hook", seccomp-notify.bats "agent".  The rootless cgroup
# phrases are in userns.bats, the exec-while-paused one in cgroups.bats,
# SCMP_ACT_NOTIFY on write in seccomp.bats.

load helpers
load lifecycle_helpers

setup() {
	mr_setup
	require_runc
	FROZEN=
}

teardown() {
	if [ -n "$FROZEN" ] && [ -d "$FROZEN" ]; then
		if [ -e "$FROZEN/cgroup.freeze" ]; then
			echo 0 >"$FROZEN/cgroup.freeze"
		else
			echo THAWED >"$FROZEN/freezer.state"
		fi
	fi
	mr_teardown
	[ -z "$FROZEN" ] || rmdir "$FROZEN" 2>/dev/null || true
}

# phrase NAME TEXT: the last rt NAME's stderr holds TEXT, exactly.
phrase() {
	grep -qF -- "$2" "$T/$1.e" || {
		rt_show "$1"
		echo "missing: $2"
		return 1
	}
}

@test "messages: rootfs/proc a symlink: 'must be mounted on ordinary directory'" {
	cfg "$B" 'p["args"] = ["/bin/true"]'
	rm -rf "$B/rootfs/proc"
	ln -s /symlink "$B/rootfs/proc"
	expect_bad_input "proc"
	grep -qF 'must be mounted on ordinary directory' "$T/bad.err"
	rt runc run -d --bundle "$B" "$ID"
	[ "$RT_RC" = 1 ]
	phrase runc 'must be mounted on ordinary directory'
}

# freeze_cgroup DIR: a cgroup frozen before any container uses it.
freeze_cgroup() {
	if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
		FROZEN=/sys/fs/cgroup/$1
		mkdir "$FROZEN"
		echo 1 >"$FROZEN/cgroup.freeze"
	else
		[ -d /sys/fs/cgroup/freezer ] || skip_or_fail "no freezer hierarchy"
		FROZEN=/sys/fs/cgroup/freezer/$1
		mkdir "$FROZEN"
		echo FROZEN >"$FROZEN/freezer.state"
	fi
}

@test "messages: a cgroupsPath frozen beforehand is refused: 'container's cgroup unexpectedly frozen'" {
	cfg "$B" 'p["args"] = ["/bin/sleep", "30"]' "l['cgroupsPath'] = '/$TAG-frozen'"
	freeze_cgroup "$TAG-frozen"
	snapshot "$T/snap.before"
	# Before the fix the init stopped in the frozen cgroup and create hung,
	# deaf to rt's SIGTERM: a KILL 10 s on makes that hang a failure.
	MR_RT_ENV=(timeout -k 2 10 "${MR_RT_ENV[@]}")
	rt mr run -d --bundle "$B" "$ID"
	expect_fail mr 1 "container's cgroup unexpectedly frozen"
	phrase mr "container's cgroup unexpectedly frozen"
	rt mr create --bundle "$B" "$ID-2"
	expect_fail mr 1 "container's cgroup unexpectedly frozen"
	# The frozen cgroup is not minirunc's: still there, nothing else left.
	[ -d "$FROZEN" ]
	assert_nothing_left "$T/snap.before"
	rt runc run -d --bundle "$B" "$ID"
	[ "$RT_RC" = 1 ]
	phrase runc "container's cgroup unexpectedly frozen"
}

@test "messages: a cgroup in use already is joined with runc's warning 'container's cgroup is not empty'" {
	cfg "$B" 'p["args"] = ["/bin/sleep", "30"]' "l['cgroupsPath'] = '/$TAG-shared'"
	local n
	for n in runc mr; do
		rt_ok $n run -d --bundle "$B" "$ID-a"
		! grep -qF "container's cgroup is not empty" "$T/$n.e"
		rt_ok $n run -d --bundle "$B" "$ID-b"
		phrase $n "container's cgroup is not empty"
		rt_ok $n create --bundle "$B" "$ID-c"
		phrase $n "container's cgroup is not empty"
		[ "$(status_of $n "$ID-b")" = running ]
		rt_ok $n delete -f "$ID-c"
		rt_ok $n delete -f "$ID-b"
		rt_ok $n delete -f "$ID-a"
	done
	[ "$(wc -l <"$T/mr.e")" = 0 ]
}

@test "messages: a startContainer hook killed by seccomp: 'error running hook', 'bad system call'" {
	cfg "$B" 'p["args"] = ["/bin/true"]' \
		'l["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_KILL"}]}' \
		'c["hooks"] = {"startContainer": [{"path": "/bin/sh", "args": ["sh", "-c", "mkdir /dev/shm/foo"]}]}'
	expect_bad_input "startContainer hook"
	grep -qF "error running hook" "$T/bad.err"
	grep -qF "bad system call" "$T/bad.err"
	rt runc run --bundle "$B" "$ID"
	[ "$RT_RC" != 0 ]
	phrase runc "error running hook"
	phrase runc "bad system call"
}

@test "messages: a seccomp listenerPath nobody listens on: 'failed to connect with seccomp agent'" {
	cfg "$B" 'p["args"] = ["/bin/true"]' \
		"l['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '$T/nobody.sock', 'architectures': ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'], 'syscalls': [{'names': ['mkdir'], 'action': 'SCMP_ACT_NOTIFY'}]}"
	expect_bad_input "seccomp agent"
	grep -qF "failed to connect with seccomp agent" "$T/bad.err"
	rt runc run --bundle "$B" "$ID"
	[ "$RT_RC" = 1 ]
	phrase runc "failed to connect with seccomp agent"
}
