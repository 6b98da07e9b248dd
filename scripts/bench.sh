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
#   BENCH_TICKETS      demo tickets in the scratch helpdesk (1000000; e.g. 100000 for a quick run)
#   BENCH_TARGET_RATIO rampart/baseline req/s to reach (0.8)
#   BENCH_SECTIONS     sections to run, in order (all: "seed healthz healthz_logging queue
#                      ticket_page search api_create sign_in_cost flood memory mail_inbound
#                      mail_dkim"); the mail_* sections alone need no seeded helpdesk
#                      (scripts/bench_mail.sh has their settings)
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
# shellcheck source=scripts/bench_mail.sh
. "$SCRIPT_DIR/bench_mail.sh"

SECS=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-2}
IO_THREADS=${BENCH_IO_THREADS:-2}
TARGET_RATIO=${BENCH_TARGET_RATIO:-0.8}
OUT=${BENCH_OUT:-$BENCH_BUILD_DIR/bench-results.md}
SECTIONS=${BENCH_SECTIONS:-seed healthz healthz_logging queue ticket_page search api_create sign_in_cost flood memory mail_inbound mail_dkim}

REPORT=""   # markdown body, assembled by the sections
SUMMARY=""  # one table row per target, assembled by the sections

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

# --- The helpdesk sections: one rampart on the seeded database, kept for all of them --------
# Started once, so that "RSS after the runs" is the memory after every load below. The
# per-address connection cap is raised for the flood (200 + 32 connections from 127.0.0.1).
APP_PID="" APP_PORT="" APP_MPORT="" APP_TOKEN="" APP_SESSION="" APP_BASE_PID="" APP_BASE_PORT=""
APP_TICKET=""

app_start() {
  [ -n "$APP_PID" ] && return 0
  APP_TOKEN=$(bench_token agent@example.com write)
  [ -n "$APP_TOKEN" ] || bench_die "rampart token create gave no token"
  bench_start_rampart rampart-app RAMPART_LOG_LEVEL=warn RAMPART_SERVER_IO_THREADS="$IO_THREADS" \
    RAMPART_LIMITS_MAX_CONNECTIONS_PER_IP=1024
  APP_PID=$BENCH_PID APP_PORT=$BENCH_PORT APP_MPORT=$BENCH_METRICS_PORT
  APP_SESSION=$(bench_sign_in "$APP_PORT" agent@example.com "$BENCH_AGENT_PASSWORD")
  bench_start_baseline "$IO_THREADS"
  APP_BASE_PID=$BENCH_PID APP_BASE_PORT=$BENCH_PORT
}

# app_url PATH: rampart's URL for PATH.
app_url() { echo "http://127.0.0.1:$APP_PORT$1"; }

# app_against_baseline SECTION NAME URL WRK_ARGS...: ROUNDS alternating runs of the bare server
# and of rampart's URL with the given wrk arguments (the baseline ignores headers and scripts).
app_against_baseline() {
  local section=$1 name=$2 url=$3 round
  shift 3
  for ((round = 1; round <= ROUNDS; round++)); do
    BENCH_WRK_ARGS=()
    bench_wrk "$section-baseline-$round" "http://127.0.0.1:$APP_BASE_PORT/healthz" "$SECS" \
      "$APP_BASE_PID"
    bench_record "$section" "baseline (hello Beast)" "$round"
    BENCH_WRK_ARGS=("$@")
    bench_wrk "$section-rampart-$round" "$url" "$SECS" "$APP_PID" "$APP_MPORT"
    bench_record "$section" "$name" "$round"
  done
  BENCH_WRK_ARGS=()
}

# verdict X OP LIMIT: PASS or FAIL.
verdict() {
  if awk -v x="$1" -v m="$3" -v op="$2" 'BEGIN { exit !((op == ">=") ? x >= m : x <= m) }'; then
    echo PASS
  else
    echo FAIL
  fi
}

# app_ratio_report SECTION NAME MIN_RATIO MAX_P99_MS|-: the table and the verdicts.
app_ratio_report() {
  local section=$1 name=$2 min_ratio=$3 max_p99=$4 base ramp ratio p99 errors
  base=$(bench_mean "$section" "baseline (hello Beast)" 4)
  ramp=$(bench_mean "$section" "$name" 4)
  ratio=$(bench_ratio "$ramp" "$base")
  p99=$(bench_mean "$section" "$name" 6)
  errors=$(bench_errors "$section" "$name")
  report_add "$(bench_table "$section" "baseline (hello Beast)" "$name")"
  report_add ""
  local line="**Ratio rampart/baseline req/s: $ratio** (target >= $min_ratio:"
  line+=" **$(verdict "$ratio" ">=" "$min_ratio")**)"
  [ "$max_p99" != - ] &&
    line+="; rampart p99 $(printf '%.2f' "$p99") ms (target <= $max_p99 ms: **$(verdict "$p99" "<=" "$max_p99")**)"
  report_add "$line; server CPU per request $(printf '%.1f' "$(bench_mean "$section" "$name" 7)") us;" \
    "errors: $errors."
  report_add ""
  SUMMARY+="| $section | ratio $ratio (>= $min_ratio)"
  [ "$max_p99" != - ] && SUMMARY+=", p99 $(printf '%.1f' "$p99") ms (<= $max_p99)"
  SUMMARY+=" | $(verdict "$ratio" ">=" "$min_ratio")"
  [ "$max_p99" != - ] && SUMMARY+="/$(verdict "$p99" "<=" "$max_p99")"
  SUMMARY+=" |"$'\n'
}

# --- Section: seeding ---------------------------------------------------------------------------
section_seed() {
  local rate cpu_rate
  rate=$(awk -v n="$BENCH_SEED_TICKETS" -v s="$BENCH_SEED_WALL_S" 'BEGIN { printf "%.0f", n / s }')
  cpu_rate=$(awk -v n="$BENCH_SEED_TICKETS" -v s="$BENCH_SEED_CPU_S" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
  report_add "## Seeding: rampart demo-data --tickets $BENCH_SEED_TICKETS"
  report_add ""
  report_add "$BENCH_SEED_TICKETS tickets with $BENCH_SEED_MESSAGES messages, their history, tags," \
    "custom fields and search index in **$BENCH_SEED_WALL_S s** wall ($rate tickets/s;" \
    "target >= 20000: **$(verdict "$rate" ">=" 20000)**), $BENCH_SEED_CPU_S s of CPU" \
    "($cpu_rate tickets per CPU second). Database: $(du -m "$BENCH_DATA_DIR/rampart.db" | cut -f1) MiB."
  report_add ""
  SUMMARY+="| seed | $rate tickets/s wall, $cpu_rate per CPU second (>= 20000) | $(verdict "$rate" ">=" 20000) |"$'\n'
}

# --- Section: agent queue, 50 rows of JSON, as the demo agent's API token ---------------------
section_queue() {
  app_start
  report_add "## Agent queue: GET /api/v1/tickets?limit=50 (Bearer token, JSON)"
  report_add ""
  report_add "The demo agent (Support department) reads the first page of their queue. Load:" \
    "wrk -c${BENCH_CONNECTIONS:-64}, $ROUNDS rounds alternating with the bare server."
  report_add ""
  app_against_baseline queue "rampart queue" "$(app_url '/api/v1/tickets?limit=50')" \
    -H "Authorization: Bearer $APP_TOKEN"
  app_ratio_report queue "rampart queue" 0.2 20
}

# --- Section: the agent's ticket page (HTML, 20 messages) with a real session -----------------
section_ticket_page() {
  app_start
  local body i
  if [ -z "$APP_TICKET" ]; then
    APP_TICKET=$(curl -sS --max-time 10 -X POST -H "Authorization: Bearer $APP_TOKEN" \
      -H 'Content-Type: application/json' \
      -d '{"subject":"Twenty messages","body":"The first message of a long thread about a printer."}' \
      "$(app_url /api/v1/tickets)" | sed -n 's/.*"number":"\([^"]*\)".*/\1/p')
    [ -n "$APP_TICKET" ] || bench_die "could not create the 20-message ticket"
    for ((i = 2; i <= 20; i++)); do
      body="{\"body\":\"Message $i of the thread: we tried again and it still fails.\",\"internal\":false}"
      curl -fsS --max-time 10 -o /dev/null -X POST -H "Authorization: Bearer $APP_TOKEN" \
        -H 'Content-Type: application/json' -d "$body" \
        "$(app_url "/api/v1/tickets/$APP_TICKET/messages")" || bench_die "could not add message $i"
    done
  fi
  report_add "## Agent ticket page: GET /agent/tickets/$APP_TICKET (HTML, 20 messages, session cookie)"
  report_add ""
  report_add "Signed in through the real form (CSRF cookie and token). Load: wrk" \
    "-c${BENCH_CONNECTIONS:-64}, $ROUNDS rounds alternating with the bare server. Page size:" \
    "$(curl -sS -o /dev/null -w '%{size_download}' -H "Cookie: __Host-rampart_session=$APP_SESSION" \
      "$(app_url "/agent/tickets/$APP_TICKET")") bytes."
  report_add ""
  app_against_baseline ticket_page "rampart ticket page" "$(app_url "/agent/tickets/$APP_TICKET")" \
    -H "Cookie: __Host-rampart_session=$APP_SESSION"
  app_ratio_report ticket_page "rampart ticket page" 0.15 -
}

# --- Section: full-text search for a word in 0.1% of messages ---------------------------------
section_search() {
  app_start
  local hits
  hits=$(curl -sS --max-time 10 -H "Authorization: Bearer $APP_TOKEN" \
    "$(app_url '/api/v1/search?q=zeppelin')" | grep -o '"number"' | wc -l)
  report_add "## Search: GET /api/v1/search?q=zeppelin (a word in 0.1% of messages)"
  report_add ""
  report_add "As the demo agent; the first page holds $hits tickets. Load: wrk" \
    "-c${BENCH_CONNECTIONS:-64}, $ROUNDS rounds alternating with the bare server."
  report_add ""
  app_against_baseline search "rampart search" "$(app_url '/api/v1/search?q=zeppelin')" \
    -H "Authorization: Bearer $APP_TOKEN"
  local p99
  p99=$(bench_mean search "rampart search" 6)
  report_add "$(bench_table search "baseline (hello Beast)" "rampart search")"
  report_add ""
  report_add "**p99 $(printf '%.2f' "$p99") ms** (target <= 50 ms: **$(verdict "$p99" "<=" 50)**);" \
    "errors: $(bench_errors search "rampart search")."
  report_add ""
  SUMMARY+="| search | p99 $(printf '%.1f' "$p99") ms (<= 50) | $(verdict "$p99" "<=" 50) |"$'\n'
}

# --- Section: API ticket creation (201 = committed with synchronous=FULL) ---------------------
section_api_create() {
  app_start
  local round rps p99
  report_add "## API ticket creation: POST /api/v1/tickets (Bearer token, JSON, 201 = on disk)"
  report_add ""
  report_add "bench/create_ticket.lua; wrk -c${BENCH_CONNECTIONS:-64}; $ROUNDS rounds."
  report_add ""
  for ((round = 1; round <= ROUNDS; round++)); do
    BENCH_WRK_ARGS=(-s "$SCRIPT_DIR/../bench/create_ticket.lua")
    BENCH_TOKEN=$APP_TOKEN bench_wrk "create-$round" "$(app_url /api/v1/tickets)" "$SECS" \
      "$APP_PID" "$APP_MPORT"
    bench_record api_create "rampart create" "$round"
  done
  BENCH_WRK_ARGS=()
  rps=$(bench_mean api_create "rampart create" 4)
  p99=$(bench_mean api_create "rampart create" 6)
  report_add "$(bench_table api_create "rampart create")"
  report_add ""
  report_add "**$(printf '%.0f' "$rps") tickets/s** (target >= 5000: **$(verdict "$rps" ">=" 5000)**);" \
    "errors: $(bench_errors api_create "rampart create"); server CPU per ticket" \
    "$(printf '%.1f' "$(bench_mean api_create "rampart create" 7)") us."
  report_add ""
  SUMMARY+="| api_create | $(printf '%.0f' "$rps") tickets/s (>= 5000) | $(verdict "$rps" ">=" 5000) |"$'\n'
}

# --- Section: sign-in cost (one argon2id verification at the configured cost) ----------------
section_sign_in_cost() {
  app_start
  local csrf ms
  csrf=$(bench_pre_session_csrf "$APP_PORT")
  BENCH_WRK_C=1 BENCH_WRK_ARGS=(-s "$SCRIPT_DIR/../bench/bad_sign_in.lua")
  BENCH_CSRF=$csrf bench_wrk sign-in-cost "$(app_url /login)" 5 "$APP_PID" "$APP_MPORT"
  BENCH_WRK_C="" BENCH_WRK_ARGS=()
  bench_record sign_in_cost "rampart sign-in (1 connection)" 1
  ms=$BENCH_P50_MS
  report_add "## Sign-in cost"
  report_add ""
  report_add "One connection posting a wrong password (bench/bad_sign_in.lua): each request verifies" \
    "one argon2id hash at the configured cost (here the defaults: 64 MiB, 2 passes). **$(printf '%.1f' "$ms") ms per sign-in** (p50);" \
    "$(printf '%.1f' "$BENCH_RPS") sign-ins/s on one connection."
  report_add ""
  SUMMARY+="| sign_in_cost | $(printf '%.1f' "$ms") ms per hash | (reported) |"$'\n'
}

# --- Section: flood of bad sign-ins while agents read the queue -------------------------------
section_flood() {
  app_start
  local csrf quiet_p99 flood_p99 rss_before rss_peak flood_pid sampler_pid
  local queue_url
  queue_url=$(app_url '/api/v1/tickets?limit=50')
  BENCH_WRK_C=32 BENCH_WRK_ARGS=(-H "Authorization: Bearer $APP_TOKEN")
  bench_wrk flood-quiet "$queue_url" "$SECS" "$APP_PID" "$APP_MPORT"
  bench_record flood "queue, 32 connections, no flood" 1
  quiet_p99=$BENCH_P99_MS
  rss_before=$(bench_rss_kb "$APP_PID")

  csrf=$(bench_pre_session_csrf "$APP_PORT")
  # The flood runs a little longer than the measured queue run, on both sides of it.
  BENCH_CSRF=$csrf timeout --kill-after=5 $((SECS + ${BENCH_WARMUP:-2} + 40)) \
    wrk -t1 -c200 -d$((SECS + ${BENCH_WARMUP:-2} + 4))s --timeout 60s \
    -s "$SCRIPT_DIR/../bench/bad_sign_in.lua" \
    "$(app_url /login)" >"$BENCH_WORK/wrk-flood.txt" 2>&1 &
  flood_pid=$!
  (while kill -0 "$flood_pid" 2>/dev/null; do bench_rss_kb "$APP_PID"; sleep 0.2; done) \
    >"$BENCH_WORK/flood-rss.txt" &
  sampler_pid=$!
  sleep 2
  local warm=${BENCH_WARMUP:-2}
  BENCH_ALLOW_STARVED=1 BENCH_WARMUP=0 bench_wrk flood-loaded "$queue_url" "$SECS" "$APP_PID"
  BENCH_WARMUP=$warm
  bench_record flood "queue, 32 connections, during the flood" 1
  flood_p99=$BENCH_P99_MS
  wait "$flood_pid" || true
  wait "$sampler_pid" || true
  BENCH_WRK_C="" BENCH_WRK_ARGS=()
  rss_peak=$(sort -n "$BENCH_WORK/flood-rss.txt" | tail -n 1)
  local flood_rps flood_non2xx
  flood_rps=$(awk '$1 == "Requests/sec:" { print $2 }' "$BENCH_WORK/wrk-flood.txt")
  flood_non2xx=$(awk '/Non-2xx/ { print $NF }' "$BENCH_WORK/wrk-flood.txt")
  local p99_ratio rss_ratio
  p99_ratio=$(bench_ratio "$flood_p99" "$quiet_p99")
  rss_ratio=$(bench_ratio "${rss_peak:-0}" "$rss_before")
  report_add "## Flood: 200 connections of bad sign-ins while 32 connections read the agent queue"
  report_add ""
  report_add "$(bench_rounds_table flood)"
  report_add ""
  report_add "The flood: ${flood_rps:-0} sign-ins/s answered (${flood_non2xx:-0} of them 401, as" \
    "wrong passwords should be; the rest waited in the hashing pool's queue). Queue p99 during/without the flood: **$p99_ratio x** (target" \
    "<= 3: **$(verdict "$p99_ratio" "<=" 3)**). RSS before the flood $rss_before KiB, highest" \
    "during it ${rss_peak:-?} KiB: **$rss_ratio x** (target <= 2: **$(verdict "$rss_ratio" "<=" 2)**)."
  report_add ""
  SUMMARY+="| flood | queue p99 x$p99_ratio (<= 3), RSS x$rss_ratio (<= 2) | $(verdict "$p99_ratio" "<=" 3)/$(verdict "$rss_ratio" "<=" 2) |"$'\n'
}

# --- Section: memory after every run above ------------------------------------------------------
section_memory() {
  app_start
  local rss hwm
  rss=$(bench_rss_kb "$APP_PID")
  hwm=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$APP_PID/status")
  report_add "## Memory"
  report_add ""
  report_add "Rampart's RSS after the runs: **$((rss / 1024)) MiB** (target <= 150 MiB:" \
    "**$(verdict "$((rss / 1024))" "<=" 150)**); peak (VmHWM) $((hwm / 1024)) MiB."
  report_add ""
  SUMMARY+="| memory | RSS $((rss / 1024)) MiB after the runs (<= 150), peak $((hwm / 1024)) MiB | $(verdict "$((rss / 1024))" "<=" 150) |"$'\n'
}

main() {
  bench_require wrk curl awk timeout
  [ -x "$BENCH_BUILD_DIR/rampart" ] || bench_die "$BENCH_BUILD_DIR/rampart is not built"
  local name tool helpdesk="" mail=""
  # The seeded helpdesk and the bare server only for the sections that use them.
  for name in $SECTIONS; do
    case $name in mail_*) mail=1 ;; *) helpdesk=1 ;; esac
  done
  for tool in ${helpdesk:+bench_hello_beast} ${mail:+bench_mail}; do
    [ -x "$BENCH_BUILD_DIR/$tool" ] ||
      bench_die "$BENCH_BUILD_DIR/$tool is not built (RAMPART_BUILD_BENCH=ON)"
  done
  bench_init
  if [ -n "$helpdesk" ]; then bench_prepare_data "${BENCH_TICKETS:-1000000}"; fi

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
  doc+=$'\n\n'"$machine_before"$'\n\n'
  if [ -n "$SUMMARY" ]; then
    doc+="## Targets"$'\n\n'"| section | measured (target) | verdict |"$'\n'"| --- | --- | --- |"$'\n'
    doc+="$SUMMARY"$'\n'
  fi
  doc+="$REPORT"
  doc+="Ratios matter more than absolute numbers: on a shared machine wrk, both servers and"
  doc+=$'\n'"other work compete for the same cores."$'\n'
  printf '%s' "$doc"
  mkdir -p "$(dirname "$OUT")"
  printf '%s' "$doc" >"$OUT"
  bench_log "report written to $OUT"
}

main
