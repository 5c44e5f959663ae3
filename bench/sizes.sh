#!/usr/bin/env bash
# bench/sizes.sh - the stripped static binary of each architecture beside Debian's runc and crun
# of the same architecture (bytes).  Called from bench/run.sh; runs alone too, no root needed
# once the cache is filled (tests/vm/debs.sh fetches musl, runc and crun of each architecture
# into /var/cache/minirunc-vm).  Not a test: nothing here asserts.
#
# The file size is what a board stores; text+data is what the code and data take (an aarch64
# file is padded to 64 KiB-aligned segments: -z separate-code with a 64 KiB max page size).
# runc and crun are Debian's builds, dynamically linked: the libraries they load are not
# counted (the NEEDED column says how many).
set -u
cd "$(dirname "$0")/.."
top=$PWD

# needed ELF: how many shared libraries ELF names (0: static).
needed() { readelf -dW "$1" 2>/dev/null | grep -c '(NEEDED)'; }
# textdata ELF: text + data from size(1), which reads any ELF architecture.
textdata() { size "$1" 2>/dev/null | awk 'NR == 2 { print $1 + $2 }'; }

printf '  %-8s %-42s %10s %11s %7s\n' arch binary bytes "text+data" NEEDED
host=$(uname -m) && [ "$host" = armv7l ] && host=armhf # as the Makefile names it
for arch in x86_64 aarch64 armhf; do
	[ "$arch" = "$host" ] && bin=minirunc-static || bin=minirunc-static-$arch
	if make -s static ARCH="$arch" >/dev/null 2>&1; then
		printf '  %-8s %-42s %10s %11s %7s\n' "$arch" "$bin (musl, stripped)" \
			"$(stat -c %s "$bin")" "$(textdata "$bin")" "$(needed "$bin")"
	else
		printf '  %-8s %-42s %10s\n' "$arch" "$bin" "(make static ARCH=$arch failed)"
	fi
	root=$(tests/vm/debs.sh "$arch" runtimes 2>/dev/null) || {
		printf '  %-8s %-42s\n' "$arch" "runc, crun: packages not fetched"
		continue
	}
	for rt in sbin/runc bin/crun; do
		f=$root/usr/$rt
		[ -f "$f" ] || continue
		printf '  %-8s %-42s %10s %11s %7s\n' "$arch" "${rt#*/} (Debian $(dpkg-deb -f \
			"$(ls "$root"/../debs/"${rt#*/}"_*.deb | head -n 1)" Version))" \
			"$(stat -c %s "$f")" "$(textdata "$f")" "$(needed "$f")"
	done
done
