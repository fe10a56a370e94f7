#!/bin/bash
# figures.sh measures the resident screen's five figures on this machine
# under Xvfb with software rendering (see docs/ui.md and docs/ui-performance.md):
#   1. first interactive frame from process start
#   2. PSS at attract (all mappings, from /proc/PID/smaps_rollup), with a
#      breakdown: Go heap, GL/Mesa memory, libLLVM, the binary
#   3. idle CPU at attract
#   4. 100 rapid xdotool clicks
#   5. frame times in the real game loop (vsync off, a change every frame):
#      typing on the search screen, home switching normal/elder (every pixel
#      changes), and the floor: one pixel changed a frame without the kiosk.
# Usage: ui/internal/uidemo/figures.sh   (from the repository root; needs
# Xvfb and xdotool). Extra arguments go to uidemo (e.g. -awake).
# FRAMES=n sets the frames per frame-time run (default 600).
set -eu
out=$(mktemp -d)
go build -o "$out/uidemo" ./ui/internal/uidemo
disp=":$((200 + RANDOM % 100))"
Xvfb "$disp" -screen 0 1080x1920x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=
trap 'kill $app $xvfb 2>/dev/null; rm -rf "$out"' EXIT
sleep 1
export DISPLAY=$disp
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores; figures are only comparable at similar load)"
t0=$(date +%s%N)
"$out/uidemo" -taps "$@" >"$out/taps" 2>"$out/log" &
app=$!
for _ in $(seq 100); do grep -q 'first frame' "$out/log" && break; sleep 0.05; done
ff=$(grep -o 'time=[^ ]* level=INFO msg="first frame"' "$out/log" | head -1 | sed 's/time=\([^ ]*\).*/\1/')
t1=$(date -d "$ff" +%s%N)
echo "1. first frame after process start: $(( (t1 - t0) / 1000000 )) ms"
sleep 25 # let the screen go idle (15 s) and settle
echo "2. PSS at attract: $(awk '/^Pss:/ {print int($2/1024) " MB"}' /proc/$app/smaps_rollup)"
awk '
	/^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6) ? $6 : "[anon]"; next }
	/^Pss:/ { pss[name] += $2 }
	/^Rss:/ { rss[name] += $2 }
	END {
		for (n in pss) if (n ~ /libLLVM/) llvm += pss[n]; else if (n ~ /uidemo/) bin += pss[n]; else if (n ~ /^\[(anon|heap|stack)/) anon += pss[n]; else other += pss[n]
		for (n in rss) if (n !~ /^\[(anon|heap|stack)/) files += rss[n]
		printf "   anonymous (Go heap, Mesa buffers) %d MB, libLLVM %d MB, binary %d MB, other files %d MB\n", anon/1024, llvm/1024, bin/1024, other/1024
		printf "   as if alone (files counted whole, not shared with other processes): %d MB\n", (anon + files)/1024
	}' /proc/$app/smaps
grep -o 'msg=memory.*' "$out/log" | head -1 | sed 's/^/   /'
hz=$(getconf CLK_TCK)
c1=$(awk '{print $14+$15}' /proc/$app/stat); sleep 30; c2=$(awk '{print $14+$15}' /proc/$app/stat)
echo "3. idle CPU at attract: $(awk -v d=$((c2 - c1)) -v hz="$hz" 'BEGIN {printf "%.1f %% of one core", 100*d/hz/30}')"
xdotool mousemove 540 1000
xdotool mousedown 1; sleep 0.08; xdotool mouseup 1; sleep 0.3 # a finger's first touch wakes the idle loop
n0=$(wc -l <"$out/taps")
for _ in $(seq 100); do xdotool click 1; done
sleep 1
echo "4. rapid clicks registered: $(( $(wc -l <"$out/taps") - n0 )) of 100"
kill $app 2>/dev/null; wait $app 2>/dev/null || true
app=
echo "5. frame times, 1080x1920, load $(cut -d' ' -f1-3 /proc/loadavg):"
for m in search home floor; do
	echo "   $("$out/uidemo" -frames $m -n "${FRAMES:-600}" 2>/dev/null)"
done
