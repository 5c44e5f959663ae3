#!/usr/bin/env bats
# compare.bats - the same bundle under runc and under minirunc must give the
# same container, as tests/probe.c reports it from inside (TESTING.md,
# "Comparison against runc"). Each test shows the bundle change it makes;
# helpers.bash runs both runtimes, normalises what may legitimately differ
# (in one place, with reasons) and diffs the two reports and exit codes.
#
# runc counterpart: none as such; runc's tests/integration/*.bats check the
# same facts one runtime at a time.
#
# Where runc departs from the OCI runtime spec, the test follows runc and a
# comment says so ("runc departs:").

load helpers

setup() {
	mr_setup
}

teardown() {
	mr_teardown
}

@test "default spec (terminal false): same container as runc" {
	compare_both
	# The seed: runc's default container sees only lo, up, with 127.0.0.1/8.
	[ "$(report_lines 'if: ')" = "if: lo UP,LOOPBACK,RUNNING,LOWER_UP" ]
	report_has "addr: lo 127.0.0.1/8"
	[ "$(report_lines 'addr: ' | grep -v '^addr: lo ')" = "" ]
	# SECURITY.md defaults (CVE-2022-29162).
	report_has "CapBnd: 0000000020000420"
	report_has "CapPrm: 0000000020000420"
	report_has "CapEff: 0000000020000420"
	report_has "CapInh: 0000000000000000"
	# runc departs: `runc spec` lists the three caps as ambient too, but an
	# ambient cap must also be inheritable and permitted (capabilities(7));
	# runc ignores the kernel's refusal, so the container has no ambient caps.
	report_has "CapAmb: 0000000000000000"
	report_has "NoNewPrivs: 1"
	report_has "ns: net new"
	report_has "ns: pid new"
	# runc 1.1's default spec asks for no cgroup namespace.
	report_has "ns: cgroup host"
	report_has "mount: /proc/keys tmpfs rw,nosuid private root=/null src=tmpfs rw,size=65536k,mode=755"
}

@test "stdio: a foreground run without a terminal passes the caller's fds straight through" {
	# Intended difference.  runc (utils_linux.go setupIO, not detached, no
	# terminal) hands the container pipes and copies them to its own stdio
	# from goroutines.  minirunc passes the caller's fds 0-2 themselves, as
	# its issue asks ("terminal: false: stdio passed straight through"): no
	# copying, nothing buffered in the runtime, and `run -d` behaves the same.
	# Everything else in the report must still match, and only 0-2 are open.
	MR_RAW_FDS=1 run_both
	grep -qx 'fd: 0 pipe' "$T/runc.report"
	grep -qx 'fd: 1 pipe' "$T/runc.report"
	grep -qx 'fd: 0 /dev/null' "$T/mr.report"
	grep -qx 'fd: 1 TMP/out' "$T/mr.report"
	grep -qx 'fd: 2 TMP/err' "$T/mr.report"
	sed -i '/^fd: [012] /d' "$T/runc.report" "$T/mr.report"
	compare_reports
	[ "$(report_lines 'fd: ' | wc -l)" = 0 ]
}

@test "no network namespace: the container shares the host's" {
	cfg "$B" 'l["namespaces"] = [n for n in l["namespaces"] if n["type"] != "network"]'
	compare_both
	report_has "ns: net host"
}

@test "network namespace by path: joined as it is, lo untouched" {
	require_cmd ip
	local ns=mr-cmp-$$-${BATS_TEST_NUMBER}
	ip netns add "$ns"
	track_netns "$ns"
	local ino
	ino=$(stat -L -c %i "/run/netns/$ns")
	cfg "$B" "
for n in l['namespaces']:
    if n['type'] == 'network':
        n['path'] = '/run/netns/$ns'" \
		"p['args'] = $(probe_args_json --path-ns "net:$ino:path")"
	compare_both
	report_has "ns: net path"
	# A fresh `ip netns add` namespace has lo down; joining it changes nothing.
	[ "$(report_lines 'if: ')" = "if: lo LOOPBACK" ]
	[ "$(report_lines 'addr: ')" = "" ]
}

@test "extra mounts: a read-only bind and a tmpfs with options" {
	mkdir "$T/hostdir"
	echo hello >"$T/hostdir/file"
	cfg "$B" "c['mounts'] += [
    {'destination': '/mnt/ro', 'type': 'bind', 'source': '$T/hostdir',
     'options': ['rbind', 'ro']},
    {'destination': '/mnt/tmp', 'type': 'tmpfs', 'source': 'tmpfs',
     'options': ['size=1m', 'mode=700', 'noexec']}]"
	compare_both
	report_lines 'mount: /mnt/ro ' | grep -q ' ro,'
	report_lines 'mount: /mnt/tmp ' | grep -q 'noexec'
	report_lines 'mount: /mnt/tmp ' | grep -q 'size=1024k,mode=700'
	# The mount points were made inside the rootfs, never on the host.
	[ ! -e /mnt/ro ] || [ "$(stat -c %i /mnt/ro)" != "$(stat -c %i "$T/hostdir")" ]
}

# tmpfs_mode_run NAME BIN: `stat` of the tmpfs mounts /d711 and /dm from inside.
tmpfs_mode_run() {
	cfg "$B" 'p["args"] = ["/bin/busybox", "stat", "-c", "%n %a", "/d711", "/dm"]'
	run_rt "$2" "$1" "$B"
	cat "$T/$1.out" "$T/$1.err"
}

@test "tmpfs on an existing 0711 directory without mode=: the tmpfs is 0711, as runc" {
	mkdir -p "$B/rootfs/d711" "$B/rootfs/dm"
	chmod 0711 "$B/rootfs/d711"
	chmod 0750 "$B/rootfs/dm"
	cfg "$B" "c['mounts'] += [
    {'destination': '/d711', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['nosuid']},
    {'destination': '/dm', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['size=1m']}]"
	require_runc
	require_minirunc
	tmpfs_mode_run runc "$RUNC"
	tmpfs_mode_run mr "$MINIRUNC"
	[ "$(cat "$T/mr.out" | tr '\n' ' ')" = "/d711 711 /dm 750 " ]
	cmp "$T/runc.out" "$T/mr.out"
	# Intended difference: mountinfo says mode=711 under minirunc, as under
	# runc 1.1.8+ (the mode goes into the mount data); runc 1.1.5 chmods the
	# mount point after the mount, so its mountinfo shows no mode.
}

@test "tmpfs with mode= on an existing directory: mode= wins (runc 1.1.8+; 1.1.5 keeps the dir's)" {
	mkdir -p "$B/rootfs/d711" "$B/rootfs/dm"
	chmod 0711 "$B/rootfs/d711"
	chmod 0755 "$B/rootfs/dm"
	cfg "$B" "c['mounts'] += [
    {'destination': '/d711', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['mode=1777']},
    {'destination': '/dm', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['mode=0700']}]"
	require_runc
	require_minirunc
	tmpfs_mode_run mr "$MINIRUNC"
	[ "$(cat "$T/mr.out" | tr '\n' ' ')" = "/d711 1777 /dm 700 " ]
	# runc 1.1.5 chmods the mount point back to the directory's mode after
	# the mount (rootfs_linux.go mountToRootfs); 1.1.8 puts the directory's
	# mode first in the data, so the config's mode= wins. The issue asks for
	# 1.1.8's behaviour; what runc here does is shown, not asserted.
	tmpfs_mode_run runc "$RUNC"
}

@test "user 1000:1000 with additional gids, umask, cwd and env" {
	cfg "$B" 'p["user"] = {"uid": 1000, "gid": 1000, "additionalGids": [10, 20], "umask": 63}' \
		'p["cwd"] = "/tmp"' \
		'p["env"] += ["FOO=bar", "EMPTY=", "WITH_EQ=a=b"]'
	compare_both
	report_has "uid: 1000"
	report_has "egid: 1000"
	report_has "groups: 10 20"
	report_has "Umask: 0077"
	report_has "cwd: /tmp"
	report_has "env: WITH_EQ=a=b"
	# runc departs: the spec's env is the whole environment, but runc adds
	# HOME from the rootfs's /etc/passwd when env has none
	# (runc: init_linux.go finalizeNamespace -> setupUser).
	report_has "env: HOME=/home/user"
	# A non-root user keeps no capabilities unless ambient ones are asked for.
	report_has "CapEff: 0000000000000000"
}

@test "custom capability sets" {
	# An inheritable cap must stay in the bounding set (capabilities(7),
	# capset(2) EPERM): CAP_CHOWN is bounding + inheritable only.
	cfg "$B" 'caps = ["CAP_NET_ADMIN", "CAP_SYS_ADMIN"]' \
		'p["capabilities"] = {"bounding": caps + ["CAP_CHOWN"], "permitted": caps,
		 "effective": caps, "inheritable": ["CAP_CHOWN"], "ambient": []}'
	compare_both
	# CAP_NET_ADMIN = 12, CAP_SYS_ADMIN = 21, CAP_CHOWN = 0.
	report_has "CapBnd: 0000000000201001"
	report_has "CapEff: 0000000000201000"
	report_has "CapPrm: 0000000000201000"
	report_has "CapInh: 0000000000000001"
	report_has "CapAmb: 0000000000000000"
}

@test "an inheritable cap outside the bounding set: both refuse to start" {
	cfg "$B" 'p["capabilities"] = {"bounding": ["CAP_KILL"], "permitted": ["CAP_KILL"],
		 "effective": ["CAP_KILL"], "inheritable": ["CAP_CHOWN"]}'
	run_both
	echo "runc: $RUNC_STATUS $(cat "$T/runc.err")"
	echo "minirunc: $MR_STATUS $(cat "$T/mr.err")"
	[ "$RUNC_STATUS" = 1 ]
	[ "$MR_STATUS" = 1 ]
	[ ! -s "$T/mr.out" ]
}

@test "rlimits: NOFILE, NPROC and CORE set exactly" {
	cfg "$B" 'p["rlimits"] = [
		{"type": "RLIMIT_NOFILE", "soft": 2048, "hard": 4096},
		{"type": "RLIMIT_NPROC", "soft": 512, "hard": 1024},
		{"type": "RLIMIT_CORE", "soft": 1024, "hard": 2048}]'
	compare_both
	report_has "rlimit.NOFILE: 2048 4096"
	report_has "rlimit.NPROC: 512 1024"
	report_has "rlimit.CORE: 1024 2048"
}

@test "masked and read-only paths: a file, a directory and a missing path" {
	mkdir -p "$B/rootfs/secret" "$B/rootfs/data"
	echo s >"$B/rootfs/secret/key"
	echo d >"$B/rootfs/data/f"
	echo f >"$B/rootfs/etc/token"
	cfg "$B" 'l["maskedPaths"] = ["/secret", "/etc/token", "/proc/timer_list", "/no/such/path"]' \
		'l["readonlyPaths"] = ["/data", "/proc/sys", "/etc/passwd", "/no/such/ro"]' \
		'c["root"]["readonly"] = False'
	compare_both
	# Files are masked by a bind of /dev/null, directories by a read-only tmpfs.
	report_lines 'mount: /etc/token ' | grep -q 'root=/null'
	report_lines 'mount: /secret ' | grep -q '^mount: /secret tmpfs ro,'
	report_lines 'mount: /data ' | grep -q ' ro,'
	report_lines 'mount: /etc/passwd ' | grep -q ' ro,'
	! report_lines 'mount: /no/'
}

@test "hostname" {
	cfg "$B" 'c["hostname"] = "box"'
	compare_both
	report_has "hostname: box"
}

@test "domainname" {
	cfg "$B" 'c["hostname"] = "box"' 'c["domainname"] = "example.org"'
	run_both
	if grep -qx 'domainname: example.org' "$T/runc.report"; then
		compare_reports
		return
	fi
	# runc 1.1 departs: it ignores "domainname" (OCI runtime-spec 1.0.2,
	# config.md; runc sets it from 1.2 on, libcontainer/standard_init_linux.go).
	# Here minirunc follows the spec and runc 1.2 (as crun does): the report
	# must differ from runc 1.1's in that one line only.
	sed -i 's/^domainname: .*/domainname: example.org/' "$T/runc.report"
	compare_reports
}

@test "root readonly true" {
	cfg "$B" 'c["root"]["readonly"] = True'
	compare_both
	report_lines 'mount: / ' | grep -q '^mount: / ext4 ro,\|^mount: / [a-z0-9]* ro,'
}

@test "root readonly false" {
	cfg "$B" 'c["root"]["readonly"] = False'
	compare_both
	report_lines 'mount: / ' | grep -q '^mount: / [a-z0-9]* rw,'
}

@test "exit code 0" {
	cfg "$B" "p['args'] = $(probe_args_json --exit 0)"
	compare_both
	[ "$MR_STATUS" = 0 ]
}

@test "exit code 3" {
	cfg "$B" "p['args'] = $(probe_args_json --exit 3)"
	compare_both
	[ "$MR_STATUS" = 3 ]
}

# A signal the process sends to itself kills it only when it is not the
# init of a pid namespace (pid_namespaces(7): init ignores signals it has no
# handler for, SIGKILL too, when they come from inside): no pid namespace here.
@test "killed by SIGKILL: 128+9" {
	cfg "$B" 'l["namespaces"] = [n for n in l["namespaces"] if n["type"] != "pid"]' \
		'p["args"] = ["/bin/sh", "-c", "kill -9 $$; echo still alive"]'
	run_both
	[ "$RUNC_STATUS" = 137 ]
	[ "$MR_STATUS" = 137 ]
	[ ! -s "$T/mr.out" ]
}

@test "killed by SIGTERM after printing: 128+15, same report" {
	cfg "$B" 'l["namespaces"] = [n for n in l["namespaces"] if n["type"] != "pid"]' \
		"p['args'] = $(probe_args_json --signal 15)"
	compare_both
	[ "$MR_STATUS" = 143 ]
	report_has "ns: pid host"
}

@test "a signal to the init of a new pid namespace from inside is ignored" {
	cfg "$B" 'p["args"] = ["/bin/sh", "-c", "kill -9 $$; echo still alive"]'
	run_both
	[ "$RUNC_STATUS" = 0 ]
	[ "$MR_STATUS" = 0 ]
	[ "$(cat "$T/mr.out")" = "still alive" ]
}

@test "args[0] not found: both fail with runc's status" {
	cfg "$B" 'p["args"] = ["/no/such/binary"]'
	run_both
	echo "runc: $RUNC_STATUS $(cat "$T/runc.err")"
	echo "minirunc: $MR_STATUS $(cat "$T/mr.err")"
	[ "$RUNC_STATUS" != 0 ]
	[ "$MR_STATUS" = "$RUNC_STATUS" ]
	[ ! -s "$T/mr.out" ]
}

@test "--no-pivot: the root is moved and chrooted (runc's msMoveRoot), same container" {
	RT_ARGS=--no-pivot compare_both
	report_has "ns: mnt new"
}

@test "--preserve-fds 2: fds 3 and 4 reach the container, as runc" {
	echo three >"$T/f3"
	echo four >"$T/f4"
	# The caller's fds 3 and 4 (bats' own fd 3 is replaced for the run only).
	RT_ARGS="--preserve-fds 2" run_both_with_fds
	compare_reports
	grep -qx 'fd: 3 TMP/f3' "$T/mr.report"
	grep -qx 'fd: 4 TMP/f4' "$T/mr.report"
	[ "$(report_lines 'fd: ' | wc -l)" = 5 ]
}

# run_both with fds 3 and 4 open on $T/f3 and $T/f4 for both runtimes.
run_both_with_fds() {
	run_both 3<"$T/f3" 4<"$T/f4"
}
