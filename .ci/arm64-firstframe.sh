#!/usr/bin/env bash
# Starts the arm64 kioskd in simulator mode under Xvfb and qemu user-mode
# emulation until it has drawn its first frame, saves that frame as a PNG,
# and does the same with the amd64 build in the same run to report the
# ratio of the two times to first frame.
#
# kioskd flags used: --sim --state DIR --screenshot PATH --exit-after-first-frame
#
# usage: .ci/arm64-firstframe.sh
# env:   ARCH     arm64 (default) | armhf
#        BIN      directory with the ARCH kioskd (default bin/$ARCH; built
#                 with .ci/cross.sh when missing)
#        OUTDIR   where screenshots go (default out)
#        TIMEOUT  seconds to wait for a first frame (default 600)
set -euo pipefail
cd "$(dirname "$0")/.."

arch=${ARCH:-arm64}
case "$arch" in
arm64) qemu=qemu-aarch64-static ;;
armhf) qemu=qemu-arm-static ;;
*) echo "firstframe: unknown ARCH $arch" >&2; exit 2 ;;
esac
bin=${BIN:-bin/$arch}
outdir=${OUTDIR:-out}
timeout_s=${TIMEOUT:-600}
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo

need=()
command -v Xvfb >/dev/null || need+=(xvfb)
command -v "$qemu" >/dev/null || need+=(qemu-user-static)
command -v xdpyinfo >/dev/null || need+=(x11-utils)
if [ ${#need[@]} -gt 0 ]; then
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
		-o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
fi
# The foreign kioskd needs its architecture's runtime libraries (libGL with
# Mesa's software rasteriser, X11, ALSA); the multiarch -dev packages that
# .ci/cross.sh installs bring them.
[ -x "$bin/kioskd" ] || .ci/cross.sh "$arch"
[ -x bin/amd64/kioskd ] || .ci/cross.sh amd64

mkdir -p "$outdir"
work=$(mktemp -d)
xpid=""
cleanup() {
	[ -n "$xpid" ] && kill "$xpid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# A free display number.
disp=99
while [ -e "/tmp/.X11-unix/X$disp" ] || [ -e "/tmp/.X$disp-lock" ]; do disp=$((disp + 1)); done
Xvfb ":$disp" -screen 0 1280x1024x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xpid=$!
for _ in $(seq 100); do
	DISPLAY=":$disp" xdpyinfo >/dev/null 2>&1 && break
	sleep 0.1
done
DISPLAY=":$disp" xdpyinfo >/dev/null 2>&1 || { cat "$work/xvfb.log" >&2; echo "firstframe: Xvfb did not start" >&2; exit 1; }

# run LABEL RUNNER... : runs kioskd to its first frame; prints seconds.
run() {
	local label=$1
	shift
	local shot="$outdir/firstframe-$label.png" t0 t1
	rm -f "$shot"
	t0=$(date +%s.%N)
	if ! DISPLAY=":$disp" LIBGL_ALWAYS_SOFTWARE=1 timeout "$timeout_s" "$@" \
		--sim --state "$work/state-$label" --screenshot "$shot" --exit-after-first-frame \
		>"$work/$label.log" 2>&1; then
		tail -30 "$work/$label.log" >&2
		echo "firstframe: $label kioskd failed or timed out" >&2
		return 1
	fi
	t1=$(date +%s.%N)
	if [ ! -s "$shot" ]; then
		tail -30 "$work/$label.log" >&2
		echo "firstframe: $label wrote no screenshot" >&2
		return 1
	fi
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", b - a }'
}

native=$(run amd64 bin/amd64/kioskd)
emulated=$(run "$arch" "$qemu" "$bin/kioskd")
ratio=$(awk -v e="$emulated" -v n="$native" 'BEGIN { printf "%.1f", (n > 0 ? e / n : 0) }')
echo "firstframe: amd64 native ${native}s, $arch under qemu ${emulated}s, ratio ${ratio}x"
echo "firstframe: screenshots $outdir/firstframe-amd64.png $outdir/firstframe-$arch.png"
