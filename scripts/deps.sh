#!/usr/bin/env bash
# Installs every Debian package Rampart needs to build, test, check and bench.
# Idempotent: packages already present are skipped without touching apt's lists.
set -euo pipefail

# Build and run-time libraries.
BUILD_PKGS=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev
  libssl-dev libsqlite3-dev libsodium-dev libargon2-dev libqrencode-dev libunistring-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev libctemplate-dev
  libgmime-3.0-dev libmagic-dev libgtest-dev libgumbo-dev libidn2-dev libopendkim-dev
  libcurl4-openssl-dev
)
# Tools used by tests, checks and benches.
TOOL_PKGS=(
  sqlite3 curl wrk clang-tidy cppcheck clang-format
  chromium python3 clang-14
  oathtool zbar-tools librsvg2-bin publicsuffix python3-dkim python3-nacl
  python3-aiosmtpd dovecot-imapd openssl
)
# Node.js with npm (for the browser tests' playwright-core) comes from Debian's nodejs
# where the machine has none; a machine image may ship its own build that bundles npm.

missing=()
for p in "${BUILD_PKGS[@]}" "${TOOL_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "deps.sh: missing packages: ${missing[*]}; run as root (or install them) first" >&2
  exit 1
fi

echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Boost 1.81 replaces the 1.74 -dev packages; apt removes them itself.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
