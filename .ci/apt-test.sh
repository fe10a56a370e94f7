#!/usr/bin/env bash
# Installs the kiosk from its apt repository into a throw-away Debian
# bookworm root (the one .ci/deb-test.sh uses), then upgrades it to a newer
# build from the pilot suite, and checks what an upgrade must keep: the
# technician's configuration, the state directory with the outbox and the
# service lists, the units enabled; and that the daemon is restarted
# through its graceful stop (try-restart), never stopped outright.
#
# The repository is made by .ci/apt-repo.sh with reprepro and signed with
# a throw-away GPG key generated here; the root reads it as a file: source
# with signed-by=, so apt checks the signature as it would over HTTPS.
# No systemd runs in the root: a stand-in systemctl records what the
# maintainer scripts ask of it and answers is-active as told.
#
# usage: .ci/apt-test.sh        (slow: about a minute; `make apt-test`)
set -euo pipefail
cd "$(dirname "$0")/.."

cache=${DEB_TEST_CACHE:-/var/cache/kiosk-deb-test}
mirror=${DEB_TEST_MIRROR:-http://deb.debian.org/debian}
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
t_start=$(date +%s)

work=$(mktemp -d /tmp/kiosk-apt-test.XXXXXX)
root="$work/root"
cleanup() {
	for m in proc; do
		mountpoint -q "$root/$m" 2>/dev/null && $sudo umount -l "$root/$m" || true
	done
	$sudo rm -rf "$work"
}
trap cleanup EXIT

for tool in reprepro debootstrap gpg; do
	command -v $tool >/dev/null || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
		--no-install-recommends -o DPkg::Lock::Timeout=600 "$tool" >/dev/null
done

# Two builds: the installed one and its upgrade. Only the stamped version
# differs, which is what --version shows.
base="0.1.0+git$(git rev-list --count HEAD 2>/dev/null || echo 0)"
v1="${base}~apttest1" v2="${base}~apttest2"
for v in "$v1" "$v2"; do
	mkdir -p "$work/bin/$v"
	CGO_ENABLED=1 go build -trimpath -ldflags "-X github.com/henan-county/kiosk/cmd/kioskd/internal/cli.version=$v" \
		-o "$work/bin/$v/kioskd" ./cmd/kioskd
	CGO_ENABLED=0 go build -trimpath -o "$work/bin/$v/kioskctl" ./cmd/kioskctl
	VERSION=$v .ci/deb.sh amd64 "$work/bin/$v/kioskd" "$work/bin/$v/kioskctl" "$work/deb" >/dev/null
done
deb1="$work/deb/kiosk_${v1}_amd64.deb" deb2="$work/deb/kiosk_${v2}_amd64.deb"
t_built=$(date +%s)
echo "apt-test: built $v1 and $v2 in $((t_built - t_start)) s"

# The repository: v1 in both suites.
export APT_REPO="$work/repo" APT_SIGN_KEY=throwaway
.ci/apt-repo.sh add pilot "$deb1" >/dev/null
.ci/apt-repo.sh add stable "$deb1" >/dev/null

mkdir -p "$root"
tarball="$cache/bookworm-minbase.tar"
if [ -f "$tarball" ]; then
	$sudo tar -C "$root" -xf "$tarball"
else
	echo "apt-test: debootstrap bookworm minbase from $mirror"
	$sudo debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
		{ tail -20 "$work/debootstrap.log" >&2; exit 1; }
	$sudo mkdir -p "$cache"
	$sudo tar -C "$root" -cf "$tarball.tmp" . && $sudo mv "$tarball.tmp" "$tarball"
fi
printf '#!/bin/sh\nexit 101\n' | $sudo tee "$root/usr/sbin/policy-rc.d" >/dev/null
$sudo chmod 0755 "$root/usr/sbin/policy-rc.d"
$sudo cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
$sudo mount -t proc proc "$root/proc"
in_root() { $sudo chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
log="$work/apt.log"

# The kiosk's apt source, as enrolment writes it (docs/deployment.md).
sync_repo() { $sudo rm -rf "$root/srv/kiosk-apt" && $sudo mkdir -p "$root/srv" && $sudo cp -a "$APT_REPO" "$root/srv/kiosk-apt"; }
sync_repo
$sudo install -D -m 0644 "$APT_REPO/kiosk-archive.gpg" "$root/usr/share/keyrings/kiosk-archive.gpg"
source_line() { echo "deb [signed-by=/usr/share/keyrings/kiosk-archive.gpg] file:/srv/kiosk-apt $1 main"; }
source_line pilot | $sudo tee "$root/etc/apt/sources.list.d/kiosk.list" >/dev/null

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
installed() { in_root dpkg-query -W -f='${Version}' kiosk 2>/dev/null; }

# Trusting another key, apt refuses the repository: the signature is
# checked.
other="$work/other-gnupg"
mkdir -p "$other" && chmod 0700 "$other"
GNUPGHOME=$other gpg --batch --quiet --passphrase '' --quick-gen-key 'Someone else <other@invalid>' ed25519 sign 1d 2>/dev/null
GNUPGHOME=$other gpg --batch --export | $sudo tee "$root/usr/share/keyrings/kiosk-archive.gpg" >/dev/null
refused=$(in_root apt-get -q update 2>&1 || true)
check "apt refuses the repository signed by a key it does not trust" grep -q NO_PUBKEY <<<"$refused"
$sudo install -m 0644 "$APT_REPO/kiosk-archive.gpg" "$root/usr/share/keyrings/kiosk-archive.gpg"

in_root apt-get -q update >"$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }
t_root=$(date +%s)
in_root apt-get install -y -q --no-install-recommends kiosk >>"$log" 2>&1 || { tail -40 "$log" >&2; exit 1; }
t_installed=$(date +%s)
echo "apt-test: installed $(installed) from the pilot suite in $((t_installed - t_root)) s"
check "v1 installed from the repository" test "$(installed)" = "$v1"
check "kioskd --version says v1" test "$(in_root kioskd --version 2>&1 | head -1 | grep -o "$v1")" = "$v1"

# A kiosk in service: the technician's configuration, a local unit
# override, the state directory with an outbox and service lists.
$sudo tee "$root/etc/kioskd/kioskd.toml" >/dev/null <<'TOML'
[kiosk]
id = "zm-zwzx-03"
hall = "zwzx"
location = "自助服务区 3 号机"

[daemon]
stop_grace = "4m"
TOML
in_root chgrp kiosk /etc/kioskd/kioskd.toml
in_root chmod 0640 /etc/kioskd/kioskd.toml
$sudo mkdir -p "$root/etc/systemd/system/kioskd.service.d"
printf '[Service]\nEnvironment=KIOSK_SITE_NOTE=kept\n' | $sudo tee "$root/etc/systemd/system/kioskd.service.d/override.conf" >/dev/null
for f in outbox.db catalog/active.json catalog/active.json.minisig catalog/previous.json docs/1000001.sealed; do
	$sudo mkdir -p "$(dirname "$root/var/lib/kioskd/$f")"
	head -c 4096 /dev/urandom | $sudo tee "$root/var/lib/kioskd/$f" >/dev/null
done
in_root chown -R kiosk:kiosk /var/lib/kioskd
sums() { $sudo bash -c "cd '$root' && find etc/kioskd etc/systemd/system/kioskd.service.d var/lib/kioskd -type f -print0 | sort -z | xargs -0 sha256sum"; }
perms() { in_root bash -c 'find /etc/kioskd /var/lib/kioskd -printf "%p %u:%g %m\n" | sort'; }
sums >"$work/sums.before"
perms >"$work/perms.before"

# No systemd in the root: a stand-in systemctl, first in PATH, records
# each call; kioskd counts as running while /run/kioskd-active exists.
$sudo mkdir -p "$root/run/systemd/system"
$sudo tee "$root/usr/sbin/systemctl" >/dev/null <<'SHIM'
#!/bin/sh
echo "systemctl $*" >>/var/log/systemctl-calls
case "$*" in
*is-active*kioskd.service*) [ -e /run/kioskd-active ] ;;
*) exit 0 ;;
esac
SHIM
$sudo chmod 0755 "$root/usr/sbin/systemctl"
$sudo touch "$root/run/kioskd-active"

# v2 to the pilot suite only.
.ci/apt-repo.sh add pilot "$deb2" >/dev/null
sync_repo
in_root apt-get -q update >>"$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }
t0=$(date +%s)
in_root apt-get install -y -q --only-upgrade kiosk >>"$log" 2>&1 || { tail -40 "$log" >&2; exit 1; }
t_upgraded=$(date +%s)
echo "apt-test: upgraded to $(installed) in $((t_upgraded - t0)) s"
calls=$(cat "$root/var/log/systemctl-calls" 2>/dev/null || true)
check "v2 installed by the upgrade" test "$(installed)" = "$v2"
check "kioskd --version says v2" test "$(in_root kioskd --version 2>&1 | head -1 | grep -o "$v2")" = "$v2"
check "the package declares no conffiles (the configuration is the technician's)" \
	test -z "$(in_root dpkg-query -W -f='${Conffiles}' kiosk)"
sums >"$work/sums.after"
perms >"$work/perms.after"
check "configuration, unit override, outbox and service lists byte for byte" cmp "$work/sums.before" "$work/sums.after"
check "their owners and modes kept" cmp "$work/perms.before" "$work/perms.after"
check "/var/lib/kioskd still kiosk 0700" test "$(in_root stat -c '%U %a' /var/lib/kioskd)" = "kiosk 700"
check "kioskd.service still enabled" test -L "$root/etc/systemd/system/graphical.target.wants/kioskd.service"
check "the upgrade reloads systemd" grep -qx 'systemctl --system daemon-reload' <<<"$calls"
check "the upgrade restarts the running daemon (try-restart: its graceful stop)" grep -qx 'systemctl try-restart kioskd.service' <<<"$calls"
check "the upgrade never stops kioskd outright" bash -c "! grep -q 'systemctl stop' <<<\"\$1\"" _ "$calls"
check "the installed unit allows the graceful stop (TimeoutStopSec)" grep -qx 'TimeoutStopSec=5min 30s' "$root/lib/systemd/system/kioskd.service"

# Not running: an upgrade starts nothing.
$sudo rm -f "$root/run/kioskd-active" "$root/var/log/systemctl-calls"
in_root apt-get install -y -q --reinstall kiosk >>"$log" 2>&1
check "a kiosk not running is not started by a reinstall" bash -c "! grep -q 'try-restart\|systemctl start' '$root/var/log/systemctl-calls'"

# Stable still offers v1 until pilot is promoted.
source_line stable | $sudo tee "$root/etc/apt/sources.list.d/kiosk.list" >/dev/null
in_root apt-get -q update >>"$log" 2>&1
check "stable does not offer v2 before promotion" bash -c "! $sudo chroot '$root' apt-cache madison kiosk | grep -q '$v2'"
check "stable offers v1" bash -c "$sudo chroot '$root' apt-cache madison kiosk | grep -q '$v1'"
.ci/apt-repo.sh promote >/dev/null
sync_repo
in_root apt-get -q update >>"$log" 2>&1
check "stable offers v2 after promotion" bash -c "$sudo chroot '$root' apt-cache madison kiosk | grep -q '$v2'"

t_end=$(date +%s)
echo "apt-test: $((t_end - t_start)) s in all"
if [ $fails -gt 0 ]; then
	echo "apt-test: $fails check(s) failed; systemctl calls:" >&2
	echo "$calls" >&2
	tail -30 "$log" >&2
	exit 1
fi
echo "apt-test: all checks passed"
