#!/usr/bin/env bash
# Browser tests: scripts/browser-test.sh BINARY [TEST_FILE...]
# Runs tests/browser/*.test.mjs (or the given files) in headless Chromium (Debian's, from
# scripts/deps.sh; no browser is downloaded) against the server binary BINARY.
# Environment: RAMPART_BROWSER_ARTIFACTS (screenshots; default tests/browser/test-results),
# RAMPART_BROWSER_TIMEOUT (seconds for the whole run; default 900), CHROMIUM_PATH.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 BINARY [TEST_FILE...]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$1
shift
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
if [ ! -x "$bin" ]; then
  echo "browser-test: $bin is not an executable server binary" >&2
  exit 2
fi
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
for tool in node npm "$chromium"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "browser-test: $tool not found; run scripts/deps.sh (as root) first" >&2
    exit 2
  fi
done

dir=$root/tests/browser
# Install the exact locked packages when node_modules is missing or the lock changed.
stamp=$dir/node_modules/.rampart-lock.sha256
want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "browser-test: installing the locked packages (npm ci)"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi

if [ $# -gt 0 ]; then
  files=()
  for f in "$@"; do
    case $f in /*) files+=("$f") ;; *) files+=("$PWD/$f") ;; esac
  done
else
  files=("$dir"/*.test.mjs)
fi

cd "$dir"
export RAMPART_BINARY=$bin
# One test file at a time keeps the load modest on a small machine.
status=0
timeout --kill-after=15 "${RAMPART_BROWSER_TIMEOUT:-900}" \
  node --test --test-reporter=spec --test-concurrency=1 "${files[@]}" || status=$?
if [ $status -eq 124 ] || [ $status -eq 137 ]; then
  echo "browser-test: the run passed its ${RAMPART_BROWSER_TIMEOUT:-900} s deadline and was stopped" >&2
fi
exit $status
