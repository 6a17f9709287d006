#!/usr/bin/env bash
# Bytekeep's distribution run against cwa-server's own distribution service on this machine (issue 20): the same keys
# in each system's PostgreSQL table, the same S3 server kind (S3Proxy in memory, compat/openkat/S3Server.java, one
# process, one bucket each), interleaved rounds, CPU seconds and wall time, and the ratio cwa-server / Bytekeep per
# round and its median. Absolute numbers of a shared machine are not comparable across runs; the ratio of
# back-to-back runs is.
#   cwa-server: its distribution service from its public source (src/test/cwa-server/cwa-server.sh: commit c61d55f,
#          built with Maven Central), run as its local set-up runs it (one process per run: start, assembly, upload,
#          exit), SUPPORTED_COUNTRIES=DE, DAYS_TO_PUBLISH=14 (Bytekeep's retention), java -Xmx$BENCH_HEAP. Its run
#          also builds what Bytekeep has no counterpart of (statistics, certificate lists from a server it cannot reach
#          here, which costs it wall time in connection failures, not CPU); the results say how long its assembly and
#          upload took by its own log.
#   Bytekeep: the prod profile (PostgreSQL, RabbitMQ, that S3 server) as `java -Xmx$BENCH_HEAP -jar`, TUF off (cwa-server
#          has none), POST /distribution/runs on the running service.
# Per round: each system from scratch (its bucket emptied), then each again at once (nothing new: both skip what the
# bucket has by its checksum). Keys: bench/distribution-keys.py, BENCH_KEYS_PER_HOUR (1000) for 14 days before the run.
# Needs cwa-server's source: BENCH_CWA_SOURCE (a git dir or work tree; default the session tool's mirror
# /work/.mirror/corona-warn-app+cwa-server/repo). Writes bench/results/vs-cwa-distribution-<date>.md.
# Knobs: BENCH_ROUNDS (3), BENCH_HEAP (1g), BENCH_PORT / BENCH_S3_PORT, BENCH_SOURCE (head|worktree).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
PORT=${BENCH_PORT:-18042}
S3_PORT=${BENCH_S3_PORT:-19520}
ROUNDS=${BENCH_ROUNDS:-3}
HEAP=${BENCH_HEAP:-1g}
KEYS_PER_HOUR=${BENCH_KEYS_PER_HOUR:-1000}
DAYS=14
CWA_SOURCE=${BENCH_CWA_SOURCE:-/work/.mirror/corona-warn-app+cwa-server/repo}
SERVICES=bytekeep_vs_cwa    # Bytekeep's PostgreSQL database and RabbitMQ virtual host
CWA_DB=cwa_vs_bytekeep
S3_ACCESS=accessKey1        # cwa-server's local set-up credentials, given to both
S3_SECRET=verySecretKey1
S3_SERVER_PID=""
CWA_WORK=""

source "$BENCH/lib.sh"
source "$ROOT/src/test/cwa-server/cwa-server.sh"
# wait_quiet <phase> [max s] (lib.sh): waits while a Maven test JVM or another benchmark runs
QUIET_PATTERN='surefire|failsafe|vault-load.sh|distribution-run.sh'
QUIET_RUNNING="a Maven test JVM or another benchmark"
QUIET_STILL="a test JVM / benchmark"
QUIET_LIST_STILL=1
QUIET_OTHERS="test JVMs / benchmarks"
QUIET_WAIT=${BENCH_QUIET_WAIT:-300}
bench_init bytekeep-vs-cwa
stop_helpers() {
    [[ -z $S3_SERVER_PID ]] || kill "$S3_SERVER_PID" 2>/dev/null || true
    [[ -z $CWA_WORK ]] || rm -rf "$CWA_WORK"
    psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $CWA_DB with (force)" >/dev/null 2>&1 || true
}
[[ -d $CWA_SOURCE ]] || die "no cwa-server source at $CWA_SOURCE: fetch github:corona-warn-app/cwa-server or set BENCH_CWA_SOURCE"
check_ports "$PORT" "$S3_PORT"

# ------------------------------------------------------------------------------------------------ build both
build_app ""
# cwa-server accepts key paths of letters, digits, "_" and "-" only: a temp dir without dots
CWA_WORK=$(mktemp -d /tmp/cwa_bench_XXXXXX)
log "building cwa-server's distribution service"
cwa_build "$CWA_SOURCE" "$CWA_DEFAULT_COMMIT" "$CWA_WORK" >"$TMP/cwa-build.log" 2>&1 || die "cwa-server did not build (see $TMP/cwa-build.log)"

result_file vs-cwa-distribution
machine_facts "$(basename "$JAR") of $COMMIT (BENCH_SOURCE=$SOURCE), prod profile, \`java -Xmx$HEAP -jar\`, TUF off; cwa-server $CWA_COMMIT distribution, \`java -Xmx$HEAP -jar\`"

# ------------------------------------------------------------------------------------------------ services and keys
java -cp "$CP" "$ROOT/compat/openkat/S3Server.java" "$S3_PORT" "$S3_ACCESS" "$S3_SECRET" >"$TMP/s3.log" 2>&1 &
S3_SERVER_PID=$!
for _ in $(seq 1 120); do (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null && break; sleep 0.5; done
s3() { AWS_ACCESS_KEY_ID=$S3_ACCESS AWS_SECRET_ACCESS_KEY=$S3_SECRET AWS_DEFAULT_REGION=us-east-1 \
    AWS_RESPONSE_CHECKSUM_VALIDATION=when_required AWS_REQUEST_CHECKSUM_CALCULATION=when_required \
    aws --endpoint-url "http://127.0.0.1:$S3_PORT" "$@"; }
s3 s3 mb s3://cwa >/dev/null

RUN_HOUR=$(( $(date +%s) / 3600 ))
python3 "$BENCH/distribution-keys.py" "$KEYS_PER_HOUR" "$DAYS" "$RUN_HOUR" "$TMP/cwa-keys.csv" "$TMP/bytekeep-keys.csv"
KEYS=$(wc -l <"$TMP/bytekeep-keys.csv")
log "$KEYS keys generated"

CWA_ENV=(SUPPORTED_COUNTRIES=DE DAYS_TO_PUBLISH=14)
export CWA_JVM_OPTS="-Xmx$HEAP"
cwa_database "$CWA_DB"
cwa_run "$CWA_DB" "$S3_PORT" "$TMP/cwa-schema.log" "${CWA_ENV[@]}"
psql -q -h 127.0.0.1 -U postgres -d "$CWA_DB" -c 'select 1 from diagnosis_key limit 1' >/dev/null 2>&1 \
    || die "cwa-server made no schema: $(grep -E ' ERROR ' "$TMP/cwa-schema.log" | cut -c1-300 | head -n 3)$(tail -n 5 "$TMP/cwa-schema.log")"
psql -q -h 127.0.0.1 -U postgres -d "$CWA_DB" -c "\\copy diagnosis_key (key_data, rolling_period, rolling_start_interval_number, submission_timestamp, transmission_risk_level, consent_to_federation, origin_country, visited_countries, report_type, days_since_onset_of_symptoms, submission_type) from '$TMP/cwa-keys.csv' with (format csv)"

fresh_database_and_vhost "$SERVICES"
prod_profile_env "$SERVICES"   # Bytekeep's tables in its schema bytekeep of that database
export BYTEKEEP_PORT=$PORT BYTEKEEP_DATA_DIR=$TMP/data BYTEKEEP_ROUTES_DIR=$TMP/app/routes BYTEKEEP_TRUST_ENABLED=false \
    BYTEKEEP_SUPPORTED_COUNTRIES=DE BYTEKEEP_EXPORT_BUCKET=bytekeep-exports BYTEKEEP_DISTRIBUTION_CRON="0+0+0+1+1+?+2099"
launch_app "$TMP/gc.log" "$TMP/app.log"
wait_healthy 180
psql -q -h 127.0.0.1 -U postgres -d "$SERVICES" -c "\\copy bytekeep.diagnosis_key (key_data, rolling_start_interval_number, rolling_period, transmission_risk_level, report_type, days_since_onset_of_symptoms, origin_country, visited_countries, submission_timestamp, consent_to_federation) from '$TMP/bytekeep-keys.csv' with (format csv)"
TOKEN=$(token)
[[ -n $TOKEN ]] || die "no token"

# ------------------------------------------------------------------------------------------------ rounds
s3_cpu() { cpu_of "$S3_SERVER_PID"; }
empty_bucket() { s3 s3 rm --recursive --quiet "s3://$1" >/dev/null 2>&1 || true; }

# cwa_round <label>: to $TMP/cwa-<label>.row: wall s, CPU s of cwa-server's process and of the S3 server, files
# uploaded, its own assembly and upload s
cwa_round() {
    local log=$TMP/cwa-$1.log s3_0 s3_1 t
    wait_quiet "cwa-server $1"
    s3_0=$(s3_cpu)
    t=$( { TIMEFORMAT='%R %U %S'; time cwa_run "$CWA_DB" "$S3_PORT" "$log" "${CWA_ENV[@]}" >/dev/null; } 2>&1 )
    s3_1=$(s3_cpu)
    local wall cpu uploaded assembly upload
    wall=$(awk '{print $1}' <<<"$t")
    cpu=$(awk '{printf "%.1f", $2 + $3}' <<<"$t")
    uploaded=$(grep -oE 'Beginning upload of [0-9]+ files' "$log" | grep -oE '[0-9]+' || echo "?")
    assembly=$(log_seconds "$log" 'Start signing' 'assembled successfully')
    upload=$(log_seconds "$log" 'Beginning upload' 'Upload completed')
    grep -q 'Upload completed' "$log" || die "cwa-server's run $1 did not complete its upload (see $log)"
    echo "$wall $cpu $(ticks_to_s $((s3_1 - s3_0))) $uploaded $assembly $upload" >"$TMP/cwa-$1.row"
}

ticks_to_s() { awk -v c="$1" 'BEGIN{printf "%.1f", c/100}'; }

# log_seconds <log> <from> <to>: seconds between the first lines matching each (cwa-server's log time stamps)
log_seconds() {
    local from to
    from=$(grep -m1 "$2" "$1" | cut -c1-24) || true
    to=$(grep -m1 "$3" "$1" | cut -c1-24) || true
    [[ -n $from && -n $to ]] || { echo "?"; return; }
    echo $(( $(date -d "$to" +%s) - $(date -d "$from" +%s) ))
}

# bytekeep_round <label>: to $TMP/bytekeep-<label>.row: wall s, CPU s of the app and of the S3 server, files uploaded,
# the answer's archives (keys loaded, archives built and uploaded, date by date) and upload (the rest) s
bytekeep_round() {
    local answer=$TMP/bytekeep-$1.json cpu_0 cpu_1 s3_0 s3_1 t0 t1
    wait_quiet "Bytekeep $1"
    cpu_0=$(cpu_of "$APP_PID"); s3_0=$(s3_cpu); t0=$(date +%s.%N)
    curl -sf -X POST "http://127.0.0.1:$PORT/distribution/runs" -H "Authorization: Bearer $TOKEN" -o "$answer" \
        || die "Bytekeep's run $1 failed: $(cat "$answer" 2>/dev/null)"
    t1=$(date +%s.%N); cpu_1=$(cpu_of "$APP_PID"); s3_1=$(s3_cpu)
    python3 - "$answer" "$t0" "$t1" "$cpu_0" "$cpu_1" "$(ticks_to_s $((s3_1 - s3_0)))" >"$TMP/bytekeep-$1.row" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
assert a["status"] == "completed", a
p = a.get("phases", {})
print(f"{float(sys.argv[3]) - float(sys.argv[2]):.2f} {(int(sys.argv[5]) - int(sys.argv[4])) / 100:.1f} {sys.argv[6]} "
      f"{a['uploaded']} {p.get('archives', p.get('load', 0) + p.get('build', 0)) / 1000:.1f} {p.get('upload', 0) / 1000:.1f}")
PY
}

# ratio <cwa> <bytekeep>: cwa / bytekeep, or "n/a" when Bytekeep's figure is 0 (below the 0.1 s of the CPU counters)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b + 0 > 0) printf "%.2f", a/b; else print "n/a" }'; }

# compare <round> <run kind> <label>: cwa-server's run, then Bytekeep's, and their row of the table
compare() {
    local cw_wall cw_cpu cw_s3 cw_up cw_asm cw_upl bk_wall bk_cpu bk_s3 bk_up bk_build bk_upl
    log "round $1: $2"
    cwa_round "$1-$3"
    bytekeep_round "$1-$3"
    read -r cw_wall cw_cpu cw_s3 cw_up cw_asm cw_upl <"$TMP/cwa-$1-$3.row"
    read -r bk_wall bk_cpu bk_s3 bk_up bk_build bk_upl <"$TMP/bytekeep-$1-$3.row"
    ROWS+=("| $1 | $2 | $cw_wall | $cw_cpu | $cw_s3 | $cw_up | $cw_asm / $cw_upl | $bk_wall | $bk_cpu | $bk_s3 | $bk_up | $bk_build / $bk_upl | $(ratio "$cw_cpu" "$bk_cpu") | $(ratio "$cw_wall" "$bk_wall") |")
}

ROWS=()
for r in $(seq 1 "$ROUNDS"); do
    empty_bucket cwa; empty_bucket bytekeep-exports
    compare "$r" "from scratch" full
    compare "$r" "nothing new" again
done

median_of() { # median_of <run kind> <column from the end>: median of that ratio column over the rows of that kind
    # (rounds without a ratio, a Bytekeep figure below the measurement's resolution, are left out)
    printf '%s\n' "${ROWS[@]}" | grep "| $1 |" | awk -F'|' -v c="$2" '{print $(NF-c)}' | grep -E '^ *[0-9.]+ *$' | sort -n \
        | awk '{v[NR]=$1} END{if (NR == 0) print "n/a"; else if (NR%2) print v[(NR+1)/2]; else printf "%.2f", (v[NR/2]+v[NR/2+1])/2}'
}

objects() { s3 s3api list-objects-v2 --bucket "$1" --query 'length(Contents)' --output text 2>/dev/null || echo "?"; }
{
    echo "# Bytekeep's distribution run against cwa-server's, $(date -Is)"
    echo
    echo "Generated by \`bench/vs-cwa-distribution.sh\` (see its header and bench/README.md). Machine:"
    echo
    cat "$TMP/machine.md"
    echo "- keys: $KEYS ($KEYS_PER_HOUR per hour for $DAYS days before hour $RUN_HOUR, bench/distribution-keys.py), the same rows in both systems' diagnosis_key tables"
    echo "- S3 server: one S3Proxy process (in memory), bucket cwa and bucket bytekeep-exports; its CPU is counted apart"
    echo "- cwa-server settings beside its local set-up: ${CWA_ENV[*]}; Bytekeep: prod profile, TUF off, supported countries DE"
    [[ ${#CONTENTION_NOTES[@]} -eq 0 ]] || printf -- '- contention: %s\n' "${CONTENTION_NOTES[@]}"
    echo
    echo "## Rounds (interleaved: cwa-server, then Bytekeep, from scratch; then each again with nothing new)"
    echo
    echo "cwa-server's wall and CPU are its whole process (JVM start, Spring context, retention, assembly, upload, exit);"
    echo "\"assembly / upload\" are the seconds between its own log lines (Start signing → assembled successfully;"
    echo "Beginning upload → Upload completed). Bytekeep's are the POST on the running service; \"archives / upload\" are"
    echo "the phases of its answer. S3 CPU: the S3 server process during the run."
    echo
    echo "| round | run | cwa wall s | cwa CPU s | cwa S3 CPU s | cwa files uploaded | cwa assembly / upload s | Bytekeep wall s | Bytekeep CPU s | Bytekeep S3 CPU s | Bytekeep files uploaded | Bytekeep archives / upload s | CPU ratio cwa/Bytekeep | wall ratio cwa/Bytekeep |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "- median CPU ratio cwa-server / Bytekeep: from scratch **$(median_of 'from scratch' 2)**, nothing new **$(median_of 'nothing new' 2)**"
    echo "- median wall ratio cwa-server / Bytekeep: from scratch **$(median_of 'from scratch' 1)**, nothing new **$(median_of 'nothing new' 1)**"
    echo "- objects in the buckets after the last round: cwa $(objects cwa), bytekeep-exports $(objects bytekeep-exports) (cwa-server publishes hourly archives for today and yesterday only, and an archive for each hour without keys of those days; Bytekeep every hour with keys of the $DAYS days, docs/VERIFY.md)"
    echo "- Bytekeep GC during the rounds: $(gc_since "$TMP/gc.log" 0 "heap before GC")"
    echo "- cwa-server's last log lines of the last round: \`$(grep -E 'ERROR' "$TMP/cwa-$ROUNDS-again.log" | cut -c1-160 | head -n 3 | tr '\n' ' ' | tr '`' "'")\`"
} >"$OUT"
log "results in $OUT"
cat "$OUT"
