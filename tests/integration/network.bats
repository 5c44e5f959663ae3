#!/usr/bin/env bats
# network.bats - the seed's bridge recipe end to end (NETWORK.md), inside test network
# namespaces only ("Testing networks safely"):
#
#   "host" netns $H (minirunc runs here, via nsenter)          "upstream" netns $U
#     runc0 10.213.0.1/16 -- veth -- container eth0 10.213.0.x   192.0.2.2/24, a TCP server
#     up0 192.0.2.1/24 ------------------- veth ------------------ up1
#
# minirunc runs under `nsenter --net=/run/netns/$H` rather than `ip netns exec`: the latter
# also unshares a mount namespace, so a /run/netns/NAME made by `net create` would vanish with
# it.  iptables and ip_forward inside $H are $H's own.  The machine's netns is never touched.

export NET_TOP=$(cd "$(dirname "$BATS_TEST_FILENAME")/../.." && pwd)
MINIRUNC=${MINIRUNC:-$NET_TOP/minirunc}
BUSYBOX=${BUSYBOX:-/bin/busybox}

# ---------------------------------------------------------------- helpers

# cannot WHY: skip, or fail under CI (MINIRUNC_MUST_WORK=1, TESTING.md).
cannot() {
	if [ "${MINIRUNC_MUST_WORK:-0}" = 1 ]; then
		echo "cannot run, and MINIRUNC_MUST_WORK=1: $1" >&2
		return 1
	fi
	skip "$1"
}

need() {
	if [ "$(id -u)" != 0 ]; then cannot "needs root"; fi
	for c in ip iptables iptables-save nsenter python3 timeout; do
		command -v "$c" >/dev/null || cannot "$c not installed"
	done
	[ -x "$MINIRUNC" ] || cannot "minirunc not built ($MINIRUNC)"
	[ -x "$BUSYBOX" ] || cannot "busybox not found ($BUSYBOX)"
}

setup() {
	need
	MINIRUNC=$(realpath "$MINIRUNC")
	SFX=$BATS_TEST_NUMBER-$$
	T=$(mktemp -d /tmp/mr-net.XXXXXX)
	H=mr-h-$SFX
	U=mr-u-$SFX
	R=$T/root
	EXTRA_NETNS=()
	PIDS=()
	ip netns add "$H"
	ip netns add "$U"
	ip -n "$H" link set lo up
	ip -n "$U" link set lo up
	ip -n "$H" link add up0 type veth peer name up1 netns "$U"
	ip -n "$H" addr add 192.0.2.1/24 dev up0
	ip -n "$U" addr add 192.0.2.2/24 dev up1
	ip -n "$H" link set up0 up
	ip -n "$U" link set up1 up
	mkdir -p "$T/rootfs"/{bin,proc,sys,dev,tmp,etc}
	cp "$BUSYBOX" "$T/rootfs/bin/busybox"
	for a in sh ip nc sleep cat echo ping; do ln -s busybox "$T/rootfs/bin/$a"; done
}

teardown() {
	local p n d
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for d in "$T"/c/*/; do
		[ -d "$d" ] && timeout 10 "$MINIRUNC" --root "$T/c" delete -f "$(basename "$d")"
	done >/dev/null 2>&1
	for n in "${EXTRA_NETNS[@]}"; do
		if [ -e "/run/netns/$n" ]; then
			umount -l "/run/netns/$n" 2>/dev/null
			rm -f "/run/netns/$n"
		fi
	done
	ip netns delete "$H" 2>/dev/null
	ip netns delete "$U" 2>/dev/null
	rm -rf --one-file-system "$T"
}

# mr ARGS...: minirunc in the host netns $H, with this test's --root.
mr() {
	timeout 30 nsenter --net="/run/netns/$H" -- "$MINIRUNC" --root "$R" "$@"
}

# server: a TCP server on 192.0.2.2:8080 in $U; it answers "hello" and writes each
# client's source address to $T/seen.  Bounded (60 s) and killed by pid in teardown.
server() {
	ip netns exec "$U" timeout 60 python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.2", 8080)); s.listen(64)
while True:
    c, a = s.accept()
    open(sys.argv[1], "a").write(a[0] + "\n")
    c.sendall(b"hello\n"); c.close()
' "$T/seen" </dev/null >/dev/null 2>&1 3>&- &
	# $! is timeout(1) (ip netns exec execs it): SIGTERM reaches the server
	# through it, SIGKILL would orphan the server.  Its fds are not bats'.
	PIDS+=($!)
	for _ in $(seq 50); do
		ip netns exec "$U" sh -c 'cat /proc/net/tcp' | grep -q ':1F90 00000000:0000 0A' && return 0
		sleep 0.1
	done
	return 1
}

# bundle DIR SCRIPT [HOOK-OPTIONS...]: config.json.example made to run SCRIPT, with its
# hooks pointed at $MINIRUNC and this test's root; no hook options -> the example's own.
bundle() {
	local b=$1 script=$2
	shift 2
	mkdir -p "$b"
	cp -al "$T/rootfs" "$b/rootfs"
	python3 - "$b/config.json" "$MINIRUNC" "$R" "$script" "$@" <<'PY'
import json, sys
out, mr, root, script, extra = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
c = json.load(open(__import__("os").environ["NET_TOP"] + "/config.json.example"))
c["process"]["args"] = ["sh", "-c", script]
for kind in ("prestart", "poststop"):
    for h in c["hooks"][kind]:
        assert h["args"][1:3] == ["net", "hook"]
        h["path"] = mr
        h["args"] = [h["args"][0], "--root", root] + h["args"][1:] + extra
json.dump(c, open(out, "w"), indent="\t")
PY
}

# netns_bundle DIR SCRIPT NETNS: config-netns.json.example with its path set to NETNS.
netns_bundle() {
	mkdir -p "$1"
	cp -al "$T/rootfs" "$1/rootfs"
	python3 - "$1/config.json" "$2" "$3" <<'PY'
import json, sys
out, script, ns = sys.argv[1:4]
c = json.load(open(__import__("os").environ["NET_TOP"] + "/config-netns.json.example"))
c["process"]["args"] = ["sh", "-c", script]
for n in c["linux"]["namespaces"]:
    if n["type"] == "network":
        assert n["path"].startswith("/run/netns/")
        n["path"] = ns
json.dump(c, open(out, "w"), indent="\t")
PY
}

# run_ctr ID BUNDLE: run a container in the host netns $H (its new netns is born there).
run_ctr() {
	timeout 30 nsenter --net="/run/netns/$H" -- "$MINIRUNC" --root "$T/c" run -b "$2" "$1" \
		</dev/null
}

PROBE='ip -o -4 addr show; ip -o link show lo; ip route; nc -w 3 192.0.2.2 8080 </dev/null'

# rules_once BRIDGE: each of the bridge's three rules exactly once in $H.
rules_once() {
	local save
	save=$(ip netns exec "$H" iptables-save)
	echo "$save" | grep "minirunc:$1"
	[ "$(echo "$save" | grep -c -- "-A POSTROUTING .*minirunc:$1\" -j MASQUERADE")" = 1 ]
	[ "$(echo "$save" | grep -c -- "-A FORWARD -i $1 .*minirunc:$1\" -j ACCEPT")" = 1 ]
	[ "$(echo "$save" | grep -c -- "-A FORWARD -o $1 .*RELATED,ESTABLISHED.*minirunc:$1\" -j ACCEPT")" = 1 ]
}

# no_veths: no host end of any container left in $H.
no_veths() {
	! ip -n "$H" -o link show | grep -E ': mr[0-9a-f]{12}' || false
}

# no_leases: `net ls` shows its header only.
no_leases() {
	run mr net ls
	[ "$status" = 0 ]
	[ "${#lines[@]}" = 1 ]
}

# expect_error WORD CMD...: status 1, one line "minirunc: net ...", naming WORD.
expect_error() {
	local word=$1
	shift
	run "$@"
	echo "status $status: $output"
	[ "$status" = 1 ]
	[ "${#lines[@]}" = 1 ]
	[[ "$output" == "minirunc: net "* ]]
	echo "$output" | grep -qiE -- "$word"
}

# ---------------------------------------------------------------- tests

@test "hook form: eth0, lo, default route, and the upstream server reached through NAT" {
	server
	bundle "$T/b" "$PROBE"
	run run_ctr c1 "$T/b"
	echo "$output"
	[ "$status" = 0 ]
	echo "$output" | grep -E '^[0-9]+: eth0 +inet 10\.213\.0\.2/16 '
	echo "$output" | grep -E '^1: lo: <LOOPBACK,UP'
	echo "$output" | grep -x 'default via 10.213.0.1 dev eth0 *'
	echo "$output" | grep -x hello
	# MASQUERADE: the server saw the host's upstream address, not 10.213.0.2.
	[ "$(cat "$T/seen")" = 192.0.2.1 ]
	# poststop removed the container's part; the bridge's part stays.
	no_veths
	no_leases
	rules_once runc0
	[ "$(ip netns exec "$H" cat /proc/sys/net/ipv4/ip_forward)" = 1 ]
}

@test "path form: net create NAME, a container naming /run/netns/NAME, net delete NAME" {
	local ns=mr-p-$SFX
	EXTRA_NETNS+=("$ns")
	server
	run mr net create "$ns"
	echo "$output"
	[ "$status" = 0 ]
	[ -e "/run/netns/$ns" ]
	run mr net ls
	echo "$output" | grep -E "^$ns +10\.213\.0\.2 +mr[0-9a-f]{12} +runc0$"
	netns_bundle "$T/b" "$PROBE" "/run/netns/$ns"
	run run_ctr c1 "$T/b"
	echo "$output"
	[ "$status" = 0 ]
	echo "$output" | grep -E '^[0-9]+: eth0 +inet 10\.213\.0\.2/16 '
	echo "$output" | grep -x 'default via 10.213.0.1 dev eth0 *'
	echo "$output" | grep -x hello
	[ "$(cat "$T/seen")" = 192.0.2.1 ]
	run mr net delete "$ns"
	[ "$status" = 0 ]
	[ ! -e "/run/netns/$ns" ]
	! grep -q " /run/netns/$ns " /proc/self/mounts || false
	no_veths
	no_leases
	rules_once runc0
}

@test "two containers on one bridge reach each other" {
	# The example's rootfs is read-only: a's listener prints what it gets on its stdout.
	bundle "$T/a" 'nc -l -p 7000' \
		--ip 10.213.0.10/16
	# a's listener may not be up yet on a loaded machine: b retries until it connects.
	bundle "$T/b" 'for i in $(seq 50); do echo ping-from-b | nc -w 3 10.213.0.10 7000 && exit 0; sleep 0.2; done; exit 1' \
		--ip 10.213.0.11/16
	run_ctr a "$T/a" >"$T/a.out" 2>&1 3>&- &
	PIDS+=($!)
	local apid=$!
	for _ in $(seq 50); do
		mr net ls | grep -q '^a ' && break
		sleep 0.1
	done
	sleep 0.5
	run run_ctr b "$T/b"
	echo "$output"
	[ "$status" = 0 ]
	wait "$apid"
	cat "$T/a.out"
	grep -x ping-from-b "$T/a.out"
	no_veths
	no_leases
}

@test "20 containers started at once get 20 distinct addresses, all reachable; nothing left" {
	server
	bundle "$T/b" "$PROBE"
	local i pids=()
	for i in $(seq 20); do
		run_ctr "c$i" "$T/b" >"$T/c$i.out" 2>&1 3>&- &
		pids+=($!)
		PIDS+=($!)
	done
	local fail=0
	for i in "${!pids[@]}"; do wait "${pids[$i]}" || fail=1; done
	cat "$T"/c*.out
	[ "$fail" = 0 ]
	local addrs
	addrs=$(grep -hoE 'eth0 +inet 10\.213\.[0-9]+\.[0-9]+' "$T"/c*.out | awk '{print $3}' | sort -u)
	[ "$(echo "$addrs" | wc -l)" = 20 ]
	[ "$(grep -hx hello "$T"/c*.out | wc -l)" = 20 ]
	[ "$(wc -l <"$T/seen")" = 20 ]
	[ "$(sort -u "$T/seen")" = 192.0.2.1 ]
	no_veths
	no_leases
	rules_once runc0
}

@test "creating twice never duplicates a rule or an address" {
	local a=mr-p-$SFX-a b=mr-p-$SFX-b
	EXTRA_NETNS+=("$a" "$b")
	mr net create "$a"
	mr net create "$b"
	rules_once runc0
	[ "$(ip -n "$H" -o -4 addr show dev runc0 | wc -l)" = 1 ]
	ip -n "$H" -o -4 addr show dev runc0 | grep -F ' 10.213.0.1/16 '
	mr net delete "$a"
	mr net create "$a"
	rules_once runc0
	[ "$(ip -n "$H" -o -4 addr show dev runc0 | wc -l)" = 1 ]
	# The same NAME twice is refused, and changes nothing.
	expect_error "exists already" mr net create "$a"
	[ "$(mr net ls | grep -c "^$a ")" = 1 ]
	mr net delete "$a"
	mr net delete "$b"
	no_veths
	no_leases
	rules_once runc0
	# reset takes the bridge and its rules away; a second reset is harmless.
	mr net reset --bridge runc0
	! ip -n "$H" link show runc0 || false
	! ip netns exec "$H" iptables-save | grep -q minirunc || false
	mr net reset --bridge runc0
}

@test "failure: an address already taken (and nothing left of the second)" {
	local a=mr-p-$SFX-a b=mr-p-$SFX-b
	EXTRA_NETNS+=("$a" "$b")
	mr net create "$a" --ip 10.213.0.50/16
	expect_error "10.213.0.50 is already taken by container $a" \
		mr net create "$b" --ip 10.213.0.50/16
	[ ! -e "/run/netns/$b" ]
	[ "$(ip -n "$H" -o link show | grep -cE ': mr[0-9a-f]{12}')" = 1 ]
	[ "$(mr net ls | wc -l)" = 2 ]
	# reset refuses while a lease is in use
	expect_error "in use by 1 container" mr net reset --bridge runc0
	mr net delete "$a"
	no_veths
	no_leases
}

@test "failure: a subnet exhausted (/29 holds five containers)" {
	local i
	for i in 1 2 3 4 5; do
		EXTRA_NETNS+=("mr-p-$SFX-$i")
		mr net create "mr-p-$SFX-$i" --bridge mrb29 --subnet 10.214.0.0/29
	done
	EXTRA_NETNS+=("mr-p-$SFX-6")
	expect_error "no free address left in 10.214.0.0/29" \
		mr net create "mr-p-$SFX-6" --bridge mrb29 --subnet 10.214.0.0/29
	[ ! -e "/run/netns/mr-p-$SFX-6" ]
	[ "$(ip -n "$H" -o link show | grep -cE ': mr[0-9a-f]{12}')" = 5 ]
	for i in 1 2 3 4 5; do mr net delete "mr-p-$SFX-$i"; done
	no_veths
	no_leases
	rules_once mrb29
}

@test "failure: /31 and /32 subnets are refused" {
	EXTRA_NETNS+=("mr-p-$SFX")
	expect_error "/31" mr net create "mr-p-$SFX" --subnet 10.214.0.0/31
	expect_error "/32" mr net create "mr-p-$SFX" --subnet 10.214.0.0/32
	[ ! -e "/run/netns/mr-p-$SFX" ]
	! ip -n "$H" link show runc0 || false
}

@test "failure: a bridge that exists with another address" {
	EXTRA_NETNS+=("mr-p-$SFX")
	ip -n "$H" link add runc0 type bridge
	ip -n "$H" addr add 10.9.0.1/24 dev runc0
	expect_error "runc0 already has the address 10.9.0.1/24" mr net create "mr-p-$SFX"
	[ ! -e "/run/netns/mr-p-$SFX" ]
	no_veths
	no_leases
	[ "$(ip -n "$H" -o -4 addr show dev runc0 | wc -l)" = 1 ]
	! ip netns exec "$H" iptables-save | grep -q minirunc || false
}

@test "failure: no iptables binary" {
	EXTRA_NETNS+=("mr-p-$SFX")
	expect_error "/nonexistent" mr net create "mr-p-$SFX" --iptables /nonexistent
	[ ! -e "/run/netns/mr-p-$SFX" ]
	! ip -n "$H" link show runc0 || false
	no_leases
}

@test "failure: names too long for the kernel (IFNAMSIZ)" {
	EXTRA_NETNS+=("mr-p-$SFX")
	expect_error "invalid interface name \"averyverylongbridge\"" \
		mr net create "mr-p-$SFX" --bridge averyverylongbridge
	expect_error "invalid interface name" mr net create "mr-p-$SFX" --ifname eth0-far-too-long
	expect_error "invalid interface name" mr net create "mr-p-$SFX" --uplink 'eth 0'
	[ ! -e "/run/netns/mr-p-$SFX" ]
	! ip -n "$H" link show runc0 || false
}

@test "failure: the container died before the hook ran" {
	sleep 0 &
	local dead=$!
	wait "$dead"
	expect_error "container process $dead is gone" sh -c \
		"echo '{\"ociVersion\":\"1.0.2\",\"id\":\"gone\",\"pid\":$dead,\"status\":\"created\"}' |
		 timeout 30 nsenter --net=/run/netns/$H -- $MINIRUNC --root $R net hook"
	no_veths
	no_leases
	! ip -n "$H" link show runc0 || false
}

@test "failure after the veth exists rolls back: veth deleted, lease released" {
	# A "container" netns that already has a default route: the last step fails.
	local c=mr-c-$SFX
	EXTRA_NETNS+=("$c")
	ip netns add "$c"
	ip -n "$c" link add d0 type veth peer name d1
	ip -n "$c" addr add 198.51.100.2/24 dev d0
	ip -n "$c" link set d0 up
	ip -n "$c" link set d1 up
	ip -n "$c" route add default via 198.51.100.1
	ip netns exec "$c" sleep 30 3>&- &
	PIDS+=($!)
	local pid=$!
	expect_error "File exists" sh -c \
		"echo '{\"ociVersion\":\"1.0.2\",\"id\":\"rb\",\"pid\":$pid,\"status\":\"created\"}' |
		 timeout 30 nsenter --net=/run/netns/$H -- $MINIRUNC --root $R net hook"
	no_veths
	no_leases
	! ip -n "$c" link show eth0 || false
	# The bridge, its address and its rules were made by this hook for nobody else: gone too.
	! ip -n "$H" link show runc0 || false
	! ip netns exec "$H" iptables-save | grep -q minirunc || false
	kill "$pid"
	ip netns delete "$c"
}

@test "a container without a network namespace of its own is refused by the hook" {
	# A process in $H itself: the hook must refuse to wire the runtime's own netns.
	nsenter --net="/run/netns/$H" -- sleep 30 3>&- &
	PIDS+=($!)
	local pid=$!
	expect_error "shares the runtime's network namespace" sh -c \
		"echo '{\"ociVersion\":\"1.0.2\",\"id\":\"x\",\"pid\":$pid,\"status\":\"created\"}' |
		 nsenter --net=/run/netns/$H -- $MINIRUNC --root $R net hook"
	no_leases
}

# normalise < `ip -o ...`: drop indexes, MACs, peer indexes and netns names, lifetimes,
# link-local v6 (random per link), and the broadcast address: minirunc sends IFA_BROADCAST
# (what `ip addr add ... brd +` does), the seed's `ip addr add IP/16` leaves it out.
normalise() {
	sed -E -e 's/^[0-9]+: //' -e 's/@if[0-9]+//' -e 's/ link-netns [^ ]+//' \
		-e 's/link\/ether [0-9a-f:]+ brd [0-9a-f:]+//' -e 's/ brd [0-9.]+//' \
		-e 's/ (valid|preferred)_lft [a-z0-9]+//g' -e 's/\\ +/ /g' -e 's/ +/ /g' \
		-e 's/ (qlen|group|mode|qdisc|state) [A-Za-z0-9_]+//g' -e 's/ +$//' |
		grep -v 'inet6 fe80' | sort
}

# world NETNS: what a netns looks like, normalised.
world() {
	{
		ip -n "$1" -o link show | normalise
		ip -n "$1" -o addr show | normalise
		ip -n "$1" route show | sed -E 's/ +/ /g; s/ proto kernel//; s/ $//' | sort
	} | grep -v -e up0 -e 192.0.2.
}

rules_of() {
	ip netns exec "$1" iptables-save | grep -v '^#' | sed -E 's/\[[0-9]+:[0-9]+\]//' | sort
}

@test "parity: the seed's recipe with ip(8) and iptables(8) gives what minirunc makes" {
	local ns=mr-p-$SFX S=mr-s-$SFX SC=mr-sc-$SFX veth
	EXTRA_NETNS+=("$ns" "$S" "$SC")
	mr net create "$ns"
	veth=$(mr net ls | awk -v n="$ns" '$1 == n { print $3 }')
	# The seed (steps 1-4), typed by hand in a second host netns $S, with minirunc's names,
	# private addresses and NETWORK.md's rules.  One addition: lo up in the container netns,
	# which `net create` does (a container expects a working localhost; `ip netns add` leaves
	# lo down).
	ip netns add "$S"
	ip netns add "$SC"
	ip -n "$S" link set lo up
	ip -n "$S" link add runc0 type bridge
	ip -n "$S" link set runc0 up
	ip -n "$S" addr add 10.213.0.1/16 dev runc0
	ip -n "$S" link add name "$veth" type veth peer name veth-guest
	ip -n "$S" link set "$veth" up
	ip -n "$S" link set "$veth" master runc0
	ip -n "$S" link set veth-guest netns "$SC"
	ip -n "$SC" link set veth-guest name eth0
	ip -n "$SC" addr add 10.213.0.2/16 dev eth0
	ip -n "$SC" link set eth0 up
	ip -n "$SC" link set lo up
	ip -n "$SC" route add default via 10.213.0.1
	ip netns exec "$S" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
	ip netns exec "$S" iptables -t nat -I POSTROUTING -s 10.213.0.0/16 ! -o runc0 \
		-m comment --comment minirunc:runc0 -j MASQUERADE
	ip netns exec "$S" iptables -I FORWARD -i runc0 -m comment --comment minirunc:runc0 -j ACCEPT
	ip netns exec "$S" iptables -I FORWARD -o runc0 -m conntrack --ctstate RELATED,ESTABLISHED \
		-m comment --comment minirunc:runc0 -j ACCEPT
	# $H's upstream link (up0, 192.0.2.0/24) is this suite's, not the recipe's: left out.
	world "$S" >"$T/seed.host"
	world "$H" >"$T/mr.host"
	world "$SC" >"$T/seed.ctr"
	world "$ns" >"$T/mr.ctr"
	rules_of "$S" >"$T/seed.rules"
	rules_of "$H" >"$T/mr.rules"
	diff -u "$T/seed.host" "$T/mr.host"
	diff -u "$T/seed.ctr" "$T/mr.ctr"
	diff -u "$T/seed.rules" "$T/mr.rules"
	[ "$(ip netns exec "$H" cat /proc/sys/net/ipv4/ip_forward)" = 1 ]
	mr net delete "$ns"
	ip netns delete "$S"
	ip netns delete "$SC"
}

# ---------------------------------------------------------------- issue 10: 2 and 3

# hsnap FILE: what `net create` could leave in $H: links, addresses, routes, rules, netns
# files, and this test's records.
hsnap() {
	{
		world "$H"
		rules_of "$H" | grep -- '^-A' || : # a table -C loaded shows up empty: not a change
		ls /run/netns
		find "$R" 2>/dev/null | sort
	} >"$1"
}

# refused WORD ARGS...: `net create` with ARGS fails with one line naming WORD, and $H is as it
# was before.
refused() {
	local word=$1 n=mr-p-$SFX
	shift
	EXTRA_NETNS+=("$n")
	hsnap "$T/before"
	expect_error "$word" mr net create "$n" "$@"
	hsnap "$T/after"
	diff -u "$T/before" "$T/after"
}

@test "net create: interface names iptables could misread, or the kernel refuses: nothing made" {
	local opt name
	for opt in --bridge --ifname --uplink; do
		for name in -F '-j' 'a b' 'a/b' 'a:b' 'tab	x' . ''; do
			echo "$opt '$name'"
			refused 'invalid interface name' "$opt" "$name"
		done
	done
}

@test "net create: loopback, multicast, 0/8, reserved, broadcast and host-bit subnets: nothing made" {
	refused '224.0.0.0/4 \(multicast\)' --subnet 224.1.0.0/16
	refused '224.0.0.0/4' --subnet 239.255.0.0/24
	refused '0.0.0.0/8' --subnet 0.1.0.0/16
	refused '127.0.0.0/8 \(loopback\)' --subnet 127.5.0.0/16
	refused '240.0.0.0/4' --subnet 240.0.0.0/8
	refused 'broadcast' --subnet 255.255.255.0/24
	refused '0.0.0.0/8' --subnet 0.0.0.0/1
	refused '/31' --subnet 10.214.0.0/31
	refused 'host bits set \(the network address is 10.213.0.0\)' --subnet 10.213.0.5/16
	refused 'host bits set' --subnet 10.214.0.1/30
	refused 'not a container address' --subnet 10.214.0.0/16 --ip 10.215.0.5/16
	refused 'not a container address' --subnet 10.214.0.0/16 --ip 10.214.255.255/16
}

@test "net create: a subnet overlapping an address of the host netns, or a missing --uplink: nothing made" {
	# up0 has 192.0.2.1/24 in $H.
	refused 'overlaps 192.0.2.1/24 on up0' --subnet 192.0.2.0/24
	refused 'overlaps 192.0.2.1/24 on up0' --subnet 192.0.0.0/16
	refused 'overlaps 192.0.2.1/24 on up0' --subnet 192.0.2.128/25
	refused 'uplink nosuch0: no such interface' --uplink nosuch0
	# A link of the bridge's name that is not a bridge.
	ip -n "$H" link add runc0 type veth peer name runc0p
	refused 'runc0: a link of that name exists and is a veth, not a bridge'
	ip -n "$H" link del runc0
	# The uplink named and present is fine.
	EXTRA_NETNS+=("mr-p-$SFX-ok")
	mr net create "mr-p-$SFX-ok" --uplink up0
	mr net delete "mr-p-$SFX-ok"
	mr net reset --bridge runc0
}

@test "net create: iptables failing after the bridge exists rolls everything back" {
	# The first rule goes in for real, the second insert fails (status 4, "resource problem"):
	# bridge, gateway address, the first rule, the netns and the records must all go.
	cat >"$T/ipt" <<EOF
#!/bin/sh
case " \$* " in
*" -I "*) [ -e "$T/ipt.once" ] && { echo "fake: out of resources" >&2; exit 4; }
	touch "$T/ipt.once" ;;
esac
exec /usr/sbin/iptables "\$@"
EOF
	chmod 755 "$T/ipt"
	refused 'status 4|resource' --iptables "$T/ipt"
	[ -e "$T/ipt.once" ]
	! ip -n "$H" link show runc0 || false
}

@test "net reset --bridge NAME: a foreign veth and a foreign bridge of that name survive, exit 1" {
	ip -n "$H" link add runc0 type veth peer name runc0p
	expect_error 'runc0: the link of that name is a veth, not the bridge minirunc made' \
		mr net reset --bridge runc0
	ip -n "$H" link show runc0
	ip -n "$H" link show runc0p
	ip -n "$H" link add mrfb type bridge
	expect_error 'mrfb: no record .* that minirunc made or used it' mr net reset --bridge mrfb
	ip -n "$H" link show mrfb
	# The same with a record of minirunc's own bridge, after the bridge was replaced by
	# someone else's of the same name: another ifindex.
	EXTRA_NETNS+=("mr-p-$SFX")
	mr net create "mr-p-$SFX" --bridge mrb2 --subnet 10.214.0.0/24
	mr net delete "mr-p-$SFX"
	ip -n "$H" link del mrb2
	ip -n "$H" link add mrb2 type bridge
	expect_error 'mrb2: ifindex [0-9]+, not [0-9]+ as minirunc made it' mr net reset --bridge mrb2
	ip -n "$H" link show mrb2
}

@test "net reset of a bridge net create found and reused: the bridge stays, minirunc's parts go" {
	local n=mr-p-$SFX
	EXTRA_NETNS+=("$n")
	ip -n "$H" link add runc0 type bridge
	ip -n "$H" link set runc0 up
	mr net create "$n"
	ip -n "$H" -o -4 addr show dev runc0 | grep -F ' 10.213.0.1/16 '
	mr net delete "$n"
	expect_error 'bridge runc0 left in place: it existed before minirunc used it' \
		mr net reset --bridge runc0
	ip -n "$H" link show runc0
	[ -z "$(ip -n "$H" -o -4 addr show dev runc0)" ]
	! ip netns exec "$H" iptables-save | grep -q minirunc || false
	[ ! -e "$R/net/runc0" ]
	# Without a record now: still not minirunc's to delete.
	expect_error 'no record' mr net reset --bridge runc0
	ip -n "$H" link show runc0
}

@test "net delete and the poststop hook delete only the veth minirunc made" {
	local n=mr-p-$SFX veth
	EXTRA_NETNS+=("$n")
	mr net create "$n"
	veth=$(mr net ls | awk -v n="$n" '$1 == n { print $3 }')
	[ -n "$veth" ]
	# Someone else's link under the recorded name: a bridge, then a veth on no bridge.
	ip -n "$H" link del "$veth"
	ip -n "$H" link add "$veth" type bridge
	expect_error "veth $veth: the link of that name is a bridge, not the veth minirunc made" \
		mr net delete "$n"
	ip -n "$H" link show "$veth"
	expect_error "veth $veth: the link of that name is a bridge" sh -c \
		"echo '{\"ociVersion\":\"1.0.2\",\"id\":\"$n\",\"status\":\"stopped\"}' |
		 timeout 30 nsenter --net=/run/netns/$H -- $MINIRUNC --root $R net hook"
	ip -n "$H" link del "$veth"
	ip -n "$H" link add "$veth" type veth peer name "${veth}p"
	expect_error "veth $veth: not a port of bridge runc0" mr net delete "$n"
	ip -n "$H" link show "$veth"
	[ "$(mr net ls | grep -c "^$n ")" = 1 ]
	# Once the name is free again, the lease and the netns go.
	ip -n "$H" link del "$veth"
	mr net delete "$n"
	no_leases
}

@test "net hook: state on stdin as large as create accepts (annotations near the cap)" {
	# The teardown form reads it all: a state the runtime could hand a hook.
	python3 -c '
import json
print(json.dumps({"ociVersion": "1.0.2", "id": "big", "status": "stopped",
                  "annotations": {"a": "x" * 2000000}}))' >"$T/state.json"
	[ "$(stat -c %s "$T/state.json")" -gt $((1 << 20)) ]
	timeout 30 nsenter --net="/run/netns/$H" -- "$MINIRUNC" --root "$R" net hook <"$T/state.json"
}
