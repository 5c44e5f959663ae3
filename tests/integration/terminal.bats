#!/usr/bin/env bats
# terminal.bats - `terminal: true` in the foreground, as a person at a
# terminal sees it: tests/ptyrun.py gives each runtime a fresh pty as its
# controlling terminal, types into it and reads what comes back.
# runc counterpart: tests/integration/tty.bats.

load helpers

setup() {
	mr_setup
	for a in tty stty printf; do ln -sf busybox "$B/rootfs/bin/$a"; done
	cfg "$B" 'p["terminal"] = True'
}

teardown() {
	mr_teardown
}

# pty_run RUNTIME NAME INPUT: run the bundle on a pty; $T/NAME.pty holds
# what came back (a Python repr) and the last line "status N".
pty_run() {
	timeout 20 python3 "$MR_TOP/tests/ptyrun.py" "$3" "$1" --root "$T/root-$2" run \
		--bundle "$B" "$ID" >"$T/$2.pty"
}

@test "an interactive shell: typed commands run, exit status comes back" {
	cfg "$B" 'p["args"] = ["sh"]'
	pty_run "$MINIRUNC" mr 'tty; echo hello-$((6*7)); exit 3\n'
	cat "$T/mr.pty"
	grep -q 'hello-42' "$T/mr.pty"
	grep -qx 'status 3' "$T/mr.pty"
	# The container's controlling terminal is its own pty (runc: /dev/pts/0).
	grep -q '/dev/pts/0' "$T/mr.pty"
}

@test "output bytes are runc's: ONLCR stays on, so lines end in \\r\\n" {
	# runc 1.1.5 `run -t` of printf 'a\nb\n' delivers "a\r\nb\r\n": the
	# caller's terminal is raw, the pty's ONLCR supplies the \r.
	cfg "$B" 'p["args"] = ["sh", "-c", "sleep 0.7; printf \"a\\nb\\n\""]'
	pty_run "$RUNC" runc ''
	pty_run "$MINIRUNC" mr ''
	cat "$T/runc.pty" "$T/mr.pty"
	diff "$T/runc.pty" "$T/mr.pty"
	grep -qF "b'a\\r\\nb\\r\\n'" "$T/mr.pty"
}

@test "/dev/console is the container's pty and fds 0-2 are it" {
	cfg "$B" "p['args'] = $(probe_args_json)"
	pty_run "$MINIRUNC" mr ''
	grep -q "dev: /dev/console c 136:0" "$T/mr.pty"
	grep -q "fd: 0 /dev/pts/0" "$T/mr.pty"
	grep -qx 'status 0' "$T/mr.pty"
}

@test "window size: in the foreground the caller's terminal wins over consoleSize, as runc" {
	# runc (tty.go resize) copies the caller's window size onto the pty once
	# it runs, so consoleSize only shows where no terminal is proxied.
	cfg "$B" 'p["consoleSize"] = {"height": 25, "width": 99}' \
		'p["args"] = ["sh", "-c", "sleep 0.3; stty size"]'
	pty_run "$RUNC" runc ''
	pty_run "$MINIRUNC" mr ''
	cat "$T/runc.pty" "$T/mr.pty"
	diff "$T/runc.pty" "$T/mr.pty"
}

@test "the caller's terminal is restored after the run" {
	cfg "$B" 'p["args"] = ["true"]'
	# Run minirunc under a shell on the pty that prints its stty before and after.
	timeout 20 python3 "$MR_TOP/tests/ptyrun.py" '' sh -c \
		"stty -g; '$MINIRUNC' --root '$T/root-mr' run --bundle '$B' '$ID'; stty -g" >"$T/mr.pty"
	cat "$T/mr.pty"
	python3 - "$T/mr.pty" <<'PY'
import ast, sys
lines = open(sys.argv[1]).read().splitlines()
out = ast.literal_eval(lines[0]).decode().split()
assert len(out) == 2 and out[0] == out[1], out
PY
}

@test "terminal with create but no --console-socket is refused" {
	run "$MINIRUNC" --root "$T/root-mr" create --bundle "$B" "$ID"
	[ "$status" = 1 ]
	[ "${#lines[@]}" = 1 ]
	[[ "$output" == minirunc:*console-socket* ]]
	[ ! -e "$T/root-mr/$ID" ]
}
