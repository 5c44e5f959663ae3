#!/usr/bin/env bats
# devices_path.bats - issue 10 item 17: linux.devices anywhere in the rootfs
# (/foo-dev, /a/b/node), as runc 1.1.5 and crun make them, beside runc: the
# node's kind, numbers, mode and owner, the missing parent directories (0755),
# ".." clamped at the rootfs, symlinks on the way followed inside the rootfs
# (as runc's SecureJoin), never onto the host; in a user namespace the host's
# node at the same path is bound.  Each test fails on the code before the fix
# (it refused every path outside /dev).
# runc counterpart: tests/integration/dev.bats (runc's "runc run [device
# cgroup ...]" cases make nodes under /dev only).
#
# Intended differences from runc, each with its test below:
# - path "/" or ending in "." or ".." is refused (runc silently makes no node).
# - in a user namespace the host's node must be the device asked for; runc
#   binds whatever the host has at that path, a plain file too.

load helpers

setup() {
	mr_setup
	cfg "$B" 'p["args"] = ["/bin/true"]'
}

teardown() {
	mr_teardown
}

# devices JSON: set linux.devices.
devices() {
	cfg "$B" "l['devices'] = $1"
}

# both_bundles: copies of $B for runc and minirunc ($T/b-runc, $T/b-mr), so
# that each runtime's nodes can be looked at after its run.
both_bundles() {
	require_runc
	require_minirunc
	cp -a "$B" "$T/b-runc"
	cp -a "$B" "$T/b-mr"
}

# run_each: runc in $T/b-runc, minirunc in $T/b-mr; both must succeed.
run_each() {
	run_rt "$RUNC" runc "$T/b-runc" "$ID-runc"
	echo "runc: status $RT_STATUS: $(cat "$T/runc.err")"
	[ "$RT_STATUS" = 0 ]
	run_rt "$MINIRUNC" mr "$T/b-mr" "$ID-mr"
	echo "minirunc: status $RT_STATUS: $(cat "$T/mr.err")"
	[ "$RT_STATUS" = 0 ]
}

# nodes RUNTIME PATH...: what is at each PATH in that runtime's rootfs.
nodes() {
	local r=$T/b-$1/rootfs p
	shift
	for p in "$@"; do
		if [ -e "$r$p" ] || [ -L "$r$p" ]; then
			stat -c "$p %F %t:%T %a %u:%g" "$r$p"
		else
			echo "$p missing"
		fi
	done
}

# same_nodes PATH...: runc's and minirunc's rootfs agree on each PATH.
same_nodes() {
	nodes runc "$@" >"$T/runc.nodes"
	nodes mr "$@" >"$T/mr.nodes"
	diff -u "$T/runc.nodes" "$T/mr.nodes"
}

@test "devices outside /dev: /foo-dev and /a/b/dev-node, type, numbers, mode, owner, parents as runc" {
	devices "[{'path': '/foo-dev', 'type': 'c', 'major': 1, 'minor': 3,
	    'fileMode': 0o640, 'uid': 1000, 'gid': 1001},
	  {'path': '/a/b/dev-node', 'type': 'b', 'major': 7, 'minor': 0, 'uid': 5, 'gid': 6},
	  {'path': '/srv/fifo/', 'type': 'p'}]"
	both_bundles
	run_each
	same_nodes /foo-dev /a /a/b /a/b/dev-node /srv /srv/fifo
	grep -qx '/foo-dev character special file 1:3 640 1000:1001' "$T/mr.nodes"
	grep -qx '/a directory 0:0 755 0:0' "$T/mr.nodes"
	grep -qx '/a/b directory 0:0 755 0:0' "$T/mr.nodes"
	grep -qx '/a/b/dev-node block special file 7:0 666 5:6' "$T/mr.nodes"
	grep -qx '/srv/fifo fifo 0:0 666 0:0' "$T/mr.nodes"
	# And the container sees it there.
	cfg "$B" "p['args'] = ['/bin/busybox', 'stat', '-c', '%F %t:%T %a %u:%g', '/foo-dev']"
	run "$MINIRUNC" --root "$T/root-mr" run --bundle "$B" "$ID"
	[ "$status" = 0 ]
	[ "$output" = "character special file 1:3 640 1000:1001" ]
}

@test "devices outside /dev: an existing file or directory is kept, as runc" {
	echo image >"$B/rootfs/etc/keep"
	devices "[{'path': '/etc/keep', 'type': 'c', 'major': 1, 'minor': 3},
	  {'path': '/home', 'type': 'c', 'major': 1, 'minor': 5}]"
	both_bundles
	run_each
	same_nodes /etc/keep /home
	[ "$(cat "$T/b-mr/rootfs/etc/keep")" = image ]
}

@test "devices outside /dev: symlinks to host dirs are followed inside the rootfs, the host is unchanged" {
	local out=$T/outside
	mkdir "$out"
	echo keep >"$out/k"
	ls -lA --time-style=+ "$out" >"$T/outside.before"
	ln -s "$out" "$B/rootfs/abs"                              # absolute
	ln -s "../../../../../../../../../..$out" "$B/rootfs/rel" # climbs past /
	ln -s "$out/last" "$B/rootfs/lnk"                         # in the last place
	devices "[{'path': '/abs/x', 'type': 'c', 'major': 1, 'minor': 3},
	  {'path': '/rel/y', 'type': 'c', 'major': 1, 'minor': 5},
	  {'path': '/lnk', 'type': 'c', 'major': 1, 'minor': 7},
	  {'path': '/../../../../../../../..$out/dotdot', 'type': 'c', 'major': 1, 'minor': 8}]"
	both_bundles
	run_each
	# Nothing of either runtime's reached the host's directory.
	ls -lA --time-style=+ "$out" | diff -u "$T/outside.before" -
	# Where runc puts them: rootfs/<the link's target>, made inside the rootfs.
	same_nodes /abs /rel /lnk "$out" "$out/x" "$out/y" "$out/last" "$out/dotdot"
	grep -qx "$out/x character special file 1:3 666 0:0" "$T/mr.nodes"
	grep -qx "$out/y character special file 1:5 666 0:0" "$T/mr.nodes"
	grep -qx "$out/last character special file 1:7 666 0:0" "$T/mr.nodes"
	grep -qx "$out/dotdot character special file 1:8 666 0:0" "$T/mr.nodes"
	# ".." never climbs out of the rootfs either.
	[ ! -e "$T/dotdot" ] && [ ! -e /dotdot ] && [ ! -e "$T/b-mr/dotdot" ]
}

@test "devices outside /dev: a symlink to a file on the way is an error, as runc; nothing left" {
	ln -s /etc/passwd "$B/rootfs/file"
	devices "[{'path': '/file/x', 'type': 'c', 'major': 1, 'minor': 3}]"
	expect_bad_input 'device /file/x: its directory in the rootfs: Not a directory'
	[ "$(stat -c %F /etc/passwd)" = "regular file" ]
	require_runc
	run "$RUNC" --root "$T/root-runc" run --bundle "$B" "$ID-runc"
	[ "$status" = 1 ]
	[[ "$output" == *"not a directory"* ]]
}

@test "devices: path / or ending in . or .. is refused, one line, nothing left (runc makes no node)" {
	local p
	for p in / // /dev/.. /a/. /foo/../; do
		devices "[{'path': '$p', 'type': 'c', 'major': 1, 'minor': 3}]"
		expect_bad_input "linux.devices\\[0\\]: path $p is not an absolute path ending in a file name"
	done
	[ ! -e "$B/rootfs/a" ] && [ ! -e "$B/rootfs/foo" ]
	devices "[{'path': 'rel-dev', 'type': 'c', 'major': 1, 'minor': 3}]"
	expect_bad_input 'linux.devices\[0\]\.path: must be an absolute path'
	[ ! -e "$B/rootfs/rel-dev" ]
	# Intended difference: runc exits 0 and makes nothing for "/".
	require_runc
	devices "[{'path': '/', 'type': 'c', 'major': 1, 'minor': 3}]"
	"$RUNC" --root "$T/root-runc" run --bundle "$B" "$ID-runc"
}

# ---- in a user namespace: the host's node, bound ---------------------------

# userns_rootfs: a user namespace 0 -> 100000 (65536) and the rootfs owned by
# its root, so that it may make directories and files outside /dev.
userns_rootfs() {
	local map="[{'containerID': 0, 'hostID': 100000, 'size': 65536}]"
	cfg "$B" 'l["namespaces"].append({"type": "user"})' \
		"l['uidMappings'] = $map" "l['gidMappings'] = $map"
	chown -R 100000:100000 "$B/rootfs"
}

@test "devices outside /dev in a user namespace: the host's node bound at the same path, as runc" {
	mknod -m 0640 "$T/hostnode" c 1 3
	userns_rootfs
	devices "[{'path': '$T/hostnode', 'type': 'c', 'major': 1, 'minor': 3,
	    'fileMode': 0o600, 'uid': 7, 'gid': 7}]"
	cfg "$B" "p['args'] = ['/bin/busybox', 'stat', '-c', '%F %t:%T %a %u:%g', '$T/hostnode']"
	both_bundles
	run_each
	# The host's node itself (its mode, its owner unmapped here), as runc.
	[ "$(cat "$T/runc.out")" = "character special file 1:3 640 65534:65534" ]
	diff -u "$T/runc.out" "$T/mr.out"
	# The file it is bound over, in directories the container's root made.
	[ "$(stat -c '%F %u:%g' "$T/b-mr/rootfs$T")" = "directory 100000:100000" ]
	[ "$(stat -c '%F' "$T/b-mr/rootfs$T/hostnode")" = "regular empty file" ]
}

@test "devices in a user namespace: a host path that is not that device is refused (runc binds it)" {
	echo "host secret" >"$T/plain"
	userns_rootfs
	devices "[{'path': '$T/plain', 'type': 'c', 'major': 1, 'minor': 3}]"
	cfg "$B" "p['args'] = ['/bin/cat', '$T/plain']"
	expect_bad_input "device $T/plain: the host's $T/plain is not that device"
	[ ! -e "$B/rootfs$T" ]
	devices "[{'path': '$T/none', 'type': 'c', 'major': 1, 'minor': 3}]"
	expect_bad_input "device $T/none: the host's node to bind: No such file or directory"
	# Intended difference: runc binds the host's plain file into the container.
	require_runc
	devices "[{'path': '$T/plain', 'type': 'c', 'major': 1, 'minor': 3}]"
	run "$RUNC" --root "$T/root-runc" run --bundle "$B" "$ID-runc"
	[ "$status" = 0 ]
	[ "$output" = "host secret" ]
}
