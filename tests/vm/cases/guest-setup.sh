#!/bin/sh
# guests: all
# guest-setup: the guest is what the other cases take for granted: the modules of
# tests/vm/modules loaded, the build tree read-only, no network device but lo, cgroup v2 only.
. "$VM_LIB"

for m in $(grep -v '^#' /host/tests/vm/modules); do
	case $m in virtio_pci | virtio_mmio) continue ;; esac # built in on some kernels
	check "module $m loaded" sh -c "grep -q '^$m ' /proc/modules"
done
check "/host is read-only" sh -c '! touch /host/.vm-write-test 2>/dev/null'
check "no network device but lo" test "$(ls /sys/class/net)" = lo
check "no cgroup v1 hierarchy mounted" sh -c "! awk '\$3 == \"cgroup\"' /proc/mounts | grep -q ."
check "cgroup2 at /sys/fs/cgroup" sh -c "awk '\$2 == \"/sys/fs/cgroup\" { print \$3 }' \
	/proc/mounts | grep -qx cgroup2"
check "every controller enabled for the children" test \
	"$(cat /sys/fs/cgroup/cgroup.subtree_control)" = "$(cat /sys/fs/cgroup/cgroup.controllers)"
check "the static binary runs" "$MINIRUNC" --version
done_testing
