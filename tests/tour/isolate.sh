#!/bin/bash
# tests/tour/isolate.sh SCRATCH CMD... - run CMD in private mount and network
# namespaces made for the tour: a private tmpfs on /run/netns (the tour's
# `ip netns add` and `minirunc net create` bind their namespaces there) and on
# /run/minirunc (the containers' and the bridges' state), lo up.  Everything
# the tour makes in the network (bridges, veths, addresses, iptables rules,
# ip_forward) is inside this network namespace or the ones it creates, and
# goes when the last process in them ends; the mounts go with the mount
# namespace.  Used by tests/integration/tour.bats (the test must not depend
# on anything outside the tree).
set -e
scratch=$1
shift
exec unshare --mount --net --propagation private bash -c '
set -e
mkdir -p /run/netns /run/minirunc
mount -t tmpfs tmpfs /run/netns
mount --make-rshared /run/netns 2>/dev/null || true
mount -t tmpfs tmpfs /run/minirunc
ip link set lo up
cd "$0"
exec "$@"' "$scratch" "$@"
