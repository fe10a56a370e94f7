#!/usr/bin/env bash
# Measures what kioskd costs from start to idle in simulator mode: the
# CPU-seconds (user + system, from /proc/PID/stat) it has used 10 s after
# start, when the first screen is long drawn and the devices are up, and
# its first-frame time. Runs it twice on one state directory: a cold
# start (nothing cached) and a warm one (the thinned fonts cached).
#
# usage: .ci/startup-cpu.sh [RUNS]   (RUNS warm starts, default 3; medians)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
[ -x bin/kioskd ] || make --no-print-directory build >/dev/null
state=$(mktemp -d /tmp/kiosk-startup.XXXXXX)
trap 'rm -rf "$state"' EXIT
hz=$(getconf CLK_TCK)

one() {
	xvfb-run -a -s "-screen 0 1080x1920x24" bash -c '
		bin/kioskd --sim --state "$1" --windowed >"$1/log" 2>&1 & pid=$!
		sleep 10
		read -r -a st </proc/$pid/stat
		kill -TERM $pid; wait $pid 2>/dev/null || true
		echo $(( st[13] + st[14] ))' _ "$state" |
		awk -v hz="$hz" '{ printf "%.2f", $1 / hz }'
	printf " %s\n" "$(sed -n 's/.*msg="first frame".*after=\([^ ]*\).*/\1/p' "$state/log" | head -1)"
}

cold=$(one)
echo "cold start: ${cold% *} CPU-s in 10 s, first frame ${cold#* }"
warm=()
for _ in $(seq "$runs"); do
	w=$(one)
	warm+=("$w")
	echo "warm start: ${w% *} CPU-s in 10 s, first frame ${w#* }"
done
printf '%s\n' "${warm[@]}" | awk '{print $1}' | sort -n |
	awk '{a[NR]=$1} END {printf "warm median: %s CPU-s in the first 10 s\n", a[int((NR+1)/2)]}'
