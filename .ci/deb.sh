#!/usr/bin/env bash
# Builds the kiosk Debian package for one architecture from binaries the
# Makefile has already built, staging a tree and packing it with dpkg-deb.
#
# usage: .ci/deb.sh ARCH KIOSKD KIOSKCTL [OUTDIR]
#        .ci/deb.sh            (all of amd64 arm64 armhf from bin/<arch>/,
#                               cross-building any that is missing)
#   ARCH     amd64 | arm64 | armhf
#   KIOSKD   path of the kioskd binary for ARCH
#   KIOSKCTL path of the kioskctl binary for ARCH
#   OUTDIR   where the .deb goes (default bin/deb)
# env: VERSION (default 0.1.0+git<commits>.<hash>)
#
# Prints the path of the package it wrote.
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir=$(pwd)

if [ $# -eq 0 ]; then
	for a in amd64 arm64 armhf; do
		if [ ! -x "bin/$a/kioskd" ] || [ ! -x "bin/$a/kioskctl" ]; then
			.ci/cross.sh "$a" >&2
		fi
		"$0" "$a" "bin/$a/kioskd" "bin/$a/kioskctl" bin/deb
	done
	exit 0
fi
if [ $# -lt 3 ]; then
	sed -n '2,15p' "$0" >&2
	exit 2
fi
arch=$1 kioskd=$2 kioskctl=$3 outdir=${4:-bin/deb}
case "$arch" in amd64 | arm64 | armhf) ;; *)
	echo "deb: unknown ARCH $arch (amd64, arm64, armhf)" >&2
	exit 2
	;;
esac
for b in "$kioskd" "$kioskctl"; do
	[ -x "$b" ] || { echo "deb: $b is not an executable" >&2; exit 1; }
done

if [ -z "${VERSION:-}" ]; then
	if git rev-parse --verify -q HEAD >/dev/null 2>&1; then
		VERSION="0.1.0+git$(git rev-list --count HEAD).$(git rev-parse --short=8 HEAD)"
	else
		VERSION="0.1.0"
	fi
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pkg="$stage/kiosk"

# Debian bookworm still expects units and udev rules under /lib (usrmerge
# aliasing); sysusers, tmpfiles and X configuration live under /usr.
install -D -m 0755 "$kioskd" "$pkg/usr/bin/kioskd"
install -D -m 0755 "$kioskctl" "$pkg/usr/bin/kioskctl"
install -D -m 0644 systemd/kioskd.service "$pkg/lib/systemd/system/kioskd.service"
install -D -m 0644 systemd/kiosk-xorg.service "$pkg/lib/systemd/system/kiosk-xorg.service"
install -D -m 0644 systemd/kiosk-a4-queue.service "$pkg/lib/systemd/system/kiosk-a4-queue.service"
install -D -m 0755 systemd/kiosk-a4-queue "$pkg/usr/lib/kiosk/kiosk-a4-queue"
install -D -m 0644 systemd/60-kiosk.rules "$pkg/lib/udev/rules.d/60-kiosk.rules"
install -D -m 0644 systemd/kiosk.sysusers "$pkg/usr/lib/sysusers.d/kiosk.conf"
install -D -m 0644 systemd/kiosk.tmpfiles "$pkg/usr/lib/tmpfiles.d/kiosk.conf"
install -D -m 0644 systemd/50-kiosk.conf "$pkg/usr/share/X11/xorg.conf.d/50-kiosk.conf"

doc="$pkg/usr/share/doc/kiosk"
install -d "$doc/examples"
for d in docs/deployment.md docs/gpio.md; do
	[ -f "$d" ] && install -m 0644 "$d" "$doc/"
done
# The sample configuration. kioskd.service does not start until the
# technician has copied and edited it to /etc/kioskd/kioskd.toml. It is
# also under /usr/share/kiosk, which minimal images keep (many drop
# /usr/share/doc through dpkg path-exclude).
install -m 0644 systemd/kioskd.toml "$doc/examples/kioskd.toml"
install -D -m 0644 systemd/kioskd.toml "$pkg/usr/share/kiosk/kioskd.toml.sample"

maintainer="Zhongmu County Government Service Centre <kiosk-ops@zwfw.zhongmu.gov.cn>"
cat >"$doc/copyright" <<'COPY'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: kiosk
Upstream-Contact: Zhongmu County Government Service Centre <kiosk-ops@zwfw.zhongmu.gov.cn>
Comment: Self-service kiosk firmware for the county's 24-hour government halls.
 kioskd and kioskctl are statically linked with the Go modules listed in
 /usr/share/doc/kiosk/go-modules.txt; each module's licence is in
 /usr/share/doc/kiosk/licenses/MODULE/.

Files: *
Copyright: 2026 Zhongmu County Government Service Centre
License: proprietary
 Developed for and owned by the Zhongmu County Government Service Centre.
 All rights reserved. Installing and running it on the county's kiosks is
 permitted; redistribution is not.
COPY
# The Go modules in the binaries, with their licences.
go version -m "$kioskd" | awk '$1 == "dep" { print $2, $3 }' | sort -u >"$doc/go-modules.txt"
while read -r mod ver; do
	dir=$(go mod download -json "$mod@$ver" 2>/dev/null | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[ -n "$dir" ] || { echo "deb: no source for $mod@$ver to take its licence from" >&2; exit 1; }
	found=0
	for f in "$dir"/LICENSE* "$dir"/LICENCE* "$dir"/COPYING* "$dir"/NOTICE*; do
		[ -f "$f" ] || continue
		install -D -m 0644 "$f" "$doc/licenses/$mod/$(basename "$f")"
		found=1
	done
	[ "$found" = 1 ] || { echo "deb: $mod@$ver has no licence file" >&2; exit 1; }
done <"$doc/go-modules.txt"
# The Debian changelog, compressed as policy wants.
cat >"$stage/changelog" <<CHANGELOG
kiosk ($VERSION) bookworm; urgency=medium

  * Built from $(git rev-parse --short=12 HEAD 2>/dev/null || echo "a source tree without git").
    docs/ in the source tree describes what this version does.

 -- $maintainer  $(date -R -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")
CHANGELOG
gzip -9n -c "$stage/changelog" >"$doc/changelog.Debian.gz"
chmod 0644 "$doc/changelog.Debian.gz"

install -d "$pkg/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
cat >"$pkg/DEBIAN/control" <<CONTROL
Package: kiosk
Version: $VERSION
Architecture: $arch
Maintainer: $maintainer
Section: misc
Priority: optional
Installed-Size: $size
Depends: systemd, udev, init-system-helpers, passwd, xserver-xorg-core, xserver-xorg-input-libinput, x11-xserver-utils, libgl1, libgl1-mesa-dri, libx11-6, libxcursor1, libxi6, libxinerama1, libxrandr2, libxxf86vm1, libasound2, fonts-noto-cjk, espeak-ng, zinnia-utils, tegaki-zinnia-simplified-chinese, cups, cups-client, poppler-utils
Description: self-service government kiosk (touchscreen, ID card, receipts, A4 proofs)
 kioskd runs a 24-hour self-service kiosk: the resident's touchscreen,
 the resident ID card reader, the receipt printer, cabinet GPIO and a
 durable outbox to the county backend. kioskctl is the technicians' tool.
 .
 Installing creates the kiosk user and enables kioskd.service and
 kiosk-xorg.service; nothing starts until /etc/kioskd/kioskd.toml exists.
CONTROL

cat >"$pkg/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
units="kiosk-xorg.service kiosk-a4-queue.service kioskd.service"
if [ "$1" = configure ]; then
	if command -v systemd-sysusers >/dev/null 2>&1; then
		systemd-sysusers kiosk.conf
	else
		for g in gpio input render; do
			getent group "$g" >/dev/null || groupadd --system "$g"
		done
		getent passwd kiosk >/dev/null || useradd --system --user-group \
			--home-dir /var/lib/kioskd --no-create-home --shell /usr/sbin/nologin \
			--comment "Self-service kiosk daemon" kiosk
		usermod -a -G dialout,gpio,video,render,input,audio kiosk
	fi
	if command -v systemd-tmpfiles >/dev/null 2>&1; then
		systemd-tmpfiles --create kiosk.conf || true
	else
		install -d -m 0750 -o root -g kiosk /etc/kioskd
		install -d -m 0700 -o kiosk -g kiosk /var/lib/kioskd /var/cache/kioskd
		install -d -m 0750 -o kiosk -g kiosk /var/log/kioskd
	fi
	if [ -d /run/udev ] && command -v udevadm >/dev/null 2>&1; then
		udevadm control --reload-rules || true
		udevadm trigger --action=add --subsystem-match=tty --subsystem-match=gpio || true
	fi
	# Enable, never start: kioskd.service waits for /etc/kioskd/kioskd.toml
	# (ConditionPathExists=) and starts with the next boot or by hand.
	for u in $units; do
		if deb-systemd-helper --quiet was-enabled "$u"; then
			deb-systemd-helper enable "$u" >/dev/null || true
		else
			deb-systemd-helper update-state "$u" >/dev/null || true
			deb-systemd-helper enable "$u" >/dev/null || true
		fi
	done
	if [ -d /run/systemd/system ]; then
		systemctl --system daemon-reload >/dev/null || true
		# An upgrade restarts a running daemon on the new binary.
		if systemctl is-active --quiet kioskd.service; then
			systemctl try-restart kioskd.service || true
		fi
	fi
fi
exit 0
POSTINST

cat >"$pkg/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
	systemctl stop kioskd.service kiosk-a4-queue.service kiosk-xorg.service >/dev/null 2>&1 || true
fi
exit 0
PRERM

cat >"$pkg/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
	systemctl --system daemon-reload >/dev/null || true
fi
if [ "$1" = remove ] && command -v deb-systemd-helper >/dev/null; then
	deb-systemd-helper mask kioskd.service kiosk-a4-queue.service kiosk-xorg.service >/dev/null || true
fi
if [ "$1" = purge ] && command -v deb-systemd-helper >/dev/null; then
	deb-systemd-helper purge kioskd.service kiosk-a4-queue.service kiosk-xorg.service >/dev/null || true
	deb-systemd-helper unmask kioskd.service kiosk-a4-queue.service kiosk-xorg.service >/dev/null || true
	rm -rf /var/lib/kioskd /var/cache/kioskd /var/log/kioskd
fi
exit 0
POSTRM
chmod 0755 "$pkg/DEBIAN/postinst" "$pkg/DEBIAN/prerm" "$pkg/DEBIAN/postrm"
# Checksums of every file shipped, for debsums and dpkg --verify.
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort |
	xargs md5sum) >"$pkg/DEBIAN/md5sums"
chmod 0644 "$pkg/DEBIAN/md5sums"

mkdir -p "$outdir"
out="$outdir/kiosk_${VERSION}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$out" >/dev/null
echo "$out"
