#!/usr/bin/env bash
# `make bench`: measures rampart against a bare Boost.Beast server on this machine, in one run,
# and writes a markdown report. A report, not a test: it exits 0 when a target ratio is missed,
# and non-zero only when a server failed to start or wrk failed.
#
# Usage: scripts/bench.sh BUILD_DIR
#   BUILD_DIR holds the built `rampart` and `bench_hello_beast`.
# Environment (all optional):
#   BENCH_SECONDS      measured seconds per wrk run (10)
#   BENCH_WARMUP       warm-up seconds before each run (2; 0 skips it)
#   BENCH_ROUNDS       alternations of the two targets in each section (2)
#   BENCH_CONNECTIONS  wrk connections (64)       BENCH_WRK_THREADS  wrk threads (1)
#   BENCH_IO_THREADS   I/O threads of both servers (2, rampart's default)
#   BENCH_TICKETS      demo tickets in the scratch helpdesk (200)
#   BENCH_TARGET_RATIO rampart/baseline req/s to reach (0.8)
#   BENCH_SECTIONS     sections to run, in order (all: "healthz healthz_logging")
#   BENCH_OUT          report file (BUILD_DIR/bench-results.md)
#
# A section is a function `section_NAME` that runs its loads with the helpers of bench_lib.sh,
# records each run with bench_record and appends its markdown to the report with report_add.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
BENCH_BUILD_DIR=$(cd "$1" && pwd) || exit 2
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/bench_lib.sh
. "$SCRIPT_DIR/bench_lib.sh"

SECS=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-2}
IO_THREADS=${BENCH_IO_THREADS:-2}
TARGET_RATIO=${BENCH_TARGET_RATIO:-0.8}
OUT=${BENCH_OUT:-$BENCH_BUILD_DIR/bench-results.md}
SECTIONS=${BENCH_SECTIONS:-healthz healthz_logging}

REPORT=""  # markdown body, assembled by the sections

report_add() { REPORT+="$*"$'\n'; }

wrk_settings() {
  echo "wrk -t${BENCH_WRK_THREADS:-1} -c${BENCH_CONNECTIONS:-64} -d${SECS}s --latency" \
    "(after a ${BENCH_WARMUP:-2} s warm-up), GET /healthz"
}

# --- Section: GET /healthz, rampart against the bare Beast baseline ---------------------------
# The baseline answers every request with the same JSON; rampart's /healthz runs the full
# platform path (limits, parsing, routing, the stage pipeline, metrics, security headers).
section_healthz() {
  local base_pid base_port r_pid r_port r_mport round
  local base="baseline (hello Beast)" ramp="rampart"
  bench_start_baseline "$IO_THREADS"
  base_pid=$BENCH_PID base_port=$BENCH_PORT
  bench_start_rampart rampart-warn RAMPART_LOG_LEVEL=warn \
    RAMPART_SERVER_IO_THREADS="$IO_THREADS"
  r_pid=$BENCH_PID r_port=$BENCH_PORT r_mport=$BENCH_METRICS_PORT

  for ((round = 1; round <= ROUNDS; round++)); do
    bench_wrk "baseline-$round" "http://127.0.0.1:$base_port/healthz" "$SECS" "$base_pid"
    bench_record healthz "$base" "$round"
    bench_wrk "rampart-$round" "http://127.0.0.1:$r_port/healthz" "$SECS" "$r_pid" "$r_mport"
    bench_record healthz "$ramp" "$round"
  done

  local base_rps ramp_rps ratio verdict rounds_ratios
  base_rps=$(bench_mean healthz "$base" 4)
  ramp_rps=$(bench_mean healthz "$ramp" 4)
  ratio=$(bench_ratio "$ramp_rps" "$base_rps")
  verdict=FAIL
  bench_at_least "$ratio" "$TARGET_RATIO" && verdict=PASS
  rounds_ratios=$(awk -F'\t' '$1 == "healthz" { r[$3, ($2 == "rampart")] = $4; n = ($3 > n ? $3 : n) }
    END { for (i = 1; i <= n; i++) printf "%s%.2f", (i > 1 ? ", " : ""), r[i, 1] / r[i, 0] }' \
    "$BENCH_RESULTS")

  report_add "## GET /healthz: rampart against the baseline"
  report_add ""
  report_add "Both servers with $IO_THREADS I/O threads; rampart with RAMPART_LOG_LEVEL=warn."
  report_add "Load: $(wrk_settings); $ROUNDS alternating rounds, means below."
  report_add ""
  report_add "$(bench_table healthz "$base" "$ramp")"
  report_add ""
  report_add "**Ratio rampart/baseline req/s: $ratio** (per round: $rounds_ratios);" \
    "target >= $TARGET_RATIO: **$verdict**"
  report_add ""
  local base_cpu ramp_cpu
  base_cpu=$(bench_mean healthz "$base" 7)
  ramp_cpu=$(bench_mean healthz "$ramp" 7)
  report_add "Server CPU time per request (user+system, less sensitive to other load than req/s):" \
    "baseline $(printf '%.1f' "$base_cpu") us, rampart $(printf '%.1f' "$ramp_cpu") us;" \
    "baseline/rampart = $(bench_ratio "$base_cpu" "$ramp_cpu")."
  report_add ""
  report_add "Every run:"
  report_add ""
  report_add "$(bench_rounds_table healthz)"
  report_add ""
  report_add "| server | RSS after the runs | bytes per /healthz response |"
  report_add "| --- | ---: | ---: |"
  report_add "| baseline | $(bench_rss_kb "$base_pid") KiB |" \
    "$(bench_response_bytes "http://127.0.0.1:$base_port/healthz") |"
  report_add "| rampart | $(bench_rss_kb "$r_pid") KiB |" \
    "$(bench_response_bytes "http://127.0.0.1:$r_port/healthz") |"
  local rejected
  rejected=$(bench_metric "$r_mport" \
    'rampart_events_total{name="connection_rejected",reason="max_connections_per_ip"}')
  if [ "${rejected%.*}" != 0 ]; then
    report_add ""
    report_add "Rampart refused $rejected connections over its per-address limit during the runs."
  fi
  report_add ""
  bench_stop_server "$base_pid"
  bench_stop_server "$r_pid"
}

# --- Section: the cost of per-request access logging (info level) -----------------------------
# At info, rampart writes one JSON line per request to stderr (here: a file in the scratch dir).
section_healthz_logging() {
  local w_pid w_port w_mport i_pid i_port i_mport i_log
  local warn="rampart (log level warn)" info="rampart (log level info)"
  bench_start_rampart rampart-log-warn RAMPART_LOG_LEVEL=warn \
    RAMPART_SERVER_IO_THREADS="$IO_THREADS"
  w_pid=$BENCH_PID w_port=$BENCH_PORT w_mport=$BENCH_METRICS_PORT
  bench_start_rampart rampart-log-info RAMPART_LOG_LEVEL=info \
    RAMPART_SERVER_IO_THREADS="$IO_THREADS"
  i_pid=$BENCH_PID i_port=$BENCH_PORT i_mport=$BENCH_METRICS_PORT i_log=$BENCH_SERVER_LOG

  local round
  for ((round = 1; round <= ROUNDS; round++)); do
    bench_wrk "log-warn-$round" "http://127.0.0.1:$w_port/healthz" "$SECS" "$w_pid" "$w_mport"
    bench_record logging "$warn" "$round"
    bench_wrk "log-info-$round" "http://127.0.0.1:$i_port/healthz" "$SECS" "$i_pid" "$i_mport"
    bench_record logging "$info" "$round"
  done

  local ratio line_bytes
  ratio=$(bench_ratio "$(bench_mean logging "$info" 4)" "$(bench_mean logging "$warn" 4)")
  line_bytes=$(head -n 20000 "$i_log" | awk '/"event":"request"/ { b += length($0) + 1; n++ }
    END { printf "%.0f", (n ? b / n : 0) }')

  report_add "## Access logging cost (GET /healthz, rampart only)"
  report_add ""
  report_add "Same load, $ROUNDS alternating rounds. At info, rampart writes one access-log line" \
    "(~$line_bytes bytes) per request to stderr, here redirected to a file."
  report_add ""
  report_add "$(bench_table logging "$warn" "$info")"
  report_add ""
  local warn_cpu info_cpu
  warn_cpu=$(bench_mean logging "$warn" 7)
  info_cpu=$(bench_mean logging "$info" 7)
  report_add "**Ratio info/warn req/s: $ratio** (reported, no target). Server CPU per request:" \
    "warn $(printf '%.1f' "$warn_cpu") us, info $(printf '%.1f' "$info_cpu") us" \
    "(+$(awk -v a="$info_cpu" -v b="$warn_cpu" 'BEGIN { printf "%.1f", a - b }') us)."
  report_add ""
  report_add "Every run:"
  report_add ""
  report_add "$(bench_rounds_table logging)"
  report_add ""
  bench_stop_server "$w_pid"
  bench_stop_server "$i_pid"
}

main() {
  bench_require wrk curl awk timeout
  [ -x "$BENCH_BUILD_DIR/rampart" ] || bench_die "$BENCH_BUILD_DIR/rampart is not built"
  [ -x "$BENCH_BUILD_DIR/bench_hello_beast" ] ||
    bench_die "$BENCH_BUILD_DIR/bench_hello_beast is not built (RAMPART_BUILD_BENCH=ON)"
  bench_init
  bench_prepare_data "${BENCH_TICKETS:-200}"

  local machine_before section
  machine_before=$(bench_machine)
  for section in $SECTIONS; do
    declare -F "section_$section" >/dev/null || bench_die "unknown section '$section'"
    bench_log "section $section"
    "section_$section"
  done

  local doc
  doc="# Rampart benchmark results"$'\n\n'
  doc+="Machine (load average taken before the runs; after: $(cut -d' ' -f1-3 /proc/loadavg)):"
  doc+=$'\n\n'"$machine_before"$'\n\n'"$REPORT"
  doc+="Ratios matter more than absolute numbers: on a shared machine wrk, both servers and"
  doc+=$'\n'"other work compete for the same cores."$'\n'
  printf '%s' "$doc"
  mkdir -p "$(dirname "$OUT")"
  printf '%s' "$doc" >"$OUT"
  bench_log "report written to $OUT"
}

main
