#!/bin/sh
# guests: all
# smoke-hooks: the six hooks of the OCI runtime spec run in their order around one `run`,
# each given the container's state (its id) on stdin.  startContainer runs inside the
# container, so the log is a file of the (writable) rootfs, seen at /hooks.log from there.
. "$VM_LIB"

bundle "$T/b" true
sed -i 's/"readonly": true/"readonly": false/' "$T/b/config.json"
log=$T/b/rootfs/hooks.log
hook() { # KIND LOGPATH: a hook that logs KIND when its stdin names the container h1
	echo "{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"grep -q h1 && echo $1 >>$2\"]}"
}
h="{\"prestart\": [$(hook prestart "$log")], \"createRuntime\": [$(hook createRuntime "$log")],"
h="$h \"createContainer\": [$(hook createContainer "$log")],"
h="$h \"startContainer\": [$(hook startContainer /hooks.log)],"
h="$h \"poststart\": [$(hook poststart "$log")], \"poststop\": [$(hook poststop "$log")]}"
add_hooks "$T/b" "$h"
check "run with six hooks" sh -c "mr run -b '$T/b' h1 </dev/null >&2"
cat "$log" >&2
check "all six, in order" test "$(cat "$log" | tr '\n' ' ')" = \
	"prestart createRuntime createContainer startContainer poststart poststop "

# A failing prestart hook fails the run and leaves nothing.
bundle "$T/f" true
add_hooks "$T/f" '{"prestart": [{"path": "/bin/false"}]}'
check "a failing prestart hook fails run" sh -c "! mr run -b '$T/f' h2 </dev/null 2>'$T/err'"
cat "$T/err" >&2
check "one line naming the hook" grep -q '^minirunc: .*hook' "$T/err"
check "no state left" test -z "$(mr list -q)"
done_testing
