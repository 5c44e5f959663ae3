#!/usr/bin/env bash
# bench/run.sh - what a container start costs, minirunc beside runc, crun and the kernel floor.
#
#   bench/run.sh [ROUNDS]      (default 30; needs root)   `make bench` runs it.
#
# Every case alternates the runtimes within each round (a slow moment of the machine hits
# them alike) and prints medians in ms, the number of runs, and ratios.  Not a test: nothing
# here asserts.  The cases (issue 7):
#   1. run of /bin/true from `runc spec`'s default bundle (terminal off), and the `unshare`
#      floor: the same namespaces, chroot, /bin/true;
#   2. the same without a network namespace, and with one given by path (ip netns add);
#   3. create + start + delete as three commands;
#   4. the bridge network: `minirunc net hook` as prestart/poststop, beside the seed's ip(8)
#      recipe (bench/net_bench.sh, inside a private "host" netns, never the machine's own);
#   5. 100 containers one after another, 50 at once;
#   6. peak RSS (bench/maxrss.c: ru_maxrss from wait4);
#   7. binary sizes (7b: each architecture's static build beside runc and crun, bench/sizes.sh);
#   8. parsing config.json; 9. cgroups (bench/cgroups.sh); 10. a start through podman and containerd's ctr (bench/engines.sh).
#   11. seccomp: compile time beside libseccomp, a start with a profile (bench/seccomp.sh).
#   12. user namespaces: mappings as root, rootless, beside runc and crun (bench/userns.sh).
# State directories (--root) live on a private tmpfs, as /run is one on most hosts (here /run
# is on the root disk: set BENCH_STATE=disk to keep them on disk instead).
#
# crun 1.8 refuses this machine's hybrid cgroup layout while a controller (hugetlb) sits on
# the v2 hierarchy.  crun therefore runs in a mount namespace made once, where
# /sys/fs/cgroup/unified is covered by an empty tmpfs, entered with nsenter(1) for each run;
# the crun rows subtract what that nsenter adds (measured alike, `nsenter ... true` minus
# `true`).
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh # now_us, median, bench_crun_ns
rounds=${1:-30}
top=$PWD
work=$(mktemp -d /tmp/minirunc-bench.XXXXXX)
netns=mr-bench-$$
mntns=$work/ns/mnt

cleanup() {
	set +e
	umount "$mntns" 2>/dev/null
	umount "$work/ns" 2>/dev/null
	umount -l "$work/state" 2>/dev/null
	ip netns delete "$netns" 2>/dev/null
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT

make -s minirunc minirunc-static
cc_small=${MUSLCC:-musl-gcc}
command -v "$cc_small" >/dev/null || cc_small=cc
"$cc_small" -Os -static -s -o "$work/maxrss" bench/maxrss.c

# ---- bundles --------------------------------------------------------------------------------
bundle() { # DIR: runc spec's default, terminal off, /bin/true from busybox
	mkdir -p "$1/rootfs/bin"
	cp /bin/busybox "$1/rootfs/bin/"
	ln -s busybox "$1/rootfs/bin/true"
	(cd "$1" && runc spec)
	sed -i 's/"terminal": true/"terminal": false/; s/"sh"$/"true"/' "$1/config.json"
}
edit_config() { # FILE PYTHON-EXPR-ON-c
	python3 - "$1" "$2" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
exec(sys.argv[2])
json.dump(c, open(sys.argv[1], "w"), indent="\t")
PY
}
b=$work/bundle
bundle "$b"
mkdir -p "$work/nonet" "$work/pathnet"
for v in nonet pathnet; do
	cp -al "$b/rootfs" "$work/$v/rootfs" # a copy: runc refuses a rootfs that is a symlink
	cp "$b/config.json" "$work/$v/"
done
ip netns add "$netns"
edit_config "$work/nonet/config.json" \
	'c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "network"]'
edit_config "$work/pathnet/config.json" \
	'[n.update(path="/run/netns/'"$netns"'") for n in c["linux"]["namespaces"] if n["type"] == "network"]'

mkdir -p "$work/state"
state_note="state (--root) on disk ($(df -T "$work" | awk 'NR == 2 { print $2 }'))"
if [ "${BENCH_STATE:-tmpfs}" = tmpfs ] && mount -t tmpfs -o mode=0700 mr-bench "$work/state"; then
	state_note="state (--root) on a private tmpfs"
fi
S=$work/state

# ---- crun's mount namespace (see the header) -------------------------------------------------
crun_note=""
if command -v crun >/dev/null; then
	if bench_crun_ns "$work" "$mntns"; then
		crun_note="crun ran in a mount namespace with /sys/fs/cgroup/unified covered by an empty tmpfs (crun 1.8 refuses the hybrid layout); nsenter's cost subtracted"
	fi
fi

# ---- timing ---------------------------------------------------------------------------------
count() { wc -w | tr -d ' '; }

declare -A times
rts=(minirunc minirunc-static runc crun)
rt_cmd() { # RUNTIME -> the command's words
	case $1 in
	minirunc) echo "$top/minirunc --root $S/m" ;;
	minirunc-static) echo "$top/minirunc-static --root $S/s" ;;
	runc) echo "runc --root $S/r" ;;
	crun) echo "nsenter --mount=$mntns crun --root $S/c" ;;
	esac
}
have_rt() { [ "$1" != crun ] || [ -n "$crun_note" ]; }

# time_rounds CASE NAME CMD... : run CMD (eval'd, $i = round) and add the time to CASE/NAME.
time_one() {
	local key=$1 t0 t1
	shift
	t0=$(now_us)
	eval "$*" >/dev/null 2>&1 || fails[$key]=$((${fails[$key]:-0} + 1))
	t1=$(now_us)
	times[$key]+="$((t1 - t0)) "
}
declare -A fails

table() { # CASE BASE ROW...: median, runs, x BASE
	local c=$1 base=$2 m bm
	shift 2
	bm=$(echo "${times[$c/$base]:-}" | median)
	printf '  %-22s %10s %6s %12s\n' runtime "median ms" runs "x $base"
	for r in "$@"; do
		[ -n "${times[$c/$r]:-}" ] || continue
		m=$(echo "${times[$c/$r]}" | median)
		[ -n "${adjust[$r]:-}" ] && m=$(awk -v a="$m" -v d="${adjust[$r]}" 'BEGIN { printf "%.2f", a - d }')
		printf '  %-22s %10s %6s %12s%s\n' "$r" "$m" "$(echo "${times[$c/$r]}" | count)" \
			"$(awk -v a="$m" -v b="$bm" 'BEGIN { printf "%.2f", b ? a / b : 0 }')" \
			"${fails[$c/$r]:+  (${fails[$c/$r]} failed)}"
	done
}
declare -A adjust

# Leave out a runtime that cannot run here at all, and say so.
for rt in "${rts[@]}"; do
	have_rt "$rt" || { echo "crun: not installed or its mount namespace failed; left out"; continue; }
	if ! eval "$(rt_cmd "$rt") run -b $b probe-$rt" >/dev/null 2>&1; then
		echo "$rt: cannot run here; left out"
		[ "$rt" = crun ] && crun_note=""
	fi
done

floor="unshare --pid --fork --ipc --uts --mount"
echo "== minirunc bench: $rounds rounds per case, runtimes alternating; $state_note"
for ((i = 0; i < rounds; i++)); do
	for rt in "${rts[@]}"; do
		have_rt "$rt" || continue
		c=$(rt_cmd "$rt")
		time_one "1/$rt" "$c run -b $b r1-$i"
		time_one "2n/$rt" "$c run -b $work/nonet r2n-$i"
		time_one "2p/$rt" "$c run -b $work/pathnet r2p-$i"
		time_one "3/$rt" "$c create -b $b r3-$i && $c start r3-$i && $c delete --force r3-$i"
	done
	time_one "1/unshare-floor" "$floor --net chroot $b/rootfs /bin/true"
	time_one "2n/unshare-floor" "$floor chroot $b/rootfs /bin/true"
	time_one "2p/unshare-floor" "nsenter --net=/run/netns/$netns $floor chroot $b/rootfs /bin/true"
	time_one "w/true" "/bin/true"
	[ -n "$crun_note" ] && time_one "w/nsenter" "nsenter --mount=$mntns /bin/true"
done
if [ -n "$crun_note" ]; then
	adjust[crun]=$(awk -v a="$(echo "${times[w/nsenter]}" | median)" \
		-v b="$(echo "${times[w/true]}" | median)" 'BEGIN { printf "%.3f", a - b }')
fi

echo
echo "1. run of /bin/true, runc spec's default bundle (terminal off)"
table 1 minirunc minirunc minirunc-static runc crun unshare-floor
echo "2a. the same without a network namespace"
table 2n minirunc minirunc minirunc-static runc crun unshare-floor
echo "2b. the same with the network namespace given by path (ip netns add $netns)"
table 2p minirunc minirunc minirunc-static runc crun unshare-floor
echo "   (floor: nsenter --net=PATH unshare ...)"
echo "3. create + start + delete --force, three commands (--force: start returns before"
echo "   /bin/true has exited, and delete refuses a running container)"
table 3 minirunc minirunc minirunc-static runc crun
[ -n "$crun_note" ] && echo "note: $crun_note (${adjust[crun]} ms)"

# ---- 4. the network --------------------------------------------------------------------------
echo
echo "4. the bridge network (bench/net_bench.sh, in a private host netns)"
for rt in minirunc minirunc-static; do
	echo " $rt:"
	mkdir -p "$S/net-$rt"
	MINIRUNC=$top/$rt N=$rounds ROOTS=$S/net-$rt bench/net_bench.sh 2>&1 | sed 's/^/   /' ||
		echo "   net_bench.sh failed"
done

# ---- 5. one after another, and at once -------------------------------------------------------
echo
echo "5. 100 containers one after another, then 50 at once (total ms; ms per container)"
printf '  %-16s %10s %10s %10s %10s %14s\n' runtime "100 seq" "per ctr" "50 par" "per ctr" "par/seq per ctr"
for rt in "${rts[@]}"; do
	have_rt "$rt" || continue
	c=$(rt_cmd "$rt")
	t0=$(now_us)
	for ((i = 0; i < 100; i++)); do eval "$c run -b $b s5-$i" >/dev/null 2>&1 || true; done
	seq_us=$(($(now_us) - t0))
	t0=$(now_us)
	for ((i = 0; i < 50; i++)); do eval "$c run -b $b p5-$i" >/dev/null 2>&1 & done
	wait
	par_us=$(($(now_us) - t0))
	awk -v s="$seq_us" -v p="$par_us" -v r="$rt" 'BEGIN { printf "  %-16s %10.1f %10.2f %10.1f %10.2f %14.2f\n", r, s / 1000, s / 100000, p / 1000, p / 50000, (p / 50) / (s / 100) }'
done
echo "  (per ctr at once = total / 50: with $(nproc) CPUs, < 1 means they overlapped)"

# ---- 6. peak RSS -----------------------------------------------------------------------------
echo
echo "6. peak RSS of case 1 (KiB, ru_maxrss from wait4 via bench/maxrss.c; median of 5)"
tiny=$work/tiny
mkdir -p "$tiny/rootfs/bin"
printf 'int main(void) { return 0; }\n' >"$work/true.c"
"$cc_small" -Os -static -s -o "$tiny/rootfs/bin/true" "$work/true.c"
cp "$b/config.json" "$tiny/"
rss() { # CMD...: median of 5 ru_maxrss ($k numbers the run)
	local k
	for k in 1 2 3 4 5; do eval "$work/maxrss $* " 2>/dev/null | tail -1; done |
		sort -n | sed -n 3p
}
printf '  %-16s %16s %22s\n' runtime "busybox true" "runtime alone (tiny)"
for rt in "${rts[@]}"; do
	have_rt "$rt" || continue
	c=$(rt_cmd "$rt")
	printf '  %-16s %16s %22s\n' "$rt" "$(rss "$c run -b $b m6-\$k")" \
		"$(rss "$c run -b $tiny t6-\$k")"
done
printf '  %-16s %16s %22s\n' unshare-floor "$(rss "$floor --net chroot $b/rootfs /bin/true")" \
	"$(rss "$floor --net chroot $tiny/rootfs /bin/true")"
echo "  (ru_maxrss covers the process and what it reaped: the container process too, hence"
echo "   the second column with a 13 KB static true; crun's includes nsenter's)"

# ---- 7. sizes --------------------------------------------------------------------------------
echo
echo "7. sizes (bytes)"
cp minirunc "$work/minirunc.stripped" && strip "$work/minirunc.stripped"
printf '  %-40s %10s\n' "minirunc-static (musl, make static, stripped)" "$(stat -c %s minirunc-static)"
printf '  %-40s %10s\n' "minirunc (glibc, make: -O2 -g)" "$(stat -c %s minirunc)"
printf '  %-40s %10s\n' "minirunc (glibc, stripped)" "$(stat -c %s "$work/minirunc.stripped")"
printf '  %-40s %10s\n' "runc" "$(stat -c %s "$(command -v runc)")"
command -v crun >/dev/null && printf '  %-40s %10s\n' "crun" "$(stat -c %s "$(command -v crun)")"
size minirunc-static | awk 'NR == 2 { printf "  minirunc-static: text %s, data %s, bss %s\n", $1, $2, $3 }'
echo "7b. the static binary of each architecture beside Debian's runc and crun (bench/sizes.sh)"
bench/sizes.sh

# ---- 8. parsing config.json (json.c + the issue's Foundation figure) -------------------------
echo
echo "8. parsing runc spec's default config.json (bench/json_bench.c, 10000 rounds)"
${CC:-cc} -O2 -D_GNU_SOURCE -I. -o "$work/json_bench" bench/json_bench.c json*.c util.c
"$work/json_bench" "$b/config.json" | sed 's/^/  /'

# ---- 9. cgroups: an engine's config (bench/cgroups.sh) ---------------------------------------
echo
bench/cgroups.sh "$rounds"

# ---- 10. through an engine (bench/engines.sh) ------------------------------------------------
echo
echo "10. through an engine: podman run --rm, ctr run --rm (bench/engines.sh)"
bench/engines.sh 10 2>&1 | sed 's/^/   /'

# ---- 11. seccomp (issue 13) -----------------------------------------------------------------
echo
echo "11. seccomp: compile time, instruction counts, run with a profile (bench/seccomp.sh)"
bench/seccomp.sh 10 | sed "s/^/  /"
printf '\n12. user namespaces, as root and rootless (bench/userns.sh)\n'; bench/userns.sh 20 | sed "s/^/  /"
