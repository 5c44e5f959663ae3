#!/usr/bin/env bash
# tests/vm/run.sh - boot one guest machine under qemu (TCG) and run test cases inside it.
#
#   tests/vm/run.sh GUEST [CASE...]     GUEST: x86_64-v2 (or x86_64), aarch64, armhf
#
# CASE is a file of tests/vm/cases/ (with or without .sh); without one, every case whose
# "# guests:" line names GUEST (or "all").  Prints TAP on stdout: one test for the boot, the
# cases' own tests (renumbered, prefixed with the guest and case), and for each case a
# "nothing left behind" test; "1..N" comes last.  Exit status 0 when all passed.
#
# The guest (VM.md): Debian's own kernel of that architecture, unpacked from its .deb
# (tests/vm/debs.sh, cached in /var/cache/minirunc-vm), one vCPU, 512 MiB, TCG, no network
# device.  Its initramfs (built here, each run, into build/vm/GUEST/) holds busybox-static of
# that architecture, /init, /etc/rc, /etc/start and the modules of tests/vm/modules with their
# closure.  The build tree is shared read-only at /host, build/vm/GUEST/out read-write at /out
# (9p over virtio); the guest runs /host/tests/vm/runner.sh, which writes each case's TAP
# there.  qemu exits 0 even when the guest powers off early, so a missing end marker is the
# failure, and qemu runs under timeout(1) ($MINIRUNC_VM_TIMEOUT seconds, default 400).
#
# Environment: MINIRUNC_VM_CACHE (package cache), MINIRUNC_VM_TIMEOUT, MINIRUNC_VM_KEEP=1
# (keep the console log on success too; it is always in build/vm/GUEST/out/console.log).
set -u
cd "$(dirname "$0")/../.."
top=$PWD
vm=$top/tests/vm
guest=${1:?usage: tests/vm/run.sh GUEST [CASE...]}
shift
[ "$guest" = x86_64 ] && guest=x86_64-v2

case $guest in
x86_64-v2)
	arch=x86_64 qemu=qemu-system-x86_64 console=ttyS0 bus=pci
	machine=(-M q35 -cpu max)
	;;
aarch64)
	arch=aarch64 qemu=qemu-system-aarch64 console=ttyAMA0 bus=device
	machine=(-M virt -cpu cortex-a57)
	;;
armhf)
	arch=armhf qemu=qemu-system-arm console=ttyAMA0 bus=device
	machine=(-M virt -cpu cortex-a15)
	;;
*) echo "tests/vm/run.sh: unknown guest '$guest' (x86_64-v2, aarch64, armhf)" >&2; exit 2 ;;
esac
host=$(uname -m) && [ "$host" = armv7l ] && host=armhf
[ "$arch" = "$host" ] && bin=minirunc-static || bin=minirunc-static-$arch
work=$top/build/vm/$guest
out=$work/out
n=0 fails=0

# tap OK|NOT DESCRIPTION [DIAG]: one numbered TAP line (and a # line of diagnosis).
tap() {
	n=$((n + 1))
	if [ "$1" = OK ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/# /'
	fi
	return 0
}

# finish: the plan, and the exit status.
finish() {
	echo "1..$n"
	[ "$fails" -eq 0 ]
	exit
}

# cases_for GUEST: the case files whose "# guests:" line names GUEST or "all".
cases_for() {
	local f g
	for f in "$vm"/cases/*.sh; do
		g=$(sed -n 's/^# guests: *//p' "$f" | head -n 1)
		case " $g " in *" $1 "* | *" all "*) echo "${f##*/}" ;; esac
	done
}

# modules_closure KROOT: the .ko paths of tests/vm/modules plus what they need, in load order
# (a module after everything it depends on).  The unpacked package has no modules.dep
# (depmod runs at install), so read each .ko's .modinfo: depends= and softdep=pre:.
declare -A ko_path seen
modules_closure() {
	local kroot=$1 f name m
	while read -r f; do
		name=${f##*/} && name=${name%.ko} && ko_path[${name//-/_}]=$f
	done < <(find "$kroot/kernel" -name '*.ko')
	for m in $(grep -v '^#' "$vm/modules"); do
		module_visit "$kroot" "${m//-/_}" || return 1
	done
}
module_visit() {
	local kroot=$1 m=$2 f d info
	[ -n "${seen[$m]:-}" ] && return 0
	seen[$m]=1
	f=${ko_path[$m]:-}
	if [ -z "$f" ]; then
		# A softdep names an algorithm (crc32c); its module is ALG_generic.  Built in: skip.
		[ -n "${ko_path[${m}_generic]:-}" ] && { module_visit "$kroot" "${m}_generic"; return; }
		grep -q "/${m//_/[-_]}.ko$" "$kroot/modules.builtin" && return 0
		echo "tests/vm/run.sh: module $m: not in the kernel package" >&2
		return 1
	fi
	info=$(grep -az '^depends=\|^softdep=' "$f" | tr '\0' '\n')
	for d in $(echo "$info" | sed -n 's/^depends=//p' | tr ',' ' ') \
		$(echo "$info" | sed -n 's/^softdep=.*pre: *\([^:]*\).*/\1/p' | sed 's/ post$//'); do
		module_visit "$kroot" "${d//-/_}" || return 1
	done
	echo "$f"
}

# build_initramfs KROOT: build/vm/GUEST/initrd.gz (newc cpio, gzip).
build_initramfs() {
	local kroot=$1 st=$work/initramfs ko
	rm -rf "$st" && mkdir -p "$st"/{bin,sbin,usr/bin,usr/sbin,etc,lib/modules,dev,proc}
	cp "$groot/bin/busybox" "$st/bin/busybox"
	cp "$vm/init" "$st/init" && cp "$vm/rc" "$st/etc/rc" && cp "$vm/start" "$st/etc/start"
	chmod 0755 "$st/init" "$st/etc/rc" "$st/etc/start"
	printf '::sysinit:/etc/rc\n::once:/etc/start\n' >"$st/etc/inittab"
	echo "$guest" >"$st/etc/guest"
	mknod "$st/dev/console" c 5 1 2>/dev/null
	modules_closure "$kroot" >"$work/modules.list" || return 1
	for ko in $(cat "$work/modules.list"); do
		cp "$ko" "$st/lib/modules/"
		echo "${ko##*/}"
	done >"$st/etc/modules.order"
	(cd "$st" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$work/initrd.gz"
}

# boot KERNEL: qemu until the guest powers off (or the timeout); the console in out/.
boot() {
	local fs=virtio-9p-$bus
	timeout "${MINIRUNC_VM_TIMEOUT:-400}" "$qemu" "${machine[@]}" -accel tcg -smp 1 -m 512 \
		-display none -monitor none -serial "file:$out/console.log" -no-reboot -nic none \
		-kernel "$1" -initrd "$work/initrd.gz" \
		-append "console=$console panic=-1 quiet" \
		-fsdev "local,id=host,path=$top,security_model=none,readonly=on" \
		-device "$fs,fsdev=host,mount_tag=host" \
		-fsdev "local,id=out,path=$out,security_model=none" \
		-device "$fs,fsdev=out,mount_tag=out" </dev/null
}

# pvh_kernel BZIMAGE: the ELF vmlinux inside an x86 bzImage (xz), which qemu starts at its PVH
# entry point, skipping the firmware's real-mode boot and the decompressor: seconds less under
# TCG.  Cached beside the unpacked package; the bzImage itself when extraction fails.
pvh_kernel() {
	local k=$1 elf=$groot/../vmlinux.pvh off
	if [ ! -s "$elf" ]; then
		off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$k" | head -n 1 | cut -d: -f1)
		[ -n "$off" ] && tail -c +$((off + 1)) "$k" | xz -dcq >"$elf.$$" 2>/dev/null
		if readelf -n "$elf.$$" 2>/dev/null | grep -q 'Xen.*0x00000012'; then
			mv "$elf.$$" "$elf"
		else
			rm -f "$elf.$$"
		fi
	fi
	[ -s "$elf" ] && echo "$elf" || echo "$k"
}

# ---- 1. the pieces ---------------------------------------------------------------------------
if ! command -v "$qemu" >/dev/null; then
	echo "ok 1 - $guest: boots # skip $qemu not installed"
	echo "1..1"
	exit 0
fi
mkdir -p "$work"
if ! make -s static ARCH="$arch" >"$work/build.log" 2>&1; then
	tap NOT "$guest: make static ARCH=$arch" "$(tail -n 20 "$work/build.log")"
	finish
fi
if ! groot=$(tests/vm/debs.sh "$arch" guest 2>"$work/debs.log"); then
	tap NOT "$guest: kernel and busybox packages" "$(tail -n 20 "$work/debs.log")"
	finish
fi
kernel=$(ls "$groot"/boot/vmlinuz-* | head -n 1)
[ "$arch" = x86_64 ] && kernel=$(pvh_kernel "$kernel")
kroot=$(ls -d "$groot"/lib/modules/* | head -n 1)
if ! build_initramfs "$kroot" 2>"$work/initramfs.log"; then
	tap NOT "$guest: initramfs" "$(cat "$work/initramfs.log")"
	finish
fi

# ---- 2. the plan, the boot -------------------------------------------------------------------
cases=()
for c in "$@"; do cases+=("${c%.sh}.sh"); done
[ $# -gt 0 ] || mapfile -t cases < <(cases_for "$guest")
rm -rf "$out" && mkdir -p "$out/cases"
{
	echo "guest $guest"
	echo "bin $bin"
	for c in "${cases[@]}"; do echo "case $c"; done
} >"$out/plan"
t0=$(date +%s)
boot "$kernel"
rc=$?
secs=$(($(date +%s) - t0))
if [ ! -e "$out/end" ]; then
	tap NOT "$guest: boots and runs ${#cases[@]} cases (${secs}s, qemu status $rc)" \
		"$(tr -d '\r' <"$out/console.log" | tail -n 40)"
else
	tap OK "$guest: boots ($(cat "$out/booted")s to the runner) and runs ${#cases[@]} cases in ${secs}s"
fi

# ---- 3. each case's TAP, renumbered ----------------------------------------------------------
# case_report NAME: its TAP lines, then "all reported" and "nothing left behind".
case_report() {
	local c=$1 d=$out/cases/${1%.sh} line plan=0 got=0 st
	[ -e "$d.rc" ] || { tap NOT "$guest $c: ran" "no result (the guest stopped before it)"; return; }
	while IFS= read -r line; do
		case $line in
		"ok "* | "not ok "*)
			got=$((got + 1))
			st=OK && [ "${line#not ok}" != "$line" ] && st=NOT
			line=$(echo "$line" | sed -E 's/^(not )?ok +[0-9]* *-? *//')
			case $line in
			*"# skip"* | *"# SKIP"*)
				n=$((n + 1)) && echo "ok $n - $guest $c: ${line}" ;;
			*) tap "$st" "$guest $c: $line" ;;
			esac
			;;
		1..*) plan=${line#1..} ;;
		"#"*) echo "$line" ;;
		esac
	done <"$d.tap"
	if [ "$(cat "$d.rc")" != 0 ] || [ "$got" != "$plan" ]; then
		tap NOT "$guest $c: reported $got of $plan, exit status $(cat "$d.rc")" \
			"$(tail -n 20 "$d.log")"
	fi
	if [ -s "$d.left" ]; then
		tap NOT "$guest $c: nothing left behind" "$(cat "$d.left")"
	else
		tap OK "$guest $c: nothing left behind"
	fi
}
for c in "${cases[@]}"; do case_report "$c"; done
finish
