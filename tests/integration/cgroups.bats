#!/usr/bin/env bats
# cgroups.bats - the container's cgroup (issue 12): where it goes, the init
# in it before it runs, every resource written, read back and enforced,
# ps / pause / resume / update / kill --all through it, nothing left after.
# Beside runc 1.1.5 on the same host: the same /proc/PID/cgroup, the same
# cgroup files after create, the same ps / update output shapes.
#
# This host is hybrid (cgroup v1 controllers, cgroup2 at
# /sys/fs/cgroup/unified without controllers), so resources go through v1 as
# with runc; the pure v2 layout is tested in the guest (tests/vm/cases/).
#
# runc counterpart: tests/integration/{cgroups,update,pause,ps,kill}.bats.

load helpers
load lifecycle_helpers
load security_helpers

setup() {
	mr_setup
	require_runc
	CG=/sys/fs/cgroup
}

teardown() {
	mr_teardown
}

# res PY: set linux.resources to the python dict PY.
res() {
	cfg "$B" "l['resources'] = $1"
}

# own_v1 CTRL: this shell's cgroup in the v1 hierarchy CTRL (runc puts a
# relative cgroupsPath under it).
own_v1() {
	sed -n "s|^[0-9]*:\([^:]*,\)\{0,1\}$1\(,[^:]*\)\{0,1\}:||p" /proc/self/cgroup
}

# init_cgroup NAME [ID]: /proc/PID/cgroup of a created container's init.
init_cgroup() {
	local id=${2:-$ID}
	rt_ok "$1" state "$id" || return 1
	cat "/proc/$(python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])' \
		<"$T/$1.o")/cgroup"
}

@test "the init's cgroups are runc's: default, relative and absolute cgroupsPath" {
	cfg "$B" 'p["args"] = ["/bin/sleep", "30"]'
	for path in "" "rel-$TAG/x/../c" "/abs-$TAG/c"; do
		if [ -n "$path" ]; then
			cfg "$B" "l['cgroupsPath'] = '$path'"
		fi
		rt_ok runc create --bundle "$B" "$ID"
		init_cgroup runc >"$T/runc.cg"
		rt_ok runc delete -f "$ID"
		rt_ok mr create --bundle "$B" "$ID"
		init_cgroup mr >"$T/mr.cg"
		# the directories exist where the init says, in every hierarchy
		while IFS=: read -r _ ctrl p; do
			case $ctrl in "") d=$CG/unified ;; name=systemd) d=$CG/systemd ;; *) d=$CG/$ctrl ;; esac
			[ -d "$d$p" ] || { echo "no $d$p"; return 1; }
		done <"$T/mr.cg"
		rt_ok mr delete -f "$ID"
		echo "cgroupsPath '$path':"
		diff -u --label runc "$T/runc.cg" --label minirunc "$T/mr.cg"
		cp "$T/mr.cg" "$T/mr.cg-$(echo "${path:0:3}" | tr / _)"
	done
	# default: the id under the runtime's own cgroup; relative: likewise,
	# cleaned (runc: utils.CleanPath); absolute: under the hierarchy's root
	grep -qx "[0-9]*:memory:$(own_v1 memory)/$ID" "$T/mr.cg-"
	grep -qx "[0-9]*:memory:$(own_v1 memory)/rel-$TAG/c" "$T/mr.cg-rel"
	grep -qx "[0-9]*:pids:/abs-$TAG/c" "$T/mr.cg-_ab"
	grep -qx "0::/abs-$TAG/c" "$T/mr.cg-_ab"
}

@test "an exec'd process joins the container's cgroup" {
	cfg "$B" 'p["args"] = ["/bin/sleep", "30"]'
	rt_ok mr run -d --bundle "$B" "$ID"
	init_cgroup mr >"$T/init.cg"
	rt_ok mr exec "$ID" cat /proc/self/cgroup
	diff -u "$T/init.cg" "$T/mr.o"
}

@test "with a cgroup namespace the container's cgroup is its root, as under runc" {
	cfg "$B" 'l["namespaces"].append({"type": "cgroup"})' \
		'p["args"] = ["/bin/cat", "/proc/self/cgroup"]'
	run_rt "$RUNC" runc "$B"
	run_rt "$MINIRUNC" mr "$B"
	cat "$T/mr.out"
	grep -q '^0::/$' "$T/mr.out"
	diff -u --label runc "$T/runc.out" --label minirunc "$T/mr.out"
}

# create_both PY: the same resources under runc and minirunc, each in its own
# cgroupsPath (/cmp-TAG-runc, /cmp-TAG-mr), both created.
create_both() {
	res "$1"
	for n in runc mr; do
		cfg "$B" "l['cgroupsPath'] = '/cmp-$TAG-$n'"
		rt_ok $n create --bundle "$B" "$ID" || return 1
	done
}

# cg_files NAME FILE...: CTRL/FILE of NAME's cgroup, one "file: value" a line.
cg_files() {
	local f
	for f in "${@:2}"; do
		echo "$f: $(head -c 200 "$CG/${f%%/*}/cmp-$TAG-$1/${f#*/}" | tr '\n' ' ')"
	done
}

FILES=(pids/pids.max memory/memory.limit_in_bytes memory/memory.soft_limit_in_bytes
	memory/memory.memsw.limit_in_bytes memory/memory.swappiness memory/memory.oom_control
	cpu/cpu.shares cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpuset/cpuset.cpus
	cpuset/cpuset.mems devices/cgroup.procs)

@test "the cgroup files after create are runc's (memory, swap, cpu, cpuset, pids)" {
	cfg "$B" 'p["args"] = ["/bin/sleep", "30"]'
	create_both '{"devices": [{"allow": False, "access": "rwm"}],
		"memory": {"limit": 67108864, "reservation": 33554432, "swap": 134217728,
			"swappiness": 30, "disableOOMKiller": True},
		"cpu": {"shares": 512, "quota": 25000, "period": 50000, "cpus": "0", "mems": "0"},
		"pids": {"limit": 42}}'
	cg_files runc "${FILES[@]}" | sed 's/^devices\/cgroup.procs: .*/procs: one/' >"$T/runc.f"
	cg_files mr "${FILES[@]}" | sed 's/^devices\/cgroup.procs: .*/procs: one/' >"$T/mr.f"
	cat "$T/mr.f"
	grep -qx 'pids/pids.max: 42 ' "$T/mr.f"
	grep -qx 'memory/memory.memsw.limit_in_bytes: 134217728 ' "$T/mr.f"
	diff -u --label runc "$T/runc.f" --label minirunc "$T/mr.f"
	# and in every hierarchy runc made one, minirunc made one
	for n in runc mr; do
		find $CG -maxdepth 2 -type d -name "cmp-$TAG-$n" | sed "s/-$n\$//" | sort >"$T/$n.dirs"
	done
	diff -u "$T/runc.dirs" "$T/mr.dirs"
}

@test "values that ask for nothing are accepted as runc accepts them (docker's defaults)" {
	res '{"devices": [{"allow": False, "access": "rwm"}], "pids": {"limit": 0},
		"memory": {"disableOOMKiller": False}, "cpu": {"shares": 0},
		"blockIO": {"weight": 0}}'
	cfg "$B" 'p["args"] = ["/bin/true"]'
	run_rt "$MINIRUNC" mr "$B"
	cat "$T/mr.err"
	[ "$RT_STATUS" = 0 ]
	res '{"pids": {"limit": -1}}'
	run_rt "$MINIRUNC" mr "$B"
	[ "$RT_STATUS" = 0 ]
}

@test "a pids limit stops a fork loop" {
	res '{"pids": {"limit": 5}}'
	# the loop runs in a child shell: busybox sh gives up at the first failed fork
	cfg "$B" "l['cgroupsPath'] = '/pids-$TAG'" 'p["args"] = ["/bin/sh", "-c",
		"/bin/sh -c \"i=0; while [ \\$i -lt 12 ]; do /bin/sleep 30 & i=\\$((i+1)); done\"; echo loop-ended; /bin/sleep 30"]'
	mr run -d --bundle "$B" "$ID" >"$T/run.out" 2>&1
	wait_for grep -q loop-ended "$T/run.out"
	cat "$T/run.out"
	grep -q "can't fork" "$T/run.out"
	[ "$(cat $CG/pids/pids-$TAG/pids.max)" = 5 ]
	[ "$(cat $CG/pids/pids-$TAG/pids.current)" -le 5 ]
	# the kernel counted the refused forks
	[ "$(awk '$1 == "max" { print $2 }' $CG/pids/pids-$TAG/pids.events)" -ge 1 ]
	mr delete -f "$ID"
	[ ! -d "$CG/pids/pids-$TAG" ]
}

@test "a memory limit ends in an OOM kill" {
	res '{"memory": {"limit": 16777216, "swap": 16777216}}'
	cfg "$B" "l['cgroupsPath'] = '/oom-$TAG'" 'p["args"] = ["/bin/sh", "-c",
		"/bin/busybox dd if=/dev/zero of=/dev/null bs=64M count=1; echo dd=$?; sleep 30"]'
	mr run -d --bundle "$B" "$ID" >"$T/run.out" 2>&1
	wait_for grep -q dd= "$T/run.out"
	cat "$T/run.out"
	grep -qx 'dd=137' "$T/run.out" # SIGKILL from the OOM killer
	grep -qx 'oom_kill 1' $CG/memory/oom-$TAG/memory.oom_control
	[ "$(cat $CG/memory/oom-$TAG/memory.limit_in_bytes)" = 16777216 ]
}

@test "pause stops a counter, state and list say paused, resume restarts it" {
	cfg "$B" 'p["args"] = ["/bin/sh", "-c",
		"i=0; while true; do i=$((i+1)); echo $i; /bin/sleep 0.02; done"]'
	mr run -d --bundle "$B" "$ID" >"$T/count" 2>&1
	wait_for test -s "$T/count"
	mr pause "$ID"
	[ "$(status_of mr)" = paused ]
	mr list | grep -q "^$ID .* paused "
	a=$(wc -l <"$T/count")
	sleep 0.5
	b=$(wc -l <"$T/count")
	echo "while paused: $a then $b lines"
	[ "$a" = "$b" ]
	rt mr pause "$ID"
	expect_fail mr 1 "container not running"
	mr resume "$ID"
	[ "$(status_of mr)" = running ]
	sleep 0.5
	c=$(wc -l <"$T/count")
	echo "after resume: $c lines"
	[ "$c" -gt "$b" ]
	rt mr resume "$ID"
	expect_fail mr 1 "container not paused"
	# exec into a frozen cgroup would hang: refused, as runc
	mr pause "$ID"
	rt mr exec "$ID" /bin/true
	expect_fail mr 255 "cannot exec in a paused container \(use --ignore-paused"
	# a paused container is deleted with -f as any other (thawed to die)
	mr delete -f "$ID"
	[ -z "$(cgroup_dirs)" ]
}

@test "ps: json is the cgroup's pids, the table is ps -ef of them, as runc's" {
	cfg "$B" 'p["args"] = ["/bin/sh", "-c", "/bin/sleep 30 & exec /bin/sleep 31"]'
	for n in runc mr; do
		cfg "$B" "l['cgroupsPath'] = '/ps-$TAG-$n'"
		rt_ok $n run -d --bundle "$B" "$ID"
	done
	sleep 0.3
	for n in runc mr; do
		rt_ok $n ps --format json "$ID"
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <"$T/$n.o" >"$T/$n.n"
		sort -n "$CG/pids/ps-$TAG-$n/cgroup.procs" | tr '\n' , >"$T/$n.procs"
		echo >>"$T/$n.procs"
		python3 -c 'import json,sys; print(",".join(map(str, sorted(json.load(sys.stdin)))) + ",")' \
			<"$T/$n.o" | diff - "$T/$n.procs"
		rt_ok $n ps "$ID"
		head -1 "$T/$n.o" >"$T/$n.head"
		tail -n +2 "$T/$n.o" | awk '{ print $8, $9, $10 }' | sort >"$T/$n.cmds"
		rt_ok $n ps "$ID" -o pid,comm
		head -1 "$T/$n.o" >>"$T/$n.head"
	done
	cat "$T/mr.cmds"
	[ "$(cat "$T/mr.n")" = 2 ]
	diff -u "$T/runc.n" "$T/mr.n"
	diff -u "$T/runc.head" "$T/mr.head"
	diff -u "$T/runc.cmds" "$T/mr.cmds"
	rt mr ps -f yaml "$ID"
	expect_fail mr 1 "invalid format option"
}

@test "update: the flags and -r - write the cgroup as runc's update does" {
	cfg "$B" 'p["args"] = ["/bin/sleep", "30"]'
	create_both '{"memory": {"limit": 67108864}, "cpu": {"shares": 512}, "pids": {"limit": 42}}'
	for n in runc mr; do
		rt_ok $n update --memory 96m --memory-swap 192M --memory-reservation 32m \
			--cpu-share 256 --cpu-quota 30000 --cpu-period 60000 --cpuset-cpus 0 \
			--pids-limit 17 "$ID"
		[ ! -s "$T/$n.o" ]
		cg_files $n "${FILES[@]}" | grep -v procs >"$T/$n.f1"
		echo '{"memory": {"limit": 50331648}, "pids": {"limit": 9}, "cpu": {"quota": 40000}}' |
			(cd "$T" && "$([ $n = runc ] && echo "$RUNC" || echo "$MINIRUNC")" \
				--root "$T/root-$n" update -r - "$ID")
		cg_files $n "${FILES[@]}" | grep -v procs >"$T/$n.f2"
	done
	cat "$T/mr.f1" "$T/mr.f2"
	grep -qx 'pids/pids.max: 17 ' "$T/mr.f1"
	grep -qx 'pids/pids.max: 9 ' "$T/mr.f2"
	diff -u --label runc "$T/runc.f1" --label minirunc "$T/mr.f1"
	diff -u --label runc "$T/runc.f2" --label minirunc "$T/mr.f2"
	rt mr update --memory lots "$ID"
	expect_fail mr 1 "invalid value for memory"
	rt_ok mr kill "$ID" KILL
	wait_status mr stopped
	rt mr update --pids-limit 3 "$ID"
	expect_fail mr 1 "container not running"
}

@test "kill --all signals every process of the cgroup, also with the host's pid namespace" {
	cfg "$B" 'l["namespaces"] = [n for n in l["namespaces"] if n["type"] != "pid"]' \
		'p["args"] = ["/bin/sh", "-c", "/bin/sleep 100 & /bin/sleep 101 & wait"]'
	sleep 102 &
	other=$!
	mr run -d --bundle "$B" "$ID"
	wait_for test "$(wc -l <$CG/pids/$(own_v1 pids)/$ID/cgroup.procs)" = 3
	mr kill --all "$ID" KILL
	wait_for test ! -s "$CG/pids/$(own_v1 pids)/$ID/cgroup.procs"
	# a process outside the container, in the same pid namespace, lives on
	kill -0 "$other"
	kill "$other"
	mr delete "$ID"
	[ -z "$(cgroup_dirs)" ]
}

@test "delete -f kills what is left in the cgroup when the init is gone" {
	cfg "$B" 'l["namespaces"] = [n for n in l["namespaces"] if n["type"] != "pid"]' \
		'p["args"] = ["/bin/sh", "-c", "/bin/sleep 100 & exit 0"]'
	snapshot "$T/snap.before"
	mr run -d --bundle "$B" "$ID"
	wait_for test "$(status_of mr)" = stopped
	[ -n "$(cat $CG/pids/$(own_v1 pids)/$ID/cgroup.procs)" ] # the orphaned sleep
	mr delete -f "$ID"
	assert_nothing_left "$T/snap.before"
}

@test "runtime killed after the cgroup is made: delete -f leaves no cgroup" {
	cat >"$T/hook" <<EOF
#!/bin/sh
echo \$\$ >$T/at-hook
sleep 3
EOF
	chmod 755 "$T/hook"
	cfg "$B" "c.setdefault('hooks', {})['prestart'] = [{'path': '$T/hook'}]" \
		"l['cgroupsPath'] = 'k9-$TAG/c'" 'p["args"] = ["/bin/sleep", "30"]'
	res '{"pids": {"limit": 10}}'
	snapshot "$T/snap.before"
	"$MINIRUNC" --root "$T/root-mr" create --bundle "$B" "$ID" </dev/null >/dev/null 2>&1 &
	rtpid=$!
	wait_for test -s "$T/at-hook"
	[ -d "$CG/pids/$(own_v1 pids)/k9-$TAG/c" ]
	kill -9 "$rtpid"
	wait "$rtpid" || true
	kill "$(cat "$T/at-hook")" 2>/dev/null || true
	mr delete -f "$ID"
	assert_nothing_left "$T/snap.before"
}

@test "a create that fails writing a resource leaves no cgroup" {
	res '{"cpu": {"shares": 1}}'
	expect_bad_input "linux.resources.cpu.shares: the minimum allowed cpu-shares is 2"
	cfg "$B" "l['cgroupsPath'] = '/bad-$TAG/x/y'"
	res '{"memory": {"swappiness": 101}}'
	expect_bad_input "memory.swappiness: invalid memory swappiness value: 101"
	[ -z "$(cgroup_dirs)" ]
}

@test "what minirunc cannot do is refused with one line naming it" {
	cfg "$B" "l['cgroupsPath'] = 'system.slice:docker:abc'"
	expect_bad_input "cgroupsPath.*systemd"
	cfg "$B" "l['cgroupsPath'] = '/'"
	expect_bad_input "cgroupsPath \"/\": names the root cgroup"
	cfg "$B" "del l['cgroupsPath']"
	res '{"unified": {"memory.high": "max"}}'
	expect_bad_input "linux.resources.unified: needs cgroup v2"
	# controllers this host lacks
	grep -qw hugetlb /proc/self/mountinfo && skip_or_fail "this host has hugetlb (v1)"
	res '{"hugepageLimits": [{"pageSize": "2MB", "limit": 0}]}'
	expect_bad_input "hugepageLimits: this host has no hugetlb cgroup controller"
	res '{"network": {"classID": 5}}'
	expect_bad_input "network.classID: this host has no net_cls"
	rt mr --systemd-cgroup list
	expect_fail mr 1 "systemd-cgroup"
}

@test "a cgroup in use by someone else is joined (as runc) but never removed or killed" {
	mkdir "$CG/pids/shared-$TAG"
	sleep 60 &
	other=$!
	echo "$other" >"$CG/pids/shared-$TAG/cgroup.procs"
	cfg "$B" "l['cgroupsPath'] = '/shared-$TAG'" 'p["args"] = ["/bin/sleep", "30"]'
	mr run -d --bundle "$B" "$ID"
	grep -qx "$(mr_pid)" "$CG/pids/shared-$TAG/cgroup.procs"
	mr delete -f "$ID"
	kill -0 "$other"
	[ -d "$CG/pids/shared-$TAG" ]
	kill "$other"
	wait "$other" || true
	rmdir "$CG/pids/shared-$TAG"
}

@test "a cgroup replaced since create is not the container's: delete leaves it alone" {
	cfg "$B" "l['cgroupsPath'] = '/repl-$TAG'" 'p["args"] = ["/bin/true"]'
	mr run -d --bundle "$B" "$ID"
	wait_for test "$(status_of mr)" = stopped
	# someone removes the (empty) cgroup and makes another of the same name
	rmdir "$CG/pids/repl-$TAG" && mkdir "$CG/pids/repl-$TAG"
	rt mr delete "$ID"
	expect_fail mr 1 "cgroup $CG/pids/repl-$TAG is no longer the container's"
	# that one stays; the container's own in the other hierarchies are gone
	[ "$(cgroup_dirs)" = "$CG/pids/repl-$TAG" ]
	rmdir "$CG/pids/repl-$TAG"
}

@test "update -r writes every field it gives; runc 1.1 drops memory.swappiness (a difference)" {
	cfg "$B" 'p["args"] = ["/bin/sleep", "30"]'
	create_both '{"memory": {"limit": 67108864}}'
	for n in runc mr; do
		echo '{"memory": {"swappiness": 20}}' |
			(cd "$T" && "$([ $n = runc ] && echo "$RUNC" || echo "$MINIRUNC")" \
				--root "$T/root-$n" update -r - "$ID")
		cat "$CG/memory/cmp-$TAG-$n/memory.swappiness" >"$T/$n.sw"
	done
	echo "runc: $(cat "$T/runc.sw"), minirunc: $(cat "$T/mr.sw")"
	[ "$(cat "$T/mr.sw")" = 20 ]
	[ "$(cat "$T/runc.sw")" != 20 ]
}

@test "kill --all refuses a cgroup the container joined in use: its other processes survive" {
	# A cgroupsPath naming a cgroup that already holds a process (here: a
	# bystander in the pids hierarchy) is joined, not made.  Signalling that
	# cgroup would reach processes that are not the container's.
	local d=$CG/pids/byst-$TAG
	mkdir "$d"
	sleep 60 </dev/null >/dev/null 2>&1 3>&- &
	local byst=$! alive=1
	echo "$byst" >"$d/cgroup.procs"
	cfg "$B" 'p["args"] = ["/bin/sleep", "30"]' "l['cgroupsPath'] = '/byst-$TAG'"
	rt_ok mr run -d --bundle "$B" "$ID"
	rt mr kill --all "$ID" KILL
	local rc=$RT_RC
	cp "$T/mr.e" "$T/kill.e"
	kill -0 "$byst" && alive=0
	rt_ok mr delete -f "$ID"
	kill "$byst"
	wait "$byst" 2>/dev/null || true
	rmdir "$d"
	[ "$rc" = 1 ]
	cat "$T/kill.e"
	grep -q "refusing to signal the other processes" "$T/kill.e"
	[ "$alive" = 0 ]
}
