#!/usr/bin/env bats
# lifecycle.bats - create, start, state, kill, delete, list, exec and their
# bad input, under minirunc and beside runc 1.1.5 (issue 4; TESTING.md
# "Comparison against runc" and "Bad input"). `state` and `list` are
# compared by shape (keys, value types, values minus pid/created/paths);
# a bad command must fail with status 1 (255 for exec, as runc), one line
# "minirunc: ..." naming what is wrong, and leave nothing behind.
#
# runc counterpart: tests/integration/{create,start,state,kill,delete,list,
# exec,pid-file,tty}.bats in runc.

load helpers
load lifecycle_helpers

setup() {
	mr_setup
	cfg "$B" 'p["args"] = ["/bin/sleep", "10"]'
}

teardown() {
	mr_teardown
}

# same_shape: `state` under both gave the same keys, types and values.
same_shape() {
	state_shape runc >"$T/runc.shape"
	state_shape mr >"$T/mr.shape"
	diff -u --label runc "$T/runc.shape" --label minirunc "$T/mr.shape"
}

@test "create -> created, start -> running, exit -> stopped: state shapes as runc" {
	cfg "$B" 'p["args"] = ["/bin/sleep", "0.5"]'
	both create --bundle "$B" "$ID"
	[ "$RUNC_RC" = 0 ] && [ "$MR_RC" = 0 ]
	both state "$ID"
	same_shape
	grep -qx 'status str "created"' "$T/mr.shape"
	# pid in state = the init's host pid, alive.
	kill -0 "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])' <"$T/mr.o")"
	both start "$ID"
	[ "$RUNC_RC" = 0 ] && [ "$MR_RC" = 0 ]
	both state "$ID"
	same_shape
	grep -qx 'status str "running"' "$T/mr.shape"
	wait_status runc stopped
	wait_status mr stopped
	both state "$ID"
	same_shape
	grep -qx 'pid int' "$T/mr.shape"
	[ "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])' <"$T/mr.o")" = 0 ]
	both delete "$ID"
	[ "$RUNC_RC" = 0 ] && [ "$MR_RC" = 0 ]
	[ ! -e "$T/root-mr/$ID" ]
}

@test "state with annotations: same shape as runc" {
	cfg "$B" 'c["annotations"] = {"org.example.a": "1", "b": "two words"}'
	both create --bundle "$B" "$ID"
	both state "$ID"
	same_shape
	grep -q '^annotations dict' "$T/mr.shape"
}

# A pid 1 gets only the signals it has a handler for (pid_namespaces(7)):
# a shell that traps TERM, so that TERM ends it.
trap_term() {
	cfg "$B" 'p["args"] = ["/bin/sh", "-c", "trap \"exit 3\" TERM; while :; do sleep 0.1; done"]'
}

@test "kill: names with and without SIG, and numbers" {
	local sig
	trap_term
	rt_ok mr create --bundle "$B" "$ID"
	rt_ok mr start "$ID"
	# SIGCONT, CONT, 18 are harmless to sleep; then TERM ends it.
	for sig in SIGCONT CONT 18 SIGWINCH; do
		rt_ok mr kill "$ID" "$sig"
		[ "$(status_of mr)" = running ]
	done
	rt_ok mr kill "$ID" TERM
	wait_status mr stopped
}

@test "kill: default signal is SIGTERM; kill of a stopped container fails as runc" {
	trap_term
	both create --bundle "$B" "$ID"
	both start "$ID"
	both kill "$ID"
	[ "$RUNC_RC" = 0 ] && [ "$MR_RC" = 0 ]
	wait_status runc stopped
	wait_status mr stopped
	both kill "$ID" KILL
	rt_show runc
	expect_fail mr "$RUNC_RC" 'not running'
}

@test "kill --all: every process of the container" {
	cfg "$B" 'p["args"] = ["/bin/sh", "-c", "sleep 10 & sleep 10 & wait"]'
	rt_ok mr run -d --bundle "$B" "$ID"
	sleep 0.2
	local n
	n=$(grep -lasF -- "MR_TEST_TAG=$TAG" /proc/[0-9]*/environ | wc -l)
	[ "$n" -ge 3 ]
	rt_ok mr kill --all "$ID" KILL
	wait_status mr stopped
	sleep 0.1
	[ -z "$(grep -lasF -- "MR_TEST_TAG=$TAG" /proc/[0-9]*/environ)" ]
}

@test "delete refuses a running container without -f; delete -f works" {
	both run -d --bundle "$B" "$ID"
	[ "$RUNC_RC" = 0 ] && [ "$MR_RC" = 0 ]
	both delete "$ID"
	rt_show runc
	expect_fail mr "$RUNC_RC" 'running'
	[ "$(status_of mr)" = running ]
	both delete -f "$ID"
	[ "$RUNC_RC" = 0 ] && [ "$MR_RC" = 0 ]
	[ ! -e "$T/root-mr/$ID" ]
	[ -z "$(tagged_pids)" ] || sleep 0.2
	[ -z "$(grep -lasF -- "MR_TEST_TAG=$TAG" /proc/[0-9]*/environ)" ]
}

@test "delete of a created container works without -f (as runc)" {
	both create --bundle "$B" "$ID"
	both delete "$ID"
	[ "$RUNC_RC" = "$MR_RC" ]
	[ ! -e "$T/root-mr/$ID" ]
}

@test "list with no container (no --root dir, then an empty one): as runc" {
	# runc prints nothing for -q, "null" for json, the header for the table.
	local f
	for f in "-q" "-f json" "-f table"; do
		# shellcheck disable=SC2086
		both list $f
		echo "list $f: runc $RUNC_RC, minirunc $MR_RC"
		[ "$RUNC_RC" = 0 ] && [ "$MR_RC" = 0 ]
		diff -u "$T/runc.o" "$T/mr.o"
	done
	mkdir -p "$T/root-runc" "$T/root-mr"
	both list -q
	[ "$RUNC_RC" = 0 ] && [ "$MR_RC" = 0 ]
}

@test "list: -q, -f json and the table, shaped as runc's" {
	both create --bundle "$B" "$ID"
	both create --bundle "$B" "$ID-b"
	both start "$ID-b"
	both list -q
	diff -u "$T/runc.o" "$T/mr.o"
	both list -f json
	for n in runc mr; do
		python3 -c '
import json, sys
for s in json.load(sys.stdin):
    print(sorted((k, type(v).__name__) for k, v in s.items()))
    print(s["id"], s["status"], s["owner"], s["bundle"].endswith("/bundle"))' \
			<"$T/$n.o" >"$T/$n.json"
	done
	diff -u "$T/runc.json" "$T/mr.json"
	both list
	# The table: same header, same columns (pid, dates and paths aside).
	[ "$(head -1 "$T/runc.o" | tr -s ' ')" = "$(head -1 "$T/mr.o" | tr -s ' ')" ]
	awk 'NR > 1 { print $1, $3, $NF }' "$T/runc.o" >"$T/runc.tab"
	awk 'NR > 1 { print $1, $3, $NF }' "$T/mr.o" >"$T/mr.tab"
	diff -u "$T/runc.tab" "$T/mr.tab"
}

@test "--pid-file: written, its content is the init's pid" {
	rt_ok mr create --pid-file "$T/pidfile" --bundle "$B" "$ID"
	rt_ok mr state "$ID"
	local pid
	pid=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])' <"$T/mr.o")
	[ "$(cat "$T/pidfile")" = "$pid" ]
	rt_ok runc create --pid-file "$T/pidfile.runc" --bundle "$B" "$ID"
	# Same format as runc's: the number, no newline.
	[ "$(wc -c <"$T/pidfile.runc" | tr -d ' ')" = "${#pid}" ] ||
		[ "$(tail -c1 "$T/pidfile.runc" | od -An -c | tr -d ' ')" != '\n' ]
	cmp <(tail -c1 "$T/pidfile" | od -An -tx1) <(tail -c1 "$T/pidfile.runc" | od -An -tx1) ||
		[ "$(tail -c1 "$T/pidfile" | od -An -tx1 | tr -d ' ')" != 0a ]
}

@test "--console-socket with terminal: true: the pty reaches the socket (as runc)" {
	local cr pid n
	cr=$(tool_build console_recv console_recv.c)
	cfg "$B" 'p["terminal"] = True' 'p["args"] = ["/bin/sh"]'
	for n in runc mr; do
		"$cr" "$T/$n.sock" 'echo tty-$((6*7)); exit 3' 3 >"$T/$n.tty" &
		pid=$!
		for _ in $(seq 40); do [ -S "$T/$n.sock" ] && break; sleep 0.05; done
		rt_ok "$n" create --console-socket "$T/$n.sock" --bundle "$B" "$ID"
		rt_ok "$n" start "$ID"
		wait "$pid"
		cat "$T/$n.tty"
		grep -q '^fd: received' "$T/$n.tty"
		grep -q 'tty-42' "$T/$n.tty"
		wait_status "$n" stopped
	done
}

@test "--console-socket that is not a socket: error, nothing left" {
	touch "$T/not-a-socket"
	cfg "$B" 'p["terminal"] = True'
	snapshot "$T/snap.before"
	both create --console-socket "$T/not-a-socket" --bundle "$B" "$ID"
	rt_show runc
	expect_fail mr 1 'not-a-socket'
	[ "$RUNC_RC" = 1 ]
	assert_nothing_left "$T/snap.before"
}

@test "--pid-file in a directory that does not exist: error, nothing left" {
	snapshot "$T/snap.before"
	both create --pid-file "$T/no/such/dir/pid" --bundle "$B" "$ID"
	rt_show runc
	expect_fail mr 1 'no/such/dir'
	[ "$RUNC_RC" = 1 ]
	assert_nothing_left "$T/snap.before"
}

# ------------------------------------------------------------------ exec

# ns_of PID: "type:inode ..." of a host pid.
ns_of() {
	local f
	for f in /proc/$1/ns/{ipc,mnt,net,pid,uts}; do
		printf '%s:%s ' "${f##*/}" "$(stat -L -c %i "$f")"
	done
}

@test "exec: runs in the container's namespaces" {
	rt_ok mr run -d --bundle "$B" "$ID"
	rt_ok mr state "$ID"
	local pid want
	pid=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])' <"$T/mr.o")
	want=$(ns_of "$pid")
	rt_ok mr exec "$ID" /bin/sh -c \
		'for t in ipc mnt net pid uts; do printf "%s:%s " $t $(stat -L -c %i /proc/self/ns/$t 2>/dev/null || ls -Li /proc/self/ns/$t | cut -d" " -f1); done'
	echo "want: $want"
	echo "got:  $(cat "$T/mr.o")"
	[ "$(cat "$T/mr.o")" = "$want" ]
}

@test "exec: exit status is the process's" {
	both run -d --bundle "$B" "$ID"
	both exec "$ID" /bin/sh -c 'exit 7'
	[ "$RUNC_RC" = 7 ]
	[ "$MR_RC" = 7 ]
}

@test "exec -u, -e, --cwd, --cap: the same process as under runc" {
	local probe_args
	both run -d --bundle "$B" "$ID"
	both exec -u 1000:1000 -e FOO=bar -e MR_TEST_TAG=x --cwd /tmp --cap CAP_NET_ADMIN \
		"$ID" /bin/probe --host-ns "$(host_ns_arg)"
	[ "$RUNC_RC" = 0 ] && [ "$MR_RC" = 0 ]
	normalise_report <"$T/runc.o" >"$T/runc.report"
	normalise_report <"$T/mr.o" >"$T/mr.report"
	diff -u --label runc "$T/runc.report" --label minirunc "$T/mr.report"
	grep -qx 'uid: 1000' "$T/mr.report"
	grep -qx 'cwd: /tmp' "$T/mr.report"
	grep -qx 'env: FOO=bar' "$T/mr.report"
}

@test "exec on a stopped container fails with 255, as runc" {
	cfg "$B" 'p["args"] = ["/bin/true"]'
	both create --bundle "$B" "$ID"
	both start "$ID"
	wait_status runc stopped
	wait_status mr stopped
	both exec "$ID" /bin/true
	rt_show runc
	[ "$RUNC_RC" = 255 ]
	expect_fail mr 255 'stopped|not running'
}

@test "exec of a missing program fails with 255, as runc" {
	both run -d --bundle "$B" "$ID"
	both exec "$ID" /no/such/program
	rt_show runc
	[ "$RUNC_RC" = 255 ]
	expect_fail mr 255 '/no/such/program'
}

@test "run -d returns once the process runs" {
	cfg "$B" 'p["args"] = ["/bin/sh", "-c", "touch /rec-ran; sleep 10"]' \
		'c["root"]["readonly"] = False'
	rt_ok mr run -d --bundle "$B" "$ID"
	[ "$(status_of mr)" = running ]
	for _ in $(seq 40); do [ -e "$B/rootfs/rec-ran" ] && break; sleep 0.05; done
	[ -e "$B/rootfs/rec-ran" ]
}

@test "a recycled pid is not the container: state is stopped" {
	# Faking a recycled pid: the container's process exits, then state.json
	# is pointed at a live process of ours (what a recycled pid looks like)
	# while pidStartTime keeps the container's start time.
	cfg "$B" 'p["args"] = ["/bin/true"]'
	rt_ok mr create --bundle "$B" "$ID"
	rt_ok mr start "$ID"
	wait_status mr stopped
	sleep 10 &
	local other=$!
	python3 - "$T/root-mr/$ID/state.json" "$other" <<'EOF'
import json, sys
p = sys.argv[1]
s = json.load(open(p))
s["pid"] = int(sys.argv[2])
json.dump(s, open(p, "w"))
EOF
	[ "$(status_of mr)" = stopped ]
	rt mr kill "$ID" KILL
	kill -0 "$other"
	rt_ok mr delete "$ID"
	kill -0 "$other"
	kill "$other"
}

@test "two commands racing on one id: exactly one create wins" {
	require_minirunc
	local i
	for i in 1 2 3 4; do
		(
			rc=0
			cd "$T" && timeout 10 "$MINIRUNC" --root "$T/root-mr" create --bundle "$B" \
				"$ID" </dev/null >"$T/race.$i.o" 2>"$T/race.$i.e" || rc=$?
			echo "$rc" >"$T/race.$i.rc"
		) &
	done
	wait
	cat "$T"/race.*.e
	[ "$(cat "$T"/race.*.rc | grep -cx 0)" = 1 ]
	[ "$(cat "$T"/race.*.rc | grep -cx 1)" = 3 ]
	[ "$(status_of mr)" = created ]
	# delete and start racing: both finish, the container ends up gone.
	(cd "$T" && timeout 10 "$MINIRUNC" --root "$T/root-mr" start "$ID" >/dev/null 2>&1 || :) &
	rt mr delete -f "$ID"
	wait
	[ ! -e "$T/root-mr/$ID" ]
}

# ------------------------------------------------------------- bad input

@test "unknown id: start, state, kill, delete fail as runc" {
	local c
	for c in start state kill delete; do
		both "$c" no-such-id
		rt_show runc
		[ "$RUNC_RC" = 1 ]
		expect_fail mr 1 'no-such-id'
	done
}

@test "create of an existing id fails, the first container untouched" {
	both create --bundle "$B" "$ID"
	snapshot "$T/snap.before"
	both create --bundle "$B" "$ID"
	rt_show runc
	[ "$RUNC_RC" = 1 ]
	expect_fail mr 1 "$ID"
	assert_nothing_left "$T/snap.before"
	[ "$(status_of mr)" = created ]
}

@test "ids runc refuses are refused" {
	local id
	snapshot "$T/snap.before"
	for id in a/b .. ../x 'a b' 'a:b' 'é' '.' '-'; do
		both create --bundle "$B" "$id"
		rt_show runc
		echo "id '$id': runc $RUNC_RC, minirunc $MR_RC"
		[ "$MR_RC" = "$RUNC_RC" ] || return 1
		if [ "$RUNC_RC" != 0 ]; then
			expect_fail mr 1 'id'
		else
			both delete -f "$id"
		fi
	done
	assert_nothing_left "$T/snap.before"
}

@test "kill with an unknown signal" {
	both create --bundle "$B" "$ID"
	both kill "$ID" SIGNOPE
	rt_show runc
	[ "$RUNC_RC" = 1 ]
	expect_fail mr 1 'SIGNOPE'
	[ "$(status_of mr)" = created ]
}
