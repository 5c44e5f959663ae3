#!/usr/bin/env bats
# nspath.bats - namespaces given by `path` (issue 10, item 9), beside runc:
# a uts namespace joined by path gets the hostname; a mount namespace joined by
# path holds the container's rootfs afterwards exactly as runc leaves it; each
# of the five kinds runtime-tools' validation/linux_ns_path joins (ipc, mnt,
# net, pid, uts) is joined; bad paths are one line and leave nothing behind.
# runc counterpart: tests/integration/{netns,hostname}.bats and runtime-tools'
# validation/linux_ns_path.

load helpers

setup() {
	mr_setup
	ln -sf busybox "$B/rootfs/bin/readlink"
	ln -sf busybox "$B/rootfs/bin/hostname"
}

teardown() {
	mr_teardown
}

# holder OPTS...: a tagged `sleep` in namespaces of its own made by unshare
# OPTS (the namespace to join); sets HOLDER to its pid (with --fork, the
# unshare process: its pid_for_children is the new pid namespace).
holder() {
	MR_TEST_TAG=$TAG unshare "$@" sleep 1000 &
	HOLDER=$!
	local i
	for i in $(seq 50); do
		[ "$(readlink "/proc/$HOLDER/ns/${HOLDER_NS:-uts}")" != \
			"$(readlink "/proc/self/ns/${HOLDER_NS:-uts}")" ] && return 0
		sleep 0.1
	done
	echo "holder $HOLDER never left our ${HOLDER_NS:-uts} namespace"
	return 1
}

# rt_name RT: "runc" or "minirunc", the name of RT's output files (not its
# basename: the ASan pass runs ./minirunc-asan).
rt_name() {
	if [ "$1" = "$RUNC" ]; then echo runc; else echo minirunc; fi
}

# join_path TYPE PATH: config.json's namespace TYPE given by PATH.
join_path() {
	cfg "$B" "
for n in l['namespaces']:
    if n['type'] == '$1':
        n['path'] = '$2'"
}

# mountinfo_norm PID: PID's mount table without the mount ids and the
# anonymous device numbers of virtual filesystems (0:N: proc, tmpfs, sysfs
# made anew in each run), the rest as it is.
mountinfo_norm() {
	cut -d' ' -f3- "/proc/$1/mountinfo" | sed 's/^0:[0-9]* /0:N /'
}

@test "uts by path: the hostname is set in the joined namespace (the holder sees it), as runc" {
	local rt n host
	require_runc
	require_minirunc
	host=$(hostname)
	cfg "$B" 'c["hostname"] = "joined-uts"' 'p["args"] = ["/bin/hostname"]'
	for rt in "$RUNC" "$MINIRUNC"; do
		n=$(rt_name "$rt")
		holder --uts
		join_path uts "/proc/$HOLDER/ns/uts"
		run_rt "$rt" "$n" "$B"
		cat "$T/$n.err"
		[ "$RT_STATUS" = 0 ]
		[ "$(cat "$T/$n.out")" = joined-uts ]
		[ "$(nsenter -t "$HOLDER" -u hostname)" = joined-uts ]
		kill -9 "$HOLDER"
		wait "$HOLDER" || true
	done
	[ "$(hostname)" = "$host" ]
}

# Intended difference (README: domainname): minirunc sets domainname in the
# joined namespace too; runc 1.1.5 ignores the field.
@test "uts by path: domainname is set in the joined namespace (runc 1.1.5 ignores it)" {
	require_minirunc
	cfg "$B" 'c["domainname"] = "joined.dom"' \
		'p["args"] = ["/bin/cat", "/proc/sys/kernel/domainname"]'
	holder --uts
	join_path uts "/proc/$HOLDER/ns/uts"
	run_rt "$MINIRUNC" minirunc "$B"
	cat "$T/minirunc.err"
	[ "$RT_STATUS" = 0 ]
	[ "$(cat "$T/minirunc.out")" = joined.dom ]
	[ "$(nsenter -t "$HOLDER" -u cat /proc/sys/kernel/domainname)" = joined.dom ]
}

@test "mount by path: the container runs in it; the holder's mounts afterwards are runc's" {
	local rt n
	require_runc
	require_minirunc
	cfg "$B" 'p["args"] = ["/bin/sh", "-c", "echo in-joined-mnt; readlink /proc/self/ns/mnt"]'
	snapshot "$T/snap.before"
	for rt in "$RUNC" "$MINIRUNC"; do
		n=$(rt_name "$rt")
		HOLDER_NS=mnt holder --mount --propagation private
		join_path mount "/proc/$HOLDER/ns/mnt"
		run_rt "$rt" "$n" "$B"
		cat "$T/$n.err"
		[ "$RT_STATUS" = 0 ]
		[ "$(head -1 "$T/$n.out")" = in-joined-mnt ]
		[ "$(tail -1 "$T/$n.out")" = "$(readlink "/proc/$HOLDER/ns/mnt")" ]
		# runc's pivot_root moved the holder's root too: its / is the rootfs.
		[ "$(stat -L -c %d:%i "/proc/$HOLDER/root/bin/busybox")" = \
			"$(stat -c %d:%i "$B/rootfs/bin/busybox")" ]
		mountinfo_norm "$HOLDER" >"$T/$n.holder"
		kill -9 "$HOLDER"
		wait "$HOLDER" || true
	done
	diff -u --label runc "$T/runc.holder" --label minirunc "$T/minirunc.holder"
	assert_nothing_left "$T/snap.before"
}

@test "runtime-tools linux_ns_path: ipc, mnt, net, pid, uts joined by path under both runtimes" {
	local rt n kind opt path want
	require_runc
	require_minirunc
	for kind in ipc mnt net pid uts; do
		for rt in "$RUNC" "$MINIRUNC"; do
			n=$(rt_name "$rt")
			opt=--$kind
			[ "$kind" = mnt ] && opt=--mount
			path=/proc/%s/ns/$kind
			if [ "$kind" = pid ]; then
				HOLDER_NS=pid_for_children holder --pid --fork --kill-child
				path=/proc/%s/ns/pid_for_children
			else
				HOLDER_NS=$kind holder "$opt"
			fi
			# shellcheck disable=SC2059
			path=$(printf "$path" "$HOLDER")
			want=$(readlink "$path")
			cp "$B/config.json" "$T/config.orig"
			join_path "$(sed 's/^mnt$/mount/; s/^net$/network/' <<<"$kind")" "$path"
			cfg "$B" "p['args'] = ['/bin/readlink', '/proc/self/ns/$kind']"
			run_rt "$rt" "$n" "$B"
			cp "$T/config.orig" "$B/config.json"
			echo "$kind under $n: status $RT_STATUS, $(cat "$T/$n.out") (want $want)"
			cat "$T/$n.err"
			[ "$RT_STATUS" = 0 ]
			[ "$(cat "$T/$n.out")" = "$want" ]
			kill -9 "$HOLDER"
			wait "$HOLDER" || true
		done
	done
}

@test "mount by path: a failure inside it leaves there what runc leaves, nothing on the host" {
	local rt n
	require_runc
	require_minirunc
	# Refused by both inside the container's mount namespace, after the rootfs
	# bind and the mounts before it (runc: rootfs_linux.go checkProcMount).
	cfg "$B" 'c["mounts"].append({"destination": "/proc/bad", "type": "bind",
	    "source": "/tmp", "options": ["bind"]})'
	snapshot "$T/snap.before"
	for rt in "$RUNC" "$MINIRUNC"; do
		n=$(rt_name "$rt")
		HOLDER_NS=mnt holder --mount --propagation private
		mountinfo_norm "$HOLDER" >"$T/$n.holder-before"
		join_path mount "/proc/$HOLDER/ns/mnt"
		run_rt "$rt" "$n" "$B"
		cat "$T/$n.err"
		[ "$RT_STATUS" = 1 ]
		mountinfo_norm "$HOLDER" >"$T/$n.holder"
		kill -9 "$HOLDER"
		wait "$HOLDER" || true
	done
	grep -q '/proc/bad' "$T/minirunc.err"
	[ "$(grep -c . "$T/minirunc.err")" = 1 ]
	# Both leave the same in the joined namespace: / rslave, the rootfs bind
	# and the mounts made before the failing one (measured: runc 1.1.5).
	diff -u --label runc "$T/runc.holder-before" --label minirunc "$T/minirunc.holder-before"
	diff -u --label runc "$T/runc.holder" --label minirunc "$T/minirunc.holder"
	assert_nothing_left "$T/snap.before"
}

@test "bad path: a missing namespace file is one line naming the field, nothing left" {
	join_path mount "$T/no-such-ns"
	expect_bad_input 'linux\.namespaces\[[0-9]+\]\.path: open .*no-such-ns'
}

@test "bad path: a regular file as the mount namespace is one line, nothing left" {
	touch "$T/not-a-ns"
	join_path mount "$T/not-a-ns"
	expect_bad_input 'not-a-ns is not a namespace'
}

@test "bad path: a uts namespace given as the mount namespace is one line, nothing left" {
	HOLDER_NS=uts holder --uts
	join_path mount "/proc/$HOLDER/ns/uts"
	expect_bad_input 'is a uts namespace, not mount'
}

# Intended difference: runc 1.1.5 joins its own mount namespace and builds the
# rootfs there; its pivot_root moves the caller's root too (measured in a
# throwaway mount namespace: the calling shell's / became the rootfs, then
# runc failed "unable to store init state"). minirunc refuses.
@test "the runtime's own mount namespace by path is refused, nothing left" {
	join_path mount /proc/self/ns/mnt
	expect_bad_input "linux\.namespaces: the mount namespace path is the runtime's own"
}

# Intended difference: runc 1.1.5 sets the hostname in its own uts namespace
# when that is the path given (its validator checks only that a uts entry
# exists): measured in a throwaway uts namespace, the caller was renamed.
# minirunc refuses.
@test "hostname with the runtime's own uts namespace by path is refused, the host keeps its name" {
	local host
	host=$(hostname)
	cfg "$B" 'c["hostname"] = "not-the-host"'
	join_path uts /proc/self/ns/uts
	expect_bad_input "hostname: the uts namespace path is the runtime's own"
	[ "$(hostname)" = "$host" ]
}

@test "no mount namespace at all is still refused (the rootfs would be built in the host's)" {
	cfg "$B" 'l["namespaces"] = [n for n in l["namespaces"] if n["type"] != "mount"]'
	expect_bad_input 'linux\.namespaces: a mount namespace is required'
}
