#!/usr/bin/env bash
# Soak test of Bytekeep (docs/RELIABILITY.md): sustained mixed traffic at a fixed rate against the embedded default
# (H2 + in-process S3Proxy + in-process Qpid), started as `java -Xmx$HEAP -jar` on non-default ports:
# 40 % small raw uploads, 30 % reads, 20 % listings, 10 % key submissions (bench/client/SoakClient.java, open loop,
# latency from the scheduled start). Reports rate, p50/p99/p99.9, errors, and heap (after a full GC) and thread
# counts of the app at start and end, with the load average, and the app's CPU by stage in 20 s windows. Writes
# bench/results/soak-<date>.md.
# Usage: bench/soak.sh   Knobs: SOAK_RATE (req/s, 50), SOAK_DURATION (s, 600), SOAK_SIZE (upload bytes, 1024),
#        SOAK_UPLOADS (percent of uploads, 40; the rest 3:2:1 reads, listings, submissions; 100: uploads only),
#        SOAK_CONNECTIONS (the client's keep-alive connections, 64), SOAK_WARMUP (s at the same rate before the
#        measured run, not reported, 30; the JIT compiles the upload path for minutes on a 2-core machine),
#        SOAK_IDLE (s the app's CPU and database file are still sampled after the run, without load, 0),
#        BENCH_HEAP (256m), BENCH_PORT / BENCH_S3_PORT / BENCH_AMQP_PORT, BENCH_SOURCE (head|worktree), BENCH_TMPDIR
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
PORT=${BENCH_PORT:-18012}
S3_PORT=${BENCH_S3_PORT:-19490}
AMQP_PORT=${BENCH_AMQP_PORT:-15690}
RATE=${SOAK_RATE:-50}
UPLOADS=${SOAK_UPLOADS:-40}
CLIENT_PROPS=(-Dsoak.uploads="$UPLOADS" -Dsoak.connections="${SOAK_CONNECTIONS:-64}")
DURATION=${SOAK_DURATION:-600}
WARMUP=${SOAK_WARMUP:-30}
IDLE=${SOAK_IDLE:-0}
SIZE=${SOAK_SIZE:-1024}
HEAP=${BENCH_HEAP:-256m}
# the load client is the measuring instrument: above capacity the app takes every CPU cycle, and a starved client
# would measure its own delays; it runs at a higher priority where that is allowed (root)
CLIENT_NICE=${SOAK_CLIENT_NICE:-$([[ $(id -u) == 0 ]] && echo -10 || echo 0)}

source "$BENCH/lib.sh"
bench_init bytekeep-soak

build_app "" "$BENCH/client/SoakClient.java" "$BENCH/client/HttpConnection.java" "$BENCH/client/EventDrain.java" \
    "$BENCH/client/LoadClient.java"
result_file soak
machine_facts "$(basename "$JAR") of $COMMIT (BENCH_SOURCE=$SOURCE), \`java -Xmx$HEAP ${BENCH_JVM_OPTS:+$BENCH_JVM_OPTS }-jar\`, embedded default (H2, S3Proxy filesystem, Qpid)"

export BYTEKEEP_DATA_DIR=$TMP/data BYTEKEEP_PORT=$PORT BYTEKEEP_EMBEDDED_S3_PORT=$S3_PORT \
    BYTEKEEP_EMBEDDED_AMQP_PORT=$AMQP_PORT BYTEKEEP_ROUTES_DIR=$TMP/app/routes
# the client logs in once: its token (15 minutes, as Bytes') must outlive the warm-up and the run, or a long run ends
# in 401s (a 15-minute run at 700/s did, 750 s in)
export BYTEKEEP_TOKEN_TTL=${BYTEKEEP_TOKEN_TTL:-$((WARMUP + DURATION + 600))s}
unset BYTEKEEP_PASSWORD
check_ports "$PORT" "$S3_PORT" "$AMQP_PORT"
launch_app "$TMP/gc.log" "$TMP/app.log"
wait_healthy 180
read_secrets
SUBMISSION_TOKEN=$(prop submission-token "$SECRETS")
TOKEN=$(token)
[[ -n $TOKEN ]] || die "no token"
META=$(new_boefje_meta "$TOKEN" soak) || die "could not create the boefje meta"

# live heap (MB) and threads of the app: the class histogram runs a full GC and sums the live objects (its largest
# classes go to $TMP/histogram-$1.txt); jstat's used heap a moment later also counts what was allocated since
app_state() {
    jcmd "$APP_PID" GC.class_histogram >"$TMP/histogram-$1.full"
    sed -n '4,18p' "$TMP/histogram-$1.full" >"$TMP/histogram-$1.txt"
    local live used threads
    live=$(awk '/^Total/{printf "%.1f", $3/1048576}' "$TMP/histogram-$1.full")
    used=$(jstat -gc "$APP_PID" | awk 'NR==2{printf "%.1f", ($3+$4+$6+$8)/1024}')
    threads=$(awk '/^Threads:/{print $2}' "/proc/$APP_PID/status")
    echo "heap after full GC ${live} MB live (jstat used ${used} MB), ${threads} threads, RSS $(awk '/^VmRSS:/{printf "%d MB", $2/1024}' "/proc/$APP_PID/status"), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# the RawFileReceived events are drained as a downstream consumer would (warm-up and soak), so the broker holds none
AMQP_URI="amqp://guest:guest@127.0.0.1:$AMQP_PORT"
# a warm-up at the same rate, not reported, so the start state is the warmed-up app's
log "warm-up $WARMUP s at $RATE/s"
java "${CLIENT_PROPS[@]}" -cp "$TMP/client:$CP" SoakClient "http://127.0.0.1:$PORT" "$TOKEN" "$SUBMISSION_TOKEN" "$META" "$RATE" "$WARMUP" "$SIZE" \
    "$AMQP_URI" raw_file_received >"$TMP/warmup.md"
START_STATE=$(app_state start)
log "start: $START_STATE"
log "soak: $RATE req/s for $DURATION s"
# the app's CPU by stage (its threads' names) in the client's 20 s windows: which part grows over a long run; then
# SOAK_IDLE s without load (what the embedded database does with its file once the load stops)
java -cp "$TMP/client:$CP" LoadClient --mode threads --server-pid "$APP_PID" --interval 20 --duration $((DURATION + IDLE)) \
    --file "$TMP/data/db/bytekeep.mv.db" >"$TMP/threads.md" &
SAMPLER=$!
nice -n "$CLIENT_NICE" java -Xmx512m "${CLIENT_PROPS[@]}" -cp "$TMP/client:$CP" SoakClient "http://127.0.0.1:$PORT" "$TOKEN" "$SUBMISSION_TOKEN" "$META" "$RATE" "$DURATION" "$SIZE" \
    "$AMQP_URI" raw_file_received >"$TMP/soak.md"
wait "$SAMPLER" || true
END_STATE=$(app_state end)
log "end: $END_STATE"

{
    echo "# Soak: $RATE requests/s for $DURATION s"
    echo
    echo "Traffic: $UPLOADS % raw uploads of $SIZE bytes$( ((UPLOADS < 100)) && echo ", the rest 3 : 2 : 1 reads, listings of 20 and key submissions"),"
    echo "open loop at a fixed rate, latency from the scheduled start (bench/soak.sh, bench/client/SoakClient.java,"
    echo "${SOAK_CONNECTIONS:-64} keep-alive connections); the client ran at nice $CLIENT_NICE."
    echo "Settings from the environment: $(env | grep -E '^(BYTEKEEP_EDGE|BYTEKEEP_VAULT|BYTEKEEP_TOKEN|SERVER_TOMCAT)' | tr '\n' ' ')"
    echo
    echo "## Machine"
    cat "$TMP/machine.md"
    echo
    echo "## Results"
    cat "$TMP/soak.md"
    echo
    echo "## The app's CPU by stage, per 20 s window"
    echo
    echo "Percent of one core (200 = both) each group of the app's threads used, by thread name as in bench/vault-load.sh's"
    echo "CPU per upload by stage (bench/client/LoadClient.java, ThreadCpu.STAGES); the last column is the embedded"
    echo "database's file at the window's end. Windows start when the measured run starts (within a second)$( ((IDLE > 0)) && echo "; those from $DURATION s on had no load (SOAK_IDLE=$IDLE)")."
    echo
    cat "$TMP/threads.md"
    echo
    echo "## The warm-up ($WARMUP s at the same rate, not the measured run)"
    cat "$TMP/warmup.md"
    echo
    echo "## App state (after a $WARMUP s warm-up at the same rate, and at the end)"
    echo "- start: $START_STATE"
    echo "- end: $END_STATE"
    echo "- GCs during the run: $(gc_since "$TMP/gc.log" 0 "before")"
    echo "- errors in the app log: $(grep -c ' ERROR ' "$TMP/app.log" || true)"
    for when in start end; do
        echo
        echo "Live objects at the $when, largest classes (\`jcmd GC.class_histogram\`: rank, instances, bytes, class):"
        echo '```'
        cat "$TMP/histogram-$when.txt"
        echo '```'
    done
} >"$OUT"
cat "$OUT"
log "written $OUT"
