#!/usr/bin/env bats
# events.bats - `minirunc events` beside runc 1.1.5 (issue 12, item 6):
# `--stats` has runc's keys (those Go's omitempty leaves out when zero
# aside) with values read from the container's own cgroup; a memory limit
# ends in an OOM kill that `events` reports with runc's "oom" line; events
# ends when the container's cgroup goes; bad input as runc.
#
# runc counterpart: tests/integration/events.bats in runc.

load helpers

setup() {
	mr_setup
	cfg "$B" 'p["args"] = ["/bin/sh", "-c", "sleep 100 & sleep 100 & exec sleep 100"]' \
		'l["resources"]["memory"] = {"limit": 67108864}' \
		'l["resources"]["pids"] = {"limit": 100}'
}

teardown() {
	[ -n "${EVPID:-}" ] && kill "$EVPID" 2>/dev/null
	mr_teardown
}

# up NAME RUNTIME [ID]: run the bundle detached under RUNTIME, root $T/root-NAME.
up() {
	"$2" --root "$T/root-$1" run -d --bundle "$B" "${3:-$ID}" </dev/null >/dev/null 2>"$T/$1.up"
}

# key_paths FILE: every key path of the JSON in FILE, one a line, minus the
# fields whose omitempty tag drops them when zero (types/events.go), so
# that a value that happens to be 0 under one runtime is not a difference.
key_paths() {
	python3 - "$1" <<'EOF'
import json, sys
OMIT = {"total", "percpu", "percpu_kernel", "percpu_user", "periods", "throttledPeriods",
        "throttledTime", "cpus", "mems", "cache", "max", "raw", "ioServiceBytesRecursive",
        "ioServicedRecursive", "ioQueueRecursive", "ioServiceTimeRecursive",
        "ioWaitTimeRecursive", "ioMergedRecursive", "ioTimeRecursive", "sectorsRecursive"}
def omitted(q, k):
    return (k in OMIT or q.startswith("/data/pids/") or
            (q.startswith("/data/memory/") and q.count("/") == 4 and k == "usage"))
def walk(v, p):
    if isinstance(v, dict):
        for k, x in v.items():
            q = p + "/" + k
            if not omitted(q, k):
                print(q)
                walk(x, q)
walk(json.load(open(sys.argv[1])), "")
EOF
}

# settle RUNTIME NAME ID: events --stats into $T/NAME.json, again until the
# container has its three processes (at most 5 s).
settle() {
	local i
	for i in $(seq 50); do
		"$1" --root "$T/root-$2" events --stats "$3" >"$T/$2.json"
		grep -q '"pids":{"current":3,' "$T/$2.json" && return 0
		sleep 0.1
	done
	cat "$T/$2.json"
	cat /proc/$("$1" --root "$T/root-$2" state "$3" | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')/cgroup
}

@test "events --stats: runc's keys, and the values of the container's own cgroup" {
	require_runc
	up mr "$MINIRUNC"
	up runc "$RUNC" "$ID-runc"
	# the shell has forked its two sleeps once three processes are there
	settle "$MINIRUNC" mr "$ID"
	settle "$RUNC" runc "$ID-runc"
	# one line, compact, as Go's json.Encoder writes it
	[ "$(wc -l <"$T/mr.json")" -eq 1 ]
	[[ "$(cat "$T/mr.json")" == '{"type":"stats","id":"'"$ID"'","data":{"cpu":{"usage":{'* ]]
	diff -u <(key_paths "$T/runc.json" | sort) <(key_paths "$T/mr.json" | sort)
	python3 - "$T/mr.json" "$T/runc.json" <<'EOF'
import json, sys
mr, rc = (json.load(open(f))["data"] for f in sys.argv[1:3])
for d in (mr, rc):
    # sh and its two sleeps: the container's processes, not the host's
    assert d["pids"] == {"current": 3, "limit": 100}, d["pids"]
    assert d["memory"]["usage"]["limit"] == 67108864, d["memory"]["usage"]
    assert 0 < d["memory"]["usage"]["usage"] < 67108864, d["memory"]["usage"]
    assert d["cpu"]["usage"]["total"] > 0
    assert d["network_interfaces"] is None and d["intel_rdt"] == {}
assert len(mr["cpu"]["usage"]["percpu"]) == len(rc["cpu"]["usage"]["percpu"])
assert sorted(mr["memory"]["raw"]) == sorted(rc["memory"]["raw"])
EOF
}

@test "events reports an OOM kill with runc's line, and ends when the container is deleted" {
	cfg "$B" 'p["args"] = ["/bin/sh", "-c", "sleep 1; dd if=/dev/zero of=/dev/null bs=64M count=1; exec sleep 100"]' \
		'l["resources"]["memory"] = {"limit": 16777216}'
	up mr "$MINIRUNC"
	"$MINIRUNC" --root "$T/root-mr" events --interval 200ms "$ID" >"$T/events" 2>"$T/events.err" &
	EVPID=$!
	for i in $(seq 100); do
		grep -q '"oom"' "$T/events" && break
		sleep 0.1
	done
	grep -qx '{"type":"oom","id":"'"$ID"'"}' "$T/events"
	# the stats lines go on between
	grep -q '^{"type":"stats","id":"'"$ID"'","data":{' "$T/events"
	"$MINIRUNC" --root "$T/root-mr" delete -f "$ID"
	for i in $(seq 50); do
		kill -0 "$EVPID" 2>/dev/null || break
		sleep 0.1
	done
	run wait "$EVPID"
	EVPID=
	[ "$status" -eq 0 ]
	[ ! -s "$T/events.err" ]
}

@test "events: bad input fails as runc's does" {
	require_runc
	up mr "$MINIRUNC"
	up runc "$RUNC"
	for args in "" "a b" "--interval 0 $ID" "--interval=-1s $ID" "--interval bogus $ID" \
		"nosuch" "--stats nosuch"; do
		run "$RUNC" --root "$T/root-runc" events $args
		rs=$status
		# logrus: msg="runc: \"events\" requires ..." -> "events" requires ...
		rmsg=$(sed -n 's/.*level=error msg="\(.*\)"$/\1/p' <<<"$output" | tail -1 |
			sed -e 's/\\"/"/g' -e 's/^[^ ]*runc: //')
		run "$MINIRUNC" --root "$T/root-mr" events $args
		echo "events $args: runc $rs ($rmsg), minirunc $status ($output)"
		[ "$status" -eq "$rs" ]
		[ "$status" -eq 1 ]
		[ -n "$rmsg" ]
		[[ "$output" == *"$rmsg"* ]]
	done
}

@test "events on a stopped container: not running, as runc" {
	require_runc
	cfg "$B" 'p["args"] = ["/bin/true"]'
	"$MINIRUNC" --root "$T/root-mr" create --bundle "$B" "$ID" </dev/null >/dev/null
	"$MINIRUNC" --root "$T/root-mr" start "$ID"
	for i in $(seq 50); do
		"$MINIRUNC" --root "$T/root-mr" state "$ID" | grep -q '"stopped"' && break
		sleep 0.1
	done
	run "$MINIRUNC" --root "$T/root-mr" events --stats "$ID"
	[ "$status" -eq 1 ]
	[ "$output" = "minirunc: container with id $ID is not running" ]
}
