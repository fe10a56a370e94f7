#!/usr/bin/env bash
# Boots the deb-test root with systemd as PID 1 (systemd-nspawn --boot) and
# starts the packaged, hardened kioskd.service for real: the sandbox is set
# up, kioskd tells systemd it is ready (Type=notify), draws its first frame,
# feeds the watchdog past WatchdogSec, and stops cleanly.
#
# What is not the kiosk's: the container has no GPU, tty or devices, so a
# drop-in runs Xvfb in place of Xorg for kiosk-xorg.service, and the
# configuration is the sample with the backend at an address nobody
# answers (backend.dev, plain http); the card reader and printer are
# absent. Everything else (unit, users, groups, directories, hardening) is
# the package's own.
#
# Needs root, systemd-nspawn (systemd-container; installed when missing)
# and the bookworm root tarball .ci/deb-test.sh caches in $DEB_TEST_CACHE.
#
# usage: .ci/live-test.sh [PACKAGE.deb]
set -euo pipefail
cd "$(dirname "$0")/.."

cache=${DEB_TEST_CACHE:-/var/cache/kiosk-deb-test}
tarball="$cache/bookworm-minbase.tar"
[ "$(id -u)" = 0 ] || { echo "live-test: run as root" >&2; exit 1; }
[ -f "$tarball" ] || { echo "live-test: no $tarball (run .ci/deb-test.sh once)" >&2; exit 1; }
command -v systemd-nspawn >/dev/null ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends systemd-container >/dev/null

work=$(mktemp -d /tmp/kiosk-live-test.XXXXXX)
root="$work/root"
nspawn=""
cleanup() {
	[ -n "$nspawn" ] && kill "$nspawn" 2>/dev/null && wait "$nspawn" 2>/dev/null || true
	mountpoint -q "$root/proc" 2>/dev/null && umount -l "$root/proc" || true
	rm -rf "$work"
}
trap cleanup EXIT

deb=${1:-}
if [ -z "$deb" ]; then
	mkdir -p "$work/bin"
	CGO_ENABLED=1 go build -trimpath -o "$work/bin/kioskd" ./cmd/kioskd
	CGO_ENABLED=0 go build -trimpath -o "$work/bin/kioskctl" ./cmd/kioskctl
	deb=$(.ci/deb.sh amd64 "$work/bin/kioskd" "$work/bin/kioskctl" "$work/deb")
fi

mkdir -p "$root"
tar -C "$root" -xf "$tarball"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/kiosk.deb"
mount -t proc proc "$root/proc"
echo "live-test: installing systemd, Xvfb and the package"
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C \
	sh -c 'apt-get -q update && apt-get install -y -q --no-install-recommends systemd systemd-sysv dbus xvfb /tmp/kiosk.deb' \
	>"$work/apt.log" 2>&1 || { tail -30 "$work/apt.log" >&2; exit 1; }
umount "$root/proc"
rm -f "$root/usr/sbin/policy-rc.d"

mkdir -p "$root/etc/systemd/system/kiosk-xorg.service.d"
cat >"$root/etc/systemd/system/kiosk-xorg.service.d/xvfb.conf" <<'EOF'
[Service]
ExecStart=
ExecStart=/usr/bin/Xvfb :0 -screen 0 1080x1920x24 -nolisten tcp
TTYPath=
EOF
sed -e '/^\[backend\]/,/^\[/{s|^url = "https://.*"|url = "http://127.0.0.1:9"|;s/^dev = false/dev = true/;/^\(ca\|cert\|key\) = /d}' \
	"$root/usr/share/kiosk/kioskd.toml.sample" >"$root/etc/kioskd/kioskd.toml"
chroot "$root" chown root:kiosk /etc/kioskd/kioskd.toml
chmod 0640 "$root/etc/kioskd/kioskd.toml"

echo "live-test: booting the root"
systemd-nspawn -q -D "$root" --boot --register=no --keep-unit >"$work/boot.log" 2>&1 </dev/null &
nspawn=$!
pid1=""
for _ in $(seq 100); do
	pid1=$(pgrep -P "$nspawn" -x systemd | head -1 || true) # PID 1 inside, once it is systemd
	[ -n "$pid1" ] && break
	sleep 0.2
done
[ -n "$pid1" ] || { cat "$work/boot.log" >&2; exit 1; }
in_ct() { nsenter -t "$pid1" -a "$@"; }
for _ in $(seq 120); do
	state=$(in_ct systemctl is-system-running 2>/dev/null || true)
	case $state in running | degraded) break ;; esac
	sleep 0.5
done
echo "live-test: system $state"

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
show() { in_ct systemctl show kioskd -p "$1" --value; }

# WatchdogSec is 30 s: still running, never restarted, well after it.
sleep 40
main=$(show MainPID)
check "kioskd.service active (running)" test "$(show ActiveState)/$(show SubState)" = active/running
check "kioskd.service never restarted" test "$(show NRestarts)" = 0
check "kioskd ready under Type=notify" in_ct journalctl -u kioskd --no-pager -g "Started kioskd.service"
check "kioskd drew its first frame" in_ct journalctl -u kioskd --no-pager -g "first frame"
check "watchdog fed" test -n "$(show WatchdogTimestamp)"
check "runs as user kiosk" test "$(in_ct stat -c %U "/proc/$main")" = kiosk
check "no capabilities (CapabilityBoundingSet=)" in_ct grep -qx $'CapBnd:\t0000000000000000' "/proc/$main/status"
check "no new privileges" in_ct grep -qx $'NoNewPrivs:\t1' "/proc/$main/status"
check "seccomp filter on" in_ct grep -qx $'Seccomp:\t2' "/proc/$main/status"
check "admin socket there" in_ct test -S /run/kioskd/admin.sock
in_ct systemctl stop kioskd
check "an idle kiosk stops at once, cleanly" test "$(show Result)/$(show ActiveState)" = success/inactive
echo "--- kioskd's journal (warnings and worse)"
in_ct journalctl -u kioskd --no-pager -p warning -o cat || true
in_ct systemctl poweroff || true
wait "$nspawn" 2>/dev/null || true
nspawn=""
echo "live-test: $fails failed"
exit $((fails > 0))
