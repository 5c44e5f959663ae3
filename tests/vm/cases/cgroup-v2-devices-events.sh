#!/bin/sh
# guests: x86_64-v2
# timeout: 120
# Pure cgroup v2: the device rules as the eBPF program minirunc generates (the host's /dev
# bound in: /dev/null opens, a serial port and the console are refused, the port opens once a
# rule allows it);
# `events --stats` reads the container's own cgroup; a memory limit ends in an OOM kill that
# `events` reports with runc's line, and `events` ends when the container's last process is gone.
. "$VM_LIB"

# with_resources DIR JSON_MEMBERS: members added to linux.resources.
with_resources() {
	sed -i "s|\"resources\": {|\"resources\": {$2,|" "$1/config.json"
}

# ([ -c ] first: <> would make a plain file where there is no node)
bundle "$T/d" sh -c 'for d in null zero urandom ttyS1 console; do
	if [ -c /hostdev/$d ]; then (exec 3<>/hostdev/$d) 2>&1 && echo "$d opens"
	else echo "$d: no such node"; fi; done; exit 0'
sed -i 's|"mounts": \[|"mounts": [{"destination": "/hostdev", "type": "bind", "source": "/dev", "options": ["rbind"]},|' \
	"$T/d/config.json"
check "run with the host's /dev bound in" sh -c "mr run -b '$T/d' d1 >'$T/d.out' 2>&1 </dev/null"
cat "$T/d.out" >&2
check "/dev/null, /dev/zero, /dev/urandom open (runc's default list)" \
	sh -c "grep -qx 'null opens' '$T/d.out' && grep -qx 'zero opens' '$T/d.out' &&
		grep -qx 'urandom opens' '$T/d.out'"
check "/dev/ttyS1 is refused: Operation not permitted" \
	grep -qx "sh: can't create /hostdev/ttyS1: Operation not permitted" "$T/d.out"
check "/dev/console (5:1, not in runc's list) is refused" \
	grep -qx "sh: can't create /hostdev/console: Operation not permitted" "$T/d.out"
# after the default's deny-all rule (its one "access" line), an allow for c 4:*
sed -i 's|"access": "rwm"$|"access": "rwm"}, {"allow": true, "type": "c", "major": 4, "access": "rw"|' \
	"$T/d/config.json"
check "run with c 4:* rw allowed too" sh -c "mr run -b '$T/d' d2 >'$T/d2.out' 2>&1 </dev/null"
cat "$T/d2.out" >&2
check "/dev/ttyS1 opens once a rule allows it" grep -qx "ttyS1 opens" "$T/d2.out"
check "and /dev/console stays refused" \
	grep -qx "sh: can't create /hostdev/console: Operation not permitted" "$T/d2.out"

bundle "$T/e" sh -c 'sleep 100 & exec sleep 100'
with_resources "$T/e" '"memory": {"limit": 67108864}, "pids": {"limit": 50}'
check "run -d a container with a memory and a pids limit" mr run -d -b "$T/e" e1
i=0
until mr events --stats e1 >"$T/e.json" && grep -q '"pids":{"current":2,' "$T/e.json" ||
	[ $i -ge 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
cat "$T/e.json" >&2
check "events --stats: one line of runc's JSON" grep -q '^{"type":"stats","id":"e1","data":{"cpu":{' "$T/e.json"
check "pids.current counts the container's two processes, limit 50" \
	grep -q '"pids":{"current":2,"limit":50}' "$T/e.json"
check "memory.usage.limit is the config's" grep -q '"memory":{[^}]*"usage":{"limit":67108864,' "$T/e.json"
check "delete -f" mr delete -f e1

bundle "$T/o" sh -c 'sleep 1; dd if=/dev/zero of=/dev/null bs=64M count=1; sleep 1'
ln -s busybox "$T/o/rootfs/bin/dd"
with_resources "$T/o" '"memory": {"limit": 16777216}'
check "run -d a container that will outgrow its 16 MiB" mr run -d -b "$T/o" o1
timeout 30 "$MINIRUNC" --root "$T/state" events --interval 500ms o1 >"$T/o.events" 2>"$T/o.err"
rc=$?
cat "$T/o.events" "$T/o.err" >&2
check "events reports the OOM kill" grep -qx '{"type":"oom","id":"o1"}' "$T/o.events"
check "events ended by itself when the last process was gone (status 0)" test "$rc" = 0
check "delete" mr delete o1
done_testing
