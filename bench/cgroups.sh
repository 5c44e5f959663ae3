#!/usr/bin/env bash
# bench/cgroups.sh - a container start with an engine's cgroup config, minirunc beside runc
# and crun, and the cgroup step alone (bench/cg_bench.c).
#
#   bench/cgroups.sh [ROUNDS]     (default 30; needs root; bench/run.sh calls it)
#
# The config is what docker/podman write: an absolute cgroupsPath, pids.limit 2048, a memory
# limit, cpu shares, the deny-all device rule followed by docker's allow list.  Each round
# runs /bin/true under every runtime in turn (alternating, so a slow moment hits them alike);
# medians in ms, ratios to minirunc.  crun 1.8 refuses this machine's hybrid layout while a
# controller sits on the v2 hierarchy: as in bench/run.sh it runs in a mount namespace where
# /sys/fs/cgroup/unified is covered by an empty tmpfs, and nsenter's own cost is subtracted.
# Not a test: nothing here asserts.
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh # now_us, median, bench_crun_ns
rounds=${1:-30}
top=$PWD
work=$(mktemp -d /tmp/minirunc-cgbench.XXXXXX)
mntns=$work/ns/mnt
cleanup() {
	set +e
	umount "$mntns" 2>/dev/null
	umount "$work/ns" 2>/dev/null
	rm -rf --one-file-system "$work"
	for d in /sys/fs/cgroup/*/mr-bench-cg /sys/fs/cgroup/*/mr-bench-cg; do
		[ -d "$d" ] && rmdir "$d"/* "$d" 2>/dev/null
	done
}
trap cleanup EXIT

make -s minirunc
b=$work/bundle
mkdir -p "$b/rootfs/bin"
cp /bin/busybox "$b/rootfs/bin/"
ln -s busybox "$b/rootfs/bin/true"
(cd "$b" && runc spec)
python3 - "$b/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["terminal"] = False
c["process"]["args"] = ["true"]
c["linux"]["cgroupsPath"] = "/mr-bench-cg/c"
allow = [("c", 1, 3), ("c", 1, 5), ("c", 1, 7), ("c", 1, 8), ("c", 1, 9), ("c", 5, 0),
         ("c", 5, 1), ("c", 136, -1), ("c", 5, 2), ("c", 10, 200)]
c["linux"]["resources"] = {
    "devices": [{"allow": False, "access": "rwm"}] +
               [{"allow": True, "type": t, "major": ma, "access": "rwm",
                 **({"minor": mi} if mi >= 0 else {})} for t, ma, mi in allow],
    "memory": {"limit": 268435456, "disableOOMKiller": False},
    "cpu": {"shares": 1024},
    "pids": {"limit": 2048},
    "blockIO": {"weight": 0},
}
json.dump(c, open(sys.argv[1], "w"), indent="\t")
PY

have_crun=""
if command -v crun >/dev/null; then
	bench_crun_ns "$work" "$mntns" && have_crun=1
fi
rts=(minirunc runc)
[ -n "$have_crun" ] && rts+=(crun)
rt_cmd() {
	case $1 in
	minirunc) echo "$top/minirunc --root $work/m" ;;
	runc) echo "runc --root $work/r" ;;
	crun) echo "nsenter --mount=$mntns crun --root $work/c" ;;
	esac
}
declare -A times fails
for ((i = 0; i < rounds; i++)); do
	for rt in "${rts[@]}"; do
		t0=$(now_us)
		eval "$(rt_cmd "$rt") run -b $b cg-$i" >/dev/null 2>&1 || fails[$rt]=$((${fails[$rt]:-0} + 1))
		times[$rt]+="$(($(now_us) - t0)) "
	done
	t0=$(now_us)
	nsenter --mount="$mntns" /bin/true 2>/dev/null || true
	times[nsenter]+="$(($(now_us) - t0)) "
	t0=$(now_us)
	/bin/true
	times[true]+="$(($(now_us) - t0)) "
done
adj=$(awk -v a="$(echo "${times[nsenter]}" | median)" -v b="$(echo "${times[true]}" | median)" \
	'BEGIN { printf "%.3f", a - b }')
echo "== cgroups: run of /bin/true with an engine's config (cgroupsPath, pids 2048, memory"
echo "   256 MiB, shares 1024, deny-all + 10 device rules); $rounds rounds, alternating"
base=$(echo "${times[minirunc]}" | median)
printf '  %-12s %10s %6s %12s\n' runtime "median ms" runs "x minirunc"
for rt in "${rts[@]}"; do
	m=$(echo "${times[$rt]}" | median)
	[ "$rt" = crun ] && m=$(awk -v a="$m" -v d="$adj" 'BEGIN { printf "%.2f", a - d }')
	printf '  %-12s %10s %6s %12s%s\n' "$rt" "$m" "$(echo "${times[$rt]}" | wc -w)" \
		"$(awk -v a="$m" -v b="$base" 'BEGIN { printf "%.2f", a / b }')" \
		"${fails[$rt]:+  (${fails[$rt]} failed)}"
done
[ -n "$have_crun" ] && echo "  (crun: nsenter's $adj ms subtracted)"
echo "== the cgroup step alone (bench/cg_bench.c, minirunc's cgroups.c, the same config)"
${CC:-cc} -std=c11 -O2 -D_GNU_SOURCE -I. -o "$work/cg_bench" bench/cg_bench.c $(ls ./*.c | grep -v minirunc.c)
"$work/cg_bench" "$b" 200
