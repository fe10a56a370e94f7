#!/usr/bin/env bash
# Cross-builds the kiosk for its ARM boards: kioskd with cgo (Ebitengine's
# GLFW/X11 backend) using Debian's cross compilers and multiarch -dev
# packages, kioskctl and countysim without cgo. Installs what is missing
# first (.ci/cross-deps.sh). Writes bin/<arch>/{kioskd,kioskctl,countysim}
# and prints the sizes.
#
# usage: .ci/cross.sh [arm64] [armhf] [amd64]     (default: arm64 armhf)
# env:   KIOSKD_PKG  package to build as kioskd (default ./cmd/kioskd)
#        OUT         output root (default bin)
#        LDFLAGS     go linker flags (default "-s -w": no DWARF, smaller)
set -euo pipefail
cd "$(dirname "$0")/.."

arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(arm64 armhf)
out=${OUT:-bin}
kioskd_pkg=${KIOSKD_PKG:-./cmd/kioskd}
ldflags=${LDFLAGS:--s -w}

foreign=()
for a in "${arches[@]}"; do
	case "$a" in arm64 | armhf) foreign+=("$a") ;; amd64) ;; *)
		echo "cross: unknown arch $a (arm64, armhf, amd64)" >&2
		exit 2
		;;
	esac
done
if [ ${#foreign[@]} -gt 0 ]; then
	t0=$(date +%s)
	.ci/cross-deps.sh "${foreign[@]}"
	echo "cross: toolchains ready in $(($(date +%s) - t0)) s"
fi

for a in "${arches[@]}"; do
	case "$a" in
	arm64) goarch=arm64 goarm="" cc=aarch64-linux-gnu-gcc triplet=aarch64-linux-gnu ;;
	armhf) goarch=arm goarm=7 cc=arm-linux-gnueabihf-gcc triplet=arm-linux-gnueabihf ;;
	amd64) goarch=amd64 goarm="" cc=gcc triplet=x86_64-linux-gnu ;;
	esac
	dir="$out/$a"
	mkdir -p "$dir"
	t0=$(date +%s)
	env GOOS=linux GOARCH=$goarch GOARM=$goarm CGO_ENABLED=1 CC=$cc \
		PKG_CONFIG_LIBDIR=/usr/lib/$triplet/pkgconfig:/usr/share/pkgconfig \
		go build -trimpath -ldflags="$ldflags" -o "$dir/kioskd" "$kioskd_pkg"
	t1=$(date +%s)
	for cmd in kioskctl countysim; do
		if [ -d "cmd/$cmd" ] && ls cmd/$cmd/*.go >/dev/null 2>&1; then
			env GOOS=linux GOARCH=$goarch GOARM=$goarm CGO_ENABLED=0 \
				go build -trimpath -ldflags="$ldflags" -o "$dir/$cmd" "./cmd/$cmd"
		else
			echo "cross: ./cmd/$cmd has no sources yet, skipped" >&2
		fi
	done
	t2=$(date +%s)
	echo "cross: $a: kioskd $((t1 - t0)) s, others $((t2 - t1)) s"
done

echo "cross: binary sizes (bytes)"
for a in "${arches[@]}"; do
	for f in "$out/$a"/*; do
		[ -f "$f" ] && printf '  %-8s %-10s %10d  %s\n' "$a" "$(basename "$f")" "$(stat -c %s "$f")" "$(file -b "$f" | cut -d, -f1-2)"
	done
done
