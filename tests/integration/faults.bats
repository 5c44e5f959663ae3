#!/usr/bin/env bats
# faults.bats - fault injection (issue 6): the runtime killed with SIGKILL at
# each step of a container's start, hooks that fail, hang or die, two
# runtimes racing on one id, 50 containers at once.  After each,
# `minirunc delete -f ID` must leave the host exactly as before (snapshot of
# helpers.bash: netns, links, iptables, mounts, --root, tagged processes).
#
# The moment to kill is told by a hook that touches $T/at-NAME and sleeps;
# the runtime is the test's own background job ($!; it re-execs itself in
# place from the memfd, so the pid stays).  Only pids this test started are
# killed.
#
# Found by these tests, and fixed: a runtime killed after clone and before
# state.json was written left <root>/<id> that `delete -f ID` could not
# remove.  Now state.json records the init right after clone ("creating"),
# and a directory without one is simply removed.
#
# runc counterpart: none as such (runc's tests kill containers, not runc).

load helpers
load security_helpers

setup() {
	mr_setup
	cfg "$B" 'p["args"] = ["/bin/sleep", "30"]'
}

teardown() {
	mr_teardown
}

# hook_at NAME SECS: a hook script that says when it runs, then sleeps.
hook_at() {
	cat >"$T/hook-$1" <<EOF
#!/bin/sh
echo \$\$ >$T/at-$1
sleep $2
EOF
	chmod 755 "$T/hook-$1"
	echo "$T/hook-$1"
}

# add_hook KIND PATH [TIMEOUT]
add_hook() {
	local t=${3:-}
	cfg "$B" "c.setdefault('hooks', {}).setdefault('$1', []).append({'path': '$2'${t:+, 'timeout': $t}})"
}

# kill_runtime_at KIND: start `create` in the background, SIGKILL it while
# a KIND hook runs, then let the hook go (it is ours, by pid).
kill_runtime_at() {
	local h
	h=$(hook_at "$1" 3)
	add_hook "$1" "$h"
	snapshot "$T/snap.before"
	"$MINIRUNC" --root "$T/root-mr" create --bundle "$B" "$ID" </dev/null >/dev/null 2>&1 &
	RT=$!
	wait_for test -s "$T/at-$1"
	kill -9 "$RT"
	wait "$RT" || true
}

# cleaned_up: delete -f succeeds and the host is as before.  Processes get
# 5 s to go (an init whose runtime died must exit on EOF by itself).
cleaned_up() {
	local st=0
	mr delete -f "$ID" 2>"$T/del.err" || st=$?
	echo "delete -f: status $st: $(cat "$T/del.err")"
	for i in $(seq 100); do
		[ -z "$(tagged_pids)" ] && break
		sleep 0.05
	done
	echo "root after: $(ls -A "$T/root-mr" 2>/dev/null)"
	assert_nothing_left "$T/snap.before"
	[ "$st" = 0 ] || [ ! -e "$T/root-mr/$ID" ]
}

@test "runtime killed after clone (prestart hook running): delete -f leaves nothing" {
	kill_runtime_at prestart
	kill "$(cat "$T/at-prestart")" 2>/dev/null || true
	cleaned_up
}

@test "runtime killed during a createRuntime hook: delete -f leaves nothing" {
	kill_runtime_at createRuntime
	kill "$(cat "$T/at-createRuntime")" 2>/dev/null || true
	cleaned_up
}

@test "runtime killed during a createContainer hook (in the init): delete -f leaves nothing" {
	# The hook runs as the init's child in the container's pid namespace; the
	# init goes on after it, finds the runtime gone and must exit.
	kill_runtime_at createContainer
	cleaned_up
}

@test "the init exits by itself when its runtime dies during the hooks" {
	kill_runtime_at prestart
	kill "$(cat "$T/at-prestart")" 2>/dev/null || true
	for i in $(seq 100); do
		[ -z "$(tagged_pids)" ] && break
		sleep 0.05
	done
	[ -z "$(tagged_pids)" ]
}

@test "after create returned (created): delete -f leaves nothing" {
	snapshot "$T/snap.before"
	mr create --bundle "$B" "$ID" </dev/null
	mr state "$ID" | grep -q '"status": "created"'
	cleaned_up
}

@test "start killed while a startContainer hook runs: delete -f leaves nothing" {
	# It runs inside the container: its script and its mark are in the rootfs.
	printf '#!/bin/sh\necho $$ >/tmp/at-startContainer\nsleep 3\n' >"$B/rootfs/bin/hook-sc"
	chmod 755 "$B/rootfs/bin/hook-sc"
	cfg "$B" 'c["root"]["readonly"] = False'
	add_hook startContainer /bin/hook-sc
	snapshot "$T/snap.before"
	mr create --bundle "$B" "$ID" </dev/null
	"$MINIRUNC" --root "$T/root-mr" start "$ID" </dev/null >/dev/null 2>&1 &
	RT=$!
	wait_for test -s "$B/rootfs/tmp/at-startContainer"
	kill -9 "$RT"
	wait "$RT" || true
	cleaned_up
}

@test "run killed during a poststart hook: delete -f leaves nothing" {
	add_hook poststart "$(hook_at poststart 3)"
	snapshot "$T/snap.before"
	"$MINIRUNC" --root "$T/root-mr" run --bundle "$B" "$ID" </dev/null >/dev/null 2>&1 &
	RT=$!
	wait_for test -s "$T/at-poststart"
	kill -9 "$RT"
	wait "$RT" || true
	kill "$(cat "$T/at-poststart")" 2>/dev/null || true
	cleaned_up
}

@test "runtime killed during network setup (net hook as prestart): delete -f and net reset leave nothing" {
	# All of it inside a private "host" netns H (NETWORK.md, "Testing
	# networks safely"): the machine's own netns is never touched.
	local H=mr-fh-$BATS_TEST_NUMBER-$$ NR=$T/netroot
	local in_h=(nsenter --net="/run/netns/$H" --)
	snapshot "$T/snap.before"
	ip netns add "$H"
	track_netns "$H"
	ip -n "$H" link set lo up
	# prestart: minirunc's own net hook (it reads the state on stdin), then a
	# pause for the runtime to be killed in; poststop: the same hook, which
	# tears down by container id.
	printf '#!/bin/sh\n"%s" --root "%s" net hook --subnet 10.77.0.0/24 || exit 1\necho $$ >"%s"\nsleep 3\n' \
		"$MINIRUNC" "$NR" "$T/at-net" >"$T/net-prestart"
	chmod 755 "$T/net-prestart"
	add_hook prestart "$T/net-prestart"
	cfg "$B" "c['hooks'].setdefault('poststop', []).append({'path': '$MINIRUNC', 'args': ['minirunc', '--root', '$NR', 'net', 'hook', '--subnet', '10.77.0.0/24']})"
	"${in_h[@]}" "$MINIRUNC" --root "$T/root-mr" create --bundle "$B" "$ID" \
		</dev/null >/dev/null 2>&1 3>&- &
	RT=$!
	wait_for test -s "$T/at-net"
	# The network was made: a veth on the bridge, a lease.
	ip -n "$H" -o link show | grep -q 'master runc0'
	[ "$("${in_h[@]}" "$MINIRUNC" --root "$NR" net ls | wc -l)" = 2 ]
	kill -9 "$RT"
	wait "$RT" || true
	kill "$(cat "$T/at-net")" 2>/dev/null || true
	# delete -f kills the init and runs poststop: the lease and veth go.
	"${in_h[@]}" "$MINIRUNC" --root "$T/root-mr" delete -f "$ID"
	[ ! -e "$T/root-mr/$ID" ]
	[ "$("${in_h[@]}" "$MINIRUNC" --root "$NR" net ls | wc -l)" = 1 ]
	! ip -n "$H" -o link show | grep -q 'master runc0' || false
	# net reset: the bridge and its rules go too.
	"${in_h[@]}" "$MINIRUNC" --root "$NR" net reset --bridge runc0
	! ip -n "$H" -o link show | grep -q runc0 || false
	! ip netns exec "$H" iptables-save | grep -q 'minirunc:' || false
	ip netns delete "$H"
	cleaned_up
}

# ---------------------------------------------------------- hooks that go wrong

# expect_failed_run: run fails with status 1, one "minirunc:" line, nothing left.
expect_failed_run() {
	local st=0
	snapshot "$T/snap.before"
	timeout 30 "$MINIRUNC" --root "$T/root-mr" run --bundle "$B" "$ID" </dev/null \
		>"$T/out" 2>"$T/err" || st=$?
	echo "status $st"
	cat "$T/err"
	[ "$st" = 1 ]
	grep -q '^minirunc: ' "$T/err"
	for i in $(seq 100); do
		[ -z "$(tagged_pids)" ] && break
		sleep 0.05
	done
	assert_nothing_left "$T/snap.before"
}

@test "a prestart hook that fails: run fails, nothing left" {
	printf '#!/bin/sh\nexit 3\n' >"$T/hook-fail"
	chmod 755 "$T/hook-fail"
	add_hook prestart "$T/hook-fail"
	expect_failed_run
}

@test "a createRuntime hook that hangs past its timeout: run fails, hook killed, nothing left" {
	add_hook createRuntime "$(hook_at hang 60)" 1
	expect_failed_run
	! kill -0 "$(cat "$T/at-hang")" 2>/dev/null || false
}

@test "a createContainer hook that kills itself with SIGKILL: run fails, nothing left" {
	printf '#!/bin/sh\nkill -9 $$\n' >"$T/hook-die"
	chmod 755 "$T/hook-die"
	add_hook createContainer "$T/hook-die"
	expect_failed_run
}

@test "a startContainer hook that fails: run fails, nothing left" {
	printf '#!/bin/sh\nexit 1\n' >"$T/hook-fail"
	chmod 755 "$T/hook-fail"
	add_hook startContainer "$T/hook-fail"
	expect_failed_run
}

# ---------------------------------------------------------- concurrency

@test "two runtimes racing to create one id: exactly one wins, state intact" {
	snapshot "$T/snap.before"
	for i in 1 2 3 4; do
		( st=0; "$MINIRUNC" --root "$T/root-mr" create --bundle "$B" "$ID" </dev/null \
			>/dev/null 2>"$T/race-$i.err" || st=$?; echo $st >"$T/race-$i.st" ) &
	done
	wait
	cat "$T"/race-*.err
	echo "statuses: $(cat "$T"/race-*.st | tr '\n' ' ')"
	[ "$(cat "$T"/race-*.st | grep -cx 0)" = 1 ]
	[ "$(cat "$T"/race-*.st | grep -cx 1)" = 3 ]
	grep -l . "$T"/race-*.err | xargs grep -h 'minirunc: ' | grep -c 'exists' | grep -qx 3
	mr state "$ID" | grep -q '"status": "created"'
	[ "$(mr list -q)" = "$ID" ]
	cleaned_up
}

@test "create and delete -f racing on one id: no corrupted state, nothing left" {
	snapshot "$T/snap.before"
	for i in $(seq 5); do
		mr create --bundle "$B" "$ID" </dev/null >/dev/null 2>&1 &
		mr delete -f "$ID" >/dev/null 2>&1 &
		wait
	done
	mr delete -f "$ID" >/dev/null 2>&1 || true
	cleaned_up
}

@test "50 containers created and deleted in parallel (xargs -P 10): list empty, nothing left" {
	snapshot "$T/snap.before"
	seq 50 | xargs -P 10 -I{} sh -c \
		'"$1" --root "$2" create --bundle "$3" "$4-{}" </dev/null && "$1" --root "$2" delete -f "$4-{}"' \
		_ "$MINIRUNC" "$T/root-mr" "$B" "$ID"
	[ -z "$(mr list -q)" ]
	[ "$(mr list -f json)" = null ]
	cleaned_up
}
