#!/usr/bin/env bash
# tests/vm/debs.sh - Debian packages of another architecture, without changing the host.
#
#   tests/vm/debs.sh ARCH musl|guest|runtimes     (ARCH: x86_64, aarch64, armhf)
#
# Prints the directory where the packages are unpacked:
#   musl   musl + musl-dev of ARCH (for `make static ARCH=...`)
#   guest  the kernel (linux-image-*), busybox-static, for the guests of tests/vm/run.sh
#   runtimes  Debian's runc and crun of ARCH (bench/sizes.sh sets their sizes beside ours)
#
# The packages come with `apt-get download` under a private apt state (its own sources list,
# lists and cache, APT::Architectures set on the command line: VM.md): no `dpkg
# --add-architecture`, nothing installed, nothing in /boot.  Everything lives in the cache
# directory $MINIRUNC_VM_CACHE (default /var/cache/minirunc-vm), outside the clone, so a fresh
# clone in CI does not fetch the ~175 MB of kernels again.  A flock(1) on the cache keeps
# two runs (make static beside make test) from fetching at once.
set -eu
arch=${1:?usage: debs.sh ARCH musl|guest|runtimes}
what=${2:?usage: debs.sh ARCH musl|guest|runtimes}
cache=${MINIRUNC_VM_CACHE:-/var/cache/minirunc-vm}

case $arch in
x86_64) deb=amd64 kflavour=amd64 ;;
aarch64) deb=arm64 kflavour=arm64 ;;
armhf) deb=armhf kflavour=armmp-lpae ;;
*) echo "debs.sh: unknown ARCH '$arch' (x86_64, aarch64 or armhf)" >&2; exit 1 ;;
esac

apt_dir=$cache/apt
out=$cache/$arch/$what

# apt_private ARGS...: apt-get with the private state; never the host's lists or cache.
apt_private() {
	apt-get -q -o Dir::Etc::SourceList="$apt_dir/sources.list" \
		-o Dir::Etc::SourceParts="$apt_dir/sources.list.d" \
		-o Dir::Etc::Preferences="$apt_dir/preferences" \
		-o Dir::Etc::PreferencesParts="$apt_dir/preferences.d" \
		-o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache" \
		-o APT::Architectures::=amd64 -o APT::Architectures::=arm64 \
		-o APT::Architectures::=armhf -o APT::Sandbox::User=root \
		-o Debug::NoLocking=1 "$@"
}
apt_cache_private() {
	apt-cache -o Dir::Etc::SourceList="$apt_dir/sources.list" \
		-o Dir::Etc::SourceParts="$apt_dir/sources.list.d" \
		-o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache" \
		-o APT::Architectures::=amd64 -o APT::Architectures::=arm64 \
		-o APT::Architectures::=armhf "$@"
}

# apt_setup: the private sources list (Debian 12 and its security updates) and lists.
apt_setup() {
	[ -s "$apt_dir/lists/updated" ] && return 0
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" \
		"$apt_dir/sources.list.d" "$apt_dir/preferences.d"
	: >"$apt_dir/preferences"
	local k=/usr/share/keyrings/debian-archive-keyring.gpg
	cat >"$apt_dir/sources.list" <<SRC
deb [arch=amd64,arm64,armhf signed-by=$k] http://deb.debian.org/debian bookworm main
deb [arch=amd64,arm64,armhf signed-by=$k] http://deb.debian.org/debian bookworm-updates main
deb [arch=amd64,arm64,armhf signed-by=$k] http://deb.debian.org/debian-security bookworm-security main
SRC
	# The security index sometimes fails to sync (VM.md); apt goes on without it.
	apt_private update >&2 || true
	apt_cache_private show "busybox-static:$deb" >/dev/null
	date >"$apt_dir/lists/updated"
}

# kernel_pkg: the versioned linux-image package the flavour's metapackage points at.
kernel_pkg() {
	apt_cache_private depends "linux-image-$kflavour:$deb" |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ :]*\).*/\1/p' | head -n 1
}

# fetch_unpack PKG...: download each PKG:$deb into $out/debs and unpack it into $out/root.
fetch_unpack() {
	local p f
	mkdir -p "$out/debs" "$out/root"
	for p in "$@"; do
		# Lists fetched long ago may name a version the mirror no longer has: refresh, retry.
		(cd "$out/debs" && apt_private download "$p:$deb" >&2) || {
			rm -f "$apt_dir/lists/updated" && apt_setup &&
				(cd "$out/debs" && apt_private download "$p:$deb" >&2)
		} || return 1
		f=$(ls "$out/debs/${p}_"*"_$deb.deb" | head -n 1)
		dpkg-deb -x "$f" "$out/root"
	done
}

exec 9>>"$cache.lock" 2>/dev/null || { mkdir -p "$cache" && exec 9>>"$cache.lock"; }
flock 9
if [ ! -e "$out/done" ]; then
	mkdir -p "$cache"
	rm -rf "$out"
	apt_setup
	case $what in
	musl) fetch_unpack musl musl-dev || exit 1 ;;
	runtimes) fetch_unpack runc crun || exit 1 ;;
	guest)
		k=$(kernel_pkg)
		[ -n "$k" ] || { echo "debs.sh: no kernel package for linux-image-$kflavour" >&2; exit 1; }
		fetch_unpack busybox-static "$k" || exit 1
		;;
	*) echo "debs.sh: unknown set '$what' (musl, guest or runtimes)" >&2; exit 1 ;;
	esac
	date >"$out/done"
fi
echo "$out/root"
