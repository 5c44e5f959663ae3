#!/bin/sh
# tests/vm/runner.sh OUT - inside the guest (run by /etc/start, busybox init's "once" step):
# runs the cases OUT/plan names and writes, for each case NAME, OUT/cases/NAME.tap (its
# stdout), .log (stderr), .rc (exit status) and .left (what it left behind: new links,
# mounts, netns, state, cgroups, processes; empty when nothing).  OUT/booted holds the
# uptime at the start, OUT/end is the end marker tests/vm/run.sh looks for.
#
# Each case runs as `timeout SECS sh CASE` in a fresh $T under /tmp, with MINIRUNC (the static
# binary, copied to /usr/local/bin/minirunc, where config.json.example's hooks point), GUEST
# and VM_LIB (tests/vm/lib.sh) in its environment.  "# timeout: SECS" in a case's header
# changes the default of 120 s.
out=$1
cut -d' ' -f1 /proc/uptime >"$out/booted"
guest=$(sed -n 's/^guest //p' "$out/plan")
bin=$(sed -n 's/^bin //p' "$out/plan")
mkdir -p /usr/local/bin
cp "/host/$bin" /usr/local/bin/minirunc
export MINIRUNC=/usr/local/bin/minirunc GUEST="$guest" VM_LIB=/host/tests/vm/lib.sh
export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
echo "runner: $guest, $(uname -r), $($MINIRUNC --version | head -n 1)"

# procs: user processes as "pid comm", leaving out kernel threads (pid 2 and its children)
# and this shell with its own children (the commands of the snapshot itself).
procs() {
	for p in /proc/[0-9]*; do
		read -r st <"$p/stat" 2>/dev/null || continue
		set -- ${st##*) }
		pid=${p#/proc/}
		[ "$pid" = 2 ] || [ "$2" = 2 ] || [ "$pid" = $$ ] || [ "$2" = $$ ] && continue
		c=${st#*(}
		echo "$pid ${c%)*}"
	done
}

# snapshot FILE: what a case may leave behind.  procs runs in this shell, not in a pipeline
# (whose subshells would be listed).
snapshot() {
	procs >/tmp/procs
	{
		ip -o link show | cut -d: -f2 | sed 's/@.*//; s/^/link/'
		sed 's/^/mount /' /proc/self/mounts
		ls -A /run/netns 2>/dev/null | sed 's/^/netns /'
		find /run/minirunc 2>/dev/null | sed 's/^/state /'
		find /sys/fs/cgroup -type d | sed 's/^/cgroup /'
		sed 's/^/process /' /tmp/procs
	} | sort >"$1"
}

for c in $(sed -n 's/^case //p' "$out/plan"); do
	name=${c%.sh}
	d=$out/cases/$name
	f=/host/tests/vm/cases/$c
	secs=$(sed -n 's/^# timeout: *//p' "$f" | head -n 1)
	T=$(mktemp -d /tmp/case.XXXXXX)
	snapshot /tmp/before
	t0=$(cut -d' ' -f1 /proc/uptime)
	(cd "$T" && T=$T exec timeout "${secs:-120}" sh "$f") >"$d.tap" 2>"$d.log"
	echo $? >"$d.rc"
	t1=$(cut -d' ' -f1 /proc/uptime)
	rm -rf "$T"
	# busybox timeout's watcher, and what a case's last kill ends, may take a moment to go.
	for i in 1 2 3 4 5; do
		snapshot /tmp/after
		diff /tmp/before /tmp/after | grep '^+[^+]' >"$d.left" || break
		sleep 1
	done
	echo "== $name: exit $(cat "$d.rc"), $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s"
	grep -v '^ok ' "$d.tap"
	[ -s "$d.left" ] && sed 's/^/left: /' "$d.left"
	[ "$(cat "$d.rc")" = 0 ] || tail -n 20 "$d.log"
done
sync
echo end >"$out/end"
echo "runner: end"
