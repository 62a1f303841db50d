#!/bin/sh
# Installs the Debian packages Gazette builds, runs and tests with.
# Idempotent: installs only what is missing. Needs root (or sudo).
set -eu
BUILD="gcc make pkg-config libmicrohttpd-dev libsqlite3-dev libmd4c-dev libmd4c-html0-dev libsodium-dev libxml2-dev zlib1g-dev libbrotli-dev libseccomp-dev libcurl4-openssl-dev libvips-dev libvips42 libarchive-dev libpq-dev sqlite3 curl"
TEST="chromium strace python3 python3-feedparser newsboat libxml2-utils openjdk-17-jre-headless clang libclang-rt-14-dev wrk nginx-light time debhelper dpkg-dev fakeroot systemd systemd-container dbus groff-base man-db prometheus postgresql-15"
want="$BUILD"
[ "${1:-}" = "--test" ] && want="$BUILD $TEST"
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
command -v node >/dev/null 2>&1 || missing="$missing nodejs npm"
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "installing:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
