#!/usr/bin/env bash
# Installs the amd64 kiosk package into a throw-away Debian bookworm root and
# checks what a kiosk gets: the files, the kiosk user and its groups, the
# enabled units, nothing started and nothing configured; then purges it and
# checks it is gone.
#
# The root is a `debootstrap --variant=minbase bookworm` tree (25-30 s
# here; kept as a tarball in $DEB_TEST_CACHE, after which it unpacks in a
# few seconds). The package is installed with apt inside it, so its Depends:
# are resolved and installed for real (Xorg, Mesa, fonts-noto-cjk,
# espeak-ng): about 16 s here. Maintainer scripts run in the root; no
# service is started (policy-rc.d, and no systemd runs there).
# DEB_TEST_DEPS=0 installs with `dpkg --root --force-depends` instead (no
# network, no dependencies; the postinst then takes its useradd fallback).
#
# usage: .ci/deb-test.sh [PACKAGE.deb]
#   without an argument, builds kioskd and kioskctl for amd64 and the package.
set -euo pipefail
cd "$(dirname "$0")/.."

cache=${DEB_TEST_CACHE:-/var/cache/kiosk-deb-test}
mirror=${DEB_TEST_MIRROR:-http://deb.debian.org/debian}
deps=${DEB_TEST_DEPS:-1}
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo

deb=${1:-}
work=$(mktemp -d /tmp/kiosk-deb-test.XXXXXX)
root="$work/root"
cleanup() {
	for m in proc dev/pts dev; do
		mountpoint -q "$root/$m" 2>/dev/null && $sudo umount -l "$root/$m" || true
	done
	$sudo rm -rf "$work"
}
trap cleanup EXIT

if [ -z "$deb" ]; then
	echo "deb-test: building amd64 binaries"
	mkdir -p "$work/bin"
	CGO_ENABLED=1 go build -trimpath -o "$work/bin/kioskd" ./cmd/kioskd
	CGO_ENABLED=0 go build -trimpath -o "$work/bin/kioskctl" ./cmd/kioskctl
	deb=$(.ci/deb.sh amd64 "$work/bin/kioskd" "$work/bin/kioskctl" "$work/deb")
fi
[ -f "$deb" ] || { echo "deb-test: no package $deb" >&2; exit 1; }
dpkg-deb -I "$deb" >/dev/null

if ! command -v debootstrap >/dev/null; then
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
		-o DPkg::Lock::Timeout=600 debootstrap >/dev/null
fi
tarball="$cache/bookworm-minbase.tar"
t0=$(date +%s)
mkdir -p "$root"
if [ -f "$tarball" ]; then
	$sudo tar -C "$root" -xf "$tarball"
else
	echo "deb-test: debootstrap bookworm minbase from $mirror"
	$sudo debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
		{ tail -20 "$work/debootstrap.log" >&2; exit 1; }
	$sudo mkdir -p "$cache"
	$sudo tar -C "$root" -cf "$tarball.tmp" . && $sudo mv "$tarball.tmp" "$tarball"
fi
t1=$(date +%s)
echo "deb-test: root ready in $((t1 - t0)) s"

# Nothing may be started inside the throw-away root.
printf '#!/bin/sh\nexit 101\n' | $sudo tee "$root/usr/sbin/policy-rc.d" >/dev/null
$sudo chmod 0755 "$root/usr/sbin/policy-rc.d"
$sudo cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
$sudo cp "$deb" "$root/tmp/kiosk.deb"
in_root() { $sudo chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }

if [ "$deps" = 1 ]; then
	$sudo mount -t proc proc "$root/proc"
	echo "deb-test: apt install with dependencies"
	in_root apt-get -q update >"$work/apt.log" 2>&1 || { tail -20 "$work/apt.log" >&2; exit 1; }
	in_root apt-get install -y -q --no-install-recommends /tmp/kiosk.deb >>"$work/apt.log" 2>&1 ||
		{ tail -40 "$work/apt.log" >&2; exit 1; }
else
	echo "deb-test: dpkg --root install without dependencies"
	$sudo dpkg --root="$root" --force-depends -i "$deb" >"$work/apt.log" 2>&1 ||
		{ cat "$work/apt.log" >&2; exit 1; }
fi
t2=$(date +%s)
echo "deb-test: installed in $((t2 - t1)) s"

fails=0
check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "ok   $what"
	else
		echo "FAIL $what"
		fails=$((fails + 1))
	fi
}

for f in /usr/bin/kioskd /usr/bin/kioskctl /lib/systemd/system/kioskd.service \
	/lib/systemd/system/kiosk-xorg.service /lib/udev/rules.d/60-kiosk.rules \
	/usr/lib/sysusers.d/kiosk.conf /usr/lib/tmpfiles.d/kiosk.conf \
	/usr/share/X11/xorg.conf.d/50-kiosk.conf /usr/share/doc/kiosk/examples/kioskd.toml \
	/lib/systemd/system/kiosk-a4-queue.service /usr/lib/kiosk/kiosk-a4-queue; do
	check "file $f" test -s "$root$f"
done
check "kioskd executable" test -x "$root/usr/bin/kioskd"
check "sample config where minimal images keep it" test -s "$root/usr/share/kiosk/kioskd.toml.sample"
check "changelog" test -s "$root/usr/share/doc/kiosk/changelog.Debian.gz"
check "copyright names a licence" grep -q '^License: ' "$root/usr/share/doc/kiosk/copyright"
check "every Go module's licence shipped" bash -c 'd=$1/usr/share/doc/kiosk; test -s "$d/go-modules.txt" &&
	while read -r mod _; do ls "$d/licenses/$mod/"* >/dev/null 2>&1 || exit 1; done <"$d/go-modules.txt"' _ "$root"
check "files match their md5sums (dpkg --verify)" test -z "$($sudo dpkg --root="$root" --verify kiosk 2>&1)"
check "kiosk-a4-queue executable" test -x "$root/usr/lib/kiosk/kiosk-a4-queue"

pw=$(in_root getent passwd kiosk || true)
check "user kiosk exists" test -n "$pw"
check "user kiosk is a system user (uid < 1000)" test "$(echo "$pw" | cut -d: -f3)" -lt 1000
check "user kiosk home /var/lib/kioskd" test "$(echo "$pw" | cut -d: -f6)" = /var/lib/kioskd
check "user kiosk has no login shell" test "$(echo "$pw" | cut -d: -f7)" = /usr/sbin/nologin
groups=" $(in_root id -nG kiosk 2>/dev/null || true) "
for g in dialout gpio video render input audio; do
	check "group $g exists" in_root getent group "$g"
	check "kiosk in group $g" grep -q " $g " <<<"$groups"
done
# Owners are names in the root's own passwd, so stat runs inside it.
check "/var/lib/kioskd owned by kiosk, 0700" test "$(in_root stat -c '%U %a' /var/lib/kioskd)" = "kiosk 700"
check "/etc/kioskd root:kiosk 0750" test "$(in_root stat -c '%U:%G %a' /etc/kioskd)" = "root:kiosk 750"

for u in kioskd.service kiosk-xorg.service; do
	check "$u enabled (graphical.target.wants)" test -L "$root/etc/systemd/system/graphical.target.wants/$u"
	check "$u is-enabled" test "$(systemctl --root="$root" is-enabled "$u" 2>/dev/null)" = enabled
done
check "kiosk-a4-queue.service enabled (multi-user.target.wants)" test -L "$root/etc/systemd/system/multi-user.target.wants/kiosk-a4-queue.service"
check "the A4 queue waits for its printer's file" grep -qx 'ConditionPathExists=/etc/kioskd/a4-printer.conf' "$root/lib/systemd/system/kiosk-a4-queue.service"
check "not configured: no /etc/kioskd/kioskd.toml" test ! -e "$root/etc/kioskd/kioskd.toml"
check "kioskd waits for its configuration" grep -qx 'ConditionPathExists=/etc/kioskd/kioskd.toml' "$root/lib/systemd/system/kioskd.service"
check "nothing started (no /run/kioskd/admin.sock)" test ! -e "$root/run/kioskd/admin.sock"
if [ "$deps" = 1 ]; then
	for p in xserver-xorg-core fonts-noto-cjk espeak-ng zinnia-utils tegaki-zinnia-simplified-chinese libgl1 libasound2 cups cups-client poppler-utils; do
		check "dependency $p installed" in_root dpkg -s "$p"
	done
	check "systemd-analyze verify kioskd.service" in_root systemd-analyze verify --man=no /lib/systemd/system/kioskd.service
	check "systemd-analyze verify kiosk-a4-queue.service" in_root systemd-analyze verify --man=no /lib/systemd/system/kiosk-a4-queue.service
	# Depends: is complete when every shared library kioskd links resolves.
	if file -b "$root/usr/bin/kioskd" | grep -q 'dynamically linked'; then
		check "kioskd's shared libraries all resolve" \
			bash -c "! $sudo chroot '$root' ldd /usr/bin/kioskd | grep -q 'not found'"
	fi
fi

# Purge leaves nothing behind.
if [ "$deps" = 1 ]; then
	in_root dpkg --purge kiosk >>"$work/apt.log" 2>&1
else
	$sudo dpkg --root="$root" --purge kiosk >>"$work/apt.log" 2>&1
fi
check "purge removes kioskd" test ! -e "$root/usr/bin/kioskd"
check "purge removes the enable links" test ! -e "$root/etc/systemd/system/graphical.target.wants/kioskd.service"
check "purge removes /var/lib/kioskd" test ! -e "$root/var/lib/kioskd"

echo "deb-test: $(dpkg-deb -f "$deb" Package Version Architecture | tr '\n' ' ')"
if [ $fails -gt 0 ]; then
	echo "deb-test: $fails check(s) failed; log: " >&2
	tail -30 "$work/apt.log" >&2
	exit 1
fi
echo "deb-test: all checks passed"
