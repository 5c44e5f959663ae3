#!/bin/bash
# net_bench.sh - what the network adds to a container start (NETWORK.md), measured inside a
# throw-away "host" network namespace (never the machine's own):
#   1. hook form: `minirunc run` of a busybox `true` with the prestart/poststop `net hook`
#      (config.json.example) minus the same run without hooks: median over N runs;
#   2. the seed's recipe typed as ip(8)/iptables(8) commands for one container (netns add,
#      veth, move, rename, address, up, route; bridge and rules made once before): median;
#   3. `net create` per container for the 1st container on a bridge, and on average over 50
#      on one bridge (round-robin allocation and the rule checks grow with nothing else).
# Prints figures; asserts nothing.  Needs root.  N=10 by default.
set -eu
MINIRUNC=$(realpath "${MINIRUNC:-$(dirname "$0")/../minirunc}")
N=${N:-10}
TOP=$(cd "$(dirname "$0")/.." && pwd)
H=mr-bench-h-$$
T=$(mktemp -d /tmp/mr-bench.XXXXXX)
ROOTS=${ROOTS:-$T}   # where --root goes (bench/run.sh: a tmpfs)
R=$ROOTS/root

cleanup() {
	local f
	for f in /run/netns/mr-bench-$$-*; do
		[ -e "$f" ] || continue
		umount -l "$f" 2>/dev/null
		rm -f "$f"
	done
	ip netns delete "$H" 2>/dev/null
	rm -rf --one-file-system "$T"
}
trap cleanup EXIT

now() { date +%s%N; }
in_h() { nsenter --net="/run/netns/$H" -- "$@"; }
median() { sort -n | awk '{ a[NR] = $1 } END { printf "%d\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ms() { awk '{ printf "%.2f ms", $1 / 1e6 }'; }

ip netns add "$H"
ip -n "$H" link set lo up
mkdir -p "$T/rootfs"/{bin,proc,sys,dev,tmp}
cp /bin/busybox "$T/rootfs/bin/busybox"
for a in sh true; do ln -s busybox "$T/rootfs/bin/$a"; done
for b in plain hook; do
	mkdir -p "$T/$b"
	cp -al "$T/rootfs" "$T/$b/rootfs"
	python3 - "$T/$b/config.json" "$MINIRUNC" "$R" "$b" "$TOP" <<'PY'
import json, sys
out, mr, root, kind, top = sys.argv[1:6]
c = json.load(open(top + "/config.json.example"))
c["process"]["args"] = ["true"]
if kind == "plain":
    del c["hooks"]
else:
    for k in ("prestart", "poststop"):
        for h in c["hooks"][k]:
            h["path"] = mr
            h["args"] = [h["args"][0], "--root", root] + h["args"][1:]
json.dump(c, open(out, "w"))
PY
done

# One container first, so that the bridge and its rules exist before the timing.
in_h "$MINIRUNC" --root "$ROOTS/c" run -b "$T/hook" warm >/dev/null
: >"$T/plain.t"
: >"$T/hook.t"
for i in $(seq "$N"); do
	for b in plain hook; do
		t0=$(now)
		in_h "$MINIRUNC" --root "$ROOTS/c" run -b "$T/$b" "$b$i" >/dev/null
		echo $(($(now) - t0)) >>"$T/$b.t"
	done
done
plain=$(median <"$T/plain.t")
hook=$(median <"$T/hook.t")
echo "container start, no network (private netns, lo):  $(echo "$plain" | ms)  (median of $N)"
echo "container start with the net hook:                $(echo "$hook" | ms)  (median of $N)"
echo "network added by the hook form:                   $(echo $((hook - plain)) | ms)"

# The seed's recipe with ip(8), one container each (bridge and rules made once, above).
: >"$T/seed.t"
for i in $(seq "$N"); do
	ns=mr-bench-$$-s$i
	t0=$(now)
	ip netns add "$ns"
	ip -n "$H" link add name "vs$i" type veth peer name vg$i
	ip -n "$H" link set "vs$i" up
	ip -n "$H" link set "vs$i" master runc0
	ip -n "$H" link set "vg$i" netns "$ns"
	ip -n "$ns" link set "vg$i" name eth1
	ip -n "$ns" addr add "10.213.1.$i/16" dev eth1
	ip -n "$ns" link set eth1 up
	ip -n "$ns" route add default via 10.213.0.1
	echo $(($(now) - t0)) >>"$T/seed.t"
	ip netns delete "$ns"
done
echo "the seed's recipe with ip(8), one container:      $(median <"$T/seed.t" | ms)  (median of $N, 9 commands)"

# net create on one bridge: the first container, then 50 in a row.
in_h "$MINIRUNC" --root "$R" net reset --bridge runc0 >/dev/null 2>&1 || true
t0=$(now)
in_h "$MINIRUNC" --root "$R" net create "mr-bench-$$-first"
first=$(($(now) - t0))
t0=$(now)
for i in $(seq 50); do in_h "$MINIRUNC" --root "$R" net create "mr-bench-$$-n$i"; done
fifty=$(($(now) - t0))
t0=$(now)
for i in $(seq 50); do in_h "$MINIRUNC" --root "$R" net delete "mr-bench-$$-n$i"; done
del=$(($(now) - t0))
in_h "$MINIRUNC" --root "$R" net delete "mr-bench-$$-first"
echo "net create, 1st container (bridge, rules made):   $(echo "$first" | ms)"
echo "net create, per container over 50 on one bridge:  $(echo $((fifty / 50)) | ms)"
echo "net delete, per container over 50:                $(echo $((del / 50)) | ms)"
