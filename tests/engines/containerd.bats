#!/usr/bin/env bats
# containerd 1.6 with its runc shim (io.containerd.runc.v2): `ctr run
# --runc-binary PATH` and, for the CRI plugin, a runtime handler whose
# options name the binary (BinaryName) - what a Kubernetes RuntimeClass
# selects.  The shim calls the runtime with the global --root, --log and
# --log-format json.  Each case runs with runc first (the reference); the
# minirunc cases are those that pass today (tests/engines/GAPS.md: the rest).

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	eng_require containerd ctr containerd-shim-runc-v2
	eng_start
	cat >"$ENG_TMP/containerd.toml" <<-EOF
		version = 2
		root = "/var/lib/containerd"
		state = "/run/containerd"
		[grpc]
		  address = "/run/containerd/containerd.sock"
		[plugins."io.containerd.grpc.v1.cri"]
		  sandbox_image = "localhost/pause:test"
		  # root here lacks CAP_SYS_RESOURCE: no oom_score_adj below containerd's
		  restrict_oom_score_adj = true
		[plugins."io.containerd.grpc.v1.cri".containerd]
		  snapshotter = "native"
		[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
		  runtime_type = "io.containerd.runc.v2"
		[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
		  BinaryName = "$(eng_rt runc)"
		[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.minirunc]
		  runtime_type = "io.containerd.runc.v2"
		[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.minirunc.options]
		  BinaryName = "$(eng_rt minirunc)"
		[plugins."io.containerd.grpc.v1.cri".cni]
		  bin_dir = "/usr/lib/cni"
		  conf_dir = "/etc/cni/net.d"
	EOF
	# The pods' network: CNI's bridge plugin, inside the holder's namespace.
	cat >"$ENG_TMP/10-pods.conflist" <<-EOF
		{"cniVersion": "0.4.0", "name": "minirunc-pods", "plugins": [
		 {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true,
		  "ipam": {"type": "host-local", "dataDir": "/run/cni-ipam",
		           "ranges": [[{"subnet": "10.214.0.0/24"}]]}},
		 {"type": "loopback"}]}
	EOF
	in_ns cp "$ENG_TMP/10-pods.conflist" /etc/cni/net.d/
	eng_daemon containerd containerd --config "$ENG_TMP/containerd.toml"
	eng_wait_sock /run/containerd/containerd.sock
	in_ns ctr images import "$ENG_TMP/bb.tar" >/dev/null
	in_ns ctr -n k8s.io images import "$ENG_TMP/bb.tar" >/dev/null
	in_ns ctr -n k8s.io images import "$ENG_TMP/pause.tar" >/dev/null
}

# After a failed case: the engine removes what is left of it.
teardown() {
	local c
	for c in $(in_ns ctr containers ls -q 2>/dev/null); do
		in_ns ctr task kill -s KILL "$c" >/dev/null 2>&1
		in_ns ctr task delete -f "$c" >/dev/null 2>&1
		in_ns ctr containers rm "$c" >/dev/null 2>&1
	done
	return 0
}

teardown_file() {
	eng_stop_daemon containerd
	eng_cleanup
}

# cr RT SUBCOMMAND ARGS...: ctr run/exec-style commands with runtime RT.
ctr_run() {
	local rt
	rt=$(eng_rt "$1") || return 1
	shift
	in_ns ctr run --runc-binary "$rt" "$@"
}

IDLE='trap "exit 0" TERM; while :; do sleep 0.1; done'

t_ctr_run() {
	run ctr_run "$1" --rm localhost/bb:test c-run-$1 echo hello from ctr
	[ "$status" -eq 0 ]
	[ "$output" = "hello from ctr" ]
	run ctr_run "$1" --rm localhost/bb:test c-run-$1 sh -c 'exit 3'
	[ "$status" -eq 3 ]
	run in_ns ctr containers ls -q
	[ -z "$output" ]
}

t_ctr_detach() {
	local c=c-d-$1
	ctr_run "$1" -d --memory-limit 67108864 localhost/bb:test "$c" sh -c "$IDLE"
	run in_ns ctr task exec --exec-id e1 "$c" sh -c 'echo in $(hostname); exit 4'
	[ "$status" -eq 4 ]
	[[ "$output" = "in "* ]]
	run in_ns ctr task ps "$c"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -ge 2 ]
	in_ns ctr task pause "$c"
	run in_ns ctr task ls
	[[ "$output" == *"$c "*"PAUSED"* ]]
	in_ns ctr task resume "$c"
	run in_ns ctr task ls
	[[ "$output" == *"$c "*"RUNNING"* ]]
	# the container's own numbers: its memory limit
	run in_ns ctr task metrics "$c"
	[ "$status" -eq 0 ]
	[[ "$output" == *"memory.limit_in_bytes"*"67108864"* ]]
	# the shim's --root holds the runtime's state for the container
	run in_ns "$(eng_rt "$1")" --root /run/containerd/runc/default state "$c"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"status": "running"'* ]]
	in_ns ctr task kill "$c"
	for _ in $(seq 50); do
		in_ns ctr task ls | grep -q "$c .*STOPPED" && break
		sleep 0.1
	done
	in_ns ctr task delete "$c"
	in_ns ctr containers rm "$c"
}

t_ctr_tty() {
	run in_ns "$ENG_PY" "$ENG_TOP/tests/ptyrun.py" 'echo tty-$((2+3)); tty\nexit 7\n' \
		ctr run --rm -t --runc-binary "$(eng_rt "$1")" localhost/bb:test c-t-$1 sh
	[[ "$output" == *"tty-5"* ]]
	[[ "$output" == *"/dev/pts/0"* ]]
	[[ "$output" == *"status 7"* ]]
}

# A runtime error reaches ctr: the shim reads it from --log (json) or stderr.
t_ctr_error() {
	local c=c-e-$1
	ctr_run "$1" -d localhost/bb:test "$c" sh -c "$IDLE"
	run in_ns ctr task exec --exec-id e2 "$c" /no/such/binary
	[ "$status" -ne 0 ]
	[[ "$output" == *"/no/such/binary"* ]]
	in_ns ctr task kill -s KILL "$c"
	sleep 0.3
	in_ns ctr task delete "$c"
	in_ns ctr containers rm "$c"
}

t_cri() {
	local out=$ENG_TMP/cri-$1
	mkdir -p "$out"
	protoc -I "$ENG_DIR" --python_out="$out" "$ENG_DIR/cri.proto"
	run in_ns "$ENG_PY" "$ENG_DIR/cri.py" /run/containerd/containerd.sock "$1" "$out"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ExecSync exit=3 stdout=b'started\\npod1\\n' stderr=b'err\\n'"* ]]
	[[ "$output" == *"RemovePodSandbox ok"* ]]
	run in_ns ctr -n k8s.io containers ls -q
	[ -z "$output" ]
}

@test "containerd (runc): ctr run prints and passes the exit code" { t_ctr_run runc; }
@test "containerd (runc): ctr run -d, task exec, ps, pause, resume, metrics, kill, delete" {
	t_ctr_detach runc
}
@test "containerd (runc): ctr run --tty on a pty" { t_ctr_tty runc; }
@test "containerd (runc): a runtime error reaches ctr" { t_ctr_error runc; }
@test "containerd (runc): the CRI plugin runs a pod with runtime handler runc" { t_cri runc; }

@test "containerd (minirunc): ctr run prints and passes the exit code" { t_ctr_run minirunc; }
@test "containerd (minirunc): ctr run -d, task exec, ps, pause, resume, metrics, kill, delete" {
	t_ctr_detach minirunc
}
@test "containerd (minirunc): ctr run --tty on a pty" { t_ctr_tty minirunc; }
@test "containerd (minirunc): a runtime error reaches ctr" { t_ctr_error minirunc; }
@test "containerd (minirunc): the CRI plugin runs a pod with runtime handler minirunc" {
	t_cri minirunc
}

@test "containerd: stopped, nothing left in the machine's namespaces" {
	eng_stop_daemon containerd
	eng_finish
}
