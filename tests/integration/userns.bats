#!/usr/bin/env bats
# userns.bats - user namespaces: id mappings written by the runtime, a user
# namespace joined by path, the mounts inside one, and the errors; as root
# beside runc (the probe's report from inside must be the same), and
# rootless: a real unprivileged user made here, with subordinate ids.
#
# runc counterpart: tests/integration/userns.bats and the rootless runs of
# runc's suite.  Each intended difference from runc says "Intended
# difference" and why.

load helpers

# The mapping most tests use: container 0-65535 is host 100000-165535.
MAP="[{'containerID': 0, 'hostID': 100000, 'size': 65536}]"

setup() {
	mr_setup
	HOLDER=
}

teardown() {
	[ -n "${HOLDER:-}" ] && kill -9 "$HOLDER" 2>/dev/null
	mr_teardown
}

# userns_cfg [UIDMAP [GIDMAP]]: a new user namespace with these mappings.
userns_cfg() {
	cfg "$B" 'if "user" not in [n["type"] for n in l["namespaces"]]: l["namespaces"].append({"type": "user"})' \
		"l['uidMappings'] = ${1:-$MAP}" "l['gidMappings'] = ${2:-${1:-$MAP}}"
}

# holder_ns: a process in a user namespace of its own mapped 0 -> 100000
# (65536), for joining by path; its pid in HOLDER.
holder_ns() {
	unshare -U sleep 300 &
	HOLDER=$!
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[ "$(readlink /proc/$HOLDER/ns/user)" != "$(readlink /proc/self/ns/user)" ] && break
		sleep 0.1
	done
	echo "0 100000 65536" >/proc/$HOLDER/uid_map
	echo "0 100000 65536" >/proc/$HOLDER/gid_map
}

@test "user namespace with mappings: the same container as runc" {
	userns_cfg
	compare_both
	report_has "uid: 0"
	report_has "uid_map: 0 100000 65536"
	report_has "gid_map: 0 100000 65536"
	# As root, runc (and minirunc) leave setgroups allowed.
	report_has "setgroups: allow"
	report_has "ns: user new"
	# Root inside keeps the default capabilities, now of its own namespace.
	report_has "CapEff: 0000000020000420"
	# Device nodes are the host's, bound (no mknod in a user namespace):
	# owned by host root, which is nobody in here.
	report_has "dev: /dev/null c 1:3 0666 65534:65534"
	# What the container's root mounts belongs to host 100000.
	report_lines 'mount: /dev tmpfs' | grep -q 'uid=100000,gid=100000'
}

@test "user namespace: several ranges, a file made inside has the mapped owner outside" {
	mkdir "$T/shared" "$B/rootfs/shared"
	chmod 777 "$T/shared"
	userns_cfg "[{'containerID': 0, 'hostID': 100000, 'size': 1000},
	  {'containerID': 1000, 'hostID': 1000, 'size': 1},
	  {'containerID': 1001, 'hostID': 101001, 'size': 64535}]"
	cfg "$B" "c['mounts'].append({'destination': '/shared', 'type': 'bind',
	  'source': '$T/shared', 'options': ['rbind', 'rw']})" \
		"p['args'] = $(probe_args_json --touch /shared/f)"
	compare_both
	report_has "uid_map: 0 100000 1000"
	report_has "uid_map: 1000 1000 1"
	report_has "uid_map: 1001 101001 64535"
	report_has "touch: /shared/f ok"
	[ "$(stat -c %u:%g "$T/shared/f")" = "100000:100000" ]
	# Container user 1000 is host 1000 (the identity range).
	rm -f "$T/shared/f"
	cfg "$B" 'p["user"] = {"uid": 1000, "gid": 1000}'
	compare_both
	report_has "uid: 1000"
	[ "$(stat -c %u:%g "$T/shared/f")" = "1000:1000" ]
}

@test "user namespace by path: joined first, same container as runc" {
	holder_ns
	local ino
	ino=$(stat -L -c %i /proc/$HOLDER/ns/user)
	userns_cfg
	cfg "$B" "
for n in l['namespaces']:
    if n['type'] == 'user':
        n['path'] = '/proc/$HOLDER/ns/user'" \
		"p['args'] = $(probe_args_json --path-ns "user:$ino:joined")"
	compare_both
	report_has "ns: user joined"
	report_has "uid_map: 0 100000 65536"
	# The namespaces made for the container belong to the joined one: its
	# root mounted /dev (host uid 100000 owns the tmpfs).
	report_lines 'mount: /dev tmpfs' | grep -q 'uid=100000,gid=100000'
}

@test "user namespace by path with other mappings than its own: refused (runc ignores them)" {
	# Intended difference: runc 1.1 requires mappings with a path and then
	# ignores them; minirunc checks them against the namespace's own, so
	# that the config never says something the container does not do.
	holder_ns
	userns_cfg "[{'containerID': 0, 'hostID': 200000, 'size': 65536}]" "$MAP"
	cfg "$B" "
for n in l['namespaces']:
    if n['type'] == 'user':
        n['path'] = '/proc/$HOLDER/ns/user'"
	expect_bad_input 'linux.uidMappings: differ from the joined user namespace'
}

@test "new user namespace, network namespace by path: joined as host root, then mapped" {
	require_cmd ip
	local ns=mr-uns-$$-${BATS_TEST_NUMBER}
	ip netns add "$ns"
	track_netns "$ns"
	local ino
	ino=$(stat -L -c %i "/run/netns/$ns")
	userns_cfg
	cfg "$B" "
for n in l['namespaces']:
    if n['type'] == 'network':
        n['path'] = '/run/netns/$ns'" \
		"p['args'] = $(probe_args_json --path-ns "net:$ino:path")"
	# Intended difference: runc cannot mount sysfs here (EPERM: the netns is
	# the host's, not the user namespace's); minirunc binds the host's /sys.
	run_both
	[ "$RUNC_STATUS" != 0 ]
	grep -q 'sysfs.*operation not permitted' "$T/runc.err"
	[ "$MR_STATUS" = 0 ]
	grep -qx 'ns: net path' "$T/mr.report"
	grep -qx 'uid_map: 0 100000 65536' "$T/mr.report"
	grep -q '^mount: /sys sysfs ro,nosuid,nodev,noexec,relatime ' "$T/mr.report"
}

@test "new user namespace without a network namespace: /sys is the host's, read-only" {
	userns_cfg
	cfg "$B" 'l["namespaces"] = [n for n in l["namespaces"] if n["type"] != "network"]'
	# runc: "error mounting sysfs ... operation not permitted"; minirunc binds
	# the host's /sys as crun does (and as `runc spec --rootless` writes).
	run_both
	[ "$RUNC_STATUS" != 0 ]
	grep -q 'sysfs.*operation not permitted' "$T/runc.err"
	[ "$MR_STATUS" = 0 ]
	grep -qx 'ns: net host' "$T/mr.report"
	grep -q '^mount: /sys sysfs ro,nosuid,nodev,noexec,relatime ' "$T/mr.report"
	# The host's /sys is not made writable from inside (the lock is kept).
	cfg "$B" "p['args'] = ['/bin/sh', '-c', 'echo x > /sys/kernel/uevent_helper; echo rc=\$?']"
	run_rt "$MINIRUNC" mr "$B"
	grep -q 'rc=[1-9]' "$T/mr.out"
}

@test "a remount cannot clear a flag the kernel locked in the user namespace" {
	mkdir -p "$T/ro" "$B/rootfs/locked"
	mount -t tmpfs -o ro,nosuid,nodev,noexec tmpfs "$T/ro"
	userns_cfg
	# rw, suid, dev, exec asked for a bind of a ro,nosuid,nodev,noexec mount:
	# inside the user namespace those flags are locked (MNT_LOCK_*), so the
	# bind keeps them (what runc 1.2 does: mntLockFlags re-applied).
	# Intended difference: runc 1.1.5 re-applies only "ro" and fails, EPERM.
	cfg "$B" "c['mounts'].append({'destination': '/locked', 'type': 'bind',
	  'source': '$T/ro', 'options': ['rbind', 'rw', 'suid', 'dev', 'exec', 'relatime']})"
	run_both
	[ "$RUNC_STATUS" != 0 ]
	grep -q 'operation not permitted' "$T/runc.err"
	[ "$MR_STATUS" = 0 ]
	grep -q '^mount: /locked tmpfs ro,nosuid,nodev,noexec' "$T/mr.report"
}

@test "exec joins the container's user namespace" {
	userns_cfg
	cfg "$B" 'p["args"] = ["/bin/sleep", "30"]'
	"$MINIRUNC" --root "$T/root-mr" run -d --bundle "$B" "$ID" </dev/null
	run "$MINIRUNC" --root "$T/root-mr" exec "$ID" /bin/cat /proc/self/uid_map
	[ "$status" = 0 ]
	[ "$(echo $output)" = "0 100000 65536" ]
	run "$MINIRUNC" --root "$T/root-mr" exec "$ID" /bin/id
	echo "$output"
	[[ "$output" == "uid=0(root) gid=0(root)"* ]]
	"$MINIRUNC" --root "$T/root-mr" delete -f "$ID"
}

@test "user namespace: bad mappings fail with one line naming the field" {
	userns_cfg "[{'containerID': 0, 'hostID': 100000, 'size': 10},
	  {'containerID': 5, 'hostID': 200000, 'size': 10}]" "$MAP"
	expect_bad_input 'linux.uidMappings\[1\]: container ids overlap those of \[0\]'
	userns_cfg "$MAP" "[{'containerID': 0, 'hostID': 100000, 'size': 10},
	  {'containerID': 50, 'hostID': 100005, 'size': 10}]"
	expect_bad_input 'linux.gidMappings\[1\]: host ids overlap'
	userns_cfg "[{'containerID': 0, 'hostID': 4294967290, 'size': 10}]" "$MAP"
	expect_bad_input 'linux.uidMappings\[0\]: hostID 4294967290 \+ size 10 passes'
	userns_cfg "[{'containerID': i, 'hostID': 100000 + i, 'size': 1} for i in range(341)]" "$MAP"
	expect_bad_input 'linux.uidMappings: 341 mappings, the kernel takes at most 340'
	userns_cfg "[{'containerID': 0, 'hostID': 100000, 'size': 0}]" "$MAP"
	expect_bad_input 'linux.uidMappings\[0\].size: must be greater than zero'
	userns_cfg "[{'containerID': 1, 'hostID': 100000, 'size': 10}]" "$MAP"
	expect_bad_input 'linux.uidMappings: container uid 0 is not mapped'
	# Host ids the kernel will not take (unmapped in our own namespace are
	# impossible for root; an id of -1 is): refused by the kernel, still one line.
}

@test "user namespace without mappings fails as runc does; mappings without one are refused" {
	cfg "$B" 'l["namespaces"].append({"type": "user"})'
	expect_bad_input 'linux.uidMappings: required with a user namespace'
	require_runc
	run "$RUNC" --root "$T/root-runc" run --bundle "$B" "$ID" </dev/null
	[ "$status" != 0 ]
	[[ "$output" == *"no uid mappings found"* ]]
	# Intended difference: runc 1.1 runs mappings without a user namespace
	# and ignores them; minirunc refuses them (fail closed).
	cfg "$B" 'l["namespaces"] = [n for n in l["namespaces"] if n["type"] != "user"]' \
		"l['uidMappings'] = $MAP" "l['gidMappings'] = $MAP"
	expect_bad_input 'linux.uidMappings: given without a user namespace'
}
