#!/bin/bash
# figures.sh measures the resident screen's figures on this machine under
# Xvfb with software rendering (see docs/ui.md):
#   first interactive frame from process start, PSS at attract, idle CPU
#   at attract, and 100 rapid xdotool clicks.
# Usage: ui/internal/uidemo/figures.sh   (from the repository root; needs
# Xvfb and xdotool). Extra arguments go to uidemo (e.g. -awake).
set -eu
out=$(mktemp -d)
go build -o "$out/uidemo" ./ui/internal/uidemo
disp=":$((200 + RANDOM % 100))"
Xvfb "$disp" -screen 0 1080x1920x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $app $xvfb 2>/dev/null; rm -rf "$out"' EXIT
sleep 1
export DISPLAY=$disp
t0=$(date +%s%N)
"$out/uidemo" -taps "$@" >"$out/taps" 2>"$out/log" &
app=$!
for _ in $(seq 100); do grep -q 'first frame' "$out/log" && break; sleep 0.05; done
ff=$(grep -o 'time=[^ ]* level=INFO msg="first frame"' "$out/log" | head -1 | sed 's/time=\([^ ]*\).*/\1/')
t1=$(date -d "$ff" +%s%N)
echo "first frame after process start: $(( (t1 - t0) / 1000000 )) ms"
sleep 25 # let the screen go idle (15 s) and settle
echo "PSS at attract: $(awk '/^Pss:/ {print int($2/1024) " MB"}' /proc/$app/smaps_rollup)"
hz=$(getconf CLK_TCK)
c1=$(awk '{print $14+$15}' /proc/$app/stat); sleep 30; c2=$(awk '{print $14+$15}' /proc/$app/stat)
echo "idle CPU at attract: $(awk -v d=$((c2 - c1)) -v hz="$hz" 'BEGIN {printf "%.1f %% of one core", 100*d/hz/30}')"
xdotool mousemove 540 1000
xdotool mousedown 1; sleep 0.08; xdotool mouseup 1; sleep 0.3 # a finger's first touch wakes the idle loop
n0=$(wc -l <"$out/taps")
for _ in $(seq 100); do xdotool click 1; done
sleep 1
echo "rapid clicks registered: $(( $(wc -l <"$out/taps") - n0 )) of 100"
