#!/usr/bin/env bash
# The Vault with millions of stored raw files, on the embedded default at -Xmx256m (issue 18, "Scale"). Fills one data
# dir step by step (SCALE_STEPS, cumulative: 100k, then 1M, ...) with bench/client/ScaleLoader (the Vault's own hash,
# encryption, packing and stores, the service stopped), and after each step starts the service and times: start-up,
# the raw listings (by organisation, boefje meta, mime type; pages of 100 and 1,000), /metrics (cold, cached),
# /bytes/mime_types, boefje meta at a deep offset, reading files back, two orphan sweeps of the raw bucket, the
# live heap after each phase and the data's size on disk.
# Writes bench/results/scale-<date>.md. Usage: SCALE_STEPS="100000 1000000" bench/scale.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
PORT=${BENCH_PORT:-18002}
S3_PORT=${BENCH_S3_PORT:-19480}
AMQP_PORT=${BENCH_AMQP_PORT:-15680}
HEAP=${BENCH_HEAP:-256m}
STEPS=${SCALE_STEPS:-100000 1000000}
# the data dir holds about 2.2 KB per file (0.65 KB of H2 after the loader's compactions, 1.5 KB of packs) and up to
# 7 GB more between two compactions; BENCH_TMPDIR or SCALE_DATA chooses the disk
source "$BENCH/lib.sh"
bench_init bytekeep-scale
build_app "" "$BENCH/client/ScaleLoader.java"
result_file scale
# SCALE_DATA: a data dir kept after the run (and reused by the next: the loader adds up to each step's total)
DATA=${SCALE_DATA:-$TMP/data}
export BYTEKEEP_DATA_DIR=$DATA BYTEKEEP_PORT=$PORT BYTEKEEP_ROUTES_DIR=$TMP/app/routes \
    BYTEKEEP_EMBEDDED_S3_PORT=$S3_PORT BYTEKEEP_EMBEDDED_AMQP_PORT=$AMQP_PORT \
    BYTEKEEP_ORPHAN_SWEEP_INTERVAL=${SCALE_SWEEP_INTERVAL:-20s} \
    BYTEKEEP_ORPHAN_SWEEP_MAX_OBJECTS_PER_SWEEP=${SCALE_SWEEP_MAX_OBJECTS:-100000}
unset BYTEKEEP_PASSWORD
check_ports "$PORT" "$S3_PORT" "$AMQP_PORT"
machine_facts "embedded default, -Xmx$HEAP, $COMMIT"

# seconds <command...>: runs it, prints its wall time in seconds (3 decimals); the command's output is discarded
seconds() { local t0=$(date +%s%N); "$@" >/dev/null; echo "scale=3; ($(date +%s%N) - t0) / 1000000000" | sed "s/t0/$t0/" | bc; }
api() { curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$1"; }
sweep_route() { api /admin/routes/raw-orphan-sweep; }

if [[ ! -f $DATA/generated-secrets.properties ]]; then
    log "first start: migrations and generated secrets in $DATA"
    launch_app "$TMP/gc-init.log" "$TMP/app-init.log"
    wait_healthy 180
    stop_app
fi
read_secrets "$DATA"
# live_heap [file]: what the service holds, in MB: the live objects after the full GC of a class histogram (kept in
# the file when one is given)
live_heap() { jcmd "$APP_PID" GC.class_histogram | tee "${1:-/dev/null}" | awk '/^Total/ {printf "%d", $3 / 1048576}'; }

ROWS=()
for TOTAL in $STEPS; do
    log "loading up to $TOTAL raw files"
    java -Xmx1g -cp "$TMP/client:$CP" ScaleLoader --data "$DATA" --total "$TOTAL" >"$TMP/load-$TOTAL.log" 2>&1 \
        || { tail -n 20 "$TMP/load-$TOTAL.log" >&2; die "the loader failed"; }
    LOAD=$(grep "^loaded=" "$TMP/load-$TOTAL.log" | tail -n 1)
    log "$LOAD"
    DB_SIZE=$(du -sm "$DATA/db" | cut -f1)
    S3_SIZE=$(du -sm "$DATA/s3" | cut -f1)
    PACKS=$(find "$DATA/s3/bytekeep-raw/packs" -type f | wc -l)

    T0=$(date +%s%N)
    launch_app "$TMP/gc-$TOTAL.log" "$TMP/app-$TOTAL.log"
    wait_healthy 600
    STARTUP=$(echo "scale=1; ($(date +%s%N) - $T0) / 1000000000" | bc)
    TOKEN=$(token)
    HEAP_STARTED=$(live_heap)
    ORG_PAGE=$(seconds api "/bytes/raw?organization=org-3&limit=100")
    META=$(api "/bytes/boefje_meta?organization=org-3&input_ooi=%2A&limit=1&offset=$((TOTAL / 100 / 10 / 2))" | tee "$TMP/meta.json" | jq -r '.[0].id')
    [[ $META != null ]] || die "no boefje meta at offset $((TOTAL / 100 / 10 / 2)): $(head -c 300 "$TMP/meta.json")"
    DEEP_META=$(seconds api "/bytes/boefje_meta?organization=org-3&input_ooi=%2A&limit=10&offset=$((TOTAL / 100 / 10 / 2))")
    META_PAGE=$(seconds api "/bytes/raw?boefje_meta_id=$META&limit=100")
    MIME_PAGE=$(seconds api "/bytes/raw?organization=org-3&mime_types=boefje/shodan&limit=100")
    BIG_PAGE=$(seconds api "/bytes/raw?organization=org-3&limit=1000")
    HEAP_LISTED=$(live_heap)
    METRICS_COLD=$(seconds api /metrics)
    METRICS_WARM=$(seconds api /metrics)
    MIME_COUNTS=$(seconds api "/bytes/mime_types?organization=org-3")
    HEAP_COUNTED=$(live_heap)
    IDS=$(api "/bytes/raw?boefje_meta_id=$META&limit=20" | jq -r '.[].id')
    READ=$(seconds bash -c "for id in $(echo $IDS | tr '\n' ' '); do curl -sf -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:$PORT/bytes/raw/\$id >/dev/null || exit 1; done")
    log "waiting for two orphan sweeps"
    for _ in $(seq 1 720); do
        (( $(sweep_route | jq '.metrics.exchanges_total') >= 2 )) && break
        sleep 5
    done
    SWEEP=$(sweep_route | jq -r '.metrics | "\(.exchanges_total) sweeps, \(.exchanges_failed) failed, mean \(.mean_millis) ms, max \(.max_millis) ms"')
    HEAP_SWEPT=$(live_heap "$TMP/histogram-$TOTAL.full")
    head -n 13 "$TMP/histogram-$TOTAL.full" >"$TMP/histogram-$TOTAL.txt"
    HEAP_USE=$(gc_since "$TMP/gc-$TOTAL.log" 0 "before GC")
    stop_app
    ROWS+=("| $TOTAL | $(echo "$LOAD" | sed -E "s/.*seconds=([0-9.]+) files_per_s=([0-9]+)/\1 s, \2\/s/") | $DB_SIZE + $S3_SIZE ($PACKS packs) | $STARTUP | $ORG_PAGE / $META_PAGE / $MIME_PAGE / $BIG_PAGE | $DEEP_META | $METRICS_COLD / $METRICS_WARM | $MIME_COUNTS | $READ | $SWEEP | $HEAP_STARTED / $HEAP_LISTED / $HEAP_COUNTED / $HEAP_SWEPT | $HEAP_USE |")
    log "${ROWS[-1]}"
    if [[ -n ${SCALE_DATA:-} ]]; then mkdir -p "$SCALE_DATA.logs" && cp "$TMP"/*.log "$TMP"/histogram-* "$SCALE_DATA.logs/"; fi
done

{
    echo "# The Vault at scale: $(date +%F)"
    echo
    echo "Command: \`SCALE_STEPS=\"$STEPS\" bench/scale.sh\` (embedded default, -Xmx$HEAP, 1 KiB files through ScaleLoader,"
    echo "16 per pack, 10 organisations, 100 files per boefje meta, each with one of 8 mime types and one of 100 others)."
    echo
    cat "$TMP/machine.md"
    echo
    echo "| files | load (s, files/s) | H2 + S3 on disk (MB) | start-up (s) | raw page of 100: org / boefje meta / mime type; of 1,000: org (s) | boefje meta at a deep offset (s) | /metrics cold / cached (s) | /bytes/mime_types of an org (s) | 20 files read back (s) | orphan sweeps (each at most 100,000 keys: the whole bucket up to 1.6M files) | live heap after a full GC: started / listed / counted / swept (MB) | GCs (GC log) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "The largest classes on the heap at the end of each step (jcmd GC.class_histogram):"
    for TOTAL in $STEPS; do echo; echo "$TOTAL files:"; echo '```'; cat "$TMP/histogram-$TOTAL.txt"; echo '```'; done
} >"$OUT"
log "wrote $OUT"
