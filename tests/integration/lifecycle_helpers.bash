#!/bin/bash
# lifecycle_helpers.bash - what hooks.bats and lifecycle.bats add to
# helpers.bash (load helpers first): the hook recorder (tests/recorder.c),
# the console receiver (tests/console_recv.c), hook configuration, running
# the create/start/kill/delete cycle under one runtime, and normalising
# the records and the `state` JSON.
#
# runc counterpart: tests/integration/helpers.bash in runc (wait_for_container,
# testcontainer, the recvtty helper); written anew here.

# A clean, identical environment for both runtimes: a hook without "env"
# gets the runtime's own environment (runc: os/exec with a nil Env), so the
# two must be started with the same one; `env -i` also drops bash's "_".
MR_RT_ENV=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	MR_RUNTIME_ENV=yes)

# rec_setup: the recorder at $REC (host), at /bin/recorder in the rootfs, the
# record dir $T/rec (bind-mounted at /rec in the container, for the hooks
# that run there) holding the runtime's namespaces in $T/rec/hostns.
rec_setup() {
	local f
	REC=$(tool_build recorder recorder.c) || return 1
	cp "$REC" "$B/rootfs/bin/recorder"
	mkdir -p "$T/rec" "$B/rootfs/rec"
	for f in /proc/self/ns/*; do
		case $f in *_for_children) continue ;; esac
		echo "${f##*/} $(stat -L -c %i "$f")"
	done >"$T/rec/hostns"
	cfg "$B" "c['mounts'].append({'destination': '/rec', 'type': 'bind',
		'source': '$T/rec', 'options': ['rbind', 'rw']})"
}

# add_hook KIND JSON: append one hook (a python dict literal) to hooks.KIND.
add_hook() {
	cfg "$B" "c.setdefault('hooks', {}).setdefault('$1', []).append($2)"
}

# rec_hook KIND [WHERE] [EXTRA_PY]: a recorder hook of KIND; WHERE is "host"
# (the default: $REC, record $T/rec/log) or "container" (/bin/recorder,
# record /rec/log, for startContainer, which runs after pivot_root).
# The hook's argv is: path, record, KIND, "arg with space"; env is given
# (HOOK_KIND=KIND) unless EXTRA_PY says otherwise.
rec_hook() {
	local kind=$1 where=${2:-host} extra=${3:-}
	local path=$REC rec=$T/rec/log
	if [ "$where" = container ]; then
		path=/bin/recorder
		rec=/rec/log
	fi
	add_hook "$kind" "dict({'path': '$path', 'args': ['recorder-$kind', '$rec', '$kind',
		'arg with space'], 'env': ['HOOK_KIND=$kind', 'A=b=c']}, **{$extra})"
}

# all_rec_hooks: one recorder of every kind (startContainer from inside).
all_rec_hooks() {
	local k
	for k in prestart createRuntime createContainer poststart poststop; do
		rec_hook "$k"
	done
	rec_hook startContainer container
}

# normalise_rec < RECORD: what legitimately differs between runs or runtimes,
# each rule with its reason:
# 1. this test's temp dir;
# 2. the state JSON is compared as JSON (keys sorted): a hook reads it with a
#    JSON parser; the byte order of keys is checked once, in its own test;
# 3. host pids in it (the init's pid as the runtime sees it) become "PID";
#    a container's own pid 1 stays;
# 4. fds from 3 up: runc leaks some into hooks (its init's sync socket, log
#    pipe and exec.fifo into createContainer; its own inherited fds into
#    poststop under `delete`); "fds 0-2 only" has its own test instead;
# 5. with MR_REC_SORT=1, blocks are sorted by hook kind (the lifecycle order),
#    for tests that compare what each hook saw, not when.
normalise_rec() {
	python3 -c '
import json, os, sys
t = sys.argv[1]
order = ["prestart", "createRuntime", "createContainer", "startContainer",
         "poststart", "poststop"]
blocks, cur = [], None
for line in sys.stdin.read().split("\n"):
    if not line:
        continue
    line = line.replace(t + "/", "TMP/")
    if line.endswith(t):
        line = line[: -len(t)] + "TMP"
    if line.startswith("fd: ") and int(line.split()[1]) > 2:
        continue
    if line.startswith("stdin: "):
        try:
            st = json.loads(line[7:])
            if isinstance(st.get("pid"), int) and st["pid"] > 1:
                st["pid"] = "PID"
            line = "stdin: " + json.dumps(st, sort_keys=True)
        except ValueError:
            pass
    if line == "== hook":
        cur = []
        blocks.append(cur)
    if cur is None:
        cur = []
        blocks.append(cur)
    cur.append(line)
def kind(b):
    a = [l for l in b if l.startswith("argv: ")]
    k = a[2][6:] if len(a) > 2 else ""
    return order.index(k) if k in order else len(order)
def fix(b, k, wants, new):
    return [new if l.startswith(wants) else l for l in b] if kind(b) == order.index(k) else b
if os.environ.get("MR_REC_POSTSTART") == "1":
    # runc 1.1.5 departs: it runs poststart at the end of `create` (and of
    # the create half of `run`) while the process still waits, so the state
    # says "created" and the cwd is the bundle; minirunc runs it in `start`
    # once the process runs (runtime-spec runtime.md, lifecycle step 8-9).
    blocks = [fix(b, "poststart", "cwd: ", "cwd: (not compared: runc runs poststart in create)")
              for b in blocks]
    blocks = [[l.replace("\"status\": \"created\"", "\"status\": \"running\"") for l in b]
              if kind(b) == order.index("poststart") else b for b in blocks]
if os.environ.get("MR_REC_KNOWN") == "1":
    # Differences that have a test of their own in hooks.bats (each fails
    # there, once, while minirunc has them): see "createContainer: cwd",
    # "startContainer: no_new_privs" and "startContainer: the init readable".
    blocks = [fix(b, "createContainer", "cwd: ", "cwd: (see its own test)") for b in blocks]
    blocks = [fix(b, "startContainer", "NoNewPrivs:", "NoNewPrivs: (see its own test)")
              for b in blocks]
    blocks = [[l for l in b if not l.startswith(("ns: ", "initns: "))]
              if kind(b) == order.index("startContainer") else b for b in blocks]
if os.environ.get("MR_REC_SORT") == "1":
    blocks.sort(key=kind)
for b in blocks:
    print("\n".join(b))
' "$T"
}

# rt NAME ARGS...: one runtime command with root $T/root-NAME (NAME runc or
# mr), in $T, in the clean environment; stdout $T/NAME.o, stderr $T/NAME.e,
# status in RT_RC. Never waits longer than MR_RUN_TIMEOUT.
rt() {
	local n=$1 bin=$MINIRUNC
	shift
	[ "$n" = runc ] && bin=$RUNC
	RT_RC=0
	(cd "$T" && timeout "$MR_RUN_TIMEOUT" "${MR_RT_ENV[@]}" "$bin" --root "$T/root-$n" "$@" \
		</dev/null >"$T/$n.o" 2>"$T/$n.e") || RT_RC=$?
}

# both CMD...: the same command under runc and minirunc (outputs in
# $T/runc.o/.e and $T/mr.o/.e; statuses in RUNC_RC and MR_RC).
both() {
	require_runc
	require_minirunc
	rt runc "$@"
	RUNC_RC=$RT_RC
	rt mr "$@"
	MR_RC=$RT_RC
}

# rt_show NAME: the last command's status and output, for a failure's log.
rt_show() {
	echo "[$1] status $RT_RC; stdout: $(cat "$T/$1.o"); stderr: $(cat "$T/$1.e")"
}

# rt_ok NAME ARGS...: rt, which must succeed.
rt_ok() {
	rt "$@"
	[ "$RT_RC" = 0 ] || {
		rt_show "$1"
		return 1
	}
}

# status_of NAME [ID]: the "status" of `state` ("" when state fails).
status_of() {
	rt "$1" state "${2:-$ID}"
	python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])' <"$T/$1.o" \
		2>/dev/null || true
}

# wait_status NAME WANT [ID]: poll `state` (at most ~3 s) until WANT.
wait_status() {
	local i s
	for i in $(seq 60); do
		s=$(status_of "$1" "${3:-}")
		[ "$s" = "$2" ] && return 0
		sleep 0.05
	done
	echo "[$1] status is \"$s\", want \"$2\""
	return 1
}

# take_rec NAME: move the record to $T/NAME.rec, normalised.
take_rec() {
	if [ -f "$T/rec/log" ]; then
		cp "$T/rec/log" "$T/$1.raw"
		normalise_rec <"$T/rec/log" >"$T/$1.rec"
		rm -f "$T/rec/log"
	else
		: >"$T/$1.rec"
	fi
}

# compare_recs: the two records must be identical.
compare_recs() {
	diff -u --label runc "$T/runc.rec" --label minirunc "$T/mr.rec"
}

# rec_kinds NAME: the order the hooks ran in, one kind a line.
rec_kinds() {
	awk '/^argv: / { n++; if (n == 3) print $2 } /^== hook/ { n = 0 }' "$T/$1.rec"
}

# state_shape NAME: `state` JSON's keys with value types, and values minus
# what varies (pid, created, paths); objects compared as JSON, keys sorted
# (runc's Go maps come out sorted; minirunc keeps config.json's order).
state_shape() {
	python3 -c '
import json, sys
s = json.load(sys.stdin)
for k in sorted(s):
    v = s[k]
    t = type(v).__name__
    if k in ("pid", "created", "bundle", "rootfs"):
        print(k, t)
    else:
        print(k, t, json.dumps(v, sort_keys=True))' <"$T/$1.o"
}

# expect_fail NAME STATUS WORD: the last command failed with STATUS, and for
# minirunc with exactly one stderr line "minirunc: ..." naming WORD.
expect_fail() {
	local n=$1 want=$2 word=$3
	rt_show "$n"
	[ "$RT_RC" = "$want" ] || {
		echo "want status $want"
		return 1
	}
	[ "$n" = runc ] && return 0
	[ "$(wc -l <"$T/$n.e")" = 1 ] || {
		echo "want exactly one line on stderr"
		return 1
	}
	grep -q '^minirunc: ' "$T/$n.e" || {
		echo "want 'minirunc: ...'"
		return 1
	}
	grep -qiE -- "$word" "$T/$n.e" || {
		echo "the message must name: $word"
		return 1
	}
}
