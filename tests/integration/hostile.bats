#!/usr/bin/env bats
# hostile.bats - broken and malicious config.json files (issue 6):
# tests/hostile/make.sh makes the corpus at test time (wrong types, NULs,
# absurd sizes, deep nesting, huge numbers, duplicate keys, invalid UTF-8,
# path tricks) and each one is run with `minirunc run`: exit status 1,
# exactly one line on stderr starting "minirunc:", nothing left behind.
# One test per group; a failing test names every file of its group that
# failed and why.  The "path" group may run: then nothing may appear on the
# host outside the rootfs.
# runc counterpart: none (runc relies on Go's encoding/json).

load helpers
load security_helpers

setup() {
	mr_setup
	ESC=/tmp/mr-hostile-escape
	cfg "$B" 'p["args"] = ["/bin/true"]' "c['root']['path'] = '$B/rootfs'"
	"$MR_TOP/tests/hostile/make.sh" "$B/config.json" "$T/corpus"
	mkdir -p "$T/h"
}

teardown() {
	mr_teardown
}

# one_case FILE: 0 when FILE fails cleanly; else says why.
one_case() {
	local f=$1 n st=0
	n=$(basename "$f" .json)
	cp "$f" "$T/h/config.json"
	timeout 20 "$MINIRUNC" --root "$T/root-mr" run --bundle "$T/h" "$ID" </dev/null \
		>"$T/h.out" 2>"$T/h.err" || st=$?
	if [ "$st" != 1 ] || [ "$(wc -l <"$T/h.err")" != 1 ] || ! grep -q '^minirunc: ' "$T/h.err"; then
		echo "FAIL $n: status $st, stderr ($(wc -l <"$T/h.err") lines): $(head -c 300 "$T/h.err" | head -3)"
		return 1
	fi
	echo "ok   $n: $(head -c 160 "$T/h.err")"
}

# run_group GROUP: every file of the group; nothing left after all of them.
run_group() {
	local f bad=0 n=0
	snapshot "$T/snap.before"
	for f in "$T/corpus/$1"-*.json; do
		n=$((n + 1))
		one_case "$f" || bad=$((bad + 1))
		mr delete -f "$ID" >/dev/null 2>&1 || true
	done
	echo "$1: $n files, $bad failed"
	[ "$n" -gt 0 ]
	assert_nothing_left "$T/snap.before"
	[ "$bad" = 0 ]
}

@test "hostile: every field with the wrong type" { run_group type; }
@test "hostile: NUL in strings that become C strings" { run_group nul; }
@test "hostile: absurd sizes (5 MiB config, 100 KB hostname, 200k args)" { run_group size; }
@test "hostile: deep nesting" { run_group nest; }
@test "hostile: huge, fractional, negative numbers" { run_group num; }
@test "hostile: duplicate keys" { run_group dup; }
@test "hostile: invalid UTF-8 and lone surrogates" { run_group utf8; }
@test "hostile: not JSON (trailing data, comments, BOM, form feed, ...)" { run_group syntax; }

@test "hostile: path tricks fail cleanly or stay inside the rootfs" {
	local f n st
	rm -rf "$ESC"
	snapshot "$T/snap.before"
	for f in "$T/corpus"/path-*.json; do
		n=$(basename "$f" .json)
		cp "$f" "$T/h/config.json"
		st=0
		timeout 20 "$MINIRUNC" --root "$T/root-mr" run --bundle "$T/h" "$ID" </dev/null \
			>"$T/h.out" 2>"$T/h.err" || st=$?
		echo "$n: status $st $(cat "$T/h.err")"
		if [ "$st" != 0 ]; then
			[ "$st" = 1 ] && [ "$(wc -l <"$T/h.err")" = 1 ] && grep -q '^minirunc: ' "$T/h.err"
		fi
		[ ! -e "$ESC" ]
	done
	assert_nothing_left "$T/snap.before"
}
