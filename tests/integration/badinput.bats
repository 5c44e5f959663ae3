#!/usr/bin/env bats
# badinput.bats - every way `minirunc run` can be handed a bad bundle fails
# the same way (TESTING.md, "Bad input"; ARCHITECTURE.md, errors): exit
# status 1, exactly one line on stderr, starting "minirunc:", naming the
# file, field or argument at fault, and nothing left behind on the host
# (no state dir, mount, netns, link, iptables rule or process).
# expect_bad_input (helpers.bash) checks all of that; each test shows the
# bundle it breaks and the word the message must contain.
#
# runc counterpart: the error cases scattered through runc's
# tests/integration (run.bats, spec.bats, mounts.bats, ...). runc itself
# exits 1 on each of these too, with longer, logrus-formatted messages.
# Where a feature is not implemented (AppArmor,
# SELinux), minirunc fails closed (SECURITY.md) where runc would apply it.

load helpers

setup() {
	mr_setup
}

teardown() {
	mr_teardown
}

@test "run: missing bundle directory" {
	expect_bad_input 'no-such-bundle' "$T/no-such-bundle"
}

@test "run: missing config.json" {
	rm "$B/config.json"
	expect_bad_input 'config\.json'
}

@test "run: config.json that is not JSON names the place" {
	printf '{"ociVersion": "1.0.2",\n  "process": }\n' >"$B/config.json"
	expect_bad_input 'config\.json:2:'
}

@test "run: missing rootfs" {
	rm -rf "$B/rootfs"
	expect_bad_input 'rootfs'
}

@test "run: args[0] not found" {
	cfg "$B" 'p["args"] = ["/no/such/binary"]'
	expect_bad_input '/no/such/binary'
}

@test "run: cwd is not a directory" {
	cfg "$B" 'p["cwd"] = "/etc/passwd"'
	expect_bad_input 'cwd|/etc/passwd'
}

@test "run: namespace path that is not a namespace (a regular file)" {
	touch "$T/not-a-netns"
	cfg "$B" "
for n in l['namespaces']:
    if n['type'] == 'network':
        n['path'] = '$T/not-a-netns'"
	expect_bad_input 'not-a-netns'
}

@test "run: namespace path of the wrong type (uts given as network)" {
	cfg "$B" "
for n in l['namespaces']:
    if n['type'] == 'network':
        n['path'] = '/proc/self/ns/uts'"
	expect_bad_input 'network|/proc/self/ns/uts'
}

@test "run: a user namespace without mappings fails (runc: no uid mappings found)" {
	cfg "$B" 'l["namespaces"].append({"type": "user"})'
	expect_bad_input 'linux.uidMappings: required with a user namespace'
}

@test "run: a seccomp profile with an unknown action names the field" {
	cfg "$B" 'l["seccomp"] = {"defaultAction": "SCMP_ACT_MAYBE"}'
	expect_bad_input 'linux\.seccomp\.defaultAction: unknown action'
}

@test "run: apparmorProfile requested fails closed" {
	cfg "$B" 'p["apparmorProfile"] = "unconfined-but-asked"'
	expect_bad_input 'apparmor'
	grep -qi 'not supported' "$T/bad.err"
}

@test "run: selinuxLabel requested fails closed" {
	cfg "$B" 'p["selinuxLabel"] = "system_u:system_r:container_t:s0"'
	expect_bad_input 'selinux'
	grep -qi 'not supported' "$T/bad.err"
}

@test "run: a container id already in use" {
	require_minirunc
	local first
	cp -a "$B" "$T/first"
	cfg "$T/first" 'p["args"] = ["/bin/sleep", "5"]'
	timeout 10 "$MINIRUNC" --root "$T/root-mr" run --bundle "$T/first" "$ID" \
		</dev/null >/dev/null 2>"$T/first.err" &
	first=$!
	# Wait (at most ~2 s) for the first container's state directory.
	for _ in $(seq 40); do
		[ -e "$T/root-mr/$ID" ] && break
		sleep 0.05
	done
	[ -e "$T/root-mr/$ID" ] || { cat "$T/first.err"; false; }
	expect_bad_input "$ID"
	# The failed second run left the first container alone.
	kill -0 "$first"
	[ -e "$T/root-mr/$ID" ]
	# Stop it (teardown would too); delete -f of a foreground run may race it.
	timeout 5 "$MINIRUNC" --root "$T/root-mr" delete -f "$ID" >/dev/null 2>&1 ||
		kill -9 "$first" 2>/dev/null || true
	wait "$first" || true
}

@test "run: invalid container id" {
	expect_bad_input 'id|\.\.' "$B" '..'
}

@test "run: mount of an unknown filesystem type" {
	cfg "$B" 'c["mounts"].append({"destination": "/mnt/x", "type": "nosuchfs", "source": "none"})'
	expect_bad_input 'nosuchfs'
}

@test "run: device of an unknown type" {
	cfg "$B" 'l["devices"] = [{"path": "/dev/weird", "type": "x", "major": 1, "minor": 3}]'
	expect_bad_input 'devices|/dev/weird'
}

@test "run: a duplicate rlimit type" {
	cfg "$B" 'p["rlimits"] = [{"type": "RLIMIT_NOFILE", "soft": 1, "hard": 1},
		{"type": "RLIMIT_NOFILE", "soft": 2, "hard": 2}]'
	expect_bad_input 'RLIMIT_NOFILE'
}

# Not a bad-input error: the mount must land inside the rootfs (SECURITY.md,
# CVE-2021-30465), whether the run then succeeds or not; runc passes this too.
@test "run: a mount destination that climbs out through a symlink stays in the rootfs" {
	require_minirunc
	mkdir "$T/escape"
	ln -s "../../../../../../../../../..$T/escape" "$B/rootfs/rel"
	ln -s "$T/escape" "$B/rootfs/abs"
	cfg "$B" 'c["root"]["readonly"] = False' \
		'c["mounts"] += [
		{"destination": "/rel/b", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]},
		{"destination": "/abs/c", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}]' \
		'p["args"] = ["/bin/true"]'
	snapshot "$T/snap.before"
	run_rt "$MINIRUNC" mr "$B"
	echo "status $RT_STATUS; stderr:"
	cat "$T/mr.err"
	# Nothing on the host side of the symlinks...
	[ -z "$(ls -A "$T/escape")" ]
	# ...and whatever was created, was created under the rootfs.
	# (From the host, rootfs/rel/b would follow the symlink out: look at the
	# clamped path instead.)
	[ "$RT_STATUS" != 0 ] || { [ -d "$B/rootfs$T/escape/b" ] && [ -d "$B/rootfs$T/escape/c" ]; }
	assert_nothing_left "$T/snap.before"
}
