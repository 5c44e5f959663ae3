#!/bin/sh
# guests: all
# smoke-lifecycle: create, state, start, exec (output and exit status), kill, delete.
. "$VM_LIB"

# status ID: the "status" of `minirunc state ID`.
status() { mr state "$1" | sed -n 's/.*"status": *"\([a-z]*\)".*/\1/p'; }

bundle "$T/b" sleep 600
check "create" sh -c "mr create -b '$T/b' c1 </dev/null >'$T/c1.out' 2>&1"
check "state: created" test "$(status c1)" = created
pid=$(mr state c1 | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
check "state: the init's pid is alive" kill -0 "$pid"
check "start" mr start c1
check "state: running" test "$(status c1)" = running
check "exec prints" test "$(mr exec c1 hostname </dev/null)" = runc
mr exec c1 sh -c 'exit 5' </dev/null
check "exec's exit status (5)" test $? = 5
check "exec runs in the container's pid namespace" \
	test "$(mr exec c1 readlink /proc/self/ns/pid </dev/null)" = "$(readlink /proc/$pid/ns/pid)"
check "list shows it" sh -c "mr list -q | grep -qx c1"
check "kill KILL" mr kill c1 KILL
i=0
while [ "$(status c1)" != stopped ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "state: stopped" test "$(status c1)" = stopped
check "delete" mr delete c1
check "state after delete fails" sh -c '! mr state c1 2>/dev/null'
check "the init is gone" sh -c "! kill -0 $pid 2>/dev/null"

check "create again" sh -c "mr create -b '$T/b' c2 </dev/null >/dev/null 2>&1"
check "delete --force of a created container" mr delete --force c2
check "no state left" test -z "$(mr list -q)"
done_testing
