#!/usr/bin/env bash
# tests/run.sh - the test command (README, TESTING.md): installs what the
# tests need when it is missing, builds, and runs every layer:
#   1. unit tests (gcc, -Werror)
#   2. the same under ASan+UBSan (clang), and under valgrind (no error, no leak)
#   3. the bats integration suite with ./minirunc (root; runc beside)
#   4. the same suite again with ./minirunc-asan (ASan+UBSan build)
#   5. a short libFuzzer smoke run of each fuzz target
#   6. the engines (tests/engines): podman, containerd (ctr and CRI), docker,
#      each in the test's own net+mount namespaces, with runc and minirunc
#   7. the guest machines (tests/vm/run.sh): x86_64 pure cgroup v2, aarch64, armhf under qemu,
#      each running tests/vm/cases/ with its own static build; two at once (x86_64 beside
#      aarch64, then armhf: 47 s instead of 65 s one after another on this 2-core machine),
#      MINIRUNC_VM_JOBS=1 for one after another
# It ends with one line "N passed, N failed, N skipped" and exits non-zero on
# any failure.  Without root the integration tests skip; under CI, where
# MINIRUNC_MUST_WORK=1, a skip of a root or runc test is a failure.
# MINIRUNC_QUICK=1 runs layers 1 and 3 only (for a quick look while working).
# MINIRUNC_VM=0 leaves out layer 6 alone.
set -u
cd "$(dirname "$0")/.."
top=$PWD
[ "${CI:-}" = true ] && export MINIRUNC_MUST_WORK=1
quick=${MINIRUNC_QUICK:-0}

# command -> Debian package
deps="cc:gcc make:make runc:runc crun:crun busybox:busybox-static iptables:iptables ip:iproute2
bats:bats musl-gcc:musl-tools clang:clang python3:python3 file:file valgrind:valgrind
nsenter:util-linux qemu-system-x86_64:qemu-system-x86 qemu-system-aarch64:qemu-system-arm
cpio:cpio xz:xz-utils aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu arm-linux-gnueabihf-gcc:gcc-arm-linux-gnueabihf
newuidmap:uidmap newgidmap:uidmap useradd:passwd setpriv:util-linux
podman:podman conmon:conmon containerd:containerd dockerd:docker.io protoc:protobuf-compiler"
# engine-layer packages with no command of their own to look for
engine_pkgs="python3-grpcio python3-protobuf containernetworking-plugins netavark
golang-github-containers-common"

install_missing() {
	local missing="" pair
	for pair in $deps; do
		command -v "${pair%%:*}" >/dev/null 2>&1 || missing="$missing ${pair#*:}"
	done
	[ -f /bin/busybox ] && file -L /bin/busybox | grep -q 'statically linked' ||
		missing="$missing busybox-static"
	# clang's sanitizer and libFuzzer runtimes
	dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || missing="$missing libclang-rt-14-dev"
	# the cross builds' kernel headers and startup files (make static ARCH=..., the guests),
	# and the engine layer's packages that have no command of their own
	for pair in libc6-dev-arm64-cross libc6-dev-armhf-cross $engine_pkgs; do
		dpkg -s "$pair" >/dev/null 2>&1 || missing="$missing $pair"
	done
	# seccomp.bats: libseccomp for Debian's python (the reference filter) and
	# podman's default profile
	/usr/bin/python3 -c 'import seccomp' 2>/dev/null || missing="$missing python3-seccomp"
	[ -f /usr/share/containers/seccomp.json ] || missing="$missing golang-github-containers-common"
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "tests/run.sh: missing packages:$missing (run as root to install them)" >&2
		return 0
	fi
	echo "tests/run.sh: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	# No service may start on install (docker.io, containerd): an engine's daemon
	# runs only inside a test's own namespaces, never in the machine's. A
	# policy-rc.d that exits 101 tells invoke-rc.d(8) to start nothing.
	local policy=/usr/sbin/policy-rc.d made_policy=0 rc
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
	fi
	apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null
	rc=$?
	[ "$made_policy" = 1 ] && rm -f "$policy"
	return $rc
}

passed=0 failed=0 skipped=0

# count_unit OUTPUT: add up the "unit FILE: N passed, N failed" lines.
count_unit() {
	local line p f
	while read -r line; do
		p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
		f=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
		passed=$((passed + ${p:-0})) failed=$((failed + ${f:-1}))
	done < <(echo "$1" | grep '^unit ')
}

# run_units LABEL WRAPPER... : every unit-test binary of build/$dir, each
# through WRAPPER (may be empty); a binary without a result line fails.
run_units() {
	local label=$1 dir=$2 t out
	shift 2
	for t in "$dir"/test_*; do
		[ -x "$t" ] || continue
		out=$("$@" "$t" 2>&1)
		local rc=$?
		echo "$out" | grep -v '^unit ' >&2
		echo "$out" | grep '^unit ' | sed "s/^unit /unit ($label) /"
		if ! echo "$out" | grep -q '^unit '; then
			echo "$t ($label): no result line" >&2
			failed=$((failed + 1))
		elif [ $rc -ne 0 ] && ! echo "$out" | grep -q ' [1-9][0-9]* failed'; then
			echo "$t ($label): exit status $rc" >&2
			failed=$((failed + 1))
		fi
		count_unit "$out"
	done
}

# run_bats LABEL: the integration suite with $MINIRUNC, TAP counted.
run_bats() {
	local tap=build/integration-$1.tap
	ls tests/integration/*.bats >/dev/null 2>&1 || return 0
	echo "# integration tests ($1: $MINIRUNC)"
	# Bounded: a leaked process holding bats' output must not stall CI.
	timeout 1500 bats --tap ${BATS_FILTER:+--filter "$BATS_FILTER"} tests/integration/*.bats 2>&1 |
		tee "$tap"
	count_tap "$tap"
}

# count_tap TAP: add a bats TAP stream's results to the totals.
count_tap() {
	local tap=$1 plan s p f missing
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tap" | head -n 1)
	s=$(grep -c '^ok .*# skip' "$tap" || true)
	p=$(grep '^ok ' "$tap" | grep -vc '# skip' || true)
	f=$(grep -c '^not ok ' "$tap" || true)
	# A test that never reported (bats killed, output lost) is a failure.
	missing=$((${plan:-1} - s - p - f))
	[ "$missing" -gt 0 ] && echo "tests/run.sh: $missing tests of $tap did not report" >&2
	[ "$missing" -gt 0 ] || missing=0
	skipped=$((skipped + s)) passed=$((passed + p)) failed=$((failed + f + missing))
}

# run_engines: tests/engines, each engine in its own namespaces (helpers.bash).
run_engines() {
	local tap=build/engines.tap
	echo "# engine tests ($MINIRUNC)"
	timeout 900 bats --tap tests/engines/*.bats 2>&1 | tee "$tap"
	count_tap "$tap"
}

# fuzz_smoke TARGET ARGS...: a short libFuzzer run; a finding fails it.
fuzz_smoke() {
	local name=$1 log=build/$1.log
	shift
	mkdir -p "build/smoke-$name"
	# The first corpus directory is where libFuzzer writes: build/, never the tree.
	if make -s "build/$name" && "build/$name" -max_total_time=15 "build/smoke-$name" "$@" \
		>"$log" 2>&1; then
		echo "fuzz $name: $(grep -o 'Done [0-9]* runs in [0-9]* second' "$log")"
		passed=$((passed + 1))
	else
		tail -n 30 "$log" >&2
		failed=$((failed + 1))
	fi
}

# run_vm GUEST...: tests/vm/run.sh for each GUEST, its TAP counted; a test that never reported
# (qemu killed, output lost) is a failure.  A guest that cannot boot reports "not ok" itself.
run_vm() {
	local g tap plan s p f
	for g in "$@"; do
		tap=build/vm-$g.tap
		echo "# guest $g (tests/vm/run.sh $g)"
		if [ ! -s "$tap" ]; then
			echo "tests/run.sh: guest $g printed nothing" >&2
			tail -n 20 "build/vm-$g.log" >&2
			failed=$((failed + 1))
			continue
		fi
		cat "$tap"
		plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tap" | tail -n 1)
		s=$(grep -c '^ok .*# skip' "$tap" || true)
		p=$(grep '^ok ' "$tap" | grep -vc '# skip' || true)
		f=$(grep -c '^not ok ' "$tap" || true)
		[ -n "$plan" ] || plan=$((s + p + f + 1))
		[ $((plan - s - p - f)) -gt 0 ] && f=$((plan - s - p))
		skipped=$((skipped + s)) passed=$((passed + p)) failed=$((failed + f))
	done
}

# start_vm GUEST: tests/vm/run.sh GUEST into build/vm-GUEST.tap (its stderr beside it).
start_vm() {
	rm -f "build/vm-$1.tap"
	tests/vm/run.sh "$1" >"build/vm-$1.tap" 2>"build/vm-$1.log"
}

install_missing || { echo "tests/run.sh: apt-get install failed" >&2; exit 1; }
mkdir -p build

# 1. unit tests
make -s minirunc build-unit CFLAGS="-O2 -g -Werror" || { echo "0 passed, 1 failed"; exit 1; }
export MINIRUNC="$top/minirunc"
run_units gcc build/unit

if [ "$quick" != 1 ]; then
	# 2. sanitizers and valgrind on the unit tests
	if make -s asan-build; then
		run_units asan build/asan
	else
		failed=$((failed + 1))
	fi
	run_units valgrind build/unit valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect
fi

# 3. integration
run_bats gcc

if [ "$quick" != 1 ]; then
	# 4. integration again under ASan+UBSan
	MINIRUNC="$top/minirunc-asan" run_bats asan
	# 5. fuzz smoke
	fuzz_smoke fuzz_config tests/fuzz/corpus -dict=tests/fuzz/json.dict
	fuzz_smoke fuzz_netlink tests/fuzz/corpus-netlink
	# 6. engines
	run_engines
fi

if [ "$quick" != 1 ] && [ "${MINIRUNC_VM:-1}" != 0 ]; then
	# 7. guest machines, two at once (one after another: MINIRUNC_VM_JOBS=1)
	vm_t0=$(date +%s)
	if [ "${MINIRUNC_VM_JOBS:-2}" != 1 ]; then
		start_vm x86_64-v2 &
		start_vm aarch64
		wait
		start_vm armhf
	else
		for g in x86_64-v2 aarch64 armhf; do start_vm "$g"; done
	fi
	run_vm x86_64-v2 aarch64 armhf
	echo "# guests: $(($(date +%s) - vm_t0)) s"
fi

if [ "${MINIRUNC_MUST_WORK:-0}" = 1 ] && [ "$skipped" -gt 0 ]; then
	echo "tests/run.sh: $skipped skipped while MINIRUNC_MUST_WORK=1" >&2
	failed=$((failed + skipped))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
