#!/usr/bin/env bash
# bench/engines.sh [ROUNDS] - a container's start through an engine, by runtime:
#   podman run --rm IMAGE true        (podman 4.3, conmon, --runtime PATH)
#   ctr run --rm IMAGE ID true        (containerd 1.6, runc shim, --runc-binary PATH)
# with runc, crun and minirunc, alternating within each round; medians in ms and the
# difference from runc (the runtime's share of an engine's start is small: the difference
# is what there is to say).  A runtime whose first run fails is reported with its error and
# left out.  The engines run inside a private network and mount namespace with state on
# tmpfs, as in the tests (tests/engines/helpers.bash, whose harness this reuses); there
# /sys/fs/cgroup/unified is covered for crun's sake (BENCH_UNIFIED=keep leaves it).  Needs
# root; never asserts.
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh # now_us, median, bench_crun_ns
rounds=${1:-10}
MINIRUNC=${MINIRUNC:-$PWD/minirunc}
make -s minirunc || exit 1
. tests/engines/helpers.bash


eng_start || exit 1
trap 'eng_stop_daemon containerd; eng_finish' EXIT
# crun 1.8 refuses this machine's hybrid layout while a controller sits on the v2 hierarchy;
# as bench/run.sh does, cover /sys/fs/cgroup/unified with an empty tmpfs - here in the
# engines' own mount namespace, so all three runtimes see the same v1-only layout.
[ "${BENCH_UNIFIED:-cover}" = cover ] && in_ns mount -t tmpfs none /sys/fs/cgroup/unified
cat >"$ENG_TMP/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime_supports_json = ["crun", "runc", "minirunc"]
EOF
pm() { in_ns env CONTAINERS_CONF="$ENG_TMP/containers.conf" podman "$@"; }
pm import "$ENG_TMP/rootfs.tar" localhost/bb:test >/dev/null 2>&1
cat >"$ENG_TMP/containerd.toml" <<EOF
version = 2
root = "/var/lib/containerd"
state = "/run/containerd"
[grpc]
  address = "/run/containerd/containerd.sock"
EOF
eng_daemon containerd containerd --config "$ENG_TMP/containerd.toml"
eng_wait_sock /run/containerd/containerd.sock || exit 1
in_ns ctr images import "$ENG_TMP/bb.tar" >/dev/null

declare -A path=([runc]=$(command -v runc) [crun]=$(command -v crun) [minirunc]=$MINIRUNC)
declare -A times failed
n=0
# one_run ENGINE RT: time one start; a failure records the runtime's first error line
one_run() {
	local t0 t1 out
	n=$((n + 1))
	t0=$(now_us)
	if [ "$1" = podman ]; then
		out=$(pm --runtime "${path[$2]}" run --rm localhost/bb:test true 2>&1)
	else
		out=$(in_ns ctr run --rm --runc-binary "${path[$2]}" localhost/bb:test "b$n" true 2>&1)
	fi || {
		failed[$1/$2]=$(echo "$out" | head -n 1 | cut -c1-150)
		in_ns ctr containers rm "b$n" >/dev/null 2>&1
		return
	}
	t1=$(now_us)
	times[$1/$2]+=" $((t1 - t0))"
}

for engine in podman ctr; do
	for rt in runc crun minirunc; do one_run $engine $rt; done # warm-up, and who runs
	for _ in $(seq "$rounds"); do
		for rt in runc crun minirunc; do
			[ -n "${failed[$engine/$rt]:-}" ] || one_run $engine $rt
		done
	done
done

for engine in podman ctr; do
	[ $engine = podman ] && echo "podman run --rm IMAGE true ($rounds rounds)" ||
		echo "ctr run --rm IMAGE ID true ($rounds rounds)"
	base=$(echo "${times[$engine/runc]:-}" | median 1)
	printf '  %-10s %10s %14s\n' runtime "median ms" "minus runc"
	for rt in runc crun minirunc; do
		if [ -n "${failed[$engine/$rt]:-}" ]; then
			printf '  %-10s does not run here: %s\n' $rt "${failed[$engine/$rt]}"
			continue
		fi
		m=$(echo "${times[$engine/$rt]}" | median 1)
		printf '  %-10s %10s %14s\n' $rt "$m" \
			"$(awk -v a="$m" -v b="${base:-0}" 'BEGIN { printf "%+.1f", a - b }')"
	done
done
