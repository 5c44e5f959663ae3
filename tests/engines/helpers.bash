# tests/engines/helpers.bash - the engine layer's harness (TESTING.md, "engines").
#
# Each test file runs one engine (podman, containerd, dockerd) changed only in
# the runtime's path.  The engine never sees the machine's own namespaces:
#   - eng_start makes a "holder" process in a new network and mount namespace
#     (unshare --net --mount, propagation private) and mounts a tmpfs over
#     every directory the engines keep state in; every engine command runs in
#     there through in_ns (nsenter into the holder's namespaces).  Bridges,
#     veths, iptables rules and mounts the engines make live and die there.
#   - eng_host_snapshot records the machine's own links, iptables rules, net
#     namespaces, mounts and the engines' cgroup directories; the last test of
#     each file (eng_finish) stops every daemon by pid, ends every process left
#     in the holder's namespaces, removes the cgroup directories the engine made
#     and fails if the machine's snapshot differs from the one taken first.
# The image is built offline from busybox-static: a rootfs tarball for
# `podman import`, and a docker archive (manifest.json, config, one layer,
# written by mkimage.py with sha256 digests) for `ctr images import` and
# `docker load`.
#
# Every test runs first with runc (the reference, proving the harness) and
# then with minirunc; ENG_RUNTIME_minirunc is the runtime path under test.

ENG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ENG_TOP=$(cd "$ENG_DIR/../.." && pwd)
: "${MINIRUNC:=$ENG_TOP/minirunc}"
ENG_RUNC=$(command -v runc)
ENG_PY=/usr/bin/python3 # Debian's python3, which has python3-grpcio

# Directories an engine writes state to: each gets a tmpfs inside the holder.
ENG_STATE_DIRS="/var/lib/containers /run/containers /run/libpod /var/lib/cni /run/cni-ipam
/etc/cni/net.d /etc/containers/networks /run/runc /run/minirunc /run/crun /var/lib/containerd
/run/containerd /var/lib/docker /run/docker /etc/docker /run/netns /var/run/netns /var/log/pods
/var/lib/kubelet"

# Where engines put their cgroups with the cgroupfs driver (v1 hierarchies).
ENG_CGROUP_PARENTS="libpod_parent default k8s.io docker moby"

eng_require() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	local c
	for c in "$@" unshare nsenter ip iptables-save busybox; do
		command -v "$c" >/dev/null || skip "needs $c"
	done
	[ -x "$MINIRUNC" ] || skip "needs $MINIRUNC (make minirunc)"
}

# The runtime path for a runtime name: runc, or the minirunc under test.
# By hand (diagnostics, never in the suite):
#   ENG_AS_RUNC=PATH    the "runc" cases run PATH instead of runc;
#   ENG_ARGV_LOG=FILE   every runtime call's argv is appended to FILE, through
#                       a wrapper of the same basename that then execs the runtime.
eng_rt() {
	local p
	case $1 in
	runc) p=${ENG_AS_RUNC:-$ENG_RUNC} ;;
	minirunc) p=$MINIRUNC ;;
	*) echo "eng_rt: unknown runtime $1" >&2 && return 1 ;;
	esac
	[ -z "${ENG_ARGV_LOG:-}" ] && echo "$p" && return 0
	local w=$ENG_TMP/argv-$1/$(basename "$p")
	if [ ! -x "$w" ]; then
		mkdir -p "${w%/*}"
		printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s"\nexec "%s" "$@"\n' \
			"$ENG_ARGV_LOG" "$p" >"$w"
		chmod +x "$w"
	fi
	echo "$w"
}

# The machine's own view: links, iptables rules, net namespaces, mounts and
# the engines' cgroup directories (counters and times stripped).
eng_host_snapshot() {
	{
		echo "== links"
		ip -o link show | sed 's/^[0-9]*: //; s/ state [A-Z]* / /; s/qlen [0-9]*//'
		echo "== iptables"
		iptables-save 2>/dev/null | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'
		echo "== netns"
		ip -all netns 2>/dev/null | sort
		echo "== mounts"
		# other tests' scratch mounts under /tmp come and go meanwhile; ours is $ENG_TMP
		awk -v t="${ENG_TMP:-/nonexistent}" \
			'index($2, "/tmp/") != 1 || index($2, t) == 1 { print $2, $3 }' \
			/proc/self/mounts | sort
		echo "== cgroups"
		eng_cgroup_dirs
	} >"$1"
}

eng_cgroup_dirs() {
	local p
	for p in $ENG_CGROUP_PARENTS; do
		find /sys/fs/cgroup/*/"$p" -mindepth 1 -type d 2>/dev/null
	done | sort
}

# eng_start: the holder namespaces, tmpfs state, the images.
eng_start() {
	ENG_TMP=$(mktemp -d /tmp/minirunc-engines.XXXXXX)
	export ENG_TMP
	eng_host_snapshot "$ENG_TMP/host.before"
	eng_cgroup_dirs >"$ENG_TMP/cgroups.before"
	cat >"$ENG_TMP/holder.sh" <<-EOF
		set -e
		for d in $(echo $ENG_STATE_DIRS); do
			mkdir -p "\$d" && mount -t tmpfs -o mode=0755 tmpfs "\$d"
		done
		ip link set lo up
		echo "ready \$\$"
		exec sleep infinity
	EOF
	eng_bg unshare --net --mount --propagation private --fork bash "$ENG_TMP/holder.sh" \
		>"$ENG_TMP/holder.out" 2>&1
	ENG_HOLDER=$!
	echo "$ENG_HOLDER" >"$ENG_TMP/holder.pid"
	local i
	for i in $(seq 50); do
		grep -q ready "$ENG_TMP/holder.out" 2>/dev/null && break
		sleep 0.1
	done
	grep -q ready "$ENG_TMP/holder.out" || {
		cat "$ENG_TMP/holder.out" >&2
		return 1
	}
	# The holder's namespaces must not be the machine's.
	[ "$(readlink /proc/$ENG_HOLDER/ns/net)" != "$(readlink /proc/self/ns/net)" ]
	[ "$(readlink /proc/$ENG_HOLDER/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ]
	eng_images
}

eng_holder() {
	ENG_HOLDER=$(cat "$ENG_TMP/holder.pid")
}

# eng_bg CMD...: CMD in the background holding none of bats' pipes (a
# daemon that keeps one open would stall bats until it exits).
eng_bg() {
	(
		local fd
		for fd in $(ls /proc/$BASHPID/fd); do
			[ "$fd" -gt 2 ] && eval "exec $fd>&-"
		done
		exec "$@"
	) &
}

# eng_wait_gone PID: until PID has exited (10 s); then SIGKILL.
eng_wait_gone() {
	local i
	for i in $(seq 100); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$1" 2>/dev/null
	return 0
}

# in_ns CMD...: CMD inside the holder's network and mount namespaces.
in_ns() {
	nsenter -t "$(cat "$ENG_TMP/holder.pid")" -n -m -- "$@"
}

# The busybox-static rootfs, as a tarball and as a docker archive (for the
# sandbox's pause container too: a shell that exits on SIGTERM).
eng_images() {
	local r=$ENG_TMP/rootfs a
	mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/proc" "$r/sys" "$r/dev" "$r/root"
	cp /bin/busybox "$r/bin/busybox"
	for a in $(busybox --list); do
		[ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"
	done
	echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
	echo 'root:x:0:' >"$r/etc/group"
	tar -C "$r" --numeric-owner --owner=0 --group=0 -cf "$ENG_TMP/rootfs.tar" .
	"$ENG_PY" "$ENG_DIR/mkimage.py" "$ENG_TMP/rootfs.tar" "$ENG_TMP/bb.tar" \
		localhost/bb:test /bin/sh
	"$ENG_PY" "$ENG_DIR/mkimage.py" "$ENG_TMP/rootfs.tar" "$ENG_TMP/pause.tar" \
		localhost/pause:test /bin/sh -c 'trap "exit 0" TERM; while :; do sleep 1; done'
}

# eng_daemon NAME CMD...: start a daemon in the holder, pid in $ENG_TMP/NAME.pid.
eng_daemon() {
	local name=$1
	shift
	eng_bg nsenter -t "$(cat "$ENG_TMP/holder.pid")" -n -m -- "$@" >"$ENG_TMP/$name.log" 2>&1
	echo $! >"$ENG_TMP/$name.pid"
}

# eng_wait_sock SOCKET: until a daemon listens there (10 s).
eng_wait_sock() {
	local i
	for i in $(seq 100); do
		in_ns test -S "$1" && return 0
		sleep 0.1
	done
	echo "no socket $1" >&2
	return 1
}

# eng_stop_daemon NAME: SIGTERM by pid, then SIGKILL after 10 s.
eng_stop_daemon() {
	local pid
	pid=$(cat "$ENG_TMP/$1.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || return 0
	eng_wait_gone "$pid"
}

# Processes inside the holder's namespaces, and their descendants (a
# container in its own namespaces is the child of a shim or conmon there).
eng_leftover_pids() {
	local hnet hmnt p
	hnet=$(readlink "/proc/$ENG_HOLDER/ns/net")
	hmnt=$(readlink "/proc/$ENG_HOLDER/ns/mnt")
	local -A mine=()
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$p" = "$ENG_HOLDER" ] && continue
		if [ "$(readlink /proc/$p/ns/net 2>/dev/null)" = "$hnet" ] ||
			[ "$(readlink /proc/$p/ns/mnt 2>/dev/null)" = "$hmnt" ]; then
			mine[$p]=1
		fi
	done
	# children of those, to any depth (ppid is field 4 of /proc/PID/stat)
	local changed=1 pp
	while [ $changed = 1 ]; do
		changed=0
		for p in /proc/[0-9]*; do
			p=${p#/proc/}
			[ -n "${mine[$p]:-}" ] && continue
			pp=$(sed 's/.*) [A-Za-z] \([0-9]*\).*/\1/' /proc/$p/stat 2>/dev/null) || continue
			if [ -n "${mine[$pp]:-}" ]; then
				mine[$p]=1
				changed=1
			fi
		done
	done
	for p in "${!mine[@]}"; do
		# the holder's own sleep is its child
		[ "$(sed 's/.*) [A-Za-z] \([0-9]*\).*/\1/' /proc/$p/stat 2>/dev/null)" = \
			"$ENG_HOLDER" ] && [ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] && continue
		echo "$p"
	done
}

# eng_finish: everything stopped and removed; the machine as it was.  Fails
# (and says what) if a process, cgroup, link, rule or mount was left.
eng_finish() {
	local p left="" status=0
	eng_holder
	for p in $(eng_leftover_pids); do
		left="$left $p:$(cat /proc/$p/comm 2>/dev/null)"
		kill -9 "$p" 2>/dev/null
	done
	if [ -n "$left" ]; then
		echo "processes left after the engine stopped:$left" >&2
		status=1
	fi
	# unshare --fork ignores SIGTERM while it waits: end its child, the
	# holder's sleep, and unshare follows.
	kill "$(sed -n 's/^ready //p' "$ENG_TMP/holder.out")" 2>/dev/null
	eng_wait_gone "$ENG_HOLDER"
	eng_cgroups_remove
	eng_host_snapshot "$ENG_TMP/host.after"
	if ! diff -u "$ENG_TMP/host.before" "$ENG_TMP/host.after" >&2; then
		echo "the machine's own namespaces changed (above)" >&2
		status=1
	fi
	rm -rf "$ENG_TMP"
	return $status
}

# Remove the cgroup directories that appeared while the engine ran, deepest
# first; one that cannot be removed still holds a process: that fails.
eng_cgroups_remove() {
	local d status=0
	for d in $(eng_cgroup_dirs | comm -13 "$ENG_TMP/cgroups.before" - | sort -r); do
		rmdir "$d" 2>/dev/null || { echo "cgroup left: $d" >&2 && status=1; }
	done
	return $status
}

# For teardown_file when a test aborted: best effort, never fails.
eng_cleanup() {
	[ -n "${ENG_TMP:-}" ] && [ -d "$ENG_TMP" ] || return 0
	eng_finish >/dev/null 2>&1 || true
}
