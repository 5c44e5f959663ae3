#!/usr/bin/env bats
# defects_b.bats - issue 10, the command line and the container's edges:
# root.path that resolves to /, relative paths on the command line, `exec -p`
# from a pipe, the caller's stdio under `create` with a terminal, runc's log
# shape, runc's error phrases and help, linux.devices outside /dev,
# namespaces joined by path. Each test fails on the code before its fix.
# runc counterpart: tests/integration/{create,exec,debug,help,dev,netns}.bats.

load helpers
load lifecycle_helpers

setup() {
	mr_setup
	cfg "$B" 'p["args"] = ["/bin/sleep", "10"]'
}

teardown() {
	mr_teardown
}

# mr ARGS...: minirunc with this test's root, never longer than MR_RUN_TIMEOUT.
mr() {
	timeout "$MR_RUN_TIMEOUT" "$MINIRUNC" --root "$T/root-mr" "$@"
}

# ---- item 10: root.path that is, or leads to, the host's / ----------------

@test "root.path a symlink to /: refused up front with runc's phrase, nothing left" {
	ln -s / "$B/hostroot"
	cfg "$B" 'c["root"]["path"] = "hostroot"'
	expect_bad_input 'root.path .*hostroot: invalid rootfs: not an absolute path, or a symlink'
	# runc refuses it the same way (libcontainer/configs/validate rootfs).
	require_runc
	run "$RUNC" --root "$T/root-runc" run --bundle "$B" "$ID"
	[ "$status" = 1 ]
	[[ "$output" == *"not an absolute path, or a symlink"* ]]
}

@test "root.path / itself: refused up front (runc fails later, at its cgroup mount)" {
	cfg "$B" 'c["root"]["path"] = "/"'
	expect_bad_input 'root.path /: invalid rootfs'
}

@test "a bundle reached through a symlink still runs (runc resolves the bundle too)" {
	ln -s "$B" "$T/bundle-link"
	cfg "$B" 'p["args"] = ["/bin/true"]'
	mr run --bundle "$T/bundle-link" "$ID"
}
