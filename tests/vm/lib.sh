#!/bin/sh
# tests/vm/lib.sh - sourced by every case in the guest (`. "$VM_LIB"`): TAP helpers and busybox
# bundles.  busybox sh only: the guest has no bash, python or jq.
#
#   check DESCRIPTION CMD...   run CMD (output to the case's log); "ok"/"not ok" by its status
#   pass/fail DESCRIPTION      report a result decided by the case itself
#   skip DESCRIPTION WHY       a test that cannot run here (a failure under CI: tests/run.sh)
#   done_testing               the plan, last; the exit status says whether all passed
#   bundle DIR ARG...          `minirunc spec`'s default bundle with busybox as its rootfs,
#                              terminal off, process.args set to ARG...
#   set_args DIR ARG...        the same edit of an existing DIR/config.json
#   add_hooks DIR JSON         put JSON (the value of "hooks") into DIR/config.json
#   mr ARGS...                 $MINIRUNC --root $T/state ARGS... (a command in $T/bin, so
#                              that `sh -c` and hooks can call it too)
_n=0
_failed=0

pass() { _n=$((_n + 1)) && echo "ok $_n - $1"; }
fail() { _n=$((_n + 1)) && _failed=$((_failed + 1)) && echo "not ok $_n - $1"; }
skip() { _n=$((_n + 1)) && echo "ok $_n - $1 # skip $2"; }
check() {
	_d=$1
	shift
	echo "## $_d: $*" >&2
	if "$@" >&2; then pass "$_d"; else fail "$_d"; fi
}
done_testing() {
	echo "1..$_n"
	[ "$_failed" = 0 ]
}

mkdir -p "$T/bin"
printf '#!/bin/sh\nexec "%s" --root "%s/state" "$@"\n' "$MINIRUNC" "$T" >"$T/bin/mr"
chmod +x "$T/bin/mr"
export PATH="$T/bin:$PATH" T

# json_args ARG...: the JSON array of ARG... (backslash, quote, tab and newline escaped).
json_args() {
	_s=""
	for _a in "$@"; do
		_a=$(printf '%s' "$_a" | awk 'BEGIN { ORS = "" } { gsub(/\\/, "\\\\");
			gsub(/"/, "\\\""); gsub(/\t/, "\\t"); if (NR > 1) print "\\n"; print }')
		_s="$_s${_s:+, }\"$_a\""
	done
	echo "[$_s]"
}

bundle() {
	_b=$1
	shift
	mkdir -p "$_b/rootfs/bin" || return 1
	cp /bin/busybox "$_b/rootfs/bin/busybox" || return 1
	for _a in sh ls cat echo sleep ip nc ifconfig grep true false id hostname ps sed wc readlink; do
		ln -s busybox "$_b/rootfs/bin/$_a"
	done
	"$MINIRUNC" spec -b "$_b" || return 1
	set_args "$_b" "$@"
}

# set_args DIR ARG...: DIR/config.json (a `minirunc spec` default, plain or --rootless) with
# terminal off and process.args set to ARG...
set_args() {
	_b=$1
	shift
	# The default's args are one line ["sh"] split over three: replace the middle one.
	_j=$(json_args "$@" | sed 's/^\[//; s/\]$//')
	sed -i "s/\"terminal\": true/\"terminal\": false/; /^\t\t\"args\": \[/,/\]/ s/^\t\t\t\"sh\"\$/\t\t\t$(printf '%s' "$_j" | sed 's/[\\&/|]/\\&/g')/" \
		"$_b/config.json"
}

add_hooks() {
	_h=$(printf '%s' "$2" | sed 's/[\\&/|]/\\&/g')
	sed -i "s/^\t\"ociVersion\": \(.*\),\$/\t\"ociVersion\": \1,\n\t\"hooks\": $_h,/" "$1/config.json"
}
