#!/usr/bin/env bats
# defects.bats - regression tests of issue 10 (defects found when minirunc was
# tried from outside) in kill, delete and state.json: each failed before its fix.
#   1  kill --all never reaches a process that is not the container's (it goes by
#      the container's cgroup, issue 12)
#   6  delete -f of a missing container is success, as runc
#   7  what create accepts (annotations up to the config cap) every command handles
#   8  a tampered state.json pid is "not running", never another process
#  14  kill ID 0, numbers and names in any case, as runc
# The network items (2, 3) are in network.bats.
#
# runc counterpart: tests/integration/{kill,delete,state}.bats in runc.

load helpers
load lifecycle_helpers

setup() {
	mr_setup
	cfg "$B" 'p["args"] = ["/bin/sleep", "10"]'
}

teardown() {
	mr_teardown
}

# no_pid_ns: linux.namespaces without "pid" (podman --pid=host).
no_pid_ns() {
	cfg "$B" 'l["namespaces"] = [n for n in l["namespaces"] if n["type"] != "pid"]'
}

# ------------------------------------------------------------- 1: kill --all

# The whole test runs in a pid namespace of its own (unshare --pid --mount-proc),
# so that a minirunc that signalled its whole pid namespace could reach only this
# test's processes. Inside: pid 1 is a plain waiter, the caller is a bash that is
# not pid 1 (a namespace's init ignores SIGKILL from inside), the bystander a sleep.
@test "kill --all without a pid namespace of its own: its cgroup only; bystander and caller survive" {
	require_minirunc
	require_cmd unshare
	no_pid_ns
	cfg "$B" 'p["args"] = ["/bin/sh", "-c", "sleep 10 & sleep 10 & wait"]'
	cat >"$T/inner.sh" <<EOF
sleep 60 & by=\$!
"$MINIRUNC" --root "$T/root-mr" run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>"$T/run.e" ||
	{ echo "run failed: \$(cat "$T/run.e")"; exit 1; }
sleep 0.2
rc=0
"$MINIRUNC" --root "$T/root-mr" kill --all "$ID" KILL 2>"$T/kill.e" || rc=\$?
echo "kill rc \$rc"
sleep 0.2
kill -0 \$by && echo "bystander alive"
echo "caller alive"
"$MINIRUNC" --root "$T/root-mr" state "$ID" | grep -q '"stopped"' && echo "container stopped"
kill \$by
EOF
	timeout 20 unshare --pid --fork --mount-proc sh -c "bash $T/inner.sh & wait" >"$T/inner.o" 2>&1 || :
	cat "$T/inner.o"
	echo "kill --all stderr: $(cat "$T/kill.e")"
	grep -qx 'kill rc 0' "$T/inner.o"
	grep -qx 'bystander alive' "$T/inner.o"
	grep -qx 'caller alive' "$T/inner.o"
	grep -qx 'container stopped' "$T/inner.o"
	[ -z "$(grep -lasF -- "MR_TEST_TAG=$TAG" /proc/[0-9]*/environ)" ]
}

@test "kill --all with a pid namespace joined by path: the container's cgroup, not the namespace" {
	require_minirunc
	sleep 60 &
	local other=$!
	cfg "$B" "
for n in l['namespaces']:
    if n['type'] == 'pid':
        n['path'] = '/proc/$other/ns/pid'"
	rt_ok mr run -d --bundle "$B" "$ID"
	rt_ok mr kill --all "$ID" KILL
	wait_status mr stopped
	kill -0 "$other"
	kill "$other"
}

@test "kill --all with its own pid namespace: every container process, no bystander" {
	cfg "$B" 'p["args"] = ["/bin/sh", "-c", "sleep 10 & sleep 10 & wait"]'
	sleep 60 &
	local by=$!
	rt_ok mr run -d --bundle "$B" "$ID"
	sleep 0.2
	[ "$(grep -lasF -- "MR_TEST_TAG=$TAG" /proc/[0-9]*/environ | wc -l)" -ge 3 ]
	rt_ok mr kill --all "$ID" KILL
	wait_status mr stopped
	sleep 0.1
	[ -z "$(grep -lasF -- "MR_TEST_TAG=$TAG" /proc/[0-9]*/environ)" ]
	kill -0 "$by"
	kill "$by"
	# Stopped: nothing left in its namespace, success as runc; plain kill is not.
	# One runtime after the other: with the same id both would share one
	# default cgroup, which the second only joins (and may not signal whole).
	local n
	for n in runc mr; do
		rt_ok "$n" run -d --bundle "$B" "$ID-b"
		rt_ok "$n" kill "$ID-b" KILL
		wait_status "$n" stopped "$ID-b"
		rt_ok "$n" kill --all "$ID-b" KILL
		rt "$n" kill "$ID-b" KILL
		[ "$n" = runc ] && { [ "$RT_RC" = 1 ] && rt_ok runc delete "$ID-b"; }
	done
	expect_fail mr 1 'not running'
}

# ------------------------------------------------------------- 6: delete -f

@test "delete -f of a container that does not exist: exit 0, silent, as runc" {
	both delete -f no-such-id
	rt_show runc
	rt_show mr
	rt_show mr
	[ "$RUNC_RC" = 0 ] && [ "$MR_RC" = 0 ]
	[ ! -s "$T/runc.o" ] && [ ! -s "$T/mr.o" ] && [ ! -s "$T/mr.e" ]
	# With the root there and empty, the same.
	mkdir -p "$T/root-mr" "$T/root-runc"
	both delete -f no-such-id
	rt_show mr
	[ "$RUNC_RC" = 0 ] && [ "$MR_RC" = 0 ]
	# Plain delete keeps the error; an invalid id is an error even with -f.
	both delete no-such-id
	[ "$RUNC_RC" = 1 ]
	expect_fail mr 1 'does not exist'
	both delete -f 'a/b'
	[ "$RUNC_RC" = 1 ]
	expect_fail mr 1 'invalid container id'
}

# ------------------------------------------------------------- 7: one limit

# annotate BYTES CHAR: one annotation of BYTES copies of CHAR (a python literal).
annotate() {
	cfg "$B" "c['annotations'] = {'org.example.big': $2 * $1, 'small': 'x'}"
}

# manage_all: create, state, start, kill, delete -f all work; state shows the annotations.
manage_all() {
	rt_ok mr create --bundle "$B" "$ID"
	rt_ok mr state "$ID"
	python3 -c 'import json,sys; a = json.load(sys.stdin)["annotations"]; print(len(a["org.example.big"]), a["small"])' \
		<"$T/mr.o" >"$T/ann"
	cat "$T/ann"
	[ "$(cat "$T/ann")" = "$1 x" ]
	rt_ok mr start "$ID"
	[ "$(status_of mr)" = running ]
	rt_ok mr kill "$ID" KILL
	wait_status mr stopped
	rt_ok mr delete -f "$ID"
	[ ! -e "$T/root-mr/$ID" ]
}

@test "1.1 MB of annotations: create, state, start, kill, delete -f all work" {
	annotate 1100000 "'a'"
	manage_all 1100000
}

@test "annotations that need escaping, near the 4 MiB config cap: every command still reads the state" {
	# 2,000,000 backslashes are 4,000,000 bytes of config.json (each written \\);
	# stored as a string holding JSON they would be 8 MB of state.json.
	annotate 2000000 "'\\\\'"
	[ "$(stat -c %s "$B/config.json")" -lt $((4 << 20)) ]
	manage_all 2000000
}

# ------------------------------------------------------------- 8: state.json checked

# tamper PY: edit the container's state.json with python (s = the object).
tamper() {
	python3 - "$T/root-mr/$ID/state.json" "$1" <<'EOF'
import json, sys
p = sys.argv[1]
s = json.load(open(p))
exec(sys.argv[2])
json.dump(s, open(p, "w"))
EOF
}

# start_time PID: field 22 of /proc/PID/stat.
start_time() {
	sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f20
}

@test "a state.json pid of victim + 2^32 is not running: kill does not signal the victim" {
	cfg "$B" 'p["args"] = ["/bin/true"]'
	rt_ok mr run -d --bundle "$B" "$ID"
	wait_status mr stopped
	sleep 60 &
	local victim=$!
	# With the victim's own start time: truncated to 32 bits, the record would
	# name the victim exactly.
	tamper "s['pid'] = $victim + 2**32; s['pidStartTime'] = $(start_time "$victim")"
	[ "$(status_of mr)" = stopped ]
	rt mr state "$ID"
	[ "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])' <"$T/mr.o")" = 0 ]
	rt mr kill "$ID" KILL
	expect_fail mr 1 'not running'
	kill -0 "$victim"
	rt mr kill --all "$ID" KILL
	kill -0 "$victim"
	rt_ok mr delete "$ID"
	kill -0 "$victim"
	kill "$victim"
}

@test "state.json pid out of range (negative, 2^22+1, 2^63, no start time): not running" {
	cfg "$B" 'p["args"] = ["/bin/true"]'
	rt_ok mr create --bundle "$B" "$ID"
	local pid bad
	pid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' \
		"$T/root-mr/$ID/state.json")
	[ "$(status_of mr)" = created ]
	for bad in "-$pid" "2**22 + 1" "2**63" "2**64 + $pid"; do
		tamper "s['pid'] = $bad"
		echo "pid $bad: $(status_of mr)"
		[ "$(status_of mr)" = stopped ]
	done
	tamper "s['pid'] = $pid; s['pidStartTime'] = 0"
	[ "$(status_of mr)" = stopped ]
	tamper "s['pid'] = $pid; del s['pidStartTime']"
	[ "$(status_of mr)" = stopped ]
	kill -9 "$pid"
}

@test "state.json fields of the wrong type or shape: damaged, one line, no crash" {
	local t
	rt_ok mr create --bundle "$B" "$ID"
	cp "$T/root-mr/$ID/state.json" "$T/state.good"
	for t in "s['id'] = 'other'" "s['id'] = 7" "s['bundle'] = 'relative/path'" \
		"s['rootfs'] = None" "s['pid'] = '123'" "s['ready'] = 'yes'" \
		"s['started'] = 1" "s['annotations'] = {'a': 1}" "s['annotations'] = 'x'" \
		"s['created'] = 5" "s['bundle'] = '/a\\u0000b'" "s['pidStartTime'] = [1]"; do
		cp "$T/state.good" "$T/root-mr/$ID/state.json"
		tamper "$t"
		rt mr state "$ID"
		echo "$t:"
		expect_fail mr 1 "state.json of $ID is damaged"
	done
	cp "$T/state.good" "$T/root-mr/$ID/state.json"
	rt_ok mr delete -f "$ID"
}

# ------------------------------------------------------------- 14: kill signals

@test "kill ID 0, 9, SIGKILL, KILL, kill, +9, 09 and an empty signal: as runc" {
	local sig
	for sig in 0 9 SIGKILL KILL kill sigKill +9 09 '' WINCH 28; do
		both run -d --bundle "$B" "$ID"
		rt_show mr
	[ "$RUNC_RC" = 0 ] && [ "$MR_RC" = 0 ]
		both kill "$ID" "$sig"
		echo "kill '$sig': runc $RUNC_RC, minirunc $MR_RC ($(cat "$T/mr.e"))"
		rt_show mr
	[ "$RUNC_RC" = 0 ] && [ "$MR_RC" = 0 ]
		sleep 0.1
		echo "  runc $(status_of runc), minirunc $(status_of mr)"
		[ "$(status_of runc)" = "$(status_of mr)" ]
		both delete -f "$ID"
	done
}

@test "kill with a signal kill(2) refuses, or a name runc does not know: exit 1, as runc" {
	local sig
	both run -d --bundle "$B" "$ID"
	for sig in -1 -9 65 100 SIGIOT POLL RTMIN SIGRTMIN+1 0x9 ' 9' '9 ' 4294967305; do
		both kill "$ID" "$sig"
		echo "kill '$sig':"
		rt_show runc
		[ "$RUNC_RC" = 1 ] || [ "$sig" = 4294967305 ]
		expect_fail mr 1 'signal|invalid argument'
		[ "$(status_of mr)" = running ]
	done
	# The one intended difference: runc truncates 4294967305 to 32 bits (SIGKILL).
	[ "$(status_of runc)" = stopped ]
}
