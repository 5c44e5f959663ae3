#!/usr/bin/env bats
# docker 20.10: dockerd (with the containerd it starts itself) and a
# "runtimes" entry in daemon.json naming the runtime's path; `docker run
# --runtime NAME`.  Each case runs with runc first (the reference); the
# minirunc cases are those that pass today (tests/engines/GAPS.md: the rest).

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	eng_require dockerd docker containerd
	eng_start
	cat >"$ENG_TMP/daemon.json" <<-EOF
		{
		  "data-root": "/var/lib/docker",
		  "exec-root": "/run/docker",
		  "pidfile": "/run/docker/docker.pid",
		  "hosts": ["unix:///run/docker/docker.sock"],
		  "storage-driver": "vfs",
		  "runtimes": {
		    "runc-path": {"path": "$(eng_rt runc)"},
		    "minirunc": {"path": "$(eng_rt minirunc)"}
		  },
		  "oom-score-adjust": 0,
		  "ip6tables": false,
		  "userland-proxy": false
		}
	EOF
	eng_daemon dockerd dockerd --config-file "$ENG_TMP/daemon.json"
	eng_wait_sock /run/docker/docker.sock
	dk runc load -i "$ENG_TMP/bb.tar" >/dev/null
}

# After a failed case: docker removes what is left of it.
teardown() {
	local c
	for c in $(dk runc ps -aq 2>/dev/null); do
		dk runc rm -f "$c" >/dev/null 2>&1
	done
	return 0
}

teardown_file() {
	eng_stop_daemon dockerd
	eng_cleanup
}

dk() {
	shift
	in_ns docker -H unix:///run/docker/docker.sock "$@"
}

# docker's runtime name for RT: runc by its path too, as minirunc is
dkrt() {
	case $1 in
	runc) echo runc-path ;;
	*) echo "$1" ;;
	esac
}

IDLE='trap "exit 0" TERM; while :; do sleep 0.1; done'

t_run_rm() {
	run dk "$1" run --rm --runtime "$(dkrt "$1")" localhost/bb:test echo hello from docker
	[ "$status" -eq 0 ]
	[ "$output" = "hello from docker" ]
	run dk "$1" run --rm --runtime "$(dkrt "$1")" localhost/bb:test sh -c 'exit 3'
	[ "$status" -eq 3 ]
	run -127 dk "$1" run --rm --runtime "$(dkrt "$1")" localhost/bb:test /no/such/binary
	[ "$status" -eq 127 ]
	run dk "$1" ps -aq
	[ -z "$output" ]
}

t_detach_exec_stop() {
	local c=dk-d-$1
	dk "$1" run -d --name "$c" --runtime "$(dkrt "$1")" localhost/bb:test sh -c "$IDLE"
	run dk "$1" exec "$c" sh -c 'echo exec in $(hostname); exit 4'
	[ "$status" -eq 4 ]
	[[ "$output" = "exec in "* ]]
	dk "$1" stop -t 5 "$c"
	run dk "$1" inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$c"
	[ "$output" = "exited 0" ]
	dk "$1" rm "$c"
}

t_tty() {
	run in_ns "$ENG_PY" "$ENG_TOP/tests/ptyrun.py" 'echo tty-$((2+3)); tty\nexit 7\n' \
		docker -H unix:///run/docker/docker.sock run --rm -it --runtime "$(dkrt "$1")" \
		localhost/bb:test sh
	[[ "$output" == *"tty-5"* ]]
	[[ "$output" == *"/dev/pts/0"* ]]
	[[ "$output" == *"status 7"* ]]
}

t_memory_update_stats() {
	local c=dk-m-$1
	dk "$1" run -d --name "$c" --memory 64m --runtime "$(dkrt "$1")" localhost/bb:test \
		sh -c "$IDLE"
	run dk "$1" exec "$c" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	[ "$output" = 67108864 ]
	# docker update goes through the runtime's update
	dk "$1" update --memory 96m --memory-swap 96m "$c"
	run dk "$1" exec "$c" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	[ "$output" = 100663296 ]
	# the container's own numbers: its limit
	run dk "$1" stats --no-stream --format '{{.MemUsage}} {{.PIDs}}' "$c"
	[ "$status" -eq 0 ]
	[[ "$output" == *"/ 96MiB "* ]]
	dk "$1" rm -f "$c"
}

t_seccomp() {
	run dk "$1" run --rm --runtime "$(dkrt "$1")" localhost/bb:test grep Seccomp: /proc/self/status
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:	2"* ]]
}

@test "docker (runc): run --rm prints and passes the exit code" { t_run_rm runc; }
@test "docker (runc): run -d, exec, stop" { t_detach_exec_stop runc; }
@test "docker (runc): run -it on a pty" { t_tty runc; }
@test "docker (runc): --memory, update, stats" { t_memory_update_stats runc; }
@test "docker (runc): the default seccomp profile is on" { t_seccomp runc; }

@test "docker (minirunc): run --rm prints and passes the exit code" { t_run_rm minirunc; }
@test "docker (minirunc): run -d, exec, stop" { t_detach_exec_stop minirunc; }
@test "docker (minirunc): run -it on a pty" { t_tty minirunc; }
@test "docker (minirunc): --memory, update, stats" { t_memory_update_stats minirunc; }
@test "docker (minirunc): the default seccomp profile is on" { t_seccomp minirunc; }

@test "docker: stopped, nothing left in the machine's namespaces" {
	eng_stop_daemon dockerd
	eng_finish
}
