#!/usr/bin/env bats
# podman 4.3 (through conmon) drives the runtime, changed only in --runtime.
# containers.conf (written below, shown in the README) tells podman to treat
# minirunc as it treats runc: --log-format=json --log FILE on every call.
# Each case runs with runc first (the reference); the minirunc cases are
# those that pass today - tests/engines/GAPS.md lists the rest and why.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	eng_require podman conmon
	eng_start
	# The machine's hard RLIMIT_NPROC/NOFILE are below podman's defaults for
	# root, and root here lacks CAP_SYS_RESOURCE: ask for less.
	cat >"$ENG_TMP/containers.conf" <<-EOF
		[containers]
		default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
		[engine]
		cgroup_manager = "cgroupfs"
		events_logger = "file"
		runtime_supports_json = ["crun", "runc", "minirunc"]
		[engine.runtimes]
		minirunc = ["$MINIRUNC"]
	EOF
	pm_raw runc import "$ENG_TMP/rootfs.tar" localhost/bb:test >/dev/null
}

# After a failed case: podman removes what is left of it.
teardown() {
	in_ns env CONTAINERS_CONF="$ENG_TMP/containers.conf" podman rm -af -t 0 >/dev/null 2>&1
	return 0
}

teardown_file() {
	eng_cleanup
}

# pm RT ARGS...: podman with runtime RT (runc or minirunc) in the holder.
pm() {
	local rt=$1
	shift
	pm_raw "$rt" "$@"
}

pm_raw() {
	local rt
	rt=$(eng_rt "$1") || return 1
	shift
	in_ns env CONTAINERS_CONF="$ENG_TMP/containers.conf" podman --runtime "$rt" "$@"
}

# A container's process that ends on SIGTERM at once (podman stop is quick).
IDLE='trap "exit 0" TERM; while :; do sleep 0.1; done'

t_run_rm() {
	run pm "$1" run --rm localhost/bb:test echo hello from podman
	[ "$status" -eq 0 ]
	[ "$output" = "hello from podman" ]
	run pm "$1" run --rm localhost/bb:test sh -c 'exit 3'
	[ "$status" -eq 3 ]
	# podman's own code for a command that cannot be run: 127
	run -127 pm "$1" run --rm localhost/bb:test /no/such/binary
	[ "$status" -eq 127 ]
	run pm "$1" ps -aq
	[ -z "$output" ]
}

t_detach_exec_stop_rm() {
	local c=pm-d-$1
	pm "$1" run -d --name "$c" localhost/bb:test sh -c "$IDLE"
	run pm "$1" exec "$c" sh -c 'echo exec in $(hostname); exit 4'
	[ "$status" -eq 4 ]
	[[ "$output" = "exec in "* ]]
	run pm "$1" inspect -f '{{.State.Status}}' "$c"
	[ "$output" = running ]
	pm "$1" stop -t 5 "$c"
	run pm "$1" inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$c"
	[ "$output" = "exited 0" ]
	pm "$1" rm "$c"
	run pm "$1" ps -aq
	[ -z "$output" ]
}

t_tty() {
	local c=pm-t-$1
	run in_ns "$ENG_PY" "$ENG_TOP/tests/ptyrun.py" 'echo tty-$((2+3)); tty\nexit 7\n' \
		env CONTAINERS_CONF="$ENG_TMP/containers.conf" podman --runtime "$(eng_rt "$1")" \
		run --rm -it localhost/bb:test sh
	[[ "$output" == *"tty-5"* ]]
	[[ "$output" == *"/dev/pts/0"* ]]
	[[ "$output" == *"status 7"* ]]
	pm "$1" run -d --name "$c" localhost/bb:test sh -c "$IDLE"
	run in_ns "$ENG_PY" "$ENG_TOP/tests/ptyrun.py" 'echo exec-$((1+1)); tty\nexit 4\n' \
		env CONTAINERS_CONF="$ENG_TMP/containers.conf" podman --runtime "$(eng_rt "$1")" \
		exec -it "$c" sh
	[[ "$output" == *"exec-2"* ]]
	[[ "$output" == *"/dev/pts/"* ]]
	[[ "$output" == *"status 4"* ]]
	pm "$1" rm -f -t 0 "$c"
}

t_networks() {
	run pm "$1" run --rm --network none localhost/bb:test cat /proc/net/dev
	[ "$status" -eq 0 ]
	[[ "$output" == *" lo:"* ]]
	[[ "$output" != *"eth0"* ]]
	# The default bridge network: netavark's podman0 in the holder's namespace.
	run pm "$1" run --rm localhost/bb:test sh -c 'ip -4 -o addr show eth0; ip route'
	[ "$status" -eq 0 ]
	[[ "$output" == *"inet 10.88."* ]]
	[[ "$output" == *"default via 10.88.0.1"* ]]
}

t_limits() {
	run pm "$1" run --rm --memory 64m --pids-limit 50 --cpus 0.5 localhost/bb:test \
		cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max \
		/sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "67108864 50 50000 100000" ]
}

t_seccomp() {
	# podman's default profile (containers-common's seccomp.json): mode 2, one filter
	run pm "$1" run --rm localhost/bb:test grep Seccomp /proc/self/status
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:	2"* ]]
	run pm "$1" run --rm --security-opt seccomp=unconfined localhost/bb:test \
		grep Seccomp: /proc/self/status
	[[ "$output" == *"Seccomp:	0"* ]]
}

t_pause_top_stats() {
	local c=pm-p-$1
	pm "$1" run -d --name "$c" --memory 64m localhost/bb:test sh -c "$IDLE"
	pm "$1" pause "$c"
	run pm "$1" inspect -f '{{.State.Status}}' "$c"
	[ "$output" = paused ]
	pm "$1" unpause "$c"
	run pm "$1" inspect -f '{{.State.Status}}' "$c"
	[ "$output" = running ]
	run pm "$1" top "$c" pid args
	[ "$status" -eq 0 ]
	[[ "$output" == *"sh -c trap"* ]]
	# the container's own numbers: its memory limit, and its processes (sh + sleep)
	run pm "$1" stats --no-stream --format '{{.MemUsage}} {{.PIDs}}' "$c"
	[ "$status" -eq 0 ]
	[[ "$output" == *"/ 67.11MB"* ]]
	local pids=${output##* }
	[ "$pids" -ge 1 ] && [ "$pids" -le 3 ]
	pm "$1" rm -f -t 0 "$c"
}

t_pid_host_stop() {
	local c=pm-h-$1 pid
	pm "$1" run -d --name "$c" --pid=host localhost/bb:test sleep 1000
	pid=$(pm "$1" inspect -f '{{.State.Pid}}' "$c")
	[ "$(cat /proc/$pid/comm)" = sleep ]
	# with the host's pid namespace podman stops with kill --all
	pm "$1" stop -t 1 "$c"
	run pm "$1" inspect -f '{{.State.Status}}' "$c"
	[ "$output" = exited ]
	run kill -0 "$pid"
	[ "$status" -ne 0 ]
	pm "$1" rm "$c"
}

# --uidmap/--gidmap: podman writes a user namespace and its mappings into
# config.json and chowns the image's files for the container's root; the
# runtime writes the maps.  What the container and podman report is kept in
# $ENG_TMP/uidmap-RT and must be the same under runc and minirunc.
t_uidmap() {
	local c=pm-u-$1 out=$ENG_TMP/uidmap-$1 upper
	pm "$1" run -d --name "$c" --uidmap 0:100000:65536 --gidmap 0:100000:65536 \
		localhost/bb:test sh -c "$IDLE"
	{
		pm "$1" exec "$c" sh -c 'cat /proc/self/uid_map /proc/self/gid_map' |
			awk '{ print "map:", $1, $2, $3 }'
		pm "$1" exec "$c" sh -c 'echo "id: $(id -u):$(id -g)"; echo "image: $(stat -c %u:%g /bin/busybox)"
			touch /root/made-inside; echo "inside: $(stat -c %u:%g /root/made-inside)"'
		# podman top: the user inside and the host's user of the same process
		pm "$1" top "$c" user huser group hgroup | sed -n 2p | awk '{ print "top:", $1, $2, $3, $4 }'
		upper=$(pm "$1" inspect -f '{{.GraphDriver.Data.UpperDir}}' "$c")
		echo "outside: $(in_ns stat -c %u:%g "$upper/root/made-inside")"
	} >"$out"
	cat "$out"
	# With a user namespace podman's rm sometimes finds the container's shm
	# mount still busy ("unlinkat .../userdata/shm: device or resource busy"),
	# under runc as under minirunc: the killed container's mount namespace is
	# not gone yet.  Stop first, then rm until it goes (at most 5 s).
	pm "$1" stop -t 0 "$c" >/dev/null
	local i
	for i in $(seq 25); do
		pm "$1" rm "$c" >/dev/null 2>&1 && break
		sleep 0.2
	done
	run pm "$1" ps -aq
	[ -z "$output" ]
	[ "$(grep -c '^map: 0 100000 65536$' "$out")" = 2 ]
	grep -qx 'id: 0:0' "$out"
	grep -qx 'image: 0:0' "$out"
	grep -qx 'inside: 0:0' "$out"
	grep -qx 'top: root 100000 root 100000' "$out"
	grep -qx 'outside: 100000:100000' "$out"
	if [ "$1" = minirunc ] && [ -e "$ENG_TMP/uidmap-runc" ]; then
		diff "$ENG_TMP/uidmap-runc" "$out"
	fi
}

@test "podman (runc): run --rm prints and passes the exit code" { t_run_rm runc; }
@test "podman (runc): run -d, exec, stop, rm" { t_detach_exec_stop_rm runc; }
@test "podman (runc): run -it and exec -it on a pty" { t_tty runc; }
@test "podman (runc): --network none and the default bridge" { t_networks runc; }
@test "podman (runc): --memory, --pids-limit, --cpus reach the cgroup" { t_limits runc; }
@test "podman (runc): the default seccomp profile is on" { t_seccomp runc; }
@test "podman (runc): pause, unpause, top, stats" { t_pause_top_stats runc; }
@test "podman (runc): --pid=host stop ends the container" { t_pid_host_stop runc; }
@test "podman (runc): --uidmap/--gidmap: the maps inside, the mapped owner outside" { t_uidmap runc; }

@test "podman (minirunc): run --rm prints and passes the exit code" { t_run_rm minirunc; }
@test "podman (minirunc): run -d, exec, stop, rm" { t_detach_exec_stop_rm minirunc; }
@test "podman (minirunc): run -it and exec -it on a pty" { t_tty minirunc; }
@test "podman (minirunc): --network none and the default bridge" { t_networks minirunc; }
@test "podman (minirunc): --memory, --pids-limit, --cpus reach the cgroup" { t_limits minirunc; }
@test "podman (minirunc): the default seccomp profile is on" { t_seccomp minirunc; }
@test "podman (minirunc): pause, unpause, top, stats" { t_pause_top_stats minirunc; }
@test "podman (minirunc): --pid=host stop ends the container" { t_pid_host_stop minirunc; }
@test "podman (minirunc): --uidmap/--gidmap: the same as runc" { t_uidmap minirunc; }

@test "podman: stopped, nothing left in the machine's namespaces" {
	in_ns env CONTAINERS_CONF="$ENG_TMP/containers.conf" podman rm -af -t 0 >/dev/null
	eng_finish
}
