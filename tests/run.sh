#!/usr/bin/env bash
# tests/run.sh - the test command (README, TESTING.md): installs what the
# tests need when it is missing, builds, runs the unit tests and the bats
# integration tests, and ends with one line "N passed, N failed, N skipped".
# Exit status is non-zero on any failure.  Root is needed for the
# integration tests; without root they are skipped (and under CI, where
# MINIRUNC_MUST_WORK=1, a skip of a root or runc test is a failure).
set -u
cd "$(dirname "$0")/.."
top=$PWD
[ "${CI:-}" = true ] && export MINIRUNC_MUST_WORK=1

# command -> Debian package
deps="cc:gcc make:make runc:runc crun:crun busybox:busybox-static iptables:iptables ip:iproute2
bats:bats musl-gcc:musl-tools clang:clang python3:python3 file:file"

install_missing() {
	local missing="" pair
	for pair in $deps; do
		command -v "${pair%%:*}" >/dev/null 2>&1 || missing="$missing ${pair#*:}"
	done
	[ -f /bin/busybox ] && file -L /bin/busybox | grep -q 'statically linked' ||
		missing="$missing busybox-static"
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "tests/run.sh: missing packages:$missing (run as root to install them)" >&2
		return 0
	fi
	echo "tests/run.sh: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null
}

install_missing || { echo "tests/run.sh: apt-get install failed" >&2; exit 1; }

passed=0 failed=0 skipped=0
make -s minirunc CFLAGS="-O2 -g -Werror" || { echo "0 passed, 1 failed"; exit 1; }
export MINIRUNC="$top/minirunc"

# Unit tests: each program prints "unit FILE: N passed, N failed".
make -s build-unit >/dev/null || failed=$((failed + 1))
for t in build/unit/test_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1)
	echo "$out" | grep -v '^unit ' >&2
	line=$(echo "$out" | grep '^unit ' | tail -n 1)
	echo "$line"
	p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
	[ -n "$p" ] || { p=0; f=1; echo "$t: no result line" >&2; }
	passed=$((passed + p)) failed=$((failed + f))
done

# Integration tests (bats, TAP output).
if [ -d tests/integration ] && ls tests/integration/*.bats >/dev/null 2>&1; then
	mkdir -p build
	tap=build/integration.tap
	# Bounded: a leaked process holding bats' output must not stall CI.
	timeout 1500 bats --tap ${BATS_FILTER:+--filter "$BATS_FILTER"} tests/integration/*.bats 2>&1 |
		tee "$tap"
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tap" | head -n 1)
	s=$(grep -c '^ok .*# skip' "$tap" || true)
	p=$(grep '^ok ' "$tap" | grep -vc '# skip' || true)
	f=$(grep -c '^not ok ' "$tap" || true)
	# A test that never reported (bats killed, output lost) is a failure.
	missing=$((${plan:-1} - s - p - f))
	[ "$missing" -gt 0 ] && echo "tests/run.sh: $missing integration tests did not report" >&2
	[ "$missing" -gt 0 ] || missing=0
	skipped=$((skipped + s)) passed=$((passed + p)) failed=$((failed + f + missing))
fi

if [ "${MINIRUNC_MUST_WORK:-0}" = 1 ] && [ "$skipped" -gt 0 ]; then
	echo "tests/run.sh: $skipped skipped while MINIRUNC_MUST_WORK=1" >&2
	failed=$((failed + skipped))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
