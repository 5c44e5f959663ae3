#!/usr/bin/env bats
# spec.bats - `minirunc spec [-b DIR]` writes the same config.json as
# `runc spec` (runc 1.1), with mode 0666 & ~umask, and never overwrites one.
# runc counterpart: runc's own tests/integration/spec.bats.
#
# MINIRUNC: the binary under test (default /work/main/minirunc).
# MINIRUNC_MUST_WORK=1: a test that would skip (no binary, no runc) fails.

MINIRUNC=${MINIRUNC:-/work/main/minirunc}

setup() {
	WORK=$(mktemp -d /tmp/mr-spec.XXXXXX)
	if [ ! -x "$MINIRUNC" ]; then
		need "minirunc binary $MINIRUNC"
	fi
}

teardown() {
	rm -rf "$WORK"
}

# Skip, or fail when MINIRUNC_MUST_WORK=1 (TESTING.md: never pass by skipping).
need() {
	if [ "${MINIRUNC_MUST_WORK:-0}" = 1 ]; then
		echo "required but missing: $1" >&2
		return 1
	fi
	skip "missing: $1"
}

need_runc() {
	command -v runc >/dev/null 2>&1 || need "runc"
}

# Two config.json files hold the same keys and values (order aside).
same_json() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
if a != b:
    print("differs:\n" + json.dumps(a, sort_keys=True, indent=1) + "\n---\n"
          + json.dumps(b, sort_keys=True, indent=1))
    sys.exit(1)
EOF
}

@test "spec writes the same config.json as runc spec, key by key" {
	need_runc
	mkdir "$WORK/m" "$WORK/r"
	(cd "$WORK/m" && "$MINIRUNC" spec)
	(cd "$WORK/r" && runc spec)
	same_json "$WORK/m/config.json" "$WORK/r/config.json"
}

@test "spec output is runc's default even without runc beside" {
	cd "$WORK"
	run "$MINIRUNC" spec
	[ "$status" -eq 0 ]
	python3 - config.json <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
assert c["ociVersion"] == "1.0.2-dev", c["ociVersion"]
assert c["process"]["terminal"] is True
assert c["process"]["args"] == ["sh"]
assert c["root"] == {"path": "rootfs", "readonly": True}
assert c["hostname"] == "runc"
caps = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
assert c["process"]["capabilities"] == {k: caps for k in ("bounding", "effective", "permitted", "ambient")}
assert [n["type"] for n in c["linux"]["namespaces"]] == ["pid", "network", "ipc", "uts", "mount"]
assert len(c["mounts"]) == 7 and "options" not in c["mounts"][0]
EOF
}

@test "spec indents with tabs like runc" {
	cd "$WORK"
	"$MINIRUNC" spec
	[ "$(sed -n 2p config.json)" = "$(printf '\t"ociVersion": "1.0.2-dev",')" ]
	! grep -q '^ ' config.json
}

@test "spec creates config.json with mode 0666 minus the umask" {
	cd "$WORK"
	(umask 027 && "$MINIRUNC" spec)
	[ "$(stat -c %a config.json)" = 640 ]
	rm config.json
	(umask 0 && "$MINIRUNC" spec)
	[ "$(stat -c %a config.json)" = 666 ]
}

@test "spec refuses to overwrite an existing config.json (exit 1, runc's words)" {
	cd "$WORK"
	echo '{"mine": true}' >config.json
	run "$MINIRUNC" spec
	[ "$status" -eq 1 ]
	[[ "$output" == *"File config.json exists. Remove it first"* ]]
	[ "$(cat config.json)" = '{"mine": true}' ]
}

@test "spec -b DIR writes DIR/config.json and nothing in the current directory" {
	mkdir "$WORK/bundle" "$WORK/cwd"
	cd "$WORK/cwd"
	run "$MINIRUNC" spec -b "$WORK/bundle"
	[ "$status" -eq 0 ]
	[ -f "$WORK/bundle/config.json" ]
	[ ! -e "$WORK/cwd/config.json" ]
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/bundle/config.json"
}

@test "spec --bundle DIR is the long form of -b" {
	mkdir "$WORK/bundle"
	run "$MINIRUNC" spec --bundle "$WORK/bundle"
	[ "$status" -eq 0 ]
	[ -f "$WORK/bundle/config.json" ]
}

@test "spec -b into a missing directory fails with exit 1 and creates nothing" {
	run "$MINIRUNC" spec -b "$WORK/missing"
	[ "$status" -eq 1 ]
	[ -n "$output" ]
	[ ! -e "$WORK/missing" ]
}

@test "spec -b refuses to overwrite DIR/config.json too" {
	mkdir "$WORK/bundle"
	"$MINIRUNC" spec -b "$WORK/bundle"
	run "$MINIRUNC" spec -b "$WORK/bundle"
	[ "$status" -eq 1 ]
	[[ "$output" == *"File config.json exists. Remove it first"* ]]
}
