#!/bin/sh
# guests: x86_64-v2
# timeout: 180
# cgroups-v2: on a pure cgroup v2 host, the container's one directory placed as runc places it,
# every resource written with runc's v1->v2 conversions and enforced (pids, memory OOM),
# unified keys, pause/resume through cgroup.freeze, kill --all through cgroup.kill, update,
# ps, a cgroup namespace, v1-only fields refused, and nothing left after delete.
. "$VM_LIB"

CG=/sys/fs/cgroup
status() { mr state "$1" | sed -n 's/.*"status": *"\([a-z]*\)".*/\1/p'; }
pid_of() { mr state "$1" | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p'; }
wait_status() {
	_i=0
	while [ "$(status "$1")" != "$2" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
	[ "$(status "$1")" = "$2" ]
}

# set_res DIR CGROUPS_PATH RESOURCES_JSON: the default's resources replaced (strict JSON: no
# duplicate key), cgroupsPath set unless empty.
set_res() {
	# the lines this function wrote before (one line each), then the default's block
	sed -i '/^\t\t"cgroupsPath": /d; /^\t\t"resources": {.*},$/d' "$1/config.json"
	sed -i '/^\t\t"resources": {$/,/^\t\t},$/d' "$1/config.json"
	_p=""
	[ -n "$2" ] && _p="\"cgroupsPath\": \"$2\", "
	_r=$(printf '%s' "$3" | tr '\n\t' '  ' | sed 's/[\\&|]/\\&/g')
	sed -i "s|^\t\"linux\": {\$|\t\"linux\": {\n\t\t$_p\"resources\": $_r,|" "$1/config.json"
}

# ---- placement ---------------------------------------------------------------------------
bundle "$T/b" sleep 600
check "create with no cgroupsPath" mr create -b "$T/b" c1
# runc (fs2/defaultpath.go): a relative path goes under the parent of our own cgroup
own=$(sed -n 's/^0:://p' /proc/self/cgroup)
parent=$(dirname "$own")
want=$(echo "$parent/c1" | sed 's|^//|/|')
check "the init is in <parent of ours>/c1 ($want)" \
	test "$(sed -n 's/^0:://p' /proc/"$(pid_of c1)"/cgroup)" = "$want"
check "its directory exists" test -d "$CG$want"
check "delete removes it" sh -c "mr delete c1 && ! test -d '$CG$want'"

set_res "$T/b" "/mr-abs/c2" '{"pids": {"limit": 10}}'
check "create with an absolute cgroupsPath" mr create -b "$T/b" c2
check "the init is in /mr-abs/c2" test "$(sed -n 's/^0:://p' /proc/"$(pid_of c2)"/cgroup)" = /mr-abs/c2
check "the parent hands its controllers down" grep -qw pids $CG/mr-abs/cgroup.subtree_control
check "pids.max 10" test "$(cat $CG/mr-abs/c2/pids.max)" = 10
check "delete removes every level it made" sh -c "mr delete c2 && ! test -d $CG/mr-abs"

# ---- every resource, with runc's conversions ------------------------------------------------
set_res "$T/b" "/mr-res" '{"memory": {"limit": 33554432, "reservation": 16777216, "swap": 67108864},
	"cpu": {"shares": 1024, "quota": 50000, "period": 100000, "cpus": "0", "mems": "0",
		"idle": 0, "burst": 1000},
	"pids": {"limit": 64}, "blockIO": {"weight": 500},
	"unified": {"memory.high": "31457280"}}'
check "create with every resource" sh -c "mr create -b '$T/b' c3 2>'$T/c3.err' || { cat '$T/c3.err'; false; }"
d=$CG/mr-res
check "memory.max = limit" test "$(cat $d/memory.max)" = 33554432
check "memory.low = reservation" test "$(cat $d/memory.low)" = 16777216
check "memory.swap.max = swap - limit (runc: ConvertMemorySwapToCgroupV2Value)" \
	test "$(cat $d/memory.swap.max)" = 33554432
check "cpu.weight = 39 for 1024 shares (runc: ConvertCPUSharesToCgroupV2Value)" \
	test "$(cat $d/cpu.weight)" = 39
check "cpu.max = quota period" test "$(cat $d/cpu.max)" = "50000 100000"
check "cpu.max.burst" test "$(cat $d/cpu.max.burst)" = 1000
check "cpuset.cpus" test "$(cat $d/cpuset.cpus)" = 0
check "pids.max" test "$(cat $d/pids.max)" = 64
if [ -e $d/io.bfq.weight ]; then
	check "io.bfq.weight = blkio weight" sh -c "grep -q '500' $d/io.bfq.weight"
elif [ -e $d/io.weight ]; then
	check "io.weight = 4950 for 500 (runc: ConvertBlkIOToIOWeightValue)" \
		sh -c "grep -q 'default 4950' $d/io.weight"
fi
check "unified memory.high" test "$(cat $d/memory.high)" = 31457280
check "update --memory, --cpu-share, --pids-limit" mr update --memory 64m --memory-swap 96m \
	--cpu-share 512 --pids-limit 20 c3
check "memory.max after update" test "$(cat $d/memory.max)" = 67108864
check "memory.swap.max after update" test "$(cat $d/memory.swap.max)" = 33554432
check "cpu.weight after update (512 shares)" test "$(cat $d/cpu.weight)" = 20
check "pids.max after update" test "$(cat $d/pids.max)" = 20
check "update -r - (pids 30)" sh -c "echo '{\"pids\": {\"limit\": 30}}' | mr update -r - c3"
check "pids.max = 30" test "$(cat $d/pids.max)" = 30
check "ps --format json lists the init" test "$(mr ps --format json c3)" = "[$(pid_of c3)]"
check "delete" sh -c "mr delete c3 && ! test -d $d"

# ---- enforced --------------------------------------------------------------------------------
bundle "$T/f" sh -c 'sh -c "i=0; while [ \$i -lt 12 ]; do sleep 30 & i=\$((i+1)); done"; echo loop-ended; sleep 30'
set_res "$T/f" "/mr-fork" '{"pids": {"limit": 5}}'
mr run -d -b "$T/f" c4 >"$T/c4.out" 2>&1
i=0
while ! grep -q loop-ended "$T/c4.out" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check "a fork loop hits the pids limit" grep -q "can't fork" "$T/c4.out"
check "pids.current stays at most 5" test "$(cat $CG/mr-fork/pids.current)" -le 5
check "pids.events counts the refusals" sh -c "awk '\$1 == \"max\" && \$2 > 0' $CG/mr-fork/pids.events | grep -q ."
check "kill --all through cgroup.kill" mr kill --all c4 KILL
check "the cgroup empties" sh -c "i=0; while [ -n \"\$(cat $CG/mr-fork/cgroup.procs)\" ] && [ \$i -lt 100 ]; do sleep 0.05; i=\$((i+1)); done; test -z \"\$(cat $CG/mr-fork/cgroup.procs)\""
check "delete" mr delete c4

bundle "$T/m" sh -c 'dd if=/dev/zero of=/dev/null bs=64M count=1; echo dd=$?; sleep 30'
set_res "$T/m" "/mr-oom" '{"memory": {"limit": 16777216, "swap": 16777216}}'
mr run -d -b "$T/m" c5 >"$T/c5.out" 2>&1
i=0
while ! grep -q dd= "$T/c5.out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "a 64 MiB buffer under a 16 MiB limit: OOM-killed (137)" grep -qx dd=137 "$T/c5.out"
check "memory.events counts the OOM kill" sh -c "grep -qx 'oom_kill 1' $CG/mr-oom/memory.events"
check "memory.swap.max 0 (swap = limit: no swap)" test "$(cat $CG/mr-oom/memory.swap.max)" = 0
check "delete -f" mr delete -f c5

# ---- pause / resume -------------------------------------------------------------------------
bundle "$T/p" sh -c 'i=0; while true; do i=$((i+1)); echo $i; sleep 0.02; done'
mr run -d -b "$T/p" c6 >"$T/count" 2>&1
sleep 0.3
check "pause" mr pause c6
check "state: paused" test "$(status c6)" = paused
check "cgroup.events: frozen 1" grep -qx 'frozen 1' $CG/c6/cgroup.events
a=$(wc -l <"$T/count")
sleep 0.5
check "the counter stops while paused" test "$(wc -l <"$T/count")" = "$a"
check "resume" mr resume c6
check "state: running" test "$(status c6)" = running
sleep 0.5
check "the counter goes on" test "$(wc -l <"$T/count")" -gt "$a"
check "pause again, delete -f" sh -c "mr pause c6 && mr delete -f c6 && ! test -d $CG/c6"

# ---- a cgroup namespace ----------------------------------------------------------------------
bundle "$T/n" sh -c 'cat /proc/self/cgroup; ls /sys/fs/cgroup'
sed -i 's|^\t\t"namespaces": \[$|\t\t"namespaces": [\n\t\t\t{"type": "cgroup"},|' "$T/n/config.json"
mr run -b "$T/n" c7 >"$T/c7.out" 2>&1
check "inside a cgroup namespace the cgroup is the root" grep -qx '0::/' "$T/c7.out"
check "/sys/fs/cgroup is the container's own cgroup2" grep -qx 'cgroup.procs' "$T/c7.out"

# ---- refused on v2 ---------------------------------------------------------------------------
set_res "$T/b" "" '{"memory": {"swappiness": 10}}'
mr run -b "$T/b" c8 >"$T/c8.out" 2>"$T/c8.err"
check "swappiness on v2: status 1" test $? = 1
check "one line naming memory.swappiness" sh -c "test \$(wc -l <'$T/c8.err') = 1 &&
	grep -q 'linux.resources.memory.swappiness' '$T/c8.err'"
set_res "$T/b" "" '{"memory": {"limit": 33554432, "swap": 1000}}'
mr run -b "$T/b" c9 >/dev/null 2>"$T/c9.err"
check "swap below the limit: refused as runc" grep -q "memory+swap limit should be >= memory limit" "$T/c9.err"
check "no state left" test -z "$(mr list -q)"
done_testing
