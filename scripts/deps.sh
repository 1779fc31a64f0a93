#!/bin/sh
# Install the Debian 12 packages Homeward builds, tests and runs with. The
# browser test of the workspace (tests/browser) needs chromium, chromium-driver
# and python3-selenium; fonts-dejavu-core makes its screenshots legible.
# Idempotent: apt-get runs only when something is missing. Needs root (or sudo).
set -eu
PACKAGES="build-essential cmake pkg-config git ca-certificates curl sqlite3
  libglpk-dev libuv1-dev libsqlite3-dev libjansson-dev libhttp-parser-dev libssl-dev libcsv-dev libical-dev
  clang libfuzzer-14-dev libclang-rt-14-dev
  python3 chromium chromium-driver python3-selenium fonts-dejavu-core"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
