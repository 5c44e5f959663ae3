#!/usr/bin/env bats
# defects_b.bats - issue 10, the command line and the container's edges:
# root.path that resolves to /, relative paths on the command line, `exec -p`
# from a pipe, the caller's stdio under `create` with a terminal, runc's log
# shape, runc's error phrases and help, linux.devices outside /dev,
# namespaces joined by path. Each test fails on the code before its fix.
# runc counterpart: tests/integration/{create,exec,debug,help,dev,netns}.bats.

load helpers
load lifecycle_helpers

setup() {
	mr_setup
	cfg "$B" 'p["args"] = ["/bin/sleep", "10"]'
}

teardown() {
	mr_teardown
}

# mr ARGS...: minirunc with this test's root, never longer than MR_RUN_TIMEOUT.
mr() {
	timeout "$MR_RUN_TIMEOUT" "$MINIRUNC" --root "$T/root-mr" "$@"
}

# ---- item 10: root.path that is, or leads to, the host's / ----------------

@test "root.path a symlink to /: refused up front with runc's phrase, nothing left" {
	ln -s / "$B/hostroot"
	cfg "$B" 'c["root"]["path"] = "hostroot"'
	expect_bad_input 'root.path .*hostroot: invalid rootfs: not an absolute path, or a symlink'
	# runc refuses it the same way (libcontainer/configs/validate rootfs).
	require_runc
	run "$RUNC" --root "$T/root-runc" run --bundle "$B" "$ID"
	[ "$status" = 1 ]
	[[ "$output" == *"not an absolute path, or a symlink"* ]]
}

@test "root.path / itself: refused up front (runc fails later, at its cgroup mount)" {
	cfg "$B" 'c["root"]["path"] = "/"'
	expect_bad_input 'root.path /: invalid rootfs'
}

@test "a bundle reached through a symlink still runs (runc resolves the bundle too)" {
	ln -s "$B" "$T/bundle-link"
	cfg "$B" 'p["args"] = ["/bin/true"]'
	mr run --bundle "$T/bundle-link" "$ID"
}

# ---- item 12: relative paths on the command line are the caller's ---------

@test "relative --pid-file, --process, --log: the caller's cwd for create, run -d and exec" {
	mkdir "$T/cwd"
	cd "$T/cwd"
	mr create --bundle "$B" --pid-file create.pid "$ID"
	[ -s "$T/cwd/create.pid" ]
	[ ! -e "$B/create.pid" ]
	mr run -d --bundle "$B" --pid-file run.pid "$ID-2"
	[ -s "$T/cwd/run.pid" ]
	[ ! -e "$B/run.pid" ]
	echo '{"args": ["/bin/true"], "cwd": "/", "user": {"uid": 0, "gid": 0}}' >proc.json
	mr exec --pid-file exec.pid -p proc.json "$ID"
	[ -s "$T/cwd/exec.pid" ]
	# --log is opened before the runtime moves into the bundle.
	run "$MINIRUNC" --root "$T/root-mr" --log create.log create --bundle "$B" "$ID"
	[ "$status" = 1 ]
	grep -q 'exists' "$T/cwd/create.log"
	[ ! -e "$B/create.log" ]
	mr delete -f "$ID"
	mr delete -f "$ID-2"
}

@test "a relative --console-socket is the caller's (create with terminal: true)" {
	local cr pid
	cr=$(tool_build console_recv console_recv.c)
	cfg "$B" 'p["terminal"] = True' 'p["args"] = ["/bin/sh"]'
	mkdir "$T/cwd"
	cd "$T/cwd"
	"$cr" "$T/cwd/tty.sock" 'echo tty-$((6*7)); exit 3' 3 >"$T/tty.out" &
	pid=$!
	for _ in $(seq 40); do [ -S "$T/cwd/tty.sock" ] && break; sleep 0.05; done
	mr create --console-socket tty.sock --bundle "$B" "$ID"
	mr start "$ID"
	wait "$pid"
	grep -q '^fd: received' "$T/tty.out"
	grep -q 'tty-42' "$T/tty.out"
}

# ---- item 13: exec -p /dev/fd/N -------------------------------------------

@test "exec -p <(...): a process file that is a pipe survives the re-exec" {
	mr create --bundle "$B" "$ID"
	run mr exec -p <(echo '{"args": ["/bin/echo", "from-a-pipe"], "cwd": "/",
		"user": {"uid": 0, "gid": 0}}') "$ID"
	echo "$output"
	[ "$status" = 0 ]
	[ "$output" = from-a-pipe ]
	# The fd reached nothing in the container: only 0-2 there.
	run mr exec -p <(echo '{"args": ["/bin/ls", "/proc/self/fd"], "cwd": "/",
		"user": {"uid": 0, "gid": 0}}') "$ID"
	[ "$status" = 0 ]
	[ "$(echo "$output" | tr '\n' ' ')" = "0 1 2 3 " ]
	mr delete -f "$ID"
}

# ---- item 11: create with a terminal lets go of the caller's stdio ---------

@test "create with terminal: true and --debug: the output reaches EOF when create returns" {
	local cr pid
	cr=$(tool_build console_recv console_recv.c)
	cfg "$B" 'p["terminal"] = True' 'p["args"] = ["/bin/sh"]'
	"$cr" "$T/tty.sock" 'echo tty-$((6*7)); exit 0' 5 >"$T/tty.out" &
	pid=$!
	for _ in $(seq 40); do [ -S "$T/tty.sock" ] && break; sleep 0.05; done
	# Read to EOF, as `out=$(minirunc create ...)` and drivers do: `cat` must
	# end because the pipe closed, not because its timeout (124) fired.
	{
		timeout 10 "$MINIRUNC" --root "$T/root-mr" --debug create --console-socket \
			"$T/tty.sock" --bundle "$B" "$ID" 2>&1 | timeout 5 cat >"$T/create.out"
		echo "${PIPESTATUS[*]}" >"$T/create.st"
	} || true
	cat "$T/create.st" "$T/create.out"
	[ "$(cat "$T/create.st")" = "0 0" ]
	grep -q "container $ID created" "$T/create.out"
	# The container still works: start it and talk to its terminal.
	mr start "$ID"
	wait "$pid"
	grep -q 'tty-42' "$T/tty.out"
}

# ---- item 15: runc's log shape ---------------------------------------------
# (the shapes themselves: cli.bats, "--log with --debug" and the json test)

@test "--debug into a pipe that closes early (| head): the runtime neither spins nor hangs" {
	cfg "$B" 'p["args"] = ["/bin/sleep", "0.5"]'
	{
		timeout -k 2 10 "$MINIRUNC" --root "$T/root-mr" --debug run --bundle "$B" "$ID" 2>&1 |
			head -n 1 >"$T/head.out"
		echo "${PIPESTATUS[0]}" >"$T/run.st"
	} || true
	cat "$T/run.st" "$T/head.out"
	# Not 124/137 (the timeout): its own SIGPIPE is not forwarded round in a loop.
	[ "$(cat "$T/run.st")" != 124 ]
	[ "$(cat "$T/run.st")" != 137 ]
	grep -q 'level=debug' "$T/head.out"
}
