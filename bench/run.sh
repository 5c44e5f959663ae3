#!/usr/bin/env bash
# bench/run.sh - container start time beside runc and crun, on one bundle.
#
# Each round runs every runtime once, in turn (alternating, so a slow moment
# of the machine hits all of them alike); the figures are medians over the
# rounds and ratios to minirunc.  Not a test: nothing here asserts.
#   bench/run.sh [ROUNDS]        (default 30; needs root)
#
# crun 1.8 refuses to start on this machine's hybrid cgroup layout while a
# controller (hugetlb) sits on the v2 hierarchy; crun therefore runs in a
# private mount namespace where /sys/fs/cgroup/unified is covered by an
# empty tmpfs.  The `unshare` floor is the kernel's own cost: the same
# namespaces, chroot, /bin/true.
set -eu
cd "$(dirname "$0")/.."
rounds=${1:-30}
top=$PWD
work=$(mktemp -d /tmp/minirunc-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

make -s minirunc minirunc-static
b=$work/bundle
mkdir -p "$b/rootfs/bin"
cp /bin/busybox "$b/rootfs/bin/"
ln -s busybox "$b/rootfs/bin/true"
(cd "$b" && runc spec)
sed -i 's/"terminal": true/"terminal": false/; s/"sh"$/"true"/' "$b/config.json"

now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }

declare -A cmd times
cmd[minirunc]="$top/minirunc --root $work/state-m run -b $b bench-m"
cmd[minirunc-static]="$top/minirunc-static --root $work/state-s run -b $b bench-s"
cmd[runc]="runc --root $work/state-r run -b $b bench-r"
if command -v crun >/dev/null; then
	cmd[crun]="unshare -m sh -c 'mount -t tmpfs none /sys/fs/cgroup/unified 2>/dev/null; exec crun --root $work/state-c run -b $b bench-c'"
	crun_note="crun ran in a private mount namespace with the cgroup v2 hierarchy hidden (see the header)"
fi
cmd[unshare-floor]="unshare --pid --fork --net --ipc --uts --mount chroot $b/rootfs /bin/true"
order=(minirunc minirunc-static runc crun unshare-floor)

for rt in "${order[@]}"; do
	[ -n "${cmd[$rt]:-}" ] || continue
	if ! eval "${cmd[$rt]}" >/dev/null 2>&1; then
		echo "$rt: cannot run here; left out" >&2
		unset "cmd[$rt]"
	fi
done

for ((i = 0; i < rounds; i++)); do
	for rt in "${order[@]}"; do
		[ -n "${cmd[$rt]:-}" ] || continue
		t0=$(now_us)
		eval "${cmd[$rt]}" >/dev/null 2>&1
		t1=$(now_us)
		times[$rt]+="$((t1 - t0)) "
	done
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m/1000}'; }
echo "run of /bin/true from runc spec's default bundle (terminal off), $rounds rounds, alternating"
base=$(echo "${times[minirunc]}" | median)
printf '%-16s %10s %10s\n' runtime "median ms" "x minirunc"
for rt in "${order[@]}"; do
	[ -n "${times[$rt]:-}" ] || continue
	m=$(echo "${times[$rt]}" | median)
	printf '%-16s %10s %10s\n' "$rt" "$m" "$(awk -v a="$m" -v b="$base" 'BEGIN{printf "%.2f", a/b}')"
done
[ -n "${crun_note:-}" ] && echo "note: $crun_note"
printf 'size: minirunc %s bytes, minirunc-static %s bytes (stripped, musl)\n' \
	"$(stat -c %s minirunc)" "$(stat -c %s minirunc-static)"
