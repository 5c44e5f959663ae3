#!/bin/sh
# guests: all
# smoke-network: the seed's bridge network in its hook form (`minirunc net hook` as prestart
# and poststop, as config.json.example has it) with --no-nat (the guest has no iptables), two
# containers on the bridge in the guest's own network namespace, one talking to the other.
# Then `net reset` removes the bridge: nothing left behind.
. "$VM_LIB"

# net_bundle DIR IP ARG...: a bundle whose hooks wire it to runc0 with address IP.
net_bundle() {
	_d=$1 _ip=$2
	shift 2
	bundle "$_d" "$@"
	_h="{\"path\": \"$MINIRUNC\", \"args\": [\"minirunc\", \"--root\", \"$T/state\", \"net\","
	_h="$_h \"hook\", \"--no-nat\", \"--ip\", \"$_ip/16\"], \"timeout\": 30}"
	add_hooks "$_d" "{\"prestart\": [$_h], \"poststop\": [$_h]}"
}

net_bundle "$T/a" 10.213.0.10 sh -c 'ip -o -4 addr show eth0; ip route; nc -l -p 7000'
net_bundle "$T/b" 10.213.0.11 sh -c 'echo ping-from-b | nc -w 5 10.213.0.10 7000'
mr run -b "$T/a" a </dev/null >"$T/a.out" 2>&1 &
apid=$!
# Wait until a listens on 7000 (0x1B58) in its own network namespace (busybox nc listens on
# an IPv6 socket, which takes IPv4 too: tcp6).
i=0 up=no
while [ $i -lt 100 ]; do
	pid=$(mr state a 2>/dev/null | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
	[ -n "$pid" ] && nsenter -t "$pid" -n cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		grep -Eq ':1B58 0+:0000 0A' && up=yes && break
	sleep 0.1
	i=$((i + 1))
done
check "a listens on 10.213.0.10:7000" test $up = yes
check "b runs and sends" sh -c "mr run -b '$T/b' b </dev/null >&2"
wait $apid
check "a exits 0" test $? = 0
cat "$T/a.out" >&2
check "a got eth0 with 10.213.0.10/16" grep -Eq 'eth0 +inet 10\.213\.0\.10/16' "$T/a.out"
check "a's default route via 10.213.0.1" grep -q '^default via 10.213.0.1 dev eth0' "$T/a.out"
check "a received b's line" grep -qx ping-from-b "$T/a.out"
check "the bridge runc0 has 10.213.0.1" sh -c "ip -o -4 addr show runc0 | grep -q 10.213.0.1/16"
check "poststop removed both veths" sh -c "! ip -o link show | grep -E ': mr[0-9a-f]{12}'"
check "no lease left" test "$(mr net ls | wc -l)" = 1
check "net reset --bridge runc0" mr net reset --bridge runc0
check "the bridge is gone" sh -c '! ip link show runc0 2>/dev/null'
done_testing
