#!/bin/bash
# face-figures.sh measures the face check's figures (docs/camera.md) on
# this machine: the real kioskd in simulator mode under Xvfb (software
# GL), taken by real pointer events to the face screen of 城乡居民养老保险
# 待遇资格认证, where the simulated camera streams 640×480 MJPEG at its
# configured rate. It reports
#   1. the preview's frame rate on the screen (frames put on the screen
#      over the time the picture was up, from kioskd's "camera picture off"
#      log line), target >= 15 fps;
#   2. the CPU kioskd uses while previewing, against the identify screen
#      just before (the same session, no picture);
#   3. kioskd's PSS while previewing (peak of 1 s samples) over its PSS at
#      attract, target <= 30 MB.
# The camera runs at the kiosk's configured rate (15 fps), which caps the
# picture's rate: the share of the camera's frames that reached the
# screen says whether the screen kept up. CAMERA_FPS=30 runs the camera
# faster than the screen can follow, for the screen's own ceiling.
# Usage: [CAMERA_FPS=N] .ci/face-figures.sh [seconds]  (default 20; run
# from the repository root after make build; needs Xvfb and xdotool).
set -eu
secs=${1:-20}
bin=${BIN:-bin}
out=$(mktemp -d)
disp=":$((300 + RANDOM % 100))"
Xvfb "$disp" -screen 0 1080x1920x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null; kill $xvfb 2>/dev/null; rm -rf "$out"' EXIT
sleep 1
export DISPLAY=$disp
sock="$out/state/admin.sock"
cfg=()
if [ -n "${CAMERA_FPS:-}" ]; then
	printf '[camera]\nfps = %d\n' "$CAMERA_FPS" >"$out/kioskd.toml"
	cfg=(--config "$out/kioskd.toml")
fi
"$bin/kioskd" --sim "${cfg[@]}" --state "$out/state" --windowed >"$out/log" 2>&1 &
app=$!
for _ in $(seq 200); do grep -q 'first frame' "$out/log" && [ -S "$sock" ] && break; sleep 0.1; done

screen() { curl -s --unix-socket "$sock" http://kiosk/v1/sim/screen; }
# widget ID: prints "x y" of the widget's centre, or nothing.
widget() {
	screen | python3 -c '
import json, sys
s = json.load(sys.stdin)
for w in s.get("widgets") or []:
    if w["id"] == sys.argv[1]:
        print(int(w["x"] + w["w"] / 2), int(w["y"] + w["h"] / 2), "picture" if w.get("picture") else "")
        break' "$1"
}
tap() {
	local xy
	for _ in $(seq 100); do xy=$(widget "$1"); [ -n "$xy" ] && break; sleep 0.1; done
	[ -n "$xy" ] || { echo "no $1 on the screen: $(screen)" >&2; exit 1; }
	set -- $xy
	xdotool mousemove "$1" "$2" sleep 0.03 mousedown 1 sleep 0.08 mouseup 1
	sleep 0.3
}
pss() { awk '/^Pss:/ {print $2}' /proc/$app/smaps_rollup; }
ticks() { awk '{print $14+$15}' /proc/$app/stat; }
hz=$(getconf CLK_TCK)

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores)"
sleep 20 # attract, settled
idle=$(pss)
tap start; tap cat:sb; tap svc:sb-cx-rz; tap begin
"$bin/kioskctl" --socket "$sock" sim card place han >/dev/null
for _ in $(seq 100); do widget confirm | grep -q . && break; sleep 0.1; done
c1=$(ticks); sleep 10; c2=$(ticks)
idcpu=$(awk -v d=$((c2 - c1)) -v hz="$hz" 'BEGIN {printf "%.1f", 100*d/hz/10}')
tap confirm
for _ in $(seq 200); do widget face-preview | grep -q picture && break; sleep 0.1; done
peak=0
c1=$(ticks)
for _ in $(seq "$secs"); do
	p=$(pss); [ "$p" -gt "$peak" ] && peak=$p
	sleep 1
done
c2=$(ticks)
tap back # the picture goes off: kioskd logs its frames
for _ in $(seq 50); do grep -q 'camera picture off' "$out/log" && grep -q 'camera off' "$out/log" && break; sleep 0.1; done
# End the session (首页, then 退出), so kioskd stops at once instead of
# waiting for it.
"$bin/kioskctl" --socket "$sock" sim card remove >/dev/null 2>&1 || true
tap home
tap cancel
shown=$(grep -o 'msg="camera picture off".*' "$out/log" | head -1 | grep -o 'fps=[0-9.]*' | cut -d= -f2)
camfps=$(grep -o 'msg="camera off".*' "$out/log" | head -1 | grep -o 'fps=[0-9.]*' | cut -d= -f2)
echo "1. preview on screen: $(grep -o 'msg="camera picture off".*' "$out/log" | head -1 | grep -o 'frames=[0-9]* seconds=[0-9.]*') fps=$shown (target >= 15 fps);"
echo "   the camera delivered $camfps fps: $(awk -v a="$shown" -v b="$camfps" 'BEGIN {printf "%.1f", 100*a/b}') % of its frames reached the screen"
echo "2. CPU while previewing: $(awk -v d=$((c2 - c1)) -v hz="$hz" -v s="$secs" 'BEGIN {printf "%.1f", 100*d/hz/s}') % of one core; identify screen before it: $idcpu %"
echo "3. PSS: attract $((idle / 1024)) MB, previewing (peak) $((peak / 1024)) MB: +$(((peak - idle) / 1024)) MB (target <= 30 MB)"
