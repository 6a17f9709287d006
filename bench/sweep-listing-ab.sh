#!/usr/bin/env bash
# The orphan sweep's listing of the embedded S3 server, two builds on the same stored objects (issue 18: the sweep's
# runs stalled uploads for seconds in the 30-minute soak). Stores SWEEP_OBJECTS (100,000) objects of 1 KiB under
# packs/ of the raw bucket through the S3 API (bench/client/LoadClient.java, mode s3), spreads them over packs/'
# 256 shard directories as packs are, then starts each build in turn
# on that data dir, A and B interleaved for BENCH_ROUNDS (2), each with its orphan sweep every 20 s over the whole
# bucket, and reports per run the route's sweeps (GET /admin/routes/raw-orphan-sweep: mean and max ms; each lists
# every object, as all are younger than the minimum age) and the app's CPU over them. Nothing else runs meanwhile.
#   A = BENCH_A_SOURCE (default head), B = BENCH_B_SOURCE (default worktree: target/'s jar); writes
#   bench/results/sweep-listing-<date>.md (BENCH_RESULTS_DIR). Knobs: SWEEP_OBJECTS, SWEEP_RUNS (3 sweeps a run),
#   BENCH_ROUNDS, BENCH_HEAP (256m), BENCH_PORT / BENCH_S3_PORT / BENCH_AMQP_PORT.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
PORT=${BENCH_PORT:-18002}
S3_PORT=${BENCH_S3_PORT:-19480}
AMQP_PORT=${BENCH_AMQP_PORT:-15680}
HEAP=${BENCH_HEAP:-256m}
OBJECTS=${SWEEP_OBJECTS:-100000}
RUNS=${SWEEP_RUNS:-3}
ROUNDS=${BENCH_ROUNDS:-2}
source "$BENCH/lib.sh"
bench_init bytekeep-sweep-listing
declare -A SOURCES=([a]=${BENCH_A_SOURCE:-head} [b]=${BENCH_B_SOURCE:-worktree}) COMMITS
for side in a b; do
    rm -rf "$TMP/lib" "$TMP/client"
    BENCH_SOURCE=${SOURCES[$side]} build_app "$side: " "$BENCH/client/LoadClient.java" "$BENCH/client/HttpConnection.java" \
        "$BENCH/client/EventDrain.java"
    mv "$TMP/app" "$TMP/app-$side"
    cp "$TMP/bytekeep.jar" "$TMP/$side.jar"
    COMMITS[$side]=$COMMIT
done
result_file sweep-listing
DATA=$TMP/data
export BYTEKEEP_DATA_DIR=$DATA BYTEKEEP_PORT=$PORT BYTEKEEP_EMBEDDED_S3_PORT=$S3_PORT \
    BYTEKEEP_EMBEDDED_AMQP_PORT=$AMQP_PORT BYTEKEEP_ORPHAN_SWEEP_INTERVAL=20s \
    BYTEKEEP_ORPHAN_SWEEP_MAX_OBJECTS_PER_SWEEP=10000000
unset BYTEKEEP_PASSWORD
check_ports "$PORT" "$S3_PORT" "$AMQP_PORT"
machine_facts "A: ${COMMITS[a]}, B: ${COMMITS[b]}, embedded default, -Xmx$HEAP"

start_side() {   # start_side <a|b>
    rm -rf "$TMP/app"
    cp -r "$TMP/app-$1" "$TMP/app"
    cp "$TMP/$1.jar" "$TMP/bytekeep.jar"
    BYTEKEEP_ROUTES_DIR=$TMP/app/routes launch_app "$TMP/gc-$1.log" "$TMP/app.log"
    wait_healthy 180
    read_secrets "$DATA"
}

log "storing $OBJECTS objects under packs/ (side a)"
start_side a
# 32 connections at a few thousand PUTs/s: stop once the count is reached
java -Xmx512m -cp "$TMP/client:$CP" LoadClient --mode s3 --threads 32 --warmup 0 --duration 600 --size 1024 \
    --s3-endpoint "http://127.0.0.1:$S3_PORT" --s3-access-key "$S3_ACCESS" --s3-secret-key "$S3_SECRET" \
    --bucket bytekeep-raw --prefix packs/bench --run-id load --out "$TMP/load.txt" >/dev/null &
LOADER=$!
until (( $(find "$DATA/s3/bytekeep-raw/packs" -type f 2>/dev/null | wc -l) >= OBJECTS )); do
    kill -0 "$LOADER" 2>/dev/null || die "the loader stopped early"
    sleep 2
done
kill "$LOADER" 2>/dev/null || true
wait "$LOADER" 2>/dev/null || true
stop_app
# spread over 256 directories as the packs are (packs/<two hex digits>/...): the client wrote them all into one, and a
# directory is read whole for each page that lists from it; a rename keeps each file's extended attributes (its ETag)
python3 - "$DATA/s3/bytekeep-raw/packs" <<'EOF'
import hashlib, os, sys
root = sys.argv[1]
source = os.path.join(root, "bench")
for name in os.listdir(source):
    shard = os.path.join(root, hashlib.md5(name.encode()).hexdigest()[:2])
    os.makedirs(shard, exist_ok=True)
    os.rename(os.path.join(source, name), os.path.join(shard, name))
os.rmdir(source)
EOF
STORED=$(find "$DATA/s3/bytekeep-raw/packs" -type f | wc -l)
log "$STORED objects under packs/"

route() { curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/admin/routes/raw-orphan-sweep"; }
ROWS=()
for round in $(seq 1 "$ROUNDS"); do
    for side in a b; do
        log "round $round, $side: $RUNS sweeps"
        start_side "$side"
        TOKEN=$(token)
        until (( $(route | jq '.metrics.exchanges_total') >= 1 )); do sleep 0.2; done
        cpu0=$(cpu_of "$APP_PID")
        first=$(route | jq '.metrics | .mean_millis * .exchanges_total')
        until (( $(route | jq '.metrics.exchanges_total') >= RUNS + 1 )); do sleep 0.2; done
        cpu1=$(cpu_of "$APP_PID")
        # the sweeps after the first (which also pays for the JIT): their mean from the route's mean over all
        STATS=$(route | jq -r --argjson first "$first" '.metrics
            | "\(.exchanges_total) | \(.exchanges_failed) | \(((.mean_millis * .exchanges_total - $first) / (.exchanges_total - 1)) | floor) | \($first) | \(.max_millis)"')
        ROWS+=("| $round | $side | $STATS | $(( (cpu1 - cpu0) * 10 )) |")
        stop_app
    done
done

{
    echo "# The orphan sweep's listing: A (${COMMITS[a]}) against B (${COMMITS[b]}), $STORED objects"
    echo
    echo "Generated by \`bench/sweep-listing-ab.sh\` (see its head). $STORED objects of 1 KiB under packs/ of the raw"
    echo "bucket, stored through the S3 API; each run starts one build on that data dir with a sweep every 20 s, and"
    echo "counts from the end of its first sweep to the end of its $((RUNS + 1))th. Every object is younger than the"
    echo "minimum age and max-objects-per-sweep is above the bucket size: each sweep is one listing of it all."
    echo
    cat "$TMP/machine.md" 2>/dev/null || true
    echo
    echo "| round | build | sweeps | failed | mean ms of the sweeps after the first | first sweep ms | max ms | app CPU ms from the end of the first sweep |"
    echo "|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
} >"$OUT"
log "results written to $OUT"
