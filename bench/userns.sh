#!/usr/bin/env bash
# bench/userns.sh - what a user namespace costs a container start (issue 14), called from
# bench/run.sh.
#
#   bench/userns.sh [ROUNDS]     (default 20; needs root, runc; crun where it runs)
#
#   1. as root: `run /bin/true` from runc spec's default bundle, and the same bundle with a
#      user namespace mapped 0 -> 100000 (65536) for uids and gids; minirunc, runc and crun,
#      the runtimes alternating within each round; the median wall time and the mean CPU
#      time (user + system) in ms, and the delta the user namespace adds to each (issue 14's
#      target: <= 0.5 ms for minirunc);
#   2. rootless: an unprivileged user (made here with useradd, as tests/integration/
#      userns.bats does, and removed afterwards; an existing user is never touched) runs
#      `run /bin/true` from `runc spec --rootless`'s bundle (its own ids mapped, no helper),
#      then with its /etc/subuid range mapped too (newuidmap/newgidmap run by the runtime);
#      minirunc beside runc, and crun when it runs rootless here (if not, its error is shown).
# crun 1.8 refuses this machine's hybrid cgroup layout as root: as in bench/run.sh it runs in
# a mount namespace where /sys/fs/cgroup/unified is covered by an empty tmpfs, and nsenter's
# own cost is subtracted.  Not a test: nothing here asserts.
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh # now_us, median, bench_crun_ns
rounds=${1:-20}
top=$PWD
work=$(mktemp -d /tmp/minirunc-bench-us.XXXXXX)
chmod 711 "$work" # the rootless user and the mapped root (host 100000) reach the rootfs
: >"$work/stdin" && : >"$work/stdout" # every runtime's stdio (time_one says why)
mntns=$work/ns/mnt
rl_user=""
cleanup() {
	set +e
	umount "$mntns" 2>/dev/null
	umount "$work/ns" 2>/dev/null
	if [ -n "$rl_user" ]; then
		for p in $(pgrep -u "$rl_uid" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
		for _ in 1 2 3 4 5; do userdel "$rl_user" 2>/dev/null && break; sleep 0.2; done
		grep -q "^$rl_user:" /etc/subuid /etc/subgid && usermod --del-subuids 0-4294967294 \
			--del-subgids 0-4294967294 "$rl_user" 2>/dev/null
	fi
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT

make -s minirunc
edit_config() { # FILE PYTHON-STATEMENTS-ON-c
	python3 - "$1" "$2" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
exec(sys.argv[2])
json.dump(c, open(sys.argv[1], "w"), indent="\t")
PY
}
terminal_off='c["process"]["terminal"] = False; c["process"]["args"] = ["true"]'
userns_on='c["linux"]["namespaces"].append({"type": "user"})
m = [{"containerID": 0, "hostID": 100000, "size": 65536}]
c["linux"]["uidMappings"] = m; c["linux"]["gidMappings"] = m'

# The mount points exist beforehand: root in the user namespace (host 100000) and the
# rootless user cannot make directories in a rootfs that host root owns.
mkdir -p "$work"/rootfs/{bin,proc,dev,sys} "$work/plain" "$work/userns"
cp /bin/busybox "$work/rootfs/bin/"
ln -s busybox "$work/rootfs/bin/true"
for v in plain userns; do
	cp -al "$work/rootfs" "$work/$v/rootfs" # runc refuses a rootfs that is a symlink
	(cd "$work/$v" && runc spec)
	edit_config "$work/$v/config.json" "$terminal_off"
done
edit_config "$work/userns/config.json" "$userns_on"

have_crun=""
if command -v crun >/dev/null; then
	bench_crun_ns "$work" "$mntns" && have_crun=1
fi

mean() { tr ' ' '\n' | grep . | awk '{ t += $1 } END { if (NR) printf "%.2f", t / NR / 1000 }'; }
declare -A times cpu fails adjust
# time_one KEY CMD...: run CMD (eval'd); its wall time to times[KEY], and the CPU time (user +
# system) of the processes it waited for to cpu[KEY].  The CPU time is what the start costs
# the machine and hardly depends on how busy the machine is (the wall time does: a start that
# waits for a CPU shared with other work counts the wait), so the verdict uses both.  The
# kernel charges CPU time by the tick (1 ms here), so the CPU figures are means over the rounds.
# A runtime's stdio is a file of ours, never /dev/null: crun 1.8 fchown()s the init's fds 0-2
# to the container's root, which in a user namespace would give the host's /dev/null to uid
# 100000 (runc and minirunc leave /dev/null alone, as runc's fixStdioPermissions).
TIMEFORMAT='%3U %3S'
time_one() {
	local key=$1 t0 u sy
	shift
	t0=$(now_us)
	{ time eval "$*" <"$work/stdin" >"$work/stdout" 2>&1 ||
		fails[$key]=$((${fails[$key]:-0} + 1)); } 2>"$work/cpu"
	times[$key]+="$(($(now_us) - t0)) "
	read -r u sy <"$work/cpu"
	cpu[$key]+="$(awk -v u="$u" -v s="$sy" 'BEGIN { printf "%d", (u + s) * 1e6 }') "
}
med() { # KEY: median less the runtime's adjustment (crun's nsenter)
	local m
	m=$(echo "${times[$1]:-}" | median)
	[ -n "$m" ] || return 0
	awk -v a="$m" -v d="${adjust[${1##*/}]:-0}" 'BEGIN { printf "%.2f", a - d }'
}
# table A B RUNTIME...: each runtime's medians of cases A and B, and B - A
table() {
	local a=$1 b=$2 r ma mb ca cb
	shift 2
	printf '  %-10s %10s %10s %8s   %10s %10s %8s %5s\n' runtime "$a" "$b" delta \
		"cpu $a" "cpu $b" delta runs
	for r in "$@"; do
		[ -n "${times[$a/$r]:-}" ] || continue
		ma=$(med "$a/$r")
		mb=$(med "$b/$r")
		ca=$(echo "${cpu[$a/$r]}" | mean)
		cb=$(echo "${cpu[$b/$r]}" | mean)
		printf '  %-10s %10s %10s %8s   %10s %10s %8s %5s%s\n' "$r" "$ma" "$mb" \
			"$(awk -v a="$ma" -v b="$mb" 'BEGIN { printf "%+.2f", b - a }')" "$ca" "$cb" \
			"$(awk -v a="$ca" -v b="$cb" 'BEGIN { printf "%+.2f", b - a }')" \
			"$(echo "${times[$a/$r]}" | wc -w)" \
			"${fails[$a/$r]:+  ($a: ${fails[$a/$r]} failed)}${fails[$b/$r]:+  ($b: ${fails[$b/$r]} failed)}"
	done
}
iqr() { # KEY: the spread between rounds (third quartile less first), ms
	echo "${times[$1]}" | tr ' ' '\n' | grep . | sort -n |
		awk '{ a[NR] = $1 } END { printf "%.2f", (a[int(NR * 3 / 4) + 1] - a[int(NR / 4) + 1]) / 1000 }'
}
verdict() { # A B: issue 14's target for minirunc
	local d
	echo "  spread between rounds (IQR) of minirunc: $1 $(iqr "$1/minirunc") ms, $2 $(iqr "$2/minirunc") ms;"
	echo "  a delta smaller than that is noise of this (shared) machine"
	d=$(awk -v a="$(med "$1/minirunc")" -v b="$(med "$2/minirunc")" 'BEGIN { printf "%.2f", b - a }')
	local v="NOT met" n=""
	awk -v d="$d" 'BEGIN { exit !(d <= 0.5) }' && v=met
	awk -v a="$(iqr "$1/minirunc")" -v b="$(iqr "$2/minirunc")" 'BEGIN { exit !(a > 1 || b > 1) }' &&
		n=" - but the spread is over 1 ms: not conclusive, run it on a quiet machine"
	echo "  target (a user namespace adds <= 0.5 ms to minirunc's start): $v ($d ms)$n"
	d=$(awk -v a="$(echo "${cpu[$1/minirunc]}" | mean)" \
		-v b="$(echo "${cpu[$2/minirunc]}" | mean)" 'BEGIN { printf "%.2f", b - a }')
	v="NOT met"
	awk -v d="$d" 'BEGIN { exit !(d <= 0.5) }' && v=met
	echo "  the same on CPU time (user + system of the runtime and the container): $v ($d ms)"
}

# ---- 1. as root --------------------------------------------------------------------------
rts=(minirunc runc)
[ -n "$have_crun" ] && rts+=(crun)
rt_cmd() {
	case $1 in
	minirunc) echo "$top/minirunc --root $work/m" ;;
	runc) echo "runc --root $work/r" ;;
	crun) echo "nsenter --mount=$mntns crun --root $work/c" ;;
	esac
}
for ((i = 0; i < rounds; i++)); do
	for rt in "${rts[@]}"; do
		c=$(rt_cmd "$rt")
		# Which case goes first alternates too: a start pays for what the one before left
		# to the kernel (a network namespace is torn down by a worker after the exit).
		for v in $( ((i % 2)) && echo userns plain || echo plain userns); do
			time_one "$v/$rt" "$c run -b $work/$v $v-$i"
		done
	done
	time_one "w/true" /bin/true
	[ -n "$have_crun" ] && time_one "w/nsenter" "nsenter --mount=$mntns /bin/true"
done
[ -n "$have_crun" ] && adjust[crun]=$(awk -v a="$(echo "${times[w/nsenter]}" | median)" \
	-v b="$(echo "${times[w/true]}" | median)" 'BEGIN { printf "%.3f", a - b }')
echo "1. as root: run of /bin/true, runc spec's default bundle, and the same with a user"
echo "   namespace (uid and gid 0 -> 100000, 65536); $rounds rounds, runtimes alternating;"
echo "   in ms: the median wall time, then the mean CPU time (user + system of everything the"
echo "   command waited for; the kernel charges it in whole ticks, so a mean, not a median)"
table plain userns "${rts[@]}"
verdict plain userns
[ -n "$have_crun" ] && echo "  (crun: in a mount namespace, nsenter's ${adjust[crun]} ms subtracted from its wall time;"
[ -n "$have_crun" ] && echo "   its CPU time includes nsenter's)"

# ---- 2. rootless -------------------------------------------------------------------------
echo "2. rootless: run of /bin/true as an unprivileged user, runc spec --rootless's bundle"
if ! command -v useradd >/dev/null || ! command -v setpriv >/dev/null; then
	echo "  useradd or setpriv missing: left out"
	exit 0
fi
rl_user=mrbench$$
if ! useradd -M -s /usr/sbin/nologin "$rl_user"; then
	echo "  useradd $rl_user failed: left out"
	rl_user=""
	exit 0
fi
rl_uid=$(id -u "$rl_user")
rl_gid=$(id -g "$rl_user")
if ! grep -q "^$rl_user:" /etc/subuid || ! grep -q "^$rl_user:" /etc/subgid; then
	sub=$(cat /etc/subuid /etc/subgid | awk -F: '{ e = $2 + $3; if (e > m) m = e } END { print (m > 200000 ? m : 200000) }')
	usermod --add-subuids "$sub-$((sub + 65535))" --add-subgids "$sub-$((sub + 65535))" "$rl_user"
fi
rl_sub=$(awk -F: -v u="$rl_user" '$1 == u { print $2; exit }' /etc/subuid)
rl_subg=$(awk -F: -v u="$rl_user" '$1 == u { print $2; exit }' /etc/subgid)
rl=$work/rl
mkdir -p "$rl/xdg" "$rl/own" "$rl/sub"
chown -R "$rl_uid:$rl_gid" "$rl"
chmod 700 "$rl/xdg"
as_user() {
	setpriv --reuid="$rl_uid" --regid="$rl_gid" --clear-groups -- \
		env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$rl" XDG_RUNTIME_DIR="$rl/xdg" \
		USER="$rl_user" "$@"
}
for v in own sub; do
	cp -al "$work/rootfs" "$rl/$v/rootfs"
	as_user runc spec --rootless --bundle "$rl/$v"
	edit_config "$rl/$v/config.json" "$terminal_off"
done
edit_config "$rl/sub/config.json" "
c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': $rl_uid, 'size': 1},
    {'containerID': 1, 'hostID': $rl_sub, 'size': 65536}]
c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': $rl_gid, 'size': 1},
    {'containerID': 1, 'hostID': $rl_subg, 'size': 65536}]"

rl_rts=(minirunc runc)
crun_err=$(as_user crun --root "$rl/c" run -b "$rl/own" probe 2>&1 <"$work/stdin" >"$work/stdout") &&
	rl_rts+=(crun) || true
rl_cmd() {
	case $1 in
	minirunc) echo "as_user $top/minirunc --root $rl/m" ;;
	runc) echo "as_user runc --root $rl/r" ;;
	crun) echo "as_user crun --root $rl/c" ;;
	esac
}
for ((i = 0; i < rounds; i++)); do
	for rt in "${rl_rts[@]}"; do
		c=$(rl_cmd "$rt")
		for v in $( ((i % 2)) && echo subids own || echo own subids); do
			time_one "$v/$rt" "$c run -b $rl/${v%ids} $v-$i"
		done
	done
	time_one "plain/setpriv" "as_user /bin/true"
done
adjust[crun]=0 # rootless crun runs without the mount namespace: nothing to subtract
echo "   own: only the user's own uid/gid mapped (written by the runtime, no helper);"
echo "   subids: 0 -> own id, 1-65536 -> its /etc/subuid range (newuidmap/newgidmap run)"
echo "   $rounds rounds, runtimes alternating; each as the user through setpriv(1), whose"
echo "   own cost ($(med plain/setpriv) ms wall, $(echo "${cpu[plain/setpriv]}" | mean) ms CPU for /bin/true) is included"
table own subids "${rl_rts[@]}"
[[ " ${rl_rts[*]} " == *" crun "* ]] ||
	echo "  crun: does not run rootless here: $(echo "$crun_err" | tail -1)"
