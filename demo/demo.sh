#!/usr/bin/env bash
# demo/demo.sh - the README's first command: build minirunc, make a busybox
# bundle from `minirunc spec`, and run it.  The container prints what the
# seed shows: its own namespaces beside the host's, and only `lo`, UP.
set -eu
cd "$(dirname "$0")/.."
if ! [ -x /bin/busybox ] || ! command -v cc >/dev/null || ! command -v python3 >/dev/null; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq busybox-static gcc make python3 >/dev/null
fi
make -s minirunc
b=build/demo
rm -rf "$b" && mkdir -p "$b/rootfs/bin" "$b/rootfs/proc" "$b/rootfs/dev" "$b/rootfs/sys"
cp /bin/busybox "$b/rootfs/bin/"
for a in sh ls sed ifconfig hostname; do ln -s busybox "$b/rootfs/bin/$a"; done
./minirunc spec -b "$b"
# terminal off, and a script instead of an interactive shell
python3 - "$b/config.json" <<'PY'
import json, sys
p = sys.argv[1]; c = json.load(open(p))
c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c",
    "echo '--- hostname:' $(hostname); echo '--- namespaces (container):'; ls -l /proc/self/ns | sed -n 's/.* \\([a-z_]* -> .*\\)/\\1/p'; "
    "echo '--- ifconfig:'; ifconfig"]
json.dump(c, open(p, "w"), indent="\t")
PY
echo "--- namespaces (host):"
ls -l /proc/self/ns | sed -n 's/.* \([a-z_]* -> .*\)/\1/p'
rm -rf build/demo-state
exec ./minirunc --root build/demo-state run "$b"
