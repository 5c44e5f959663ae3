#!/usr/bin/env bats
# engine_cli.bats - what the engines' calls need from the command line, each
# beside runc: the containerd shim (go-runc) reads a failed call's stderr even
# with --log; it sends `kill --all ID 9` until a stopped container's answer is
# success; podman --pid=host stops with `kill --all`.  tests/engines/ drives
# the engines themselves.

load helpers

setup() {
	mr_setup
	cfg "$B" 'p["args"] = ["/bin/sleep", "300"]'
}

teardown() {
	mr_teardown
}

# start_rt RT NAME: create + start the bundle detached under root $T/root-NAME.
start_rt() {
	"$1" --root "$T/root-$2" create --bundle "$B" "$ID" </dev/null >/dev/null 2>&1
	"$1" --root "$T/root-$2" start "$ID"
}

@test "an error with --log is in the log file and on stderr, as runc's" {
	require_runc
	local rt n
	for n in runc mr; do
		rt=$RUNC
		[ $n = mr ] && rt=$MINIRUNC
		run "$rt" --root "$T/root-$n" --log "$T/$n.json" --log-format json kill nope 9
		[ "$status" = 1 ]
		[[ "$output" == *"container does not exist"* ]]
		grep -q '"level":"error"' "$T/$n.json"
		grep -q 'container does not exist' "$T/$n.json"
	done
}

@test "kill --all of a stopped container exits 0, plain kill says not running, as runc" {
	require_runc
	local rt n i
	cfg "$B" 'p["args"] = ["/bin/true"]'
	for n in runc mr; do
		rt=$RUNC
		[ $n = mr ] && rt=$MINIRUNC
		start_rt "$rt" $n
		for i in $(seq 50); do
			"$rt" --root "$T/root-$n" state "$ID" | grep -q '"stopped"' && break
			sleep 0.1
		done
		run "$rt" --root "$T/root-$n" kill --all "$ID" 9
		echo "$n --all: $status $output"
		[ "$status" = 0 ]
		run "$rt" --root "$T/root-$n" kill "$ID" 9
		echo "$n: $status $output"
		[ "$status" = 1 ]
		[[ "$output" == *"container not running"* ]]
		"$rt" --root "$T/root-$n" delete "$ID"
	done
}

@test "kill --all of a container in the host's pid namespace signals no host process" {
	local host_pid
	cfg "$B" 'l["namespaces"] = [n for n in l["namespaces"] if n["type"] != "pid"]'
	# a process of the host, beside the container, in the same pid namespace
	env MR_TEST_TAG="$TAG" sleep 300 &
	host_pid=$!
	start_rt "$MINIRUNC" mr
	run "$MINIRUNC" --root "$T/root-mr" kill --all "$ID" TERM
	echo "$status $output"
	sleep 0.2
	kill -0 "$host_pid"
	if [ "$status" = 0 ]; then
		# signalled: then the container's own process got it
		sleep 0.3
		run "$MINIRUNC" --root "$T/root-mr" state "$ID"
		[[ "$output" != *'"running"'* ]]
	else
		[[ "$output" == *"pid namespace"* ]]
		"$MINIRUNC" --root "$T/root-mr" state "$ID" | grep -q '"running"'
	fi
	kill "$host_pid"
}

@test "a missing executable is named in runc's words (docker maps them to exit 127)" {
	require_runc
	local rt n
	cfg "$B" 'p["args"] = ["/no/such/binary"]'
	for n in runc mr; do
		rt=$RUNC
		[ $n = mr ] && rt=$MINIRUNC
		run "$rt" --root "$T/root-$n" run --bundle "$B" "$ID" </dev/null
		echo "$n: $status $output"
		[ "$status" = 1 ]
		[[ "$output" == *'/no/such/binary'*'stat /no/such/binary: no such file or directory'* ]]
	done
}
