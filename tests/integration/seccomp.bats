#!/usr/bin/env bats
# seccomp.bats - linux.seccomp, compiled by minirunc itself (seccomp.c).
#
# Two proofs that it is runc's filter:
#  1. tests/seccomp/equal.py: minirunc's program and the one runc 1.1.5
#     loads (libseccomp's, built as runc builds it, behind runc's -ENOSYS
#     stub) give the same action for every architecture, syscall number and
#     argument value at and around each constant: podman's default profile,
#     a profile with every operator, a dozen edge profiles, and generated
#     overlapping ones.
#  2. In containers: the same profile under runc and under minirunc;
#     tests/seccomp/scprobe.c inside makes a list of syscalls and reports
#     each result (errno, signal); the reports must be identical.
# And the bad profiles: one line naming the field, exit 1, nothing left.
#
# runc counterpart: tests/integration/seccomp.bats, seccomp-notify.bats.

load helpers

PY=/usr/bin/python3 # Debian's, with python3-seccomp

setup() {
	mr_setup
}

teardown() {
	mr_teardown
}

require_seccomp_tools() {
	$PY -c 'import seccomp' 2>/dev/null || skip_or_fail "python3-seccomp not installed"
	[ -f /usr/share/containers/seccomp.json ] ||
		skip_or_fail "podman's profile not installed (golang-github-containers-common)"
	[ -x "$MR_TOP/build/tools/seccomp_bpf" ] || skip_or_fail "build/tools/seccomp_bpf not built"
}

# scprobe_bundle PROFILE_JSON: $B runs the syscall probe under that profile.
scprobe_bundle() {
	local sc
	sc=$(tool_build scprobe seccomp/scprobe.c) || return 1
	cp "$sc" "$B/rootfs/bin/scprobe"
	echo "$1" >"$T/profile.json"
	cfg "$B" 'p["args"] = ["/bin/scprobe"]' \
		"l['seccomp'] = json.load(open('$T/profile.json'))"
}

podman_profile() {
	$PY "$MR_TOP/tests/seccomp/equal.py" --podman
}

# compare_probe: scprobe's report under runc and minirunc, identical.
compare_probe() {
	run_both
	echo "--- runc:"
	cat "$T/runc.out"
	[ "$RUNC_STATUS" = 0 ] || { cat "$T/runc.err"; return 1; }
	[ "$MR_STATUS" = 0 ] || { cat "$T/mr.err"; return 1; }
	[ "$(wc -l <"$T/runc.out")" -gt 30 ]
	diff -u --label runc "$T/runc.out" --label minirunc "$T/mr.out"
}

@test "equal.py: minirunc's filter gives runc's action on every input (podman, operators, edge profiles)" {
	require_seccomp_tools
	run $PY "$MR_TOP/tests/seccomp/equal.py" "$MR_TOP/build/tools/seccomp_bpf" podman \
		"$MR_TOP"/tests/seccomp/*.json random:40
	echo "$output"
	[ "$status" = 0 ]
	[[ "$output" == *"podman default "*" 0 differences"* ]]
	[[ "$output" == *"operators.json "*" 0 differences"* ]]
	[[ "$output" == *"conflict.json "*"both refuse"* ]]
	[[ "$output" == *", 0 differences" ]]
}

@test "podman's default profile (no_new_privs): same syscall results as runc" {
	require_seccomp_tools
	scprobe_bundle "$(podman_profile)"
	compare_probe
	grep -qx 'socket(AF_NETLINK,RAW,AUDIT): errno 22' "$T/mr.out" # errnoRet of an arg rule
	grep -qx 'kexec_load(bad): errno 1' "$T/mr.out"
	grep -qx 'syscall 1000: errno 38' "$T/mr.out" # runc's -ENOSYS stub
}

@test "podman's default profile without no_new_privs: loaded before the capabilities go, as runc" {
	require_seccomp_tools
	scprobe_bundle "$(podman_profile)"
	cfg "$B" 'p["noNewPrivileges"] = False'
	compare_probe
}

@test "every action and arguments on 64-bit values: same results as runc" {
	scprobe_bundle '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
	  "syscalls": [
	    {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 77, "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_GE"}]},
	    {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 78, "args": [{"index": 0, "value": 65536, "valueTwo": 131072, "op": "SCMP_CMP_MASKED_EQ"}]},
	    {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 79, "args": [{"index": 0, "value": 16, "op": "SCMP_CMP_EQ"}, {"index": 2, "value": 9, "op": "SCMP_CMP_NE"}]},
	    {"names": ["getpriority"], "action": "SCMP_ACT_KILL_PROCESS", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
	    {"names": ["kill"], "action": "SCMP_ACT_TRAP", "args": [{"index": 1, "value": 0, "op": "SCMP_CMP_LE"}]},
	    {"names": ["bpf"], "action": "SCMP_ACT_KILL"},
	    {"names": ["keyctl"], "action": "SCMP_ACT_KILL_THREAD"},
	    {"names": ["add_key"], "action": "SCMP_ACT_LOG"},
	    {"names": ["unshare"], "action": "SCMP_ACT_TRACE", "errnoRet": 5},
	    {"names": ["chroot", "acct", "no_such_call"], "action": "SCMP_ACT_ERRNO"}]}'
	compare_probe
	grep -qx 'personality(0xffffffff): errno 77' "$T/mr.out"
	grep -qx 'personality(0x20000): errno 78' "$T/mr.out"
	grep -qx 'socket(AF_NETLINK,RAW,ROUTE): errno 79' "$T/mr.out"
	grep -qx 'getpriority(1,0): killed by Bad system call' "$T/mr.out"
	grep -qx 'kill(0,0): killed by Bad system call' "$T/mr.out"
	grep -qx 'chroot(bad): errno 1' "$T/mr.out"
	grep -qx 'unshare(0): errno 38' "$T/mr.out" # TRACE without a tracer
}

@test "exec: the config's profile applies to an exec'd process, as runc exec" {
	require_seccomp_tools
	scprobe_bundle "$(podman_profile)"
	cfg "$B" 'p["args"] = ["/bin/sleep", "30"]'
	local rt n
	for rt in runc mr; do
		n=$RUNC
		[ $rt = mr ] && n=$MINIRUNC
		"$n" --root "$T/root-$rt" run -d --bundle "$B" "$ID" </dev/null >/dev/null 2>"$T/$rt.err"
		timeout 20 "$n" --root "$T/root-$rt" exec "$ID" /bin/scprobe >"$T/$rt.exec" 2>>"$T/$rt.err"
		"$n" --root "$T/root-$rt" delete -f "$ID" >/dev/null 2>&1
	done
	cat "$T/runc.exec"
	[ "$(wc -l <"$T/runc.exec")" -gt 30 ]
	diff -u --label runc "$T/runc.exec" --label minirunc "$T/mr.exec"
	grep -qx 'kexec_load(bad): errno 1' "$T/mr.exec"
}

@test "SCMP_ACT_NOTIFY: the agent at listenerPath gets the fd and the state, as from runc" {
	require_seccomp_tools
	scprobe_bundle '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "'"$T"'/agent.sock",
	  "listenerMetadata": "from-the-test",
	  "syscalls": [{"names": ["keyctl", "bpf"], "action": "SCMP_ACT_NOTIFY"}]}'
	local rt n
	for rt in runc mr; do
		n=$RUNC
		[ $rt = mr ] && n=$MINIRUNC
		rm -f "$T/agent.sock"
		$PY "$MR_TOP/tests/seccomp/agent.py" "$T/agent.sock" "$T/$rt.state" &
		local agent=$!
		for _ in $(seq 50); do [ -S "$T/agent.sock" ] && break; sleep 0.1; done
		timeout 20 "$n" --root "$T/root-$rt" run --bundle "$B" "$ID" </dev/null >"$T/$rt.out" 2>"$T/$rt.err" || true
		kill "$agent" 2>/dev/null || true
		wait "$agent" 2>/dev/null || true
	done
	cat "$T/runc.out" "$T/mr.err"
	grep -qx 'keyctl(-1): errno 112' "$T/mr.out" # EHOSTDOWN: the agent's answer
	diff -u --label runc "$T/runc.out" --label minirunc "$T/mr.out"
	cat "$T/runc.state" "$T/mr.state"
	$PY - "$T/runc.state" "$T/mr.state" "$ID" <<'PYEOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for s in (a, b):
    assert s["fds"] == ["seccompFd"] and s["metadata"] == "from-the-test", s
    assert s["state"]["id"] == sys.argv[3] and s["state"]["status"] == "creating", s
    assert s["pid"] == s["state"]["pid"] > 0, s
strip = lambda s: dict(s, pid=0, state=dict(s["state"], pid=0))
assert strip(a) == strip(b), (a, b)
PYEOF
}

@test "--debug says the profile's size in syscalls and BPF instructions" {
	require_seccomp_tools
	scprobe_bundle "$(podman_profile)"
	run "$MINIRUNC" --debug --root "$T/root-mr" run --bundle "$B" "$ID"
	echo "$output" | grep 'seccomp'
	echo "$output" | grep -qE 'seccomp: [0-9]+ syscalls named in [0-9]+ rules .* [0-9]+ BPF instructions'
}

@test "an unknown syscall name is ignored with a debug line, as runc" {
	scprobe_bundle '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["no_such_call", "chroot"], "action": "SCMP_ACT_ERRNO"}]}'
	run "$MINIRUNC" --debug --root "$T/root-mr" run --bundle "$B" "$ID"
	# --debug lines are logrus-shaped: the message is quoted as Go quotes it (\").
	echo "$output" | grep -qF 'level=debug msg="[runtime] seccomp: unknown syscall \"no_such_call\" ignored'
	echo "$output" | grep -qx 'chroot(bad): errno 1'
}

@test "an empty linux.seccomp object loads no filter, as runc" {
	cfg "$B" 'l["seccomp"] = {}'
	compare_both
	report_has "Seccomp: 0"
}

bad_profile() {
	echo "$1" >"$T/profile.json"
	cfg "$B" "l['seccomp'] = json.load(open('$T/profile.json'))"
	expect_bad_input "$2"
}

@test "bad profile: unknown action" {
	bad_profile '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ALLOW"}, {"names": ["b"], "action": "SCMP_ACT_ALLOW"}, {"names": ["c"], "action": "SCMP_ACT_ALLOW"}, {"names": ["read"], "action": "SCMP_ACT_MAYBE"}]}' \
		'config\.json:[0-9]+:[0-9]+: linux\.seccomp\.syscalls\[3\]\.action: unknown action "SCMP_ACT_MAYBE"'
}

@test "bad profile: unknown default action" {
	bad_profile '{"defaultAction": "SCMP_ACT_NOPE"}' 'linux\.seccomp\.defaultAction: unknown action'
}

@test "bad profile: unknown operator" {
	bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_LIKE"}]}]}' \
		'linux\.seccomp\.syscalls\[0\]\.args\[0\]\.op: unknown operator'
}

@test "bad profile: argument index above 5" {
	bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}' \
		'syscalls\[0\]\.args\[0\]\.index: 6 is out of range'
}

@test "bad profile: unknown architecture" {
	bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_VAX"]}' \
		'linux\.seccomp\.architectures\[1\]: unknown architecture "SCMP_ARCH_VAX"'
}

@test "bad profile: unknown flag" {
	bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_FAST"]}' \
		'linux\.seccomp\.flags\[0\]: unknown flag'
}

@test "bad profile: errnoRet out of range" {
	bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 65536}]}' \
		'linux\.seccomp\.syscalls\[0\]\.errnoRet: 65536 is out of range'
}

@test "bad profile: errnoRet on an action without an errno" {
	bad_profile '{"defaultAction": "SCMP_ACT_KILL", "defaultErrnoRet": 1}' \
		'linux\.seccomp\.defaultErrnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE'
}

@test "bad profile: a program longer than the kernel takes (BPF_MAXINSNS)" {
	bad_profile "$($PY -c '
import json
print(json.dumps({"defaultAction": "SCMP_ACT_ERRNO",
    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [
    {"names": ["ioctl"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": i, "op": "SCMP_CMP_EQ"}]}
    for i in range(1500)]}))')" 'linux\.seccomp: the filter needs [0-9]+ BPF instructions, more than the kernel.s limit of 4096'
}

@test "bad profile: a rule libseccomp refuses (same arguments, another action)" {
	bad_profile '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]}, {"names": ["read"], "action": "SCMP_ACT_TRAP", "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]}]}' \
		'linux\.seccomp\.syscalls\[1\]: conflicts with an earlier rule for "read"'
}

@test "bad profile: SCMP_ACT_NOTIFY without listenerPath, on write, or as the default" {
	bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["keyctl"], "action": "SCMP_ACT_NOTIFY"}]}' \
		'linux\.seccomp\.listenerPath: required by SCMP_ACT_NOTIFY'
	bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/x", "syscalls": [{"names": ["write"], "action": "SCMP_ACT_NOTIFY"}]}' \
		'linux\.seccomp\.syscalls\[0\]: SCMP_ACT_NOTIFY cannot be used for the write syscall'
	bad_profile '{"defaultAction": "SCMP_ACT_NOTIFY", "listenerPath": "/x"}' \
		'linux\.seccomp\.defaultAction: SCMP_ACT_NOTIFY cannot be used as default action'
}

@test "SCMP_ACT_NOTIFY with no agent listening: create fails, nothing left" {
	bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "'"$T"'/nobody.sock", "syscalls": [{"names": ["keyctl"], "action": "SCMP_ACT_NOTIFY"}]}' \
		'seccomp agent'
}
