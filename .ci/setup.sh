#!/usr/bin/env bash
# Installs what building, running and testing the kiosk needs on Debian 12,
# and nothing that is already there. Safe to run again: with everything
# present it only checks (well under a second).
set -euo pipefail

pkgs=(
  # Ebitengine's cgo build (X11, GL, ALSA headers)
  libc6-dev libgl1-mesa-dev libxcursor-dev libxi-dev libxinerama-dev libxrandr-dev
  libxxf86vm-dev libasound2-dev pkg-config gcc
  # a display for headless runs and UI tests, and pointer input for end-to-end tests
  xvfb xauth xdotool x11-utils
  # the CJK font the screens and the simulated printer draw with
  fonts-noto-cjk
  # countysim's A4 documents: TrueType Chinese and Latin for fpdf (pdftotext,
  # to check them, is poppler-utils below)
  fonts-droid-fallback fonts-dejavu-core
  # signatures operators make with the standard tool (interoperability tests)
  minisign
  # offline Mandarin voice prompts
  espeak-ng
  # the writing pad's offline handwriting recogniser and its Simplified
  # Chinese model (kiosk/handwriting; without them the pad is not offered)
  zinnia-utils tegaki-zinnia-simplified-chinese
  # systemd-analyze for the unit's security score
  systemd
  # procps for PSS/CPU figures
  procps
  # the A4 printer: CUPS, its clients, ippeveprinter and the private D-Bus it
  # needs (drivers/cups/cupssim)
  cups cups-client cups-ipp-utils dbus-daemon
  # pdfinfo, pdftoppm (kiosk/document) and pdftotext (tests); GNU time for
  # the preview benchmark's memory figure
  poppler-utils time
  # promtool and amtool: the fleet's Prometheus configuration, alert rules
  # and their unit tests, and the kiosk's scrape, checked by the tests
  # (deploy/prometheus, cmd/internal/daemon)
  prometheus prometheus-alertmanager
  # the help phone's SIP user agent (drivers/phone) and the simulated duty desk
  baresip
)
native=$(dpkg --print-architecture)
missing=()
for p in "${pkgs[@]}"; do
  # Cross builds install :arm64/:armhf copies too; only the machine's own
  # architecture (or an architecture-independent package) counts here.
  dpkg-query -W -f='${Status} ${Architecture}\n' "$p" 2>/dev/null |
    grep -qE "install ok installed ($native|all)$" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq || echo "setup: apt-get update reported errors; installing from the lists it has"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Go: the module says which toolchain it needs; Go 1.21 and later fetch it
# from the module proxy by themselves.
if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    echo "setup: Go is at /usr/local/go/bin; add it to PATH" >&2
  else
    echo "setup: installing Go from Debian (then the module's toolchain is fetched)"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq || echo "setup: apt-get update reported errors; installing from the lists it has"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t bookworm-backports golang-go >/dev/null 2>&1 ||
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq golang-go >/dev/null
  fi
fi
exit 0
