#!/usr/bin/env bash
# Runs the tests of every package that needs no display for arm64 (or armv7
# with ARCH=armhf) under qemu user-mode emulation: `go test -exec
# qemu-aarch64-static`. Packages that import Ebitengine (ui/..., cmd/kioskd)
# are left out; they are covered by .ci/arm64-firstframe.sh. Installs
# qemu-user-static when missing. The tests are built without cgo, so no
# cross compiler is needed here.
#
# usage: .ci/test-arm64.sh [extra go test flags...]
# env:   ARCH  arm64 (default) | armhf
#        PKGS  package patterns to consider (default ./...)
set -euo pipefail
cd "$(dirname "$0")/.."

arch=${ARCH:-arm64}
case "$arch" in
arm64) goarch=arm64 goarm="" qemu=qemu-aarch64-static ;;
armhf) goarch=arm goarm=7 qemu=qemu-arm-static ;;
*) echo "test-arm64: unknown ARCH $arch" >&2; exit 2 ;;
esac

if ! command -v "$qemu" >/dev/null; then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	t0=$(date +%s)
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
		-o DPkg::Lock::Timeout=600 qemu-user-static >/dev/null
	echo "test-arm64: qemu-user-static installed in $(($(date +%s) - t0)) s"
fi

# Every package whose dependencies do not include Ebitengine.
mapfile -t pkgs < <(GOOS=linux GOARCH=$goarch CGO_ENABLED=0 go list -e \
	-f '{{.ImportPath}} {{join .Deps " "}}' ${PKGS:-./...} |
	awk '$0 !~ /github.com\/hajimehoshi\/ebiten/ {print $1}')
if [ ${#pkgs[@]} -eq 0 ]; then
	echo "test-arm64: no packages to test" >&2
	exit 1
fi
echo "test-arm64: $arch: ${#pkgs[@]} packages under $qemu"
# Emulation is 5-20x slower than native: give timeouts room.
CRASHTEST_EXEC=$qemu GOOS=linux GOARCH=$goarch GOARM=$goarm CGO_ENABLED=0 \
	go test -exec "$qemu" -timeout 600s -count=1 "$@" "${pkgs[@]}"
