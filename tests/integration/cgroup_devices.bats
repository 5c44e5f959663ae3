#!/usr/bin/env bats
# cgroup_devices.bats - the device cgroup enforced on this machine's real
# kernel (issue 12, item 5): cgroup_devices.c's v1 writer on the v1 devices
# hierarchy and its eBPF program on the cgroup2 hierarchy (on this hybrid
# host /sys/fs/cgroup/unified: no controllers, but device programs attach to
# any cgroup2 directory).  tests/cgdevtool.c puts the rules on a test cgroup;
# a shell moved into it then opens devices.  The v1 list is compared with the
# one runc 1.1.5 leaves for the same config.
#
# The same rules through minirunc itself: a container with the host's /dev
# bound in opens what runc's does and is refused what runc's is.
#
# runc counterpart: tests/integration/dev.bats and the devices cases of
# libcontainer/cgroups/{fs,ebpf/devicefilter} tests.

load helpers

setup() {
	mr_setup
	CGDIRS=()
	TOOL=$(cgdevtool_build)
}

teardown() {
	local d i
	for d in "${CGDIRS[@]}"; do
		for i in 1 2 3 4 5 6 7 8 9 10; do
			[ -d "$d" ] || break
			rmdir "$d" 2>/dev/null || sleep 0.1
		done
	done
	mr_teardown
}

# cgdevtool_build: tests/cgdevtool.c as the Makefile builds it (with the
# unit tests), made here when missing; one make at a time.
cgdevtool_build() {
	local out=$MR_TOP/build/tools/cgdevtool
	(
		flock 9
		make -s -C "$MR_TOP" build/tools/cgdevtool >&2
	) 9>"${BATS_RUN_TMPDIR:-/tmp}/cgdevtool.lock"
	[ -x "$out" ] || return 1
	echo "$out"
}

# v1_dir / v2_dir: a new test cgroup (removed by teardown).
v1_dir() {
	[ -f /sys/fs/cgroup/devices/devices.list ] || skip_or_fail "no cgroup v1 devices hierarchy"
	CG=/sys/fs/cgroup/devices/$ID
	mkdir "$CG"
	CGDIRS+=("$CG")
}

v2_dir() {
	local m
	m=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	[ -n "$m" ] || skip_or_fail "no cgroup2 hierarchy mounted"
	CG=$m/$ID
	mkdir "$CG"
	CGDIRS+=("$CG")
}

# in_cg OPEN DEV: a shell joins $CG, then opens DEV (OPEN is <, > or <>);
# prints "ok" or the shell's error.
in_cg() {
	sh -c 'echo $$ >"$1/cgroup.procs" || exit 9
		case $2 in
		"<") exec 3<"$3" ;;
		">") exec 3>"$3" ;;
		"<>") exec 3<>"$3" ;;
		esac && echo ok' sh "$CG" "$1" "$2" 2>&1
}

# mknod_in_cg TYPE MAJOR MINOR: the same shell makes a node under $T.
mknod_in_cg() {
	sh -c 'echo $$ >"$1/cgroup.procs" && mknod "$2" "$3" "$4" "$5" && echo ok' sh "$CG" \
		"$T/node$RANDOM" "$@" 2>&1
}

# the_default_cases: runc's default list behind a deny-all, as a container sees it.
the_default_cases() {
	[ -c /dev/fuse ] || skip_or_fail "no /dev/fuse on this host"
	run in_cg "<>" /dev/null
	[ "$output" = ok ]
	run in_cg "<" /dev/urandom
	[ "$output" = ok ]
	run in_cg "<>" /dev/fuse
	[[ "$output" == *"Operation not permitted"* ]]
	run in_cg "<" /dev/kmsg
	[[ "$output" == *"Operation not permitted"* ]]
	run in_cg "<" /dev/loop0
	[[ "$output" == *"Operation not permitted"* ]]
	# mknod of any node is allowed (c *:* m, b *:* m); using it is not.
	run mknod_in_cg c 10 229
	[ "$output" = ok ]
	run mknod_in_cg b 7 0
	[ "$output" = ok ]
}

@test "v1: runc's default device list behind deny-all: /dev/null opens, /dev/fuse is refused" {
	v1_dir
	"$TOOL" v1 "$CG" --defaults "-a *:* rwm"
	the_default_cases
}

@test "v1: devices.list is the one runc 1.1.5 leaves for the same rules" {
	require_runc
	v1_dir
	"$TOOL" v1 "$CG" --defaults "-a *:* rwm" "+c 10:229 rw"
	mkdir -p "$T/b/rootfs/bin"
	cp "$BUSYBOX" "$T/b/rootfs/bin/busybox"
	ln -s busybox "$T/b/rootfs/bin/sleep"
	"$RUNC" spec --bundle "$T/b"
	cfg "$T/b" 'p["terminal"] = False' 'p["args"] = ["/bin/sleep", "30"]' \
		'l["resources"]["devices"].append({"allow": True, "type": "c", "major": 10, "minor": 229, "access": "rw"})' \
		"p[\"env\"].append(\"MR_TEST_TAG=$TAG\")"
	"$RUNC" --root "$T/root-runc" run -d --bundle "$T/b" "$ID-runc" </dev/null >/dev/null 2>&1
	runc_list=$(cat "/sys/fs/cgroup/devices/$ID-runc/devices.list")
	"$RUNC" --root "$T/root-runc" delete -f "$ID-runc"
	diff -u <(echo "$runc_list") "$CG/devices.list"
}

@test "v1: an update writes only the changes, and the new rules hold" {
	v1_dir
	"$TOOL" v1 "$CG" --defaults "-a *:* rwm"
	"$TOOL" v1 "$CG" "-a *:* rwm" "+c 1:3 r" "+c 10:229 rwm"
	[ "$(cat "$CG/devices.list")" = "$(printf 'c 1:3 r\nc 10:229 rwm')" ]
	run in_cg "<>" /dev/null
	[[ "$output" == *"Operation not permitted"* ]]
	run in_cg "<" /dev/null
	[ "$output" = ok ]
	run in_cg "<>" /dev/fuse
	[ "$output" = ok ]
}

@test "v1: a rule that would punch a hole in a wildcard is refused and nothing is written" {
	v1_dir
	run "$TOOL" v1 "$CG" "-a *:* rwm" "+c 1:* r" "-c 1:3 r"
	[ "$status" -eq 1 ]
	[ "$output" = 'cgdevtool: rule "c 1:3 r" would punch a hole in the wildcard rule "c 1:* r", which the device cgroup cannot do' ]
	[ "$(cat "$CG/devices.list")" = "a *:* rwm" ]
}

@test "v2: the eBPF program of runc's default list: /dev/null opens, /dev/fuse is refused" {
	v2_dir
	"$TOOL" v2 "$CG" --defaults "-a *:* rwm"
	the_default_cases
}

@test "v2: a deny list refuses what it takes away, also inside a read-write open" {
	v2_dir
	"$TOOL" v2 "$CG" "+a *:* rwm" "-c 1:7 w" "-c 10:229 rwm"
	run in_cg "<" /dev/full
	[ "$output" = ok ]
	run in_cg ">" /dev/full
	[[ "$output" == *"Operation not permitted"* ]]
	# runc's program lets this one through (intended difference: v1's rule)
	run in_cg "<>" /dev/full
	[[ "$output" == *"Operation not permitted"* ]]
	run in_cg "<" /dev/fuse
	[[ "$output" == *"Operation not permitted"* ]]
	run in_cg "<>" /dev/null
	[ "$output" = ok ]
}

@test "v2: applying again replaces minirunc's program and leaves one it did not attach" {
	v2_dir
	"$TOOL" v2 "$CG" "+a *:* rwm"
	run in_cg "<>" /dev/fuse
	[ "$output" = ok ]
	first=$("$TOOL" list "$CG")
	[[ "$first" =~ ^[0-9]+\ minirunc_dev$ ]]
	"$TOOL" foreign "$CG"
	"$TOOL" v2 "$CG" --defaults "-a *:* rwm"
	run "$TOOL" list "$CG"
	[ "${#lines[@]}" -eq 2 ]
	[[ "$output" == *" other"* ]]
	[ "$(grep -c ' minirunc_dev$' <<<"$output")" -eq 1 ]
	[ "$(grep -cx "$first" <<<"$output")" -eq 0 ]
	run in_cg "<>" /dev/fuse
	[[ "$output" == *"Operation not permitted"* ]]
	run in_cg "<>" /dev/null
	[ "$output" = ok ]
}

@test "a container with the host's /dev bound in: /dev/null opens, /dev/fuse is refused, as under runc" {
	[ -c /dev/fuse ] || skip_or_fail "no /dev/fuse on this host"
	cfg "$B" 'c["mounts"].append({"destination": "/hostdev", "type": "bind", "source": "/dev", "options": ["rbind"]})' \
		'p["args"] = ["/bin/sh", "-c", "for d in null zero urandom fuse kmsg loop0 net/tun; do if [ -c /hostdev/$d ] || [ -b /hostdev/$d ]; then (exec 3<>/hostdev/$d) 2>&1 && echo $d opens; else echo $d: no such node; fi; done; exit 0"]'
	run_both
	cat "$T/mr.out"
	[ "$MR_STATUS" -eq 0 ]
	diff -u "$T/runc.out" "$T/mr.out"
	grep -qx "null opens" "$T/mr.out"
	grep -qx "/bin/sh: can't create /hostdev/fuse: Operation not permitted" "$T/mr.out"
	grep -qx "/bin/sh: can't create /hostdev/loop0: Operation not permitted" "$T/mr.out"
}

@test "device rules the cgroup cannot enforce fail create, as runc's, and leave no cgroup" {
	require_runc
	cfg "$B" 'l["resources"]["devices"] += [{"allow": True, "type": "c", "major": 1, "access": "r"}, {"allow": False, "type": "c", "major": 1, "minor": 3, "access": "r"}]'
	run "$RUNC" --root "$T/root-runc" create --bundle "$B" "$ID" </dev/null
	[ "$status" -eq 1 ]
	run "$MINIRUNC" --root "$T/root-mr" create --bundle "$B" "$ID" </dev/null
	[ "$status" -eq 1 ]
	[ "$output" = 'minirunc: linux.resources.devices: rule "c 1:3 r" would punch a hole in the wildcard rule "c 1:* r", which the device cgroup cannot do' ]
	[ -z "$(ls "$T/root-mr" 2>/dev/null)" ]
	run find /sys/fs/cgroup -name "$ID"
	[ -z "$output" ]
}

@test "linux.devices naming /dev/null keeps runc's default allow for it (runc 1.1.5 drops it and cannot start)" {
	require_runc
	cfg "$B" 'l["devices"] = [{"path": "/dev/null", "type": "c", "major": 1, "minor": 3, "fileMode": 438, "uid": 0, "gid": 0}]' \
		'p["args"] = ["/bin/sh", "-c", "(exec 3<>/dev/null) 2>&1 && echo null opens"]'
	run_both
	# runc's specconv drops the default rule of a device linux.devices names,
	# then its own init cannot reopen /dev/null (intended difference)
	[ "$RUNC_STATUS" -ne 0 ]
	grep -q "open /dev/null: operation not permitted" "$T/runc.err"
	[ "$MR_STATUS" -eq 0 ]
	[ "$(cat "$T/mr.out")" = "null opens" ]
}
