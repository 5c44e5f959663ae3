#!/usr/bin/env bats
# cgroup_devices.bats - the device cgroup enforced on this machine's real
# kernel (issue 12, item 5): cgroup_devices.c's v1 writer on the v1 devices
# hierarchy and its eBPF program on the cgroup2 hierarchy (on this hybrid
# host /sys/fs/cgroup/unified: no controllers, but device programs attach to
# any cgroup2 directory).  tests/cgdevtool.c puts the rules on a test cgroup;
# a shell moved into it then opens devices.  The v1 list is compared with the
# one runc 1.1.5 leaves for the same config.
#
# runc counterpart: tests/integration/dev.bats and the devices cases of
# libcontainer/cgroups/{fs,ebpf/devicefilter} tests.

load helpers

setup() {
	require_root
	T=$(mktemp -d /tmp/mr-test.XXXXXX)
	TAG=${T##*/}
	ID=mr-${TAG#mr-test.}-${BATS_TEST_NUMBER:-0}
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

# cgdevtool_build: tests/cgdevtool.c with cgroup_devices.c, once per bats run.
cgdevtool_build() {
	local out=${BATS_RUN_TMPDIR:-/tmp}/cgdevtool
	(
		flock 9
		[ -x "$out" ] && exit 0
		cc -std=c11 -D_GNU_SOURCE -I"$MR_TOP" -o "$out.tmp" "$MR_TOP/tests/cgdevtool.c" \
			"$MR_TOP/cgroup_devices.c" "$MR_TOP/util.c" && mv "$out.tmp" "$out"
	) 9>"$out.lock"
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
