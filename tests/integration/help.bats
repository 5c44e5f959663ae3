#!/usr/bin/env bats
# help.bats - `-h`, `--help`, `help` and `help COMMAND` answer for every
# runc 1.1 command, on stdout, exit 0, in runc's layout (NAME: on the first
# line, "runc CMD" - here "minirunc CMD" - on the second), and say plainly
# which commands minirunc lacks; `-v` has runc's three lines.
# runc counterpart: tests/integration/help.bats and version.bats (the same
# line checks, run here against both runtimes).

load helpers
bats_require_minimum_version 1.5.0

# runc 1.1's commands (`runc -h`), and the ones minirunc does not implement.
RUNC_COMMANDS="checkpoint create delete events exec features init kill list pause ps restore
	resume run spec start state update"
LACKING="checkpoint restore init"

setup() {
	require_minirunc
	T=$(mktemp -d /tmp/mr-test.XXXXXX)
}

teardown() {
	rm -rf "$T"
}

# check_help RUNTIME NAME CMD: $output is CMD's help in runc's layout.
check_help() {
	[ "$status" = 0 ] || { echo "$1 $3: exit $status: $output"; return 1; }
	[ "${lines[0]}" = "NAME:" ] || { echo "$1 $3: first line: ${lines[0]}"; return 1; }
	[[ "${lines[1]}" == "   $2 $3 - "* ]] || { echo "$1 $3: second line: ${lines[1]}"; return 1; }
	[[ "$output" == *"USAGE:"*"$2 $3"* ]]
}

@test "help: -h, --help and help COMMAND for every runc command, exit 0, runc's layout" {
	local c how
	for c in $RUNC_COMMANDS; do
		for how in "$c -h" "$c --help" "help $c"; do
			run -0 --separate-stderr "$MINIRUNC" $how
			[ -z "$stderr" ]
			check_help minirunc minirunc "$c"
		done
	done
}

@test "help: runc answers the same three ways with the same layout (the layout is runc's)" {
	require_runc
	local c how
	for c in $RUNC_COMMANDS; do
		# runc's init is its own re-exec and panics when run by hand.
		[ "$c" = init ] && continue
		for how in "$c -h" "$c --help" "help $c"; do
			run "$RUNC" $how
			check_help runc runc "$c"
		done
	done
}

@test "help: the commands minirunc lacks say so in their help and fail in one line when run" {
	local c
	for c in $LACKING; do
		run -0 "$MINIRUNC" "$c" --help
		[[ "${lines[1]}" == *"not "*"minirunc"* ]]
		[[ "$output" == *"minirunc does not implement $c"* || "$output" == *"minirunc has no $c"* ]]
		run -1 --separate-stderr "$MINIRUNC" --root "$T/root" "$c" some-id
		[ -z "$output" ]
		[ "${#stderr_lines[@]}" = 1 ]
		[[ "$stderr" == "minirunc: $c: minirunc "*" $c"* ]]
		[ ! -e "$T/root/some-id" ]
	done
	# The top-level list says it too, and leaves no implemented command out.
	run -0 "$MINIRUNC" --help
	[[ "$output" == *"   checkpoint  not implemented by minirunc"* ]]
	[[ "$output" == *"   restore     not implemented by minirunc"* ]]
}

@test "help: minirunc -h, --help, help and no command: the list of every command, exit 0" {
	local how c
	for how in -h --help help ""; do
		run -0 --separate-stderr "$MINIRUNC" $how
		[ -z "$stderr" ]
		[ "${lines[0]}" = "NAME:" ]
		# runc's help.bats: lines[1] =~ runc\ '-'\ Open\ Container\ Initiative\ runtime
		[[ "${lines[1]}" =~ runc\ '-'\ Open\ Container\ Initiative\ runtime ]]
		for c in $RUNC_COMMANDS net help; do
			[[ "$output" == *$'\n'"   $c "* ]] || { echo "missing $c"; return 1; }
		done
		[[ "$output" == *"GLOBAL OPTIONS:"*"--root value"*"--version, -v"* ]]
	done
}

@test "help: each command's OPTIONS name the flags it accepts, and only those" {
	# A flag the help lists is parsed (no 'unknown option'), one it omits is not.
	run -0 "$MINIRUNC" kill -h
	[[ "$output" == *"--all, -a"* ]]
	run -0 "$MINIRUNC" run -h
	[[ "$output" == *"--bundle value, -b value"*"--console-socket"*"--pid-file"*"--no-pivot"* ]]
	[[ "$output" == *"--detach, -d"*"--keep"* ]]
	run -0 "$MINIRUNC" create -h
	[[ "$output" != *"--detach"* && "$output" != *"--keep"* ]]
	run -1 "$MINIRUNC" --root "$T/root" create --detach x
	[[ "$output" == *"create: unknown option --detach"* ]]
	run -0 "$MINIRUNC" delete -h
	[[ "$output" == *"--force, -f"* ]]
	run -0 "$MINIRUNC" list -h
	[[ "$output" == *"--format value, -f value"*"--quiet, -q"* ]]
	run -0 "$MINIRUNC" exec -h
	[[ "$output" == *"--process value, -p value"*"--ignore-paused"* ]]
	run -0 "$MINIRUNC" start -h
	[[ "$output" != *"OPTIONS:"* ]]
}

@test "help: -h after the id asks for help, as runc; exec and ps hand it to the process" {
	run -0 "$MINIRUNC" --root "$T/root" kill some-id -h
	check_help minirunc minirunc kill
	run -0 "$MINIRUNC" --root "$T/root" delete -f some-id --help
	check_help minirunc minirunc delete
	# exec ID CMD -h: the -h is CMD's, so the missing container is the error.
	run "$MINIRUNC" --root "$T/root" exec some-id ls -h
	[ "$status" = 255 ]
	[[ "$output" != *"NAME:"* ]]
	[[ "$output" == *"some-id"* ]]
	run "$MINIRUNC" --root "$T/root" ps some-id -h
	[ "$status" != 0 ]
	[[ "$output" != *"NAME:"* ]]
}

@test "help: help for an unknown command, and an unknown command, fail in one line plus a hint" {
	run -1 --separate-stderr "$MINIRUNC" help frobnicate
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = 'minirunc: no help for unknown command "frobnicate"' ]
	[ "${#stderr_lines[@]}" = 2 ]
	run -1 "$MINIRUNC" frobnicate -h
	[ "${lines[0]}" = 'minirunc: no help for unknown command "frobnicate"' ]
}

@test "version: -v and --version give runc's three lines (runc's version.bats checks)" {
	local how rt
	for rt in "$MINIRUNC" "$RUNC"; do
		[ -x "$rt" ] || continue
		for how in -v --version; do
			run -0 "$rt" $how
			[[ ${lines[0]} =~ runc\ version\ [0-9]+\.[0-9]+\.[0-9]+ ]]
			[[ ${lines[1]} =~ commit:+ ]]
			[[ ${lines[2]} =~ spec:\ [0-9]+\.[0-9]+\.[0-9]+ ]]
		done
	done
	run -0 "$MINIRUNC" -v
	[[ "${lines[0]}" == "minirunc version "* ]]
}
