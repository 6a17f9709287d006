#!/usr/bin/env bash
# Benchmark of the distribution run (issue 4's bench point), see bench/README.md. Starts its own instance
# (java -Xmx1g, profile demo) in a fresh temp data dir on non-default ports; the demo profile fills the key table
# with 14 days x 24 h x 1,000 keys (timed as "key load", not part of the run); then:
#   run 1: POST /distribution/runs from scratch (the export bucket is empty): the full upload;
#   run 2: the same again at once: nothing new, the run finds run 1's inputs and its tree in the bucket;
#   (BENCH_PROFILE=1) run 3: after a restart with the export bucket emptied (its data dir removed), a full run under JFR;
#   (BENCH_LIVESET=1) run 4: after another restart, a full run while `jcmd GC.class_histogram` (a full GC, then the
#   live objects by class) is taken every BENCH_LIVESET_EVERY (3) s: the run's peak live set and what it is made of;
#   machine limits: openssl speed sha256 / ecdsap256 and the raw PUT rate of the export S3 server.
# Writes bench/results/distribution-<date>.md. Targets: run 1 < 60 s, run 2 < 5 s.
# If the build of HEAD or a run fails, waits BENCH_RETRY_WAIT (300 s) and tries once more with the then HEAD.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
RETRY_WAIT=${BENCH_RETRY_WAIT:-300}
source "$BENCH/lib.sh"

# ------------------------------------------------------------------------------------------------ attempts
# The outer invocation runs the benchmark (this script with BENCH_ATTEMPT set) and, if it fails, once more.
if [[ -z ${BENCH_ATTEMPT:-} ]]; then
    FAILURES=$(mktemp "${BENCH_TMPDIR:-/tmp}/bytekeep-distribution-failures.XXXXXX")
    trap 'rm -f "$FAILURES"' EXIT
    export BENCH_FAILURE_FILE=$FAILURES
    if BENCH_ATTEMPT=1 bash "$0" "$@"; then exit 0; fi
    if [[ ${BENCH_RETRY:-1} != 1 ]]; then cat "$FAILURES" >&2; exit 1; fi
    echo "[$(date +%T)] attempt 1 failed; waiting ${RETRY_WAIT}s, then trying once more with the then HEAD" >&2
    sleep "$RETRY_WAIT"
    if BENCH_ATTEMPT=2 bash "$0" "$@"; then exit 0; fi
    # both failed: write what happened as the result
    result_file distribution
    { echo "# Distribution run benchmark, $(date -Is): FAILED twice"; echo; cat "$FAILURES"; } >"$OUT"
    echo "both attempts failed; see $OUT" >&2
    exit 1
fi

PORT=${BENCH_PORT:-18012}
S3_PORT=${BENCH_S3_PORT:-19490}
S3X_PORT=${BENCH_S3X_PORT:-19491}
AMQP_PORT=${BENCH_AMQP_PORT:-15690}
HEAP=${BENCH_HEAP:-1g}
KEYS_PER_HOUR=${BENCH_KEYS_PER_HOUR:-1000}
DAYS=${BENCH_DAYS:-14}
QUIET_WAIT=${BENCH_QUIET_WAIT:-900}     # seconds to wait for concurrent test JVMs / benchmarks to finish
LATE_QUIET_WAIT=${BENCH_LATE_QUIET_WAIT:-300}   # the same before run 3 and the machine limits
KEY_LOAD_WAIT=${BENCH_KEY_LOAD_WAIT:-900}
FULL_TARGET=${BENCH_FULL_TARGET:-60}
RERUN_TARGET=${BENCH_RERUN_TARGET:-5}
EXPORT_BUCKET=bytekeep-exports
# no scheduled run during the bench (Quartz cron with a year: 1 January 2099)
NEVER_CRON='0+0+0+1+1+?+2099'

bench_init bytekeep-distribution
TOP_PID=""
FAILED_AT=""

NOTED=""
fail_note() {   # fail_note <text>: what went wrong, for the outer invocation's report (once per attempt)
    [[ -n ${BENCH_FAILURE_FILE:-} && -z $NOTED ]] || return 0
    NOTED=1
    {
        echo "## Attempt ${BENCH_ATTEMPT} ($(date -Is), HEAD $(git -C "$ROOT" rev-parse --short HEAD)): $1"
        echo
        if [[ -f $TMP/app.log ]]; then
            echo '```'
            grep -E ' (WARN|ERROR) |Exception' "$TMP/app.log" | cut -c1-300 | tail -n 15 || true
            echo '```'
        fi
        echo
    } >>"$BENCH_FAILURE_FILE"
}

stop_helpers() { [[ -n $TOP_PID ]] && kill "$TOP_PID" 2>/dev/null || true; }
on_failure() { fail_note "failed (exit $1${FAILED_AT:+ at $FAILED_AT})"; }
trap 'FAILED_AT="line $LINENO: $BASH_COMMAND"' ERR

# wait_quiet <phase> [max s] (lib.sh): waits (polling every 20 s, at most max s, default QUIET_WAIT) while a Maven
# test JVM or another benchmark runs.
QUIET_PATTERN='surefire|failsafe|vault-load.sh'
QUIET_RUNNING="a Maven test JVM or vault-load.sh"
QUIET_STILL="a test JVM / vault-load.sh"
QUIET_LIST_STILL=1
QUIET_OTHERS="test JVMs / benchmarks"

# json <field> <file>: a top-level number/string field of the run summary, or n/a
json() { local v; v=$(grep -oE "\"$1\" *: *(\"[^\"]*\"|[0-9.]+)" "$2" | head -n1 | sed -E 's/.*: *"?([^"]*)"?/\1/' || true); echo "${v:-n/a}"; }
# phase <name> <file>: a field of the "phases" object of the run summary, or n/a
phase() { local v; v=$(grep -oE '"phases" *: *\{[^}]*\}' "$2" | grep -oE "\"$1\" *: *[0-9.]+" | sed -E 's/.*: *//' || true); echo "${v:-n/a}"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", b-a}'; }

wait_quiet "the build and the runs"

# ------------------------------------------------------------------------------------------------ build
# The committed HEAD, exported to the temp dir and built there, as vault-load.sh does (build_app in lib.sh: jar,
# routes/ and config/ belong together while someone edits the work tree). BENCH_SOURCE=worktree:
# target/bytekeep-*.jar with the work tree's routes/ and config/.
on_build_failure() {
    fail_note "the build of $COMMIT failed: $(grep -m3 -E 'ERROR' "$TMP/build.log" | cut -c1-300 | tr '\n' ' ')"
    die "build of $COMMIT failed"
}
build_app "attempt $BENCH_ATTEMPT: " "$BENCH/client/LoadClient.java" "$BENCH/client/HttpConnection.java" "$BENCH/client/EventDrain.java" "$BENCH/client/ExportBucket.java"
CLIENT=(java -Xms128m -Xmx512m -cp "$TMP/client:$CP" LoadClient)

# ------------------------------------------------------------------------------------------------ app
start_app() {   # start_app <name>: app log $TMP/app-<name>.log (and $TMP/app.log, the latest)
    local name=$1
    export BYTEKEEP_DATA_DIR=$TMP/data BYTEKEEP_PORT=$PORT BYTEKEEP_EMBEDDED_S3_PORT=$S3_PORT \
        BYTEKEEP_EMBEDDED_S3_EXPORTS_PORT=$S3X_PORT BYTEKEEP_EMBEDDED_AMQP_PORT=$AMQP_PORT \
        BYTEKEEP_ROUTES_DIR=$TMP/app/routes SPRING_PROFILES_ACTIVE=demo \
        BYTEKEEP_DEMO_KEYS_PER_HOUR=$KEYS_PER_HOUR BYTEKEEP_DEMO_DAYS=$DAYS BYTEKEEP_DISTRIBUTION_CRON=$NEVER_CRON
    unset BYTEKEEP_PASSWORD
    check_ports "$PORT" "$S3_PORT" "$S3X_PORT" "$AMQP_PORT"
    APP_T0=$(now)
    launch_app "$TMP/gc-$name.log" "$TMP/app-$name.log"
    ln -sf "$TMP/app-$name.log" "$TMP/app.log"
    log "app started ($name), pid $APP_PID, data $TMP/data"
    wait_healthy 240
    APP_HEALTHY=$(now)
    # the demo keys (an ApplicationRunner: may still run after /health answers)
    local waited=0
    until grep -qE 'Demo keys: generated' "$TMP/app-$name.log"; do
        kill -0 "$APP_PID" 2>/dev/null || die "the app died while generating the demo keys"
        (( waited >= KEY_LOAD_WAIT * 2 )) && die "no 'Demo keys:' line after ${KEY_LOAD_WAIT}s"
        sleep 0.5
        waited=$((waited + 1))
    done
    APP_KEYS=$(now)
    read_secrets
}

machine_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }

# run_distribution <name>: POST /distribution/runs, answer in $TMP/<name>.json, client-side status/time, app CPU
run_distribution() {
    local name=$1 tok c0 c1 m0 m1 code secs_total
    tok=$(token)
    [[ -n $tok ]] || die "no token"
    # a test JVM or benchmark that starts during the run: noted as contention
    ( while :; do pgrep -af 'surefire|failsafe|vault-load.sh' | cut -c1-80; sleep 1; done ) >"$TMP/$name.busy" 2>/dev/null &
    local busy_pid=$!
    c0=$(cpu_of "$APP_PID"); m0=$(machine_busy)
    log "$name: POST /distribution/runs"
    curl -sS -o "$TMP/$name.json" -w '%{http_code} %{time_total}' --max-time 1800 -X POST \
        -H "Authorization: Bearer $tok" "http://127.0.0.1:$PORT/distribution/runs" >"$TMP/$name.curl" || true
    c1=$(cpu_of "$APP_PID"); m1=$(machine_busy)
    kill "$busy_pid" 2>/dev/null || true; wait "$busy_pid" 2>/dev/null || true
    if [[ -s $TMP/$name.busy ]]; then
        CONTENTION_NOTES+=("$name: a test JVM / benchmark ran DURING the run ($(sort -u "$TMP/$name.busy" | head -n 3 | tr '\n' ';')): measured WITH contention")
        log "WARNING: a test JVM ran during $name"
    fi
    read -r code secs_total <"$TMP/$name.curl" || true
    echo "http=${code:-000}" >"$TMP/$name.kv"
    echo "time_total=${secs_total:-n/a}" >>"$TMP/$name.kv"
    echo "app_cpu_s=$(awk -v a="$c0" -v b="$c1" 'BEGIN{printf "%.1f", (b-a)/100}')" >>"$TMP/$name.kv"
    # machine: busy share of all cores over the run, from /proc/stat (user+nice+system+irq+softirq)
    echo "machine_busy_pct=$(echo "$m0 $m1" | awk '{d=$4-$2; printf "%.0f", (d>0 ? 100*($3-$1)/d : 0)}')" >>"$TMP/$name.kv"
    # CPU seconds of everything else (other processes, kernel): machine busy ticks minus the app's (both 100/s)
    echo "other_cpu_s=$(echo "$m0 $m1 $c0 $c1" | awk '{printf "%.1f", (($3-$1)-($6-$5))/100}')" >>"$TMP/$name.kv"
    log "$name: HTTP ${code:-000} in ${secs_total:-?}s: $(head -c 400 "$TMP/$name.json")"
}

bucket_stats() {   # bucket_stats <file>
    java -cp "$TMP/client:$CP" ExportBucket "http://127.0.0.1:$S3X_PORT" "$S3_ACCESS" "$S3_SECRET" "$EXPORT_BUCKET" \
        >"$1" 2>"$1.err" || echo "error=$(head -c 300 "$1.err" | tr '\n' ' ')" >>"$1"
}

# ------------------------------------------------------------------------------------------------ machine
result_file distribution
machine_facts "$(basename "$JAR") of $COMMIT (BENCH_SOURCE=$SOURCE, attempt $BENCH_ATTEMPT), started as \`java -Xmx$HEAP -jar\`, profile \`demo\` ($KEYS_PER_HOUR keys per hour, $DAYS days), embedded default (H2, S3Proxy filesystem for raw files, S3Proxy filesystem with prefix-safe keys for the exports, Qpid), schedule off (cron $NEVER_CRON)"

wait_quiet "the key load"
start_app first
KEY_LOAD_LINE=$(grep -m1 -E 'Demo keys: (generated|the past)' "$TMP/app.log" | cut -c1-300)
STARTED_LINE=$(grep -m1 -oE 'Started [A-Za-z]+ in [0-9.]+ seconds[^)]*\)?' "$TMP/app.log" || true)
# the generation itself: from the "Started" line (the ApplicationRunners run after it) to the "Demo keys" line
log_epoch() { grep -m1 -E "$1" "$TMP/app.log" | grep -oE '^[0-9T:.-]+' | head -n1 | xargs -I{} date -d {} +%s.%N 2>/dev/null || true; }
T_STARTED=$(log_epoch 'Started [A-Za-z]+ in'); T_DEMO=$(log_epoch 'Demo keys: generated')
KEY_GEN_S=$([[ -n $T_STARTED && -n $T_DEMO ]] && secs "$T_STARTED" "$T_DEMO" || echo n/a)
# java start -> /health and -> the "Demo keys" line, of this first start (start_app sets them anew on a restart)
HEALTH_S=$(secs "$APP_T0" "$APP_HEALTHY"); KEY_LOAD_S=$(secs "$APP_T0" "$APP_KEYS")
KEY_LOAD_BUSY=$(pgrep -af 'surefire|failsafe|vault-load.sh' | grep -v "$TMP" | cut -c1-80 | tr '\n' ';' || true)
[[ -n $KEY_LOAD_BUSY ]] && CONTENTION_NOTES+=("key load: a test JVM / benchmark started during the key load (still running at its end: $KEY_LOAD_BUSY); the key load time is with contention")
log "key load: $KEY_LOAD_LINE ($(secs "$APP_T0" "$APP_KEYS") s after java started)"
grep -q 'Demo keys: generated' "$TMP/app.log" || die "the demo keys were not generated: $KEY_LOAD_LINE"

# Keep the runs inside one hour: the tree depends on the current hour (and date), so a run 2 after an hour boundary
# would have something new. If fewer than 3 minutes remain, wait for the next hour.
min=$((10#$(date +%M)))
if (( min >= 57 )); then
    w=$(( (60 - min) * 60 - 10#$(date +%S) + 15 ))
    log "the hour ends in less than 3 minutes: waiting ${w}s so run 1 and run 2 see the same hour"
    sleep "$w"
fi

# ------------------------------------------------------------------------------------------------ run 1 and run 2
wait_quiet "run 1"
# top -H of the app's threads every 2 s while run 1 runs
( while kill -0 "$APP_PID" 2>/dev/null; do
      echo "== $(date +%T.%N | cut -c1-12)"
      top -H -b -n 1 -w 200 -p "$APP_PID" | sed -n '7,19p'
      echo "-- the machine's busiest processes:"
      top -b -n 1 -w 200 | sed -n '8,11p'
      sleep 2
  done ) >"$TMP/run1.top" 2>/dev/null &
TOP_PID=$!
gc_from=$(wc -l <"$TMP/gc-first.log")
run_distribution run1
kill "$TOP_PID" 2>/dev/null || true; wait "$TOP_PID" 2>/dev/null || true; TOP_PID=""
GC_RUN1=$(gc_since "$TMP/gc-first.log" "$gc_from" "heap before GC")
bucket_stats "$TMP/bucket1.kv"
[[ $(kv http "$TMP/run1.kv") == 200 ]] || { fail_note "run 1 answered HTTP $(kv http "$TMP/run1.kv"): $(head -c 600 "$TMP/run1.json")"; die "run 1 failed"; }

# run 2 at once (no wait): "a re-run with nothing new"; contention during it is noted by run_distribution
run_distribution run2
bucket_stats "$TMP/bucket2.kv"
[[ $(kv http "$TMP/run2.kv") == 200 ]] || { fail_note "run 2 answered HTTP $(kv http "$TMP/run2.kv"): $(head -c 600 "$TMP/run2.json")"; die "run 2 failed"; }

# restart_for <start name> <phase>: a restart with the export bucket emptied (its files removed while the app is
# down), so the run after it is a full one; the keys stay in H2 (the demo profile adds none); then waits for a quiet
# machine
restart_for() {
    stop_app
    rm -rf "$TMP/data/s3-exports"
    start_app "$1"
    wait_quiet "$2" "$LATE_QUIET_WAIT"
}

# ------------------------------------------------------------------------------------------------ run 3 under JFR
PROFILE_MD=""
if [[ ${BENCH_PROFILE:-1} == 1 ]]; then
    restart_for second "run 3 (profiled)"
    log "run 3: a full run again (empty export bucket after the restart) under JFR"
    jcmd "$APP_PID" JFR.start name=dist settings=profile filename="$TMP/run3.jfr" >/dev/null
    run_distribution run3
    jcmd "$APP_PID" JFR.stop name=dist >/dev/null
    "${CLIENT[@]}" --mode jfr --file "$TMP/run3.jfr" --out "$TMP/run3-profile.md" >/dev/null \
        || echo "(the JFR summary failed)" >"$TMP/run3-profile.md"
    # the JFR summary's hottest frames by thread, for the phases: which threads sampled most
    jfr print --events jdk.ExecutionSample "$TMP/run3.jfr" 2>/dev/null \
        | grep -oE 'sampledThread = "[^"]+"' | sed -E 's/sampledThread = "([^"]+)"/\1/; s/-[0-9]+$//; s/ #?[0-9]+$//' \
        | sort | uniq -c | sort -rn | head -n 12 >"$TMP/run3-threads.txt" || true
    PROFILE_MD=$(cat <<EOF
### Where a full run's CPU goes (JFR \`settings=profile\`, run 3: after a restart, same keys, empty export bucket)

Run 3: HTTP $(kv http "$TMP/run3.kv"), client time $(kv time_total "$TMP/run3.kv") s, server millis $(json millis "$TMP/run3.json"), phases (ms) keyRetention $(phase keyRetention "$TMP/run3.json") / archives $(phase archives "$TMP/run3.json") / upload $(phase upload "$TMP/run3.json") / exportRetention $(phase exportRetention "$TMP/run3.json"); app CPU $(kv app_cpu_s "$TMP/run3.kv") s (with the profiler's overhead).

$(cat "$TMP/run3-profile.md")

Execution samples by thread (name without its number):

\`\`\`
$(cat "$TMP/run3-threads.txt")
\`\`\`
EOF
)
fi

# ------------------------------------------------------------------------------------------------ run 4: live set
# The heap after G1's collections (the GC line of run 1) holds garbage not yet collected; only a full GC tells what is
# live. Its pauses slow the run: run 4's times are not comparable with runs 1-3.
LIVESET_MD=""
if [[ ${BENCH_LIVESET:-1} == 1 ]]; then
    restart_for third "run 4 (live set)"
    log "run 4: a full run again, its live set sampled every ${BENCH_LIVESET_EVERY:-3} s"
    ( n=0; while :; do n=$((n + 1)); jcmd "$APP_PID" GC.class_histogram >"$TMP/histogram-$n.txt" 2>/dev/null || true
        sleep "${BENCH_LIVESET_EVERY:-3}"; done ) &
    sampler=$!
    run_distribution run4
    kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
    # the sample with the largest total (its last line: "Total <instances> <bytes>")
    peak=$(for f in "$TMP"/histogram-*.txt; do tail -n 1 "$f" | awk -v f="$f" '$1 == "Total" {print $3, f}'; done \
        | sort -n | tail -n 1)
    peak_bytes=${peak%% *}
    peak_file=${peak#* }
    LIVESET_MD="### Live set of a full run (run 4: after a restart, same keys, empty export bucket)

$(ls "$TMP"/histogram-*.txt | wc -l) class histograms (\`jcmd GC.class_histogram\`, each after a full GC) during the
run; the largest total: **$(awk -v b="$peak_bytes" 'BEGIN{ if (b ~ /^[0-9]+$/) printf "%.0f MB", b/1e6; else print "n/a" }')**. Its largest classes:

\`\`\`
$( [[ -f $peak_file ]] && sed -n '2,13p' "$peak_file")
\`\`\`"
fi

# ------------------------------------------------------------------------------------------------ machine limits
wait_quiet "machine limits" "$LATE_QUIET_WAIT"
log "machine limits: openssl speed sha256 / ecdsap256, PUT rate of the export S3 server"
OPENSSL_SHA=$(openssl speed -seconds 2 -evp sha256 2>/dev/null | grep -E '^(type|sha256|SHA256|SHA2-256)' || true)
OPENSSL_EC=$(openssl speed -seconds 2 ecdsap256 2>/dev/null | grep -E 'sign|256 bits ecdsa' || true)
UPLOADED1=$(json uploaded "$TMP/run1.json"); BYTES1=$(json bytes "$TMP/run1.json")
AVG_SIZE=$(awk -v b="$BYTES1" -v n="$UPLOADED1" 'BEGIN{ if (n+0 > 0) printf "%d", b/n; else print 16384 }')
THREADS=$(grep -E '^ *upload-threads:' "$TMP/app/config/application.yaml" | head -n1 | awk '{print $2}')
THREADS=${THREADS:-4}
# --key-space: each thread overwrites its own 50 keys in turn, so the server's disk use stays bounded
"${CLIENT[@]}" --mode s3 --threads "$THREADS" --warmup 5 --duration 20 --size "$AVG_SIZE" --server-pid "$APP_PID" \
    --run-id "ceiling-$RANDOM" --out "$TMP/ceiling.txt" --s3-endpoint "http://127.0.0.1:$S3X_PORT" \
    --s3-access-key "$S3_ACCESS" --s3-secret-key "$S3_SECRET" --bucket "$EXPORT_BUCKET" --prefix bench-ceiling \
    --key-space 50 >/dev/null || echo "rps=n/a" >"$TMP/ceiling.txt"

# ------------------------------------------------------------------------------------------------ report
ms() { [[ $1 == n/a ]] && echo n/a || awk -v m="$1" 'BEGIN{printf "%.2f", m/1000}'; }
row() {  # row <label> <name>
    local j=$TMP/$2.json k=$TMP/$2.kv
    echo "| $1 | $(kv http "$k") | $(json status "$j") | $(json keys "$j") | $(json archives "$j") | $(json indexes "$j") | $(json uploaded "$j") | $(json skipped "$j") | $(json bytes "$j") | $(json retries "$j") / $(json failedOperations "$j") / $(json notAttempted "$j") | $(ms "$(phase keyRetention "$j")") | $(ms "$(phase check "$j")") | $(ms "$(phase archives "$j")") | $(ms "$(phase upload "$j")") | $(ms "$(phase exportRetention "$j")") | $(ms "$(json millis "$j")") | **$(kv time_total "$k")** | $(kv app_cpu_s "$k") | $(kv other_cpu_s "$k") | $(kv machine_busy_pct "$k") |"
}
verdict() {  # verdict <seconds> <target>
    [[ $1 == n/a || -z $1 ]] && { echo "n/a"; return; }
    awk -v t="$1" -v l="$2" 'BEGIN{ if (t < l) printf "**met** (%.1f s < %d s)", t, l; else printf "**NOT met** (%.1f s ≥ %d s)", t, l }'
}
T1=$(kv time_total "$TMP/run1.kv"); T2=$(kv time_total "$TMP/run2.kv")
{
    echo "# Distribution run benchmark, $(date -Is)"
    echo
    echo "Generated by \`bench/distribution-run.sh\` (see bench/README.md). Machine:"
    echo
    cat "$TMP/machine.md"
    echo "- concurrent Maven test JVMs / benchmarks: $( ((${#CONTENTION_NOTES[@]})) && printf '%s; ' "${CONTENTION_NOTES[@]}" || echo 'none seen before any measured phase')"
    [[ -s ${BENCH_FAILURE_FILE:-/nonexistent} ]] && { echo; echo "### Earlier attempt (failed)"; echo; cat "$BENCH_FAILURE_FILE"; }
    echo
    echo "## Key load (not part of the run)"
    echo
    echo "- \`$KEY_LOAD_LINE\`"
    echo "- generation (log time of \`Started …\` → log time of that line; 1 transaction of $KEYS_PER_HOUR inserts per hour): **$KEY_GEN_S s**"
    echo "- java start → /health: $HEALTH_S s; java start → that log line: $KEY_LOAD_S s (start-up included; ${STARTED_LINE:-no 'Started' line})"
    echo
    echo "## The runs (\`POST /distribution/runs\`)"
    echo
    echo "Run 1: from scratch (the export bucket is empty). Run 2: immediately again, nothing new."
    echo "Phases and total from the answer (server side, seconds; n/a where the build's answer has no \`phases\`/\`keys\`):"
    echo "archives = the keys loaded, the archives built and uploaded, date by date; upload = the configuration files, the"
    echo "TUF publication and the index files."
    echo "\"client s\": curl's time_total of the POST. App CPU: seconds of CPU of the app JVM (which also hosts both S3"
    echo "servers, H2 and Qpid) during the POST; other CPU: seconds of CPU of everything else (other processes, kernel);"
    echo "machine busy: share of all $(nproc) cores busy over the POST (/proc/stat)."
    echo
    echo "| run | HTTP | status | keys | archives | index files | uploaded | skipped | bytes uploaded | retries / failed / not attempted | keyRetention s | check s | archives s | upload s | exportRetention s | total (millis) s | client s | app CPU s | other CPU s | machine busy % |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    row "1: from scratch" run1
    row "2: nothing new" run2
    echo
    echo "- target full run < ${FULL_TARGET} s: $(verdict "$T1" "$FULL_TARGET"); target re-run < ${RERUN_TARGET} s: $(verdict "$T2" "$RERUN_TARGET")"
    echo "- run 1 uploaded $(awk -v b="$BYTES1" 'BEGIN{ if (b ~ /^[0-9]+$/) printf "%.1f MB", b/1e6; else print "n/a" }') in $UPLOADED1 objects (mean $AVG_SIZE B per object); GC during run 1 (-Xlog:gc): ${GC_RUN1:-n/a}"
    echo "- the export bucket after run 1 (ListObjectsV2): $(sed 's/$/;/' "$TMP/bucket1.kv" | tr '\n' ' ')"
    echo "- after run 2: $(sed 's/$/;/' "$TMP/bucket2.kv" | tr '\n' ' ')"
    echo "- answer of run 1: \`$(head -c 600 "$TMP/run1.json")\`"
    echo "- answer of run 2: \`$(head -c 600 "$TMP/run2.json")\`"
    echo
    [[ -n $PROFILE_MD ]] && { echo "$PROFILE_MD"; echo; }
    [[ -n $LIVESET_MD ]] && { echo "$LIVESET_MD"; echo; }
    echo "## Machine limits measured in the same run"
    echo
    echo "- \`openssl speed -seconds 2 -evp sha256\` (the cwa-hash and the signature's digest; bytes/s per block size, in 1000s):"
    echo '```'
    echo "$OPENSSL_SHA"
    echo '```'
    echo "- \`openssl speed -seconds 2 ecdsap256\` (every archive is signed once with EC P-256):"
    echo '```'
    echo "$OPENSSL_EC"
    echo '```'
    echo "- raw PUT rate of the export S3 server (S3Proxy, filesystem backend with prefix-safe keys, in the app JVM): \`LoadClient --mode s3\`, $THREADS connections (= upload-threads), $AVG_SIZE B objects (run 1's mean), SigV4 with a signed payload hash, 5 s warm-up + 20 s measured, 50 keys per connection overwritten in turn: **$(kv rps "$TMP/ceiling.txt") PUT/s**, p50 $(kv lat_p50_ms "$TMP/ceiling.txt") ms, p99 $(kv lat_p99_ms "$TMP/ceiling.txt") ms, errors $(kv errors "$TMP/ceiling.txt"), app CPU $(kv cpu_server_pct "$TMP/ceiling.txt") % of one core, machine busy $(kv cpu_machine_busy_pct "$TMP/ceiling.txt") %"
    echo "  → run 1's $UPLOADED1 objects at that rate, without the HEAD before each PUT: $(awk -v n="$UPLOADED1" -v r="$(kv rps "$TMP/ceiling.txt")" 'BEGIN{ if (r+0 > 0 && n ~ /^[0-9]+$/) printf "%.1f s", n/r; else print "n/a" }')"
    echo
    echo "<details><summary>top -H of the app's threads during run 1 (every 2 s, first 13 threads; the row with the process id is the whole process), and the machine's busiest processes</summary>"
    echo
    echo '```'
    cut -c1-160 "$TMP/run1.top"
    echo '```'
    echo "</details>"
    echo
    echo "- app log warnings/errors: $(cat "$TMP"/app-*.log | grep -cE ' (WARN|ERROR) ' || true)"
    echo
    echo "<details><summary>app log: WARN/ERROR lines (first 30) and the distribution lines</summary>"
    echo
    echo '```'
    cat "$TMP"/app-*.log | grep -E ' (WARN|ERROR) ' | cut -c1-400 | head -n 30 || true
    cat "$TMP"/app-*.log | grep -E 'Distribution run|Demo keys' | cut -c1-400 | head -n 20 || true
    echo '```'
    echo "</details>"
} >"$OUT"
log "results written to $OUT"
