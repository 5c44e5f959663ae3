#!/usr/bin/env bats
# features.bats - `minirunc features`: runc 1.1's JSON shape, and every claim
# in it true: each listed namespace, mount option and hook works in a real
# container; each of runc's names minirunc leaves out is refused by create;
# cgroup, seccomp, apparmor and selinux say what create does with them.
# runc counterpart: features.go (runc 1.1), tests/integration/features.bats.

load helpers

setup() {
	mr_setup
	cfg "$B" 'p["args"] = ["/bin/true"]'
	"$MINIRUNC" features >"$T/features.json"
}

teardown() {
	mr_teardown
}

# feat EXPR: a python expression over the features JSON f (and runc's r).
feat() {
	python3 - "$T/features.json" "$@" <<'EOF'
import json, subprocess, sys
f = json.load(open(sys.argv[1]))
for e in sys.argv[2:]:
    v = eval(e)
    print("\n".join(v) if isinstance(v, list) else v)
EOF
}

# try_config STATEMENT...: run the bundle edited by STATEMENTs (see cfg);
# sets status and output from `minirunc run`.
try_config() {
	cp "$B/config.json" "$T/config.orig"
	cfg "$B" "$@"
	run timeout 20 "$MINIRUNC" --root "$T/root-mr" run --bundle "$B" "$ID" </dev/null
	cp "$T/config.orig" "$B/config.json"
}

@test "features: runc 1.1's keys and shape, four-space indented" {
	require_runc
	run "$MINIRUNC" features
	[ "$status" = 0 ]
	[ "${lines[1]}" = '    "ociVersionMin": "1.0.0",' ]
	"$RUNC" features >"$T/runc.json"
	python3 - "$T/features.json" "$T/runc.json" <<'EOF'
import json, sys
m, r = (json.load(open(p)) for p in sys.argv[1:3])
assert list(m) == list(r), (list(m), list(r))
assert list(m["linux"]) == list(r["linux"]), (list(m["linux"]), list(r["linux"]))
assert list(m["linux"]["cgroup"]) == list(r["linux"]["cgroup"])
assert m["ociVersionMax"] == r["ociVersionMax"]
# the same capability names, in the same order (runc lists those it knows)
assert m["linux"]["capabilities"] == r["linux"]["capabilities"]
# seccomp, once create takes it: runc's actions and operators (minirunc compiles its own BPF)
if m["linux"]["seccomp"]["enabled"]:
    for k in ("actions", "operators"):
        assert m["linux"]["seccomp"][k] == r["linux"]["seccomp"][k], (k, m["linux"]["seccomp"][k])
EOF
	run "$MINIRUNC" features extra
	[ "$status" = 1 ]
	[[ "$output" == *'"features" requires exactly 0 argument(s)'* ]]
}

@test "features: each listed namespace is a new one in a real container" {
	local ns out f
	for ns in $(feat 'f["linux"]["namespaces"]'); do
		# runc's default namespaces (pid, network, ipc, uts, mount), plus this one
		try_config "l[\"namespaces\"] += [] if {\"type\": \"$ns\"} in l[\"namespaces\"] \
			else [{\"type\": \"$ns\"}]" \
			'p["args"] = ["/bin/sh", "-c", "ls -l /proc/self/ns/"]' \
			"if \"$ns\" == \"user\": l[\"uidMappings\"] = l[\"gidMappings\"] = \
			[{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]"
		echo "$ns: $status $output"
		[ "$status" = 0 ]
		# /proc/self/ns/F in the container is not the host's
		f=$(echo "$ns" | sed 's/^mount$/mnt/; s/^network$/net/')
		out=$(echo "$output" | sed -n "s/.* $f -> //p")
		[ -n "$out" ]
		[ "$out" != "$(readlink /proc/self/ns/$f)" ]
	done
}

@test "features: each of runc's namespaces left out is refused by create" {
	require_runc
	local ns
	for ns in $("$RUNC" features | python3 -c '
import json, sys
r = json.load(sys.stdin)["linux"]["namespaces"]
m = json.load(open(sys.argv[1]))["linux"]["namespaces"]
print(" ".join(n for n in r if n not in m))' "$T/features.json"); do
		try_config "l[\"namespaces\"].append({\"type\": \"$ns\"})" \
			'l["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]' \
			'l["gidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
		echo "$ns: $status $output"
		[ "$status" = 1 ]
		[[ "$output" == *"not supported by minirunc"* ]]
	done
}

@test "features: each listed mount option mounts, each of runc's others is refused or data" {
	local o
	for o in $(feat 'f["mountOptions"]'); do
		case $o in
		# these change what a mount is, not how: tried by rootfs tests
		bind | rbind | remount) continue ;;
		esac
		try_config "c[\"mounts\"].append({\"destination\": \"/mnt\", \"type\": \"tmpfs\", \
			\"source\": \"tmpfs\", \"options\": [\"$o\"]})"
		echo "$o: $status $output"
		[ "$status" = 0 ]
	done
	# tmpcopyup is runc's and parsed, but refused by name
	try_config 'c["mounts"].append({"destination": "/mnt", "type": "tmpfs",
		"source": "tmpfs", "options": ["tmpcopyup"]})'
	[ "$status" = 1 ]
	[[ "$output" == *"tmpcopyup"* ]]
	run feat 'f["mountOptions"]'
	[[ $'\n'"$output"$'\n' != *$'\n'tmpcopyup$'\n'* ]]
}

@test "features: each listed hook runs" {
	local h
	local mark
	for h in $(feat 'f["hooks"]'); do
		# startContainer runs in the container: its /tmp is the rootfs' /tmp
		mark=$T/hook-ran
		[ "$h" = startContainer ] && mark=/tmp/hook-ran
		rm -f "$T/hook-ran" "$B/rootfs/tmp/hook-ran"
		try_config "c[\"hooks\"] = {\"$h\": [{\"path\": \"/bin/sh\", \
			\"args\": [\"sh\", \"-c\", \"touch $mark\"]}]}" 'c["root"]["readonly"] = False'
		echo "$h: $status $output"
		[ "$status" = 0 ]
		[ -e "$T/hook-ran" ] || [ -e "$B/rootfs/tmp/hook-ran" ]
	done
}

@test "features: cgroup, seccomp, apparmor, selinux say what create does" {
	local v
	v=$(feat 'f["linux"]["cgroup"]["v1"]')
	try_config 'l["resources"] = {"memory": {"limit": 67108864}}'
	if [ "$v" = True ]; then [ "$status" = 0 ]; else [ "$status" = 1 ]; fi
	v=$(feat 'f["linux"]["seccomp"]["enabled"]')
	try_config 'l["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW"}'
	if [ "$v" = True ]; then [ "$status" = 0 ]; else [ "$status" = 1 ]; fi
	[ "$(feat 'f["linux"]["apparmor"]["enabled"]')" = False ]
	try_config 'p["apparmorProfile"] = "x"'
	[ "$status" = 1 ]
	[ "$(feat 'f["linux"]["selinux"]["enabled"]')" = False ]
	try_config 'p["selinuxLabel"] = "x"'
	[ "$status" = 1 ]
	[ "$(feat 'f["linux"]["cgroup"]["systemd"]')" = False ]
	run "$MINIRUNC" --systemd-cgroup --root "$T/root-mr" state x
	[ "$status" = 1 ]
}
