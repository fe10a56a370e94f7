#!/usr/bin/env bash
# The kiosk's apt repository, made and signed with reprepro: two suites,
# pilot (the pilot hall's kiosks) and stable (every other kiosk), one
# component, main, for amd64, arm64 and armhf.
#
# usage: .ci/apt-repo.sh add SUITE PACKAGE.deb...   put packages in a suite
#        .ci/apt-repo.sh promote                    stable gets what pilot has
#        .ci/apt-repo.sh list [SUITE]               what each suite offers
#        .ci/apt-repo.sh key                        the public key file kiosks trust
# env:   APT_REPO      the repository directory (default bin/apt); serve it
#                      as it is over HTTPS (or any HTTP: apt checks signatures)
#        APT_SIGN_KEY  the signing key's fingerprint in GNUPGHOME; the word
#                      "throwaway" makes a passphrase-less key in
#                      $APT_REPO/.throwaway-gnupg, for tests only
#        GNUPGHOME     where the signing key is (gpg's default otherwise)
#
# The repository's public key is exported to $APT_REPO/kiosk-archive.gpg
# (binary, for /usr/share/keyrings and signed-by=). docs/deployment.md
# says how the real key is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,18p' "$0" >&2; exit 64; }
[ $# -ge 1 ] || usage
repo=${APT_REPO:-bin/apt}
key=${APT_SIGN_KEY:-}
command -v reprepro >/dev/null || { echo "apt-repo: reprepro is not installed (apt-get install reprepro)" >&2; exit 1; }

if [ "$key" = throwaway ]; then
	export GNUPGHOME="$repo/.throwaway-gnupg"
	if [ ! -d "$GNUPGHOME" ]; then
		mkdir -p "$GNUPGHOME" && chmod 0700 "$GNUPGHOME"
		gpg --batch --quiet --passphrase '' --quick-gen-key \
			'Kiosk throw-away test archive <kiosk-test@invalid>' ed25519 sign 1d 2>/dev/null
		echo "apt-repo: made a THROW-AWAY signing key in $GNUPGHOME: not for kiosks" >&2
	fi
	key=$(gpg --batch --quiet --with-colons --list-secret-keys 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')
fi
if [ -z "$key" ]; then
	echo "apt-repo: say which key signs: APT_SIGN_KEY=FINGERPRINT (or APT_SIGN_KEY=throwaway for a test key)" >&2
	exit 64
fi
gpg --batch --list-secret-keys "$key" >/dev/null 2>&1 ||
	{ echo "apt-repo: no secret key $key in ${GNUPGHOME:-~/.gnupg}" >&2; exit 1; }

# The configuration is written every time, so a changed key takes effect.
mkdir -p "$repo/conf"
for suite in pilot stable; do
	cat <<DIST
Origin: Zhongmu County Government Service Centre
Label: kiosk
Suite: $suite
Codename: $suite
Architectures: amd64 arm64 armhf
Components: main
Description: self-service kiosk firmware ($suite)
SignWith: $key

DIST
done >"$repo/conf/distributions"
printf 'verbose\nbasedir %s\n' "$(cd "$repo" && pwd)" >"$repo/conf/options"
gpg --batch --yes --export "$key" >"$repo/kiosk-archive.gpg"

rr() { reprepro --silent -b "$repo" "$@"; }
case "$1" in
add)
	[ $# -ge 3 ] || usage
	suite=$2
	shift 2
	case "$suite" in pilot | stable) ;; *) echo "apt-repo: suite $suite: pilot or stable" >&2; exit 64 ;; esac
	for deb in "$@"; do
		[ -f "$deb" ] || { echo "apt-repo: no package $deb" >&2; exit 1; }
		rr includedeb "$suite" "$deb"
		echo "apt-repo: $suite: $(dpkg-deb -f "$deb" Package Version Architecture | tr '\n' ' ')"
	done
	rr export
	;;
promote)
	# Every package of pilot, at pilot's version, into stable.
	rr copymatched stable pilot '*'
	rr export
	reprepro -b "$repo" list stable
	;;
list)
	for suite in ${2:-pilot stable}; do
		reprepro -b "$repo" list "$suite"
	done
	;;
key)
	echo "$repo/kiosk-archive.gpg"
	;;
*) usage ;;
esac
