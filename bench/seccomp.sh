#!/usr/bin/env bash
# bench/seccomp.sh - what seccomp costs (issue 13), called from bench/run.sh.
#
#   bench/seccomp.sh [ROUNDS]     (default 20; needs root, runc, crun, python3-seccomp)
#
#   1. compiling podman's default profile (/usr/share/containers/seccomp.json, converted
#      as podman converts it): minirunc's seccomp_compile() beside libseccomp built the way
#      runc builds it, in one process (bench/seccomp_lib.c), medians; BPF instruction counts;
#   2. `run /bin/true` with the profile and without, minirunc beside runc and crun, the
#      runtimes alternating within each round, medians in ms and the difference;
#   3. the static binary's share: seccomp_tables.c and the seccomp code, musl -Os.
# Not a test: nothing here asserts.
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh # now_us, median, bench_crun_ns
rounds=${1:-20}
top=$PWD
work=$(mktemp -d /tmp/minirunc-bench-sc.XXXXXX)
mntns=$work/ns/mnt
cleanup() {
	set +e
	umount "$mntns" 2>/dev/null
	umount "$work/ns" 2>/dev/null
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT

make -s minirunc
py=/usr/bin/python3
$py -c 'import seccomp' 2>/dev/null || { echo "seccomp bench: python3-seccomp missing"; exit 0; }

# ---- 1. compile time ---------------------------------------------------------------------
echo "1. compiling podman's default profile (x86_64 + x86 + x32), bench/seccomp_lib.c"
$py - "$work/podman.json" <<'PY'
import json, sys
sys.path.insert(0, "tests/seccomp")
import equal
cfg = {"ociVersion": "1.0.2", "root": {"path": "rootfs"}, "linux": {"seccomp": equal.podman_profile()}}
json.dump(cfg, open(sys.argv[1], "w"))
PY
${CC:-cc} -O2 -D_GNU_SOURCE -o "$work/seccomp_lib" bench/seccomp_lib.c json*.c spec*.c seccomp*.c \
	util.c -lseccomp
"$work/seccomp_lib" "$work/podman.json" 200
make -s build/tools/seccomp_bpf
build/tools/seccomp_bpf -t 2000 "$work/podman.json" |
	awk '{ split($2, m, "="); printf "  %-34s %10.1f us (2000 rounds alone, caches warm)\n", "minirunc seccomp_compile()", m[2] / 1000 }'

# ---- 2. run /bin/true with and without the profile ----------------------------------------
echo
echo "2. run /bin/true, runc spec's default bundle, with podman's profile and without (ms)"
mkdir -p "$work/plain/rootfs/bin" "$work/state"
cp /bin/busybox "$work/plain/rootfs/bin/"
ln -s busybox "$work/plain/rootfs/bin/true"
(cd "$work/plain" && runc spec)
sed -i 's/"terminal": true/"terminal": false/; s/"sh"$/"true"/' "$work/plain/config.json"
mkdir -p "$work/sc"
cp -al "$work/plain/rootfs" "$work/sc/rootfs"
$py - "$work/plain/config.json" "$work/podman.json" "$work/sc/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["linux"]["seccomp"] = json.load(open(sys.argv[2]))["linux"]["seccomp"]
json.dump(c, open(sys.argv[3], "w"))
PY
crun_pre=""
if command -v crun >/dev/null; then
	bench_crun_ns "$work" "$mntns" && crun_pre="nsenter --mount=$mntns"
fi
declare -A t
rts="minirunc runc"
[ -n "$crun_pre" ] && rts="$rts crun"
for i in $(seq "$rounds"); do
	for rt in $rts; do
		case $rt in
		minirunc) c="$top/minirunc --root $work/state/m" ;;
		runc) c="runc --root $work/state/r" ;;
		crun) c="$crun_pre crun --root $work/state/c" ;;
		esac
		for v in plain sc; do
			t0=$(now_us)
			$c run -b "$work/$v" "b$i-$v" >/dev/null 2>&1 || echo "  $rt $v run $i failed"
			t1=$(now_us)
			t[$rt/$v]+="$((t1 - t0)) "
		done
	done
done
printf '  %-10s %14s %14s %14s\n' runtime "no profile" "podman's" "difference"
for rt in $rts; do
	a=$(echo "${t[$rt/plain]}" | median)
	b=$(echo "${t[$rt/sc]}" | median)
	printf '  %-10s %14s %14s %14s\n' "$rt" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%+.2f", b - a }')"
done
echo "  ($rounds rounds; crun's rows include nsenter's cost, alike in both columns)"

# ---- 3. size ----------------------------------------------------------------------------
echo
echo "3. the static binary's share (musl-gcc -Os, bytes of text + data)"
make -s build/kinc >/dev/null 2>&1 || true
for f in seccomp_tables.c seccomp.c seccomp_tree.c seccomp_load.c spec_seccomp.c; do
	${MUSLCC:-musl-gcc} -D_GNU_SOURCE -idirafter build/kinc -Os -c "$f" -o "$work/o.o" 2>/dev/null &&
		size "$work/o.o" | awk -v f="$f" 'NR == 2 { printf "  %-20s %8d\n", f, $1 + $2 }'
done
