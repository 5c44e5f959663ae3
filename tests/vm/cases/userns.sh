#!/bin/sh
# guests: all
# timeout: 90
# userns: user namespaces on each guest's kernel (issue 14).  As root with mappings 0 -> 100000
# (65536): ids inside and outside, /proc/self/uid_map, the container's process seen from the
# host as uid 100000, a file made inside owned by 100000 outside.  Rootless: a user made here
# (an /etc/passwd line for busybox su; the guest has no useradd) with `minirunc spec
# --rootless`: its own id mapped by minirunc itself, state in $XDG_RUNTIME_DIR/minirunc, no
# cgroup where none is delegated; in a delegated v2 subtree its own cgroup with the config's
# pids limit.  The guest has no newuidmap: a mapping beyond the user's own id fails with one
# line saying so, and leaves nothing.  The guests are pure cgroup v2 (this machine is hybrid):
# the cgroup mount inside a user namespace and delegation are tested only here.  No time
# namespace is involved, so armhf (CONFIG_TIME_NS off) runs it too.
. "$VM_LIB"

# userns_on DIR: a new user namespace, uids and gids 0 -> 100000 (65536), in DIR/config.json.
userns_on() {
	_m='[ { "containerID": 0, "hostID": 100000, "size": 65536 } ]'
	sed -i "s/^\t\t\"namespaces\": \[\$/&\n\t\t\t{ \"type\": \"user\" },/
		s/^\t\"linux\": {\$/&\n\t\t\"uidMappings\": $_m,\n\t\t\"gidMappings\": $_m,/" "$1/config.json"
}
# shared_on DIR SRC: SRC bound read-write at /shared.
shared_on() {
	mkdir -p "$1/rootfs/shared"
	sed -i "s|^\t\"mounts\": \[\$|&\n\t\t{ \"destination\": \"/shared\", \"type\": \"bind\", \"source\": \"$2\", \"options\": [ \"rbind\", \"rw\" ] },|" \
		"$1/config.json"
}
# maps FILE: a map file's lines with the kernel's padding squeezed ("0 100000 65536").
maps() { awk '{ print $1, $2, $3 }' "$1"; }

# ---- as root, with mappings ----------------------------------------------------------------
chmod 755 "$T" # host uid 100000 (the container's root) must reach the rootfs
mkdir -p "$T/sh1"
chmod 777 "$T/sh1"
bundle "$T/b" sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map |
	awk "{ print \$1, \$2, \$3 }"; readlink /proc/self/ns/user
	awk "\$2 == \"/sys/fs/cgroup\" { print \$3, \$4 }" /proc/self/mounts; touch /shared/f; sleep 60'
mkdir -p "$T/b/rootfs/proc" "$T/b/rootfs/dev" "$T/b/rootfs/sys" "$T/b/rootfs/tmp"
userns_on "$T/b"
shared_on "$T/b" "$T/sh1"
grep -q '"hostID": 100000' "$T/b/config.json" && grep -q '"type": "user"' "$T/b/config.json" ||
	fail "the bundle has the user namespace and its mappings"
check "create with a user namespace" sh -c "mr create -b '$T/b' u1 </dev/null >'$T/out' 2>'$T/err'"
cat "$T/err" >&2
check "start" mr start u1
i=0
while [ ! -e "$T/sh1/f" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
pid=$(mr state u1 | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')
cat "$T/out" >&2
check "inside: uid 0, gid 0" test "$(sed -n 1,2p "$T/out" | tr '\n' ' ')" = "0 0 "
check "inside: /proc/self/uid_map is 0 100000 65536" test "$(sed -n 3p "$T/out")" = "0 100000 65536"
check "inside: /proc/self/gid_map is 0 100000 65536" test "$(sed -n 4p "$T/out")" = "0 100000 65536"
check "a new user namespace" sh -c "[ -n \"\$(sed -n 5p '$T/out')\" ] &&
	[ \"\$(sed -n 5p '$T/out')\" != \"\$(readlink /proc/self/ns/user)\" ]"
# The kernel refuses cgroup2 in a user namespace without a cgroup namespace: the host's
# /sys/fs/cgroup is bound, read-only (runc mountCgroupV2's fallback).
check "inside: /sys/fs/cgroup is the host's cgroup2, bound read-only" \
	sh -c "sed -n 6p '$T/out' | grep -q '^cgroup2 ro,'"
check "outside: the container's process runs as uid 100000" \
	test "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")" = 100000
check "outside: its uid_map as the host reads it" test "$(maps "/proc/$pid/uid_map")" = "0 100000 65536"
check "a file made inside is 100000:100000 outside" test "$(stat -c %u:%g "$T/sh1/f")" = 100000:100000
mr kill u1 KILL
i=0
while mr state u1 2>/dev/null | grep -q '"running"' && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "delete" mr delete u1

# ---- rootless: the user's own id ------------------------------------------------------------
# busybox su needs a passwd line; the guest's /etc has none: made here, removed at the end.
RL_UID=1000
for f in passwd group; do [ -e /etc/$f ] && cp /etc/$f "$T/$f.orig"; done
echo "mrrl:x:$RL_UID:$RL_UID::$T/rl:/bin/sh" >>/etc/passwd
echo "mrrl:x:$RL_UID:" >>/etc/group
restore() {
	for f in passwd group; do
		if [ -e "$T/$f.orig" ]; then cp "$T/$f.orig" /etc/$f; else rm -f /etc/$f; fi
	done
}
as_user() { su -s /bin/sh mrrl -c "XDG_RUNTIME_DIR=$T/rl/xdg PATH=/usr/local/bin:/bin:/sbin $*"; }
# rl_bundle DIR ARG...: busybox rootfs, config.json from `minirunc spec --rootless` run by the
# user, terminal off, process.args ARG...; all the user's.
rl_bundle() {
	_d=$1
	shift
	bundle "$_d" true && rm "$_d/config.json" && mkdir -p "$_d/rootfs/proc" "$_d/rootfs/dev" \
		"$_d/rootfs/sys" "$_d/rootfs/tmp" && chown -R $RL_UID:$RL_UID "$_d" &&
		as_user minirunc spec --rootless -b "$_d" && set_args "$_d" "$@"
}
mkdir -p "$T/rl/xdg" "$T/rl/sh"
chmod 700 "$T/rl/xdg"
chown -R $RL_UID:$RL_UID "$T/rl"
check "as the user: spec --rootless" rl_bundle "$T/rl/b" sh -c \
	'id -u; id -g; awk "{ print \$1, \$2, \$3 }" /proc/self/uid_map; touch /shared/f'
check "spec --rootless maps the user's own id" grep -q "\"hostID\": $RL_UID" "$T/rl/b/config.json"
shared_on "$T/rl/b" "$T/rl/sh"
as_user minirunc run -b "$T/rl/b" r1 </dev/null >"$T/rl.out" 2>"$T/rl.err"
check "rootless run (no newuidmap needed for the own id)" test $? = 0
cat "$T/rl.out" "$T/rl.err" >&2
check "rootless inside: uid 0, gid 0" test "$(sed -n 1,2p "$T/rl.out" | tr '\n' ' ')" = "0 0 "
check "rootless inside: uid_map 0 $RL_UID 1" test "$(sed -n 3p "$T/rl.out")" = "0 $RL_UID 1"
check "a file made inside is the user's outside" \
	test "$(stat -c %u:%g "$T/rl/sh/f")" = $RL_UID:$RL_UID
check "state lived in \$XDG_RUNTIME_DIR/minirunc, the user's" \
	test "$(stat -c %u "$T/rl/xdg/minirunc")" = $RL_UID
check "and is gone after run" test -z "$(ls "$T/rl/xdg/minirunc")"

# ---- rootless in a delegated cgroup v2 subtree ----------------------------------------------
# Delegation as cgroup-v2.rst says (systemd does it for user@.service): the user owns a
# directory and its cgroup.procs, cgroup.threads and cgroup.subtree_control, and its shell
# already runs in a leaf below it (root moves it there), so moving the container's init into
# a sibling needs only the user's own cgroup.procs of the common parent.
D=/sys/fs/cgroup/mrrl-$$
mkdir "$D" "$D/sh"
for d in "$D" "$D/sh"; do
	chown $RL_UID:$RL_UID "$d" "$d/cgroup.procs" "$d/cgroup.threads" "$d/cgroup.subtree_control"
done
rl_bundle "$T/rl/c" sh -c 'cat /proc/self/cgroup; cat /sys/fs/cgroup$(sed -n "s/^0:://p" /proc/self/cgroup)/pids.max'
sed -i "s|^\t\t\"namespaces\": \[\$|\t\t\"cgroupsPath\": \"${D#/sys/fs/cgroup}/c\",\n\t\t\"resources\": { \"pids\": { \"limit\": 42 } },\n&|" \
	"$T/rl/c/config.json"
sh -c "echo \$\$ >$D/sh/cgroup.procs && exec su -s /bin/sh mrrl -c \
	'XDG_RUNTIME_DIR=$T/rl/xdg minirunc run -b $T/rl/c r3'" </dev/null >"$T/cg.out" 2>"$T/cg.err"
rc=$?
cat "$T/cg.out" "$T/cg.err" >&2
check "rootless run with linux.resources in a delegated subtree" test $rc = 0
check "the container ran in its own cgroup below the delegated one" \
	grep -qx "0::${D#/sys/fs/cgroup}/c" "$T/cg.out"
check "its pids.max is the config's 42" grep -qx 42 "$T/cg.out"
check "run removed the cgroup it made" test ! -e "$D/c"
rmdir "$D/sh" "$D"

# ---- rootless: more than the own id, without newuidmap ---------------------------------------
check "the guest has no newuidmap" sh -c '! ls /usr/bin/newuidmap /bin/newuidmap 2>/dev/null'
sed -i "s/^\t\t\"uidMappings\": \[\$/&\n\t\t\t{ \"containerID\": 1, \"hostID\": 100000, \"size\": 10 },/" \
	"$T/rl/b/config.json"
as_user minirunc run -b "$T/rl/b" r2 </dev/null >"$T/bad.out" 2>"$T/bad.err"
rc=$?
cat "$T/bad.err" >&2
check "a subordinate range without newuidmap: exit status 1" test $rc = 1
check "one line naming the field and the missing helper" test "$(cat "$T/bad.err")" = \
	"minirunc: linux.uidMappings: an unprivileged user can map only its own id without newuidmap (Debian package uidmap), and it is not installed"
check "nothing left in the state dir" test -z "$(ls "$T/rl/xdg/minirunc")"
restore
check "the passwd lines made here are gone" sh -c '! grep -q "^mrrl:" /etc/passwd /etc/group 2>/dev/null'
done_testing
