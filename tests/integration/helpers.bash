#!/bin/bash
# helpers.bash - shared machinery of the integration and comparison tests
# (TESTING.md, "Comparison against runc" and "Bad input").
#
# runc counterpart: tests/integration/helpers.bash in runc (setup_busybox,
# update_config, runc wrappers). Written anew here: a busybox-static rootfs,
# a python3 config editor, running one bundle under two runtimes, the probe
# report normalisation, and the before/after "nothing left behind" snapshot.
#
# Every test gets:
#   $T        its own temp dir (removed by teardown, with everything in it)
#   $ID       its own container id
#   $TAG      a word put in the container's env (MR_TEST_TAG) so that a
#             leftover container process can be found and killed by pid
# Environment knobs:
#   MINIRUNC             the runtime under test (default: the tree's ./minirunc)
#   RUNC                 the reference runtime (default: runc on PATH)
#   MINIRUNC_MUST_WORK=1 a test that would skip (no root, no runc,
#                        no minirunc) fails instead (CI sets it)
#   PROBE                a prebuilt tests/probe.c binary (built when unset)

MR_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MINIRUNC=${MINIRUNC:-$MR_TOP/minirunc}
RUNC=${RUNC:-$(command -v runc || echo /usr/sbin/runc)}
BUSYBOX=${BUSYBOX:-/bin/busybox}
# Per-run timeout of one container run: a hang is a failure, not a stuck suite.
MR_RUN_TIMEOUT=${MR_RUN_TIMEOUT:-20}

# ---------------------------------------------------------------- skip rules

# skip_or_fail WHY: a test that cannot run says so; under CI it is a failure
# (TESTING.md: "Pass by skipping" is never allowed).
skip_or_fail() {
	if [ "${MINIRUNC_MUST_WORK:-0}" = 1 ]; then
		echo "cannot run, and MINIRUNC_MUST_WORK=1: $1" >&2
		return 1
	fi
	skip "$1"
}

require_root() {
	[ "$(id -u)" = 0 ] || skip_or_fail "needs root"
}

require_runc() {
	require_root
	[ -x "$RUNC" ] || skip_or_fail "runc not found ($RUNC)"
}

require_minirunc() {
	require_root
	[ -x "$MINIRUNC" ] || skip_or_fail "minirunc not built ($MINIRUNC)"
}

require_cmd() {
	command -v "$1" >/dev/null || skip_or_fail "$1 not installed"
}

# --------------------------------------------------------------- the probe

# tool_build NAME SOURCE: a static tests/SOURCE built once per bats run (and
# once when bats runs files in parallel: flock keeps one compiler at a time);
# prints its path.
tool_build() {
	local name=$1 src=$2 out=${BATS_RUN_TMPDIR:-/tmp}/$1
	(
		flock 9
		[ -x "$out" ] && exit 0
		local cc=musl-gcc
		command -v musl-gcc >/dev/null || cc=gcc
		"$cc" -std=c11 -D_GNU_SOURCE -static -O2 -o "$out.tmp" "$MR_TOP/tests/$src" &&
			mv "$out.tmp" "$out"
	) 9>"$out.lock"
	[ -x "$out" ] || {
		echo "cannot build tests/$src" >&2
		return 1
	}
	echo "$out"
}

# probe_build: tests/probe.c, as $PROBE (a prebuilt one when PROBE is set).
probe_build() {
	if [ -n "${PROBE:-}" ] && [ -x "$PROBE" ]; then
		return 0
	fi
	PROBE=$(tool_build probe probe.c)
}

# host_ns_arg: "cgroup:INO,ipc:INO,..." of the namespaces the runtimes run
# in, for `probe --host-ns`. Passed as argv, never env: env is compared.
host_ns_arg() {
	local out="" f
	for f in /proc/self/ns/*; do
		case $f in *_for_children) continue ;; esac
		out="$out${out:+,}${f##*/}:$(stat -L -c %i "$f")"
	done
	echo "$out"
}

# probe_args_json [EXTRA...]: the JSON array for process.args running the probe.
probe_args_json() {
	python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' \
		/bin/probe --host-ns "$(host_ns_arg)" "$@"
}

# ------------------------------------------------------------- bundles

# make_bundle DIR: a busybox-static rootfs with the probe at /bin/probe, and
# config.json from `runc spec` (or `minirunc spec` when runc is absent) with
# terminal false, the probe as args and MR_TEST_TAG in env.
make_bundle() {
	local b=$1 a
	mkdir -p "$b/rootfs"/{bin,dev,etc,proc,sys,tmp,root,home/user}
	cp "$BUSYBOX" "$b/rootfs/bin/busybox"
	for a in sh cat echo kill sleep true false ls id; do
		ln -sf busybox "$b/rootfs/bin/$a"
	done
	cp "$PROBE" "$b/rootfs/bin/probe"
	# runc sets HOME from /etc/passwd when env has none (runc: init_linux.go
	# finalizeNamespace/setupUser): give it one, so the two runtimes can differ.
	printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n' \
		>"$b/rootfs/etc/passwd"
	printf 'root:x:0:\nuser:x:1000:\n' >"$b/rootfs/etc/group"
	if [ -x "$RUNC" ]; then
		"$RUNC" spec --bundle "$b"
	else
		(cd "$b" && "$MINIRUNC" spec)
	fi || return 1
	cfg "$b" 'p["terminal"] = False' \
		"p[\"args\"] = $(probe_args_json)" \
		"p[\"env\"].append(\"MR_TEST_TAG=$TAG\")"
}

# cfg DIR STATEMENT...: edit DIR/config.json with python statements, where
#   c = the whole config, p = c["process"], l = c["linux"].
# e.g. cfg "$B" 'c["hostname"] = "box"' 'del p["rlimits"]'
cfg() {
	local b=$1
	shift
	python3 - "$b/config.json" "$@" <<'EOF'
import json, sys
path = sys.argv[1]
c = json.load(open(path))
p = c.setdefault("process", {})
l = c.setdefault("linux", {})
for stmt in sys.argv[2:]:
    exec(stmt)
with open(path, "w") as f:
    json.dump(c, f, indent="\t")
EOF
}

# cfg_set DIR PATH JSON: set one field by a dotted path, e.g.
#   cfg_set "$B" .process.cwd '"/tmp"'
#   cfg_set "$B" .linux.namespaces '[{"type":"pid"}]'
cfg_set() {
	python3 - "$1/config.json" "$2" "$3" <<'EOF'
import json, sys
path, dotted, value = sys.argv[1:4]
c = json.load(open(path))
keys = [k for k in dotted.split(".") if k]
node = c
for k in keys[:-1]:
    node = node[int(k)] if isinstance(node, list) else node.setdefault(k, {})
last = keys[-1]
if isinstance(node, list):
    node[int(last)] = json.loads(value)
else:
    node[last] = json.loads(value)
with open(path, "w") as f:
    json.dump(c, f, indent="\t")
EOF
}

# ---------------------------------------------------------- per-test life

# mr_setup: call from setup(). Makes $T, $ID, $TAG, $B (a bundle).
mr_setup() {
	require_root
	probe_build
	T=$(mktemp -d /tmp/mr-test.XXXXXX)
	chmod 755 "$T"
	TAG=${T##*/}
	ID=mr-${TAG#mr-test.}-${BATS_TEST_NUMBER:-0}
	MR_NETNS=()
	B=$T/bundle
	make_bundle "$B"
}

# track_netns NAME: a netns the test made, removed by mr_teardown.
track_netns() {
	MR_NETNS+=("$1")
}

# tagged_pids: processes this test started that may outlive a runtime: the
# container's (MR_TEST_TAG in environ) and the runtimes' (--root $T/...).
tagged_pids() {
	[ -n "${TAG:-}" ] || return 0
	{
		grep -lasF -- "MR_TEST_TAG=$TAG" /proc/[0-9]*/environ
		grep -lasF -- "$T/" /proc/[0-9]*/cmdline
	} 2>/dev/null | sed -n 's|^/proc/\([0-9]*\)/.*|\1|p' | sort -u
}

# mr_teardown: call from teardown(). Removes whatever the test made, even
# when it failed half way: containers, processes, mounts, netns, $T.
mr_teardown() {
	[ -n "${T:-}" ] && [ -d "$T" ] || return 0
	local r id p m
	for r in "$T"/root-*; do
		[ -d "$r" ] || continue
		for id in "$r"/*; do
			[ -e "$id" ] || continue
			case $r in
			*/root-runc) timeout 10 "$RUNC" --root "$r" delete -f "${id##*/}" ;;
			*/root-mr) timeout 10 "$MINIRUNC" --root "$r" delete -f "${id##*/}" ;;
			esac
		done
	done >/dev/null 2>&1
	for p in $(tagged_pids); do
		kill -9 "$p" 2>/dev/null
	done
	# Innermost first: a mount left under $T (bundle rootfs, test dirs).
	for m in $(awk -v t="$T/" 'index($2, t) == 1 { print $2 }' /proc/self/mounts | sort -r); do
		umount -l "$m" 2>/dev/null
	done
	for m in "${MR_NETNS[@]}"; do
		ip netns delete "$m" 2>/dev/null
	done
	# Innermost first; rmdir removes only an empty cgroup.
	for m in $(cgroup_dirs | sort -r); do
		rmdir "$m" 2>/dev/null
	done
	rm -rf --one-file-system "$T"
}

# ---------------------------------------------------------- running

# run_rt RUNTIME NAME BUNDLE [ID]: run the bundle in the foreground with the
# root $T/root-NAME, stdin /dev/null, stdout to $T/NAME.out, stderr to
# $T/NAME.err; sets RT_STATUS. stdout is first written to $T/out (the same
# path for every runtime) so that the probe's "fd: 1 ..." line is the same.
run_rt() {
	local rt=$1 n=$2 b=$3 id=${4:-$ID}
	RT_STATUS=0
	# RT_ARGS: extra `run` flags for both runtimes (e.g. --no-pivot).
	timeout "$MR_RUN_TIMEOUT" "$rt" --root "$T/root-$n" run ${RT_ARGS:-} --bundle "$b" "$id" \
		</dev/null >"$T/out" 2>"$T/err" || RT_STATUS=$?
	mv "$T/out" "$T/$n.out"
	mv "$T/err" "$T/$n.err"
}

# normalise_report < REPORT: the one place where lines that legitimately
# differ between runtimes (or between runs) are made equal. Each rule says why.
normalise_report() {
	local raw_fds=${MR_RAW_FDS:-0}
	# 1. Paths of this test's temp dir (bundle, bind sources) vary per test.
	# 2. (cgroups are compared as they are: both runtimes bind each v1
	#    hierarchy at the container's own cgroup, root=/<id>, or mount a fresh
	#    one in a cgroup namespace.)
	# 3. fds: which fds are open is compared everywhere; what 0-2 point to is
	#    compared once, in the stdio test of compare.bats, so that a
	#    difference there reads as one failure, not one in every test.
	# 4. SigIgn: signals 32-34 are libc's reserved real-time signals.  When
	#    the caller of the test ignores them, neither runtime can reset them
	#    through libc (runc's Go runtime resets 33 but not 32; minirunc's libc
	#    refuses both), so their bits are masked; every other signal compared.
	sed -e "s|$T/|TMP/|g" -e "s|$T\$|TMP|g" |
		awk -v raw_fds="$raw_fds" '
		function hexmask(h, pos, keep,    x, v) {
			x = "0123456789abcdef"
			v = index(x, substr(h, pos, 1)) - 1
			v = keep == "low3" ? v % 8 : v - v % 4
			return substr(h, 1, pos - 1) substr(x, v + 1, 1) substr(h, pos + 1)
		}
		/^SigIgn: / { h = hexmask(hexmask($2, 9, "low3"), 8, "high2"); print "SigIgn: " h; next }
		/^fd: [0-2] / && !raw_fds { print "fd: " $2 " (target compared in the stdio test)"; next }
		{ print }'
}

# run_both [BUNDLE]: the bundle under runc (root $T/root-runc), then under
# $MINIRUNC (root $T/root-mr), same id. Leaves $T/runc.report and
# $T/mr.report (normalised), RUNC_STATUS and MR_STATUS.
run_both() {
	local b=${1:-$B}
	require_runc
	require_minirunc
	run_rt "$RUNC" runc "$b"
	RUNC_STATUS=$RT_STATUS
	normalise_report <"$T/runc.out" >"$T/runc.report"
	run_rt "$MINIRUNC" mr "$b"
	MR_STATUS=$RT_STATUS
	normalise_report <"$T/mr.out" >"$T/mr.report"
}

# compare_reports: the two reports and exit codes must be identical.
compare_reports() {
	local ok=0 n
	n=$(basename "$MINIRUNC")
	if [ "$RUNC_STATUS" != "$MR_STATUS" ]; then
		echo "exit status: runc $RUNC_STATUS, $n $MR_STATUS"
		ok=1
	fi
	if [ ! -s "$T/runc.report" ]; then
		echo "runc printed no report; its stderr:"
		cat "$T/runc.err"
		ok=1
	fi
	if [ ! -s "$T/mr.report" ]; then
		echo "$n printed no report; its stderr:"
		cat "$T/mr.err"
		return 1
	fi
	if ! diff -u --label runc "$T/runc.report" --label "$n" "$T/mr.report"; then
		echo "--- $n stderr:"
		cat "$T/mr.err"
		ok=1
	fi
	return $ok
}

# compare_both [BUNDLE]: run_both + compare_reports.
compare_both() {
	run_both "$@" || return 1
	compare_reports
}

# report_has LINE: the (runc) report holds exactly this line.
report_has() {
	grep -qxF -- "$1" "$T/runc.report" || {
		echo "runc report lacks: $1"
		return 1
	}
}

# report_lines PREFIX: the report's lines that start with PREFIX.
report_lines() {
	grep -- "^$1" "$T/runc.report"
}

# ---------------------------------------------------------- nothing left behind

# cgroup_dirs: this test's cgroup directories in every hierarchy: named by its
# container ids (mr-XXXXXX-N..., the default cgroupsPath) or by its TAG (tests
# that set cgroupsPath put TAG in it), never anyone else's, so parallel runs
# do not see each other.
cgroup_dirs() {
	[ -n "${TAG:-}" ] || return 0
	local idp=mr-${TAG#mr-test.}-
	find /sys/fs/cgroup -mindepth 1 -maxdepth 8 -type d \
		\( -name "$idp*" -o -name "*$TAG*" \) 2>/dev/null | sort
}

# snapshot FILE: what a run could leave on the host. iptables counters and
# process ids are left out; everything else is compared line for line.
snapshot() {
	{
		echo "## netns"
		ip -all netns list 2>/dev/null | sort
		echo "## links"
		ip -o link show 2>/dev/null | sed -e 's/^[0-9]*: //' -e 's/\\.*//' | sort
		echo "## iptables"
		if command -v iptables-save >/dev/null; then
			iptables-save 2>/dev/null | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//' | sort
		fi
		echo "## mounts"
		sort /proc/self/mounts
		echo "## roots"
		find "$T" -maxdepth 1 -name 'root-*' 2>/dev/null | while read -r r; do
			find "$r" -mindepth 1
		done | sort
		echo "## cgroups"
		cgroup_dirs
		echo "## processes"
		for p in $(tagged_pids); do
			tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null
			echo
		done | sort
	} >"$1"
}

# assert_nothing_left BEFORE: a fresh snapshot must equal BEFORE.
assert_nothing_left() {
	snapshot "$T/snap.after"
	diff -u --label before "$1" --label after "$T/snap.after" || {
		echo "left behind on the host (see the diff above)"
		return 1
	}
}

# expect_bad_input WORD [BUNDLE] [ID]: $MINIRUNC run must fail with status 1,
# exactly one line on stderr that starts with "minirunc:" and names WORD
# (grep -i, extended regex), and leave nothing behind.
expect_bad_input() {
	local word=$1 b=${2:-$B} id=${3:-$ID} st=0
	require_minirunc
	snapshot "$T/snap.before"
	timeout "$MR_RUN_TIMEOUT" "$MINIRUNC" --root "$T/root-mr" run --bundle "$b" "$id" \
		</dev/null >"$T/bad.out" 2>"$T/bad.err" || st=$?
	echo "status $st; stderr:"
	cat "$T/bad.err"
	[ "$st" = 1 ] || { echo "want status 1"; return 1; }
	[ "$(wc -l <"$T/bad.err")" = 1 ] || { echo "want exactly one line on stderr"; return 1; }
	grep -q '^minirunc: ' "$T/bad.err" || { echo "want 'minirunc: ...'"; return 1; }
	grep -qiE -- "$word" "$T/bad.err" || { echo "the message must name: $word"; return 1; }
	assert_nothing_left "$T/snap.before"
}
