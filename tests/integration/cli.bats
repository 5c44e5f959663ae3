#!/usr/bin/env bats
# cli.bats - runc's command line: global options, help, version, usage
# errors, --log and --log-format, --debug narration, both forms of `run`,
# and `make install` honouring PREFIX and DESTDIR.
# runc counterpart: tests/integration/help.bats, version.bats, debug.bats.

load helpers

setup() {
	mr_setup
	cfg "$B" 'p["args"] = ["/bin/true"]'
}

teardown() {
	mr_teardown
}

@test "--version prints the version, the commit and the OCI spec version, as runc" {
	run "$MINIRUNC" --version
	[ "$status" = 0 ]
	[[ "${lines[0]}" == "minirunc version "* ]]
	[[ "${lines[1]}" == "commit: "* ]]
	[[ "${lines[2]}" == "spec: 1.0.2-dev" ]]
}

@test "--help, help COMMAND and COMMAND --help" {
	run "$MINIRUNC" --help
	[ "$status" = 0 ]
	[[ "$output" == *"create "*"exec "*"run "*"net "* ]]
	run "$MINIRUNC" help kill
	[ "$status" = 0 ]
	[[ "$output" == *"minirunc kill [command options] <container-id> [signal]"*"--all, -a"* ]]
	run "$MINIRUNC" delete --help
	[ "$status" = 0 ]
	[[ "$output" == *"minirunc delete [command options] <container-id>"*"--force, -f"* ]]
}

@test "an unknown command: one line saying so plus a usage hint, exit 1" {
	run "$MINIRUNC" frobnicate
	[ "$status" = 1 ]
	[ "${lines[0]}" = 'minirunc: unknown command "frobnicate"' ]
	[[ "${lines[1]}" == *"--help"* ]]
	[ "${#lines[@]}" = 2 ]
}

@test "an unknown option, global or of a command: named, exit 1" {
	run "$MINIRUNC" --frob list
	[ "$status" = 1 ]
	[[ "${lines[0]}" == "minirunc: unknown option --frob" ]]
	run "$MINIRUNC" --root "$T/root-mr" run --frob "$ID"
	[ "$status" = 1 ]
	[[ "${lines[0]}" == "minirunc: run: unknown option --frob" ]]
	[ ! -e "$T/root-mr/$ID" ]
}

@test "a command with the wrong number of arguments says what it needs, as runc" {
	run "$MINIRUNC" --root "$T/root-mr" kill
	[ "$status" = 1 ]
	[[ "${lines[0]}" == *'"kill" requires a minimum of 1 argument(s)'* ]]
	run "$MINIRUNC" --root "$T/root-mr" state a b
	[ "$status" = 1 ]
	[[ "${lines[0]}" == *'"state" requires exactly 1 argument(s)'* ]]
}

@test "--log-format json: runc's shape (level, msg, time) in the --log file" {
	run "$MINIRUNC" --root "$T/root-mr" --log "$T/log.json" --log-format json state nope
	[ "$status" = 1 ]
	python3 - "$T/log.json" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
rec = json.loads(lines[0])
assert sorted(rec) == ["level", "msg", "time"], rec
assert rec["level"] == "error" and "container does not exist" in rec["msg"], rec
PY
}

@test "--log with --debug: the narration goes to the file in runc's text shape, nothing to stderr" {
	run "$MINIRUNC" --root "$T/root-mr" --debug --log "$T/log.txt" run --bundle "$B" "$ID"
	[ "$status" = 0 ]
	[ -z "$output" ]
	# logrus' text formatter, as runc --debug --log writes it: the narration is the msg.
	local ts='time="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})"'
	grep -qE "^$ts level=debug msg=\"\\[runtime\\] clone3" "$T/log.txt"
	grep -qF 'level=debug msg="[init] pivot_root(\".\", \".\")  (runc: rootfs_linux.go pivotRoot)"' \
		"$T/log.txt"
	grep -qE "^$ts level=debug msg=\"\\[init\\] execve" "$T/log.txt"
	! grep -vE "^$ts level=debug msg=\".*\"$" "$T/log.txt" || false
}

@test "--debug --log-format json: every line is runc's {level,msg,time}, as runc writes it" {
	require_runc
	run "$MINIRUNC" --root "$T/root-mr" --debug --log "$T/mr.json" --log-format json \
		run --bundle "$B" "$ID"
	[ "$status" = 0 ]
	[ -z "$output" ]
	run "$RUNC" --root "$T/root-runc" --debug --log "$T/runc.json" --log-format json \
		run --bundle "$B" "$ID"
	[ "$status" = 0 ]
	python3 - "$T/mr.json" "$T/runc.json" <<'PY'
import json, re, sys
def recs(path):
    return [json.loads(l) for l in open(path).read().splitlines()]
mr, runc = recs(sys.argv[1]), recs(sys.argv[2])
ts = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
# runc's plain debug lines have exactly these keys (its caller-reporting
# lines add func/file/pid, which minirunc has no counterpart for).
plain = [r for r in runc if sorted(r) == ["level", "msg", "time"]]
assert plain and all(r["level"] == "debug" for r in plain), runc
for r in mr:
    assert sorted(r) == ["level", "msg", "time"], r
    assert r["level"] == "debug" and ts.match(r["time"]), r
msgs = [r["msg"] for r in mr]
assert any(m.startswith("[runtime] clone3") for m in msgs), msgs
assert any(m.startswith("[init] execve") for m in msgs), msgs
PY
	# Go's encoder escapes < > & ("\u003e"), as runc's "=\u003e nsexec" lines show.
	grep -q 'u003e' "$T/runc.json"
}

@test "--log: an error is one runc error line in the file and minirunc's line on stderr" {
	run "$MINIRUNC" --root "$T/root-mr" --log "$T/log.txt" state nope
	[ "$status" = 1 ]
	[ "$output" = "minirunc: container does not exist: nope" ]
	[ "$(wc -l <"$T/log.txt")" = 1 ]
	grep -qE '^time="[^"]+" level=error msg="container does not exist: nope"$' "$T/log.txt"
	# Without --log, warnings and errors stay minirunc's own lines on stderr.
	run "$MINIRUNC" --root "$T/root-mr" state nope
	[ "$output" = "minirunc: container does not exist: nope" ]
}

@test "--debug narrates the start in order, one line a step, each naming runc" {
	run "$MINIRUNC" --root "$T/root-mr" --debug run --bundle "$B" "$ID"
	[ "$status" = 0 ]
	# The steps of ARCHITECTURE.md, "The flow", in that order.
	echo "$output" | grep -o -e 'clone3' -e 'bring lo up' -e 'mount proc' \
		-e 'waiting for prestart' -e 'pivot_root' -e 'setuid' -e 'ready, waiting for start' \
		-e 'execve' | uniq | tr '\n' ' ' >"$T/order"
	cat "$T/order"
	[ "$(cat "$T/order")" = "clone3 bring lo up mount proc waiting for prestart pivot_root setuid ready, waiting for start execve " ]
	# Every narration line is runc's debug shape and names its runc counterpart.
	echo "$output" | grep -q '^time="[^"]*" level=debug msg="\[init\] '
	! echo "$output" | grep 'level=debug' | grep -v '(runc: ' || false
}

@test "run BUNDLE_DIR: the teaching form takes the id from the directory's name" {
	mkdir -p "$T/teach"
	mv "$B" "$T/teach/box"
	run "$MINIRUNC" --root "$T/root-mr" --debug run "$T/teach/box"
	[ "$status" = 0 ]
	[[ "$output" == *"container box created"* ]]
	[ ! -e "$T/root-mr/box" ]
}

@test "run -b BUNDLE ID with a relative --root and bundle" {
	cd "$T"
	run "$MINIRUNC" --root root-rel run -b bundle "$ID"
	[ "$status" = 0 ]
	[ -d "$T/root-rel" ]
	[ -z "$(ls -A "$T/root-rel")" ]
}

@test "--pid-file is written atomically with the init's pid, as runc" {
	cfg "$B" 'p["args"] = ["/bin/sleep", "10"]'
	"$MINIRUNC" --root "$T/root-mr" create --bundle "$B" --pid-file "$T/pid" "$ID"
	pid=$(cat "$T/pid")
	[ "$pid" = "$("$MINIRUNC" --root "$T/root-mr" state "$ID" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')" ]
	[ ! -e "$T/pid.minirunc-tmp" ]
	"$MINIRUNC" --root "$T/root-mr" delete -f "$ID"
}

@test "make install and uninstall honour PREFIX and DESTDIR" {
	make -s -C "$MR_TOP" install PREFIX=/opt/mr DESTDIR="$T/dest" >/dev/null
	[ -x "$T/dest/opt/mr/bin/minirunc" ]
	"$T/dest/opt/mr/bin/minirunc" --version | grep -q '^minirunc version'
	make -s -C "$MR_TOP" uninstall PREFIX=/opt/mr DESTDIR="$T/dest" >/dev/null
	[ ! -e "$T/dest/opt/mr/bin/minirunc" ]
}

# The signals runc forwards from a foreground `run` (signals.go): each one
# reaches the container's process, which here is pid 1 of a new pid
# namespace with a handler, so it is not ignored.
@test "a foreground run forwards TERM, INT, HUP, QUIT, USR1 and USR2 to the container" {
	for sig in TERM INT HUP QUIT USR1 USR2; do
		cfg "$B" "p['args'] = ['/bin/sh', '-c', 'trap \"echo got $sig; exit 7\" $sig; echo ready; while :; do sleep 0.05; done']"
		"$MINIRUNC" --root "$T/root-mr" run --bundle "$B" "$ID-$sig" </dev/null >"$T/$sig.out" 2>&1 3>&- &
		rt=$!
		for i in $(seq 100); do grep -q ready "$T/$sig.out" && break; sleep 0.05; done
		kill -s "$sig" "$rt"
		st=0
		wait "$rt" || st=$?
		echo "$sig: status $st: $(cat "$T/$sig.out")"
		[ "$st" = 7 ]
		grep -qx "got $sig" "$T/$sig.out"
	done
}
