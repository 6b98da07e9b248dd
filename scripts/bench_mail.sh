# The mail sections of `make bench`, sourced by scripts/bench.sh. They need no seeded helpdesk:
# `BENCH_SECTIONS="mail_inbound mail_dkim" make bench` runs them alone in about a minute.
# Environment (optional): BENCH_MAIL_MESSAGES (10000) messages in the generated mbox,
# BENCH_MAIL_SIGN_SECONDS (3) seconds per signing-rate run, BENCH_MAIL_TARGET (1000) msgs/s.

# mail_time OUT_PREFIX COMMAND...: runs COMMAND with its stdout in OUT_PREFIX.out, stderr in
# OUT_PREFIX.err; sets MAIL_WALL_S and MAIL_CPU_S.
mail_time() {
  local prefix=$1 t0 t1
  shift
  t0=$(date +%s.%N)
  /usr/bin/time -f 'cpu %U %S' -o "$prefix.time" "$@" >"$prefix.out" 2>"$prefix.err" ||
    bench_die "$* failed: $(tail -n 5 "$prefix.err")"
  t1=$(date +%s.%N)
  MAIL_WALL_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  MAIL_CPU_S=$(awk '$1 == "cpu" { printf "%.2f", $2 + $3 }' "$prefix.time")
}

# mail_count FILE NAME: the number after NAME in a `name value` summary.
mail_count() { awk -v n="$2" '$1 == n { print $2; exit }' "$1"; }

mail_rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

# --- Section: inbound throughput, `rampart mail ingest --mbox` of generated realistic mail ------
section_mail_inbound() {
  local n=${BENCH_MAIL_MESSAGES:-10000} target=${BENCH_MAIL_TARGET:-1000}
  local dir="$BENCH_WORK/mail" mbox data env_fixture
  mkdir -p "$dir"
  mbox="$dir/bench.mbox"
  data="$dir/data"
  "$BENCH_BUILD_DIR/bench_mail" generate "$n" "$dir" >"$dir/generate.out" ||
    bench_die "bench_mail generate failed"
  env_fixture="RAMPART_INBOUND_DNS_FIXTURE_FILE=$dir/dns-fixture.txt"

  # Baselines, the same file: reading it, and splitting and MIME-parsing every message.
  mail_time "$dir/cat" cat "$mbox"
  local cat_s=$MAIL_WALL_S
  mail_time "$dir/parse" "$BENCH_BUILD_DIR/bench_mail" parse "$mbox"
  local parse_rate parse_cpu=$MAIL_CPU_S
  parse_rate=$(printf '%.0f' "$(mail_count "$dir/parse.out" rate)")

  printf 'bench mail password 2026\n' | RAMPART_AUTH_HASH_MEMORY_KIB=19456 \
    "$BENCH_BUILD_DIR/rampart" init --data-dir "$data" --owner-email owner@help.example \
    >"$dir/init.log" 2>&1 || bench_die "rampart init failed: $(tail -n 3 "$dir/init.log")"
  "$BENCH_BUILD_DIR/rampart" mail mailbox add --data-dir "$data" --name bench \
    --address support@help.example >>"$dir/init.log" 2>&1 || bench_die "mailbox add failed"

  mail_time "$dir/ingest" env RAMPART_LOG_LEVEL=warn "$env_fixture" \
    "$BENCH_BUILD_DIR/rampart" mail ingest --data-dir "$data" --mailbox bench --mbox "$mbox"
  local wall=$MAIL_WALL_S cpu=$MAIL_CPU_S rate cpu_rate
  rate=$(mail_rate "$n" "$wall")
  cpu_rate=$(mail_rate "$n" "$cpu")
  # The same file again: every message is found a duplicate, nothing is written.
  mail_time "$dir/again" env RAMPART_LOG_LEVEL=warn "$env_fixture" \
    "$BENCH_BUILD_DIR/rampart" mail ingest --data-dir "$data" --mailbox bench --mbox "$mbox"
  local again_rate again_s=$MAIL_WALL_S
  again_rate=$(mail_rate "$n" "$MAIL_WALL_S")

  local o="$dir/ingest.out" dispositions d
  dispositions=""
  for d in new_ticket reply held quarantined ignored bounce duplicate failed; do
    dispositions+="$d $(mail_count "$o" "$d"), "
  done
  local verdict_text
  verdict_text=$(verdict "$rate" ">=" "$target")
  report_add "## Inbound mail: rampart mail ingest --mbox, $n generated messages"
  report_add ""
  report_add "bench/mail_bench.cpp writes the same $n messages on every run" \
    "($(($(mail_count "$dir/generate.out" bytes) / 1024 / 1024)) MiB): plain text, multipart/alternative" \
    "with HTML, small attachments, ISO-8859-1, one in five a reply with In-Reply-To;" \
    "$(mail_count "$dir/generate.out" signed) DKIM-signed by customer.example (RSA-2048, one in" \
    "five Ed25519), $(mail_count "$dir/generate.out" failing) of them altered after signing;" \
    "DKIM keys and the p=reject DMARC policy from inbound.dns_fixture_file. One process imports" \
    "the whole file, 64 messages per commit (synchronous=FULL), each under its own savepoint."
  report_add ""
  report_add "| run | wall | CPU | messages/s |"
  report_add "| --- | ---: | ---: | ---: |"
  report_add "| baseline: cat of the mbox | ${cat_s} s | | $(mail_rate "$n" "$cat_s") |"
  report_add "| baseline: split and MIME-parse only (bench_mail parse) | $(printf '%.2f' "$(mail_count "$dir/parse.out" seconds)") s | $parse_cpu s | $parse_rate |"
  report_add "| rampart mail ingest, empty helpdesk | ${wall} s | ${cpu} s | **$rate** |"
  report_add "| the same file again (all duplicates) | ${again_s} s | | $again_rate |"
  report_add ""
  report_add "Dispositions: ${dispositions%, }. **$rate msgs/s** (target >= $target:" \
    "**$verdict_text**); $cpu_rate messages per CPU second; ingest/parse-only = $(bench_ratio "$rate" "$parse_rate")."
  report_add ""
  SUMMARY+="| mail_inbound | $rate msgs/s ingested, $cpu_rate per CPU second (>= $target) | $verdict_text |"$'\n'
}

# --- Section: DKIM signing rate of composed agent replies ------------------------------------
section_mail_dkim() {
  local secs=${BENCH_MAIL_SIGN_SECONDS:-3} out="$BENCH_WORK/mail-sign.out"
  "$BENCH_BUILD_DIR/bench_mail" sign "$secs" >"$out" || bench_die "bench_mail sign failed"
  local compose rsa ed
  compose=$(printf '%.0f' "$(mail_count "$out" compose_rate)")
  rsa=$(printf '%.0f' "$(mail_count "$out" rsa_rate)")
  ed=$(printf '%.0f' "$(mail_count "$out" ed25519_rate)")
  report_add "## Outbound DKIM signing: composed agent replies (text + HTML), $secs s each"
  report_add ""
  report_add "| run | messages/s |"
  report_add "| --- | ---: |"
  report_add "| baseline: compose only (GMime) | $compose |"
  report_add "| compose + RSA-2048 signature | **$rsa** |"
  report_add "| compose + Ed25519 signature | **$ed** |"
  report_add ""
  SUMMARY+="| mail_dkim | RSA-2048 $rsa/s, Ed25519 $ed/s, compose alone $compose/s | (reported) |"$'\n'
}
