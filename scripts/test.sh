#!/usr/bin/env bash
# `make test`: every suite, then one summary line. Exits non-zero when anything failed.
set -uo pipefail
build=${1:-build}
browser=yes; [ "${2:-}" = "--no-browser" ] && browser=no
shards=${TEST_SHARDS:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
passed=0 failed=0 broken=()
logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT

count_gtest() {  # name, log
  local p f
  p=$(grep -oE '^\[  PASSED  \] [0-9]+' "$2" | grep -oE '[0-9]+$' | tail -1)
  f=$(grep -oE '^\[  FAILED  \] [0-9]+ tests?, listed below' "$2" | grep -oE '[0-9]+' | head -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
}

run_gtest() {  # name, binary
  # The suites spend most of their time waiting on servers they start (Dovecot, the SMTP sink,
  # rampart itself), so they run as $shards GoogleTest shards side by side; every test has its
  # own directory and ports, so shards cannot see each other.
  local name=$1 bin=$2 i pids=() rcs=()
  echo "== $name ($shards shards)"
  for ((i = 0; i < shards; i++)); do
    GTEST_TOTAL_SHARDS=$shards GTEST_SHARD_INDEX=$i "$bin" --gtest_brief=1 \
      >"$logdir/$name.$i.log" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}"
    rcs+=($?)
  done
  for ((i = 0; i < shards; i++)); do
    local log="$logdir/$name.$i.log"
    { grep -vE '^\{"ts"' "$log" || true; }
    count_gtest "$name" "$log"
    if [ "${rcs[$i]}" -ne 0 ]; then
      broken+=("$name/shard$i")
      # A crash leaves no FAILED summary: count the shard as one failure so it cannot pass.
      grep -qE '^\[  FAILED  \] [0-9]+ tests?, listed below' "$log" || failed=$((failed + 1))
    fi
  done
}

run_gtest unit "$build/rampart_unit_tests"
run_gtest integration "$build/rampart_integration_tests"

if [ "$browser" = yes ] && [ -f "$root/scripts/browser-test.sh" ]; then
  echo "== browser"
  log="$logdir/browser.log"
  bash "$root/scripts/browser-test.sh" "$build/rampart" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  p=$(grep -oE '^(ℹ|#) pass [0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  f=$(grep -oE '^(ℹ|#) fail [0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ "$rc" -ne 0 ]; then
    broken+=(browser)
    [ "${f:-0}" -gt 0 ] || failed=$((failed + 1))
  fi
fi

echo
[ ${#broken[@]} -eq 0 ] || echo "failing suites: ${broken[*]}"
echo "summary: $passed passed, $failed failed"
[ ${#broken[@]} -eq 0 ] && [ "$failed" -eq 0 ]
