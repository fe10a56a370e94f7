#!/usr/bin/env bash
# Brings the kiosk up in simulator mode (what `make run` does after the
# build). With a display it opens a window there; without one it starts
# Xvfb and has kioskd write a screenshot of the screen every few seconds.
set -euo pipefail
state=${1:-state/sim}
mkdir -p "$state"
state=$(cd "$state" && pwd)
args=(--sim --state "$state")

cleanup() { [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null || true; }
trap cleanup EXIT

if [ -z "${DISPLAY:-}" ] || ! xdpyinfo >/dev/null 2>&1; then
  for n in $(seq 99 140); do
    [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { disp=":$n"; break; }
  done
  Xvfb "$disp" -screen 0 1080x1920x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  export DISPLAY=$disp
  for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
  args+=(--screenshot "$state/screen.png" --screenshot-every 3s)
  echo "run: no display here, so kioskd runs under Xvfb on $DISPLAY;"
  echo "run: the current screen is written to $state/screen.png every 3 s."
fi
echo "run: from another terminal:"
echo "       bin/kioskctl --socket $state/admin.sock sim card place han"
echo "       bin/kioskctl --socket $state/admin.sock status"
echo "run: Ctrl-C stops the kiosk."
bin/kioskd "${args[@]}"
