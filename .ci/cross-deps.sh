#!/usr/bin/env bash
# Installs, when missing, what cross-building kioskd (cgo + Ebitengine) for
# linux/arm64 and linux/arm (armv7 hard-float) needs on a Debian amd64 host:
# the cross compilers and the :arm64 / :armhf multiarch development packages.
# Idempotent: a second run with everything present does nothing but check.
#
# usage: .ci/cross-deps.sh [arm64] [armhf]     (default: both)
set -euo pipefail

arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(arm64 armhf)

# Headers and libraries Ebitengine's Linux backend (GLFW on X11, ALSA via oto)
# links against, per target architecture.
libs=(libc6-dev libgl1-mesa-dev libxcursor-dev libxi-dev libxinerama-dev
      libxrandr-dev libxxf86vm-dev libasound2-dev libx11-dev libxext-dev
      libxfixes-dev libxrender-dev)

apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=900 --allow-downgrades)
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo

want=()
updated=0
for arch in "${arches[@]}"; do
	case "$arch" in
	arm64) gccpkg=gcc-aarch64-linux-gnu ;;
	armhf) gccpkg=gcc-arm-linux-gnueabihf ;;
	*) echo "cross-deps: unknown arch $arch (want arm64 or armhf)" >&2; exit 2 ;;
	esac
	if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
		$sudo dpkg --add-architecture "$arch"
		updated=1
	fi
	dpkg -s "$gccpkg" >/dev/null 2>&1 || want+=("$gccpkg")
	for l in "${libs[@]}"; do
		dpkg -s "$l:$arch" >/dev/null 2>&1 || want+=("$l:$arch")
	done
done
dpkg -s pkg-config >/dev/null 2>&1 || want+=(pkg-config)

if [ ${#want[@]} -eq 0 ] && [ $updated = 0 ]; then
	echo "cross-deps: all present"
	exit 0
fi
echo "cross-deps: installing ${want[*]}"
# Lists for new architectures come from an update; other sources that lack
# those architectures only print notices.
$sudo apt-get -q -o DPkg::Lock::Timeout=900 update || true

# Multi-Arch: same libraries must carry one version across architectures. When
# the host's own copy of such a library (libexpat1, liblzma5, linux-libc-dev,
# ...) is at a version the foreign architecture's lists do not have, apt only
# says "not installable". Resolve that by asking for the foreign candidate
# version on every architecture, the host's included, and simulating again.
candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}'; }
for round in 1 2 3 4 5 6; do
	out=$(apt-get install -s "${apt_opts[@]}" "${want[@]}" 2>&1) && break
	mapfile -t broken < <(printf '%s\n' "$out" |
		sed -n 's/.*Depends: \([a-z0-9.+-]*\):\([a-z0-9]*\).*\(not installable\|not going to be installed\|is to be installed\).*/\1/p' | sort -u)
	if [ ${#broken[@]} -eq 0 ]; then
		printf '%s\n' "$out" >&2
		echo "cross-deps: apt cannot resolve the set above" >&2
		exit 1
	fi
	for name in "${broken[@]}"; do
		ver=$(candidate "$name:${arches[0]}")
		[ -n "$ver" ] && [ "$ver" != "(none)" ] || continue
		want+=("$name=$ver")
		for arch in "${arches[@]}"; do want+=("$name:$arch=$ver"); done
		echo "cross-deps: aligning $name at $ver on amd64 ${arches[*]}"
	done
done
DEBIAN_FRONTEND=noninteractive $sudo apt-get install "${apt_opts[@]}" --allow-downgrades "${want[@]}"
