#!/bin/sh
# guests: all
# smoke-run: `minirunc run` of `minirunc spec`'s default bundle with busybox: the namespaces
# of runc spec's default are new, the network namespace has lo, up, and nothing else, the
# hostname is the spec's, and the container's exit status is run's.
. "$VM_LIB"

bundle "$T/b" sh -c 'ip -o link show; hostname; for n in pid net ipc uts mnt; do
	echo "ns $n $(readlink /proc/self/ns/$n)"; done'
check "run prints what the container saw" sh -c "mr run -b '$T/b' r1 >'$T/out' 2>'$T/err' </dev/null"
cat "$T/out" >&2
check "only one link" test "$(grep -c ': <' "$T/out")" = 1
check "that link is lo, up" grep -Eq '^1: lo: <LOOPBACK,UP' "$T/out"
check "the spec's hostname" grep -qx runc "$T/out"
for n in pid net ipc uts mnt; do
	inside=$(sed -n "s/^ns $n //p" "$T/out")
	check "new $n namespace ($inside)" sh -c "[ -n '$inside' ] &&
		[ '$inside' != '$(readlink /proc/self/ns/$n)' ]"
done

bundle "$T/x" sh -c 'exit 7'
mr run -b "$T/x" r2 </dev/null >&2 2>&1
check "run's exit status is the container's (7)" test $? = 7
# The container's pid 1 cannot SIGKILL itself (the kernel ignores it from inside): kill it.
bundle "$T/k" sleep 600
mr run -b "$T/k" r3 </dev/null >&2 2>&1 &
rpid=$!
i=0
while ! mr state r3 2>/dev/null | grep -q '"running"' && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
mr kill r3 KILL
wait $rpid
check "killed by SIGKILL: run's exit status 137" test $? = 137
check "run left no state" test -z "$(mr list -q)"
done_testing
