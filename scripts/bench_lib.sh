# shellcheck shell=bash disable=SC2034  # the BENCH_* globals are read by bench.sh
# Shared helpers for scripts/bench.sh: a scratch directory, server start and stop, readiness
# polling, bounded wrk runs, parsing of wrk's report, result tables and the machine description.
# Sourced, not run. Everything a helper starts is stopped by the EXIT trap that bench_init sets.
#
# Conventions:
#   - helpers that produce one value print it on stdout; helpers that produce several set
#     BENCH_* globals (named in their comment);
#   - a failure to start a server or to run wrk is fatal (bench_die, exit 2): a benchmark that
#     did not run must not look like a slow one;
#   - every wait has a deadline and every wrk run is wrapped in `timeout`.
# Variable names avoid the RAMPART_ prefix on purpose: rampart reports unknown RAMPART_* variables.

BENCH_WORK=""        # scratch directory, removed at exit
BENCH_PIDS=()        # servers to stop at exit
BENCH_RESULTS=""     # TSV of measured runs, one line per run (see bench_record)
BENCH_NOTES=""       # free-text lines for the report (see bench_note)
BENCH_WRK_ARGS=()    # extra wrk arguments for the next bench_wrk runs (-s script, -H header)
BENCH_WRK_C=""       # connections for the next bench_wrk runs (default BENCH_CONNECTIONS)

bench_log() { printf 'bench: %s\n' "$*" >&2; }

bench_die() {
  printf 'bench: FAILED: %s\n' "$*" >&2
  exit 2
}

bench_require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || bench_die "'$tool' is not installed (make deps installs it)"
  done
}

# bench_init: scratch directory and the EXIT trap that stops every server and removes it.
bench_init() {
  BENCH_WORK=$(mktemp -d /tmp/rampart-bench.XXXXXX)
  BENCH_RESULTS="$BENCH_WORK/results.tsv"
  BENCH_NOTES="$BENCH_WORK/notes.txt"
  : >"$BENCH_RESULTS"
  : >"$BENCH_NOTES"
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do bench_stop "$pid"; done
  [ -n "$BENCH_WORK" ] && rm -rf "$BENCH_WORK"
}

# bench_stop PID: SIGTERM, up to 5 s for a graceful exit, then SIGKILL. Only our own children.
bench_stop() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}

# bench_stop_server PID: stops one server now and forgets it.
bench_stop_server() {
  local pid=$1 i
  bench_stop "$pid"
  for i in "${!BENCH_PIDS[@]}"; do
    [ "${BENCH_PIDS[$i]}" = "$pid" ] && unset 'BENCH_PIDS[i]'
  done
  return 0
}

# bench_port_in_use PORT: true when a TCP socket (any state, IPv4 or IPv6) holds local PORT.
bench_port_in_use() {
  local hex
  hex=$(printf '%04X' "$1")
  awk -v p=":$hex" 'NR > 1 && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# bench_free_port: a port below the kernel's ephemeral range (where wrk's and curl's own
# sockets would take ports from) that no socket holds right now. The server may still lose a
# race for it; the start helpers retry with another port when bind fails.
bench_free_port() {
  local low=32768 lo=10000 port i
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  ((low > lo + 1000)) || lo=1024
  ((low > lo + 1000)) || low=65536  # no room below the ephemeral range: use any port
  for ((i = 0; i < 100; i++)); do
    port=$((lo + (RANDOM * 32768 + RANDOM) % (low - lo)))
    bench_port_in_use "$port" || { echo "$port"; return 0; }
  done
  bench_die "no free port found"
}

# bench_wait_http URL PID [SECONDS]: polls URL until it answers 200, while PID is alive.
bench_wait_http() {
  local url=$1 pid=$2 limit=${3:-15}
  local deadline=$((SECONDS + limit))
  while ((SECONDS < deadline)); do
    kill -0 "$pid" 2>/dev/null || return 1
    curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

# bench_start_baseline THREADS: starts the hello-world Beast server.
# Sets BENCH_PID and BENCH_PORT.
bench_start_baseline() {
  local threads=$1 attempt port pid log
  for attempt in 1 2 3; do
    port=$(bench_free_port) || exit 2
    log="$BENCH_WORK/baseline-$port.log"
    "$BENCH_BUILD_DIR/bench_hello_beast" "$port" "$threads" >"$log" 2>&1 &
    pid=$!
    BENCH_PIDS+=("$pid")
    if bench_wait_http "http://127.0.0.1:$port/healthz" "$pid" 15; then
      BENCH_PID=$pid BENCH_PORT=$port
      return 0
    fi
    bench_stop "$pid"
    bench_log "baseline did not answer on port $port (attempt $attempt): $(tail -n 3 "$log")"
  done
  bench_die "the baseline server did not start"
}

# bench_prepare_data TICKETS: a demo helpdesk in the scratch directory (once), timed.
# Sets BENCH_DATA_DIR, BENCH_SEED_WALL_S (wall seconds of the whole command), BENCH_SEED_CPU_S
# (its user+system CPU seconds), BENCH_SEED_TICKETS and BENCH_SEED_MESSAGES (what the generator
# added, from its last line) and BENCH_AGENT_PASSWORD (the demo agent's, printed once).
bench_prepare_data() {
  local tickets=$1 log="$BENCH_WORK/demo-data.log" t0 t1
  BENCH_DATA_DIR="$BENCH_WORK/data"
  [ -f "$BENCH_DATA_DIR/rampart.db" ] && return 0
  t0=$(date +%s.%N)
  timeout "${BENCH_SEED_TIMEOUT:-3600}" /usr/bin/time -f 'cpu %U %S' -o "$BENCH_WORK/seed-time.txt" \
    "$BENCH_BUILD_DIR/rampart" demo-data --data-dir "$BENCH_DATA_DIR" --tickets "$tickets" \
    >"$log" 2>&1 || bench_die "rampart demo-data failed: $(tail -n 5 "$log")"
  t1=$(date +%s.%N)
  BENCH_SEED_WALL_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  BENCH_SEED_CPU_S=$(awk '$1 == "cpu" { printf "%.1f", $2 + $3 }' "$BENCH_WORK/seed-time.txt")
  BENCH_SEED_TICKETS=$(awk '$1 == "added" { print $2 }' "$log")
  BENCH_SEED_MESSAGES=$(awk '$1 == "added" { print $5 }' "$log")
  BENCH_AGENT_PASSWORD=$(awk '$1 == "agent" && $2 == "agent@example.com" { print $3 }' "$log")
  [ -n "$BENCH_AGENT_PASSWORD" ] || bench_die "demo-data printed no agent password"
}

# bench_token EMAIL SCOPE: a new API token for EMAIL, printed on stdout.
bench_token() {
  "$BENCH_BUILD_DIR/rampart" token create --data-dir "$BENCH_DATA_DIR" --user "$1" \
    --scope "$2" 2>/dev/null | awk '/^rmp_/ { print; exit }'
}

# bench_cookie_value HEADERS_FILE NAME: the value of cookie NAME set by a response.
bench_cookie_value() {
  tr -d '\r' <"$1" | awk -v n="$2" 'tolower($1) == "set-cookie:" && index($2, n "=") == 1 {
    v = substr($2, length(n) + 2); sub(/;.*/, "", v); print v; exit }'
}

# bench_pre_session_csrf PORT: a pre-session CSRF token (the cookie's value is also the form's).
bench_pre_session_csrf() {
  curl -sS --max-time 5 -D "$BENCH_WORK/login-get.txt" -o /dev/null "http://127.0.0.1:$1/login" ||
    bench_die "GET /login failed"
  bench_cookie_value "$BENCH_WORK/login-get.txt" __Host-rampart_csrf
}

# bench_sign_in PORT EMAIL PASSWORD: signs in through the real form (pre-session CSRF cookie
# and token) and prints the session cookie's value.
bench_sign_in() {
  local port=$1 email=$2 password=$3 csrf session
  csrf=$(bench_pre_session_csrf "$port")
  [ -n "$csrf" ] || bench_die "GET /login set no CSRF cookie"
  curl -sS --max-time 10 -D "$BENCH_WORK/login-post.txt" -o /dev/null \
    -H "Cookie: __Host-rampart_csrf=$csrf" --data-urlencode "csrf_token=$csrf" \
    --data-urlencode "email=$email" --data-urlencode "password=$password" \
    "http://127.0.0.1:$port/login" || bench_die "POST /login failed"
  session=$(bench_cookie_value "$BENCH_WORK/login-post.txt" __Host-rampart_session)
  [ -n "$session" ] || bench_die "sign-in as $email failed: $(head -n 1 "$BENCH_WORK/login-post.txt")"
  echo "$session"
}

# bench_start_rampart NAME [VAR=VALUE ...]: starts `rampart serve` on the demo helpdesk with
# the given environment (e.g. RAMPART_LOG_LEVEL=warn). Its stderr goes to $BENCH_WORK/NAME.log.
# Ports are chosen here because the listening line is logged at info level only.
# Sets BENCH_PID, BENCH_PORT, BENCH_METRICS_PORT and BENCH_SERVER_LOG.
bench_start_rampart() {
  local name=$1
  shift
  local attempt port mport pid log
  [ -n "${BENCH_DATA_DIR:-}" ] || bench_die "bench_prepare_data must run before bench_start_rampart"
  for attempt in 1 2 3; do
    port=$(bench_free_port) || exit 2
    mport=$(bench_free_port) || exit 2
    [ "$port" = "$mport" ] && continue
    log="$BENCH_WORK/$name.log"
    env "$@" "$BENCH_BUILD_DIR/rampart" serve --data-dir "$BENCH_DATA_DIR" \
      --listen "127.0.0.1:$port" --metrics-listen "127.0.0.1:$mport" >"$log" 2>&1 &
    pid=$!
    BENCH_PIDS+=("$pid")
    if bench_wait_http "http://127.0.0.1:$port/healthz" "$pid" 15 &&
      bench_wait_http "http://127.0.0.1:$mport/metrics" "$pid" 5; then
      BENCH_PID=$pid BENCH_PORT=$port BENCH_METRICS_PORT=$mport BENCH_SERVER_LOG=$log
      return 0
    fi
    bench_stop "$pid"
    bench_log "rampart ($name) did not answer on ports $port/$mport (attempt $attempt): $(tail -n 3 "$log")"
  done
  bench_die "rampart ($name) did not start"
}

# bench_metric METRICS_PORT NAME_WITH_LABELS: the value of one Prometheus sample (0 if absent).
bench_metric() {
  local port=$1 name=$2
  curl -fsS --max-time 2 "http://127.0.0.1:$port/metrics" 2>/dev/null |
    awk -v n="$name" '$1 == n { v = $2 } END { print (v == "" ? 0 : v) }'
}

# bench_wait_idle METRICS_PORT: waits (at most 5 s) until rampart has closed the previous
# run's connections. Rampart admits 64 connections per client address by default, so a run
# that starts while the last run's sockets are still being released would see 503s.
# The scrape itself holds one connection, hence "<= 1".
bench_wait_idle() {
  local port=$1 deadline=$((SECONDS + 5)) open
  while ((SECONDS < deadline)); do
    open=$(bench_metric "$port" rampart_http_open_connections)
    [ "${open%.*}" -le 1 ] 2>/dev/null && return 0
    sleep 0.05
  done
  bench_log "rampart still reports $open open connections; going on"
}

# bench_cpu_ticks PID: user+system CPU time of PID, in clock ticks.
bench_cpu_ticks() {
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# bench_rss_kb PID: resident set size in KiB (VmRSS).
bench_rss_kb() {
  awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"
}

# bench_response_bytes URL: bytes of one response, headers included.
bench_response_bytes() {
  curl -sS -o /dev/null --max-time 2 -w '%{size_header} %{size_download}' "$1" |
    awk '{ print $1 + $2 }'
}

# bench_to_ms VALUE: wrk's time ("850.00us", "1.04ms", "2.10s", "1.00m") in milliseconds.
bench_to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : (u == "h") ? 3600000 : -1
    if (f < 0) exit 1
    printf "%.3f\n", n * f
  }'
}

# bench_parse_wrk FILE: parses wrk --latency output.
# Sets BENCH_RPS, BENCH_P50_MS, BENCH_P99_MS, BENCH_REQUESTS, BENCH_ERRORS (socket errors and
# non-2xx/3xx responses, as one count) and BENCH_ERROR_TEXT (wrk's own wording, or empty).
bench_parse_wrk() {
  local file=$1 p50 p99
  BENCH_RPS=$(awk '$1 == "Requests/sec:" { print $2 }' "$file")
  BENCH_REQUESTS=$(awk '$2 == "requests" && $3 == "in" { print $1 }' "$file")
  p50=$(awk '$1 == "50%" { print $2 }' "$file")
  p99=$(awk '$1 == "99%" { print $2 }' "$file")
  [ -n "$BENCH_RPS" ] && [ -n "$p50" ] && [ -n "$p99" ] && [ -n "$BENCH_REQUESTS" ] || return 1
  BENCH_P50_MS=$(bench_to_ms "$p50") || return 1
  BENCH_P99_MS=$(bench_to_ms "$p99") || return 1
  BENCH_ERROR_TEXT=$(grep -E '^ *(Socket errors|Non-2xx or 3xx responses):' "$file" |
    sed 's/^ *//' | paste -sd ';' - || true)
  BENCH_ERRORS=$(awk '
    /Socket errors:/ { gsub(/,/, ""); for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i }
    /Non-2xx or 3xx responses:/ { s += $NF }
    END { print s + 0 }' "$file")
}

# bench_wrk LABEL URL SECONDS PID [METRICS_PORT]: a warm-up run (BENCH_WARMUP seconds, default
# 2), then the measured run with the shared settings; PID is the server, for its CPU time during
# the run. With METRICS_PORT (rampart), each run starts once the previous one's connections are
# closed (bench_wait_idle).
# Sets what bench_parse_wrk sets, plus BENCH_CPU_US_PER_REQ. With BENCH_ALLOW_STARVED set, a
# run in which no request completed is a result (latencies = the run's length), not a failure.
# The raw output stays in $BENCH_WORK/wrk-LABEL.txt until exit.
bench_wrk() {
  local label=$1 url=$2 secs=$3 pid=$4 mport=${5:-}
  local warm=${BENCH_WARMUP:-2} out="$BENCH_WORK/wrk-$label.txt" t0 t1 hz
  local -a args=(-t"${BENCH_WRK_THREADS:-1}" -c"${BENCH_WRK_C:-${BENCH_CONNECTIONS:-64}}"
    "${BENCH_WRK_ARGS[@]}")
  if ((warm > 0)); then
    [ -n "$mport" ] && bench_wait_idle "$mport"
    timeout --kill-after=5 $((warm + 30)) wrk "${args[@]}" -d"${warm}s" "$url" \
      >"$BENCH_WORK/wrk-$label-warmup.txt" 2>&1 ||
      bench_die "wrk warm-up failed for $label: $(tail -n 3 "$BENCH_WORK/wrk-$label-warmup.txt")"
  fi
  [ -n "$mport" ] && bench_wait_idle "$mport"
  kill -0 "$pid" 2>/dev/null || bench_die "the server for $label exited during warm-up"
  t0=$(bench_cpu_ticks "$pid")
  timeout --kill-after=5 $((secs + 30)) wrk "${args[@]}" -d"${secs}s" --latency "$url" \
    >"$out" 2>&1 || bench_die "wrk failed for $label: $(tail -n 3 "$out")"
  kill -0 "$pid" 2>/dev/null || bench_die "the server for $label exited during the run"
  t1=$(bench_cpu_ticks "$pid")
  if [ -n "${BENCH_ALLOW_STARVED:-}" ] && awk '$2 == "requests" && $1 == 0 { f = 1 } END { exit !f }' "$out"; then
    # Starved (the flood): nothing completed. Every latency is at least the run's length.
    BENCH_RPS=0 BENCH_REQUESTS=0 BENCH_P50_MS=$((secs * 1000)) BENCH_P99_MS=$((secs * 1000))
    BENCH_ERRORS=0 BENCH_ERROR_TEXT="no request completed" BENCH_CPU_US_PER_REQ=0
    return 0
  fi
  bench_parse_wrk "$out" || bench_die "cannot parse wrk's output for $label: $(head -c 600 "$out")"
  [ "$BENCH_REQUESTS" -gt 0 ] || bench_die "wrk completed no request against $label"
  hz=$(getconf CLK_TCK)
  BENCH_CPU_US_PER_REQ=$(awk -v d=$((t1 - t0)) -v hz="$hz" -v n="$BENCH_REQUESTS" \
    'BEGIN { printf "%.1f\n", d / hz * 1e6 / n }')
}

# bench_record SECTION TARGET ROUND: appends the last bench_wrk result to the results TSV:
# section, target, round, req/s, p50 ms, p99 ms, CPU us/request, errors, error text.
bench_record() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$BENCH_RPS" "$BENCH_P50_MS" \
    "$BENCH_P99_MS" "$BENCH_CPU_US_PER_REQ" "$BENCH_ERRORS" "$BENCH_ERROR_TEXT" >>"$BENCH_RESULTS"
  bench_log "$(printf '%-28s round %s: %10s req/s  p50 %7s ms  p99 %7s ms  %6s CPU us/req%s' \
    "$2" "$3" "$BENCH_RPS" "$BENCH_P50_MS" "$BENCH_P99_MS" "$BENCH_CPU_US_PER_REQ" \
    "${BENCH_ERROR_TEXT:+  [$BENCH_ERROR_TEXT]}")"
}

# bench_note TEXT: a line for the report, printed under the tables.
bench_note() { printf '%s\n' "$*" >>"$BENCH_NOTES"; }

# bench_mean SECTION TARGET COLUMN: mean of a TSV column (4 req/s, 5 p50, 6 p99, 7 CPU) over rounds.
bench_mean() {
  awk -F'\t' -v s="$1" -v t="$2" -v c="$3" '$1 == s && $2 == t { x += $c; n++ }
    END { if (n) printf "%.3f\n", x / n; else print "" }' "$BENCH_RESULTS"
}

# bench_errors SECTION TARGET: total errors over rounds.
bench_errors() {
  awk -F'\t' -v s="$1" -v t="$2" '$1 == s && $2 == t { x += $8 } END { print x + 0 }' "$BENCH_RESULTS"
}

# bench_table SECTION TARGET...: markdown table of the per-target means over rounds.
bench_table() {
  local section=$1 target
  shift
  echo "| target | req/s | p50 ms | p99 ms |"
  echo "| --- | ---: | ---: | ---: |"
  for target in "$@"; do
    printf '| %s | %.0f | %.2f | %.2f |\n' "$target" "$(bench_mean "$section" "$target" 4)" \
      "$(bench_mean "$section" "$target" 5)" "$(bench_mean "$section" "$target" 6)"
  done
}

# bench_rounds_table SECTION: every measured run of SECTION, in the order it ran.
bench_rounds_table() {
  echo "| round | target | req/s | p50 ms | p99 ms | server CPU us/req | errors |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"
  awk -F'\t' -v s="$1" '$1 == s { printf "| %s | %s | %.0f | %.2f | %.2f | %.1f | %s |\n",
    $3, $2, $4, $5, $6, $7, ($8 > 0 ? $8 " (" $9 ")" : "0") }' "$BENCH_RESULTS"
}

# bench_ratio A B: A / B to two decimals.
bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", (b > 0 ? a / b : 0) }'; }

# bench_at_least X MIN: true when X >= MIN.
bench_at_least() { awk -v x="$1" -v m="$2" 'BEGIN { exit !(x >= m) }'; }

# bench_machine: markdown lines describing this machine, now.
bench_machine() {
  local cpu
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "- host: $(uname -srm), $(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown OS}")"
  echo "- CPUs (nproc): $(nproc); CPU model: ${cpu:-unknown}"
  echo "- memory: $(awk '$1 == "MemTotal:" { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- load average (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- wrk: $(wrk --version 2>&1 | head -n 1 | awk '{ print $1, $2 }')"
  echo "- rampart: $("$BENCH_BUILD_DIR/rampart" --version 2>/dev/null | head -n 1)," \
    "built $(date -u -r "$BENCH_BUILD_DIR/rampart" '+%Y-%m-%d %H:%M UTC')"
}
