#!/usr/bin/env bash
# How large the embedded default's H2 file grows under upload load, against the data it holds. Starts the service
# (java -Xmx256m, fresh temp data dir), uploads 1 KiB raw files at 32 connections for H2_DURATION s (LoadClient),
# samples the size of data/db every 15 s through the load and 60 s of idle after it, stops the service, then
# compacts the file offline (SHUTDOWN COMPACT) to see the size of the data. H2_SETTINGS replaces the embedded
# default's H2 settings after the fixed ones (e.g. RETENTION_TIME=45000 for H2's default).
# Writes bench/results/h2-growth-<date>.md. Usage: [H2_SETTINGS=RETENTION_TIME=45000] bench/h2-growth.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
PORT=${BENCH_PORT:-18002}
S3_PORT=${BENCH_S3_PORT:-19480}
AMQP_PORT=${BENCH_AMQP_PORT:-15680}
HEAP=${BENCH_HEAP:-256m}
DURATION=${H2_DURATION:-150}

source "$BENCH/lib.sh"
bench_init bytekeep-h2-growth
SAMPLER_PID=""
stop_helpers() { [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null || true; }
build_app "" "$BENCH/client/LoadClient.java" "$BENCH/client/HttpConnection.java" "$BENCH/client/EventDrain.java"
result_file h2-growth
export BYTEKEEP_DATA_DIR=$TMP/data BYTEKEEP_PORT=$PORT BYTEKEEP_ROUTES_DIR=$TMP/app/routes \
    BYTEKEEP_EMBEDDED_S3_PORT=$S3_PORT BYTEKEEP_EMBEDDED_AMQP_PORT=$AMQP_PORT \
    BYTEKEEP_EDGE_INPROGRESS_UPLOAD=32 BYTEKEEP_EDGE_LATENCYTARGET=0
unset BYTEKEEP_PASSWORD
URL="jdbc:h2:file:$TMP/data/db/bytekeep;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE"
SETTINGS="the embedded default's ($(grep -E 'url: .*jdbc:h2:file' "$TMP/app/config/application.yaml" | grep -oE ';(RETENTION_TIME|CACHE_SIZE|AUTO_COMPACT_FILL_RATE)=[0-9]+' | tr -d ';' | paste -sd ' ' || echo none))"
if [[ -n ${H2_SETTINGS:-} ]]; then export BYTEKEEP_DB_URL="$URL;$H2_SETTINGS"; SETTINGS=$H2_SETTINGS; fi
check_ports "$PORT" "$S3_PORT" "$AMQP_PORT"
machine_facts "embedded default, -Xmx$HEAP, $COMMIT, H2 settings: $SETTINGS"

launch_app "$TMP/gc.log" "$TMP/app.log"
wait_healthy 180
read_secrets
TOKEN=$(token)
META=$(new_boefje_meta "$TOKEN") || die "could not create the boefje meta"
T0=$(date +%s)
(while true; do echo "$(( $(date +%s) - T0 )) s: $(du -sm "$TMP/data/db" | cut -f1) MB"; sleep 15; done) >"$TMP/sizes.txt" &
SAMPLER_PID=$!
log "uploading for $DURATION s"
java -Xmx512m -cp "$TMP/client:$CP" LoadClient --mode vault --url "http://127.0.0.1:$PORT" --token "$TOKEN" \
    --boefje-meta-id "$META" --threads 32 --warmup 5 --duration "$DURATION" --server-pid "$APP_PID" \
    --out "$TMP/load.txt" >"$TMP/client.log" 2>&1
log "idle for 60 s"
sleep 60
kill "$SAMPLER_PID"; SAMPLER_PID=""
stop_app
STOPPED=$(du -sm "$TMP/data/db" | cut -f1)
H2_JAR=$(ls "$TMP"/lib/BOOT-INF/lib/h2-*.jar)
FILES=$(java -cp "$H2_JAR" org.h2.tools.Shell -url "$URL" -user bytekeep -password "" -sql "select count(*) from raw_file" | sed -n 2p)
java -cp "$H2_JAR" org.h2.tools.Shell -url "$URL" -user bytekeep -password "" -sql "shutdown compact" >/dev/null 2>&1 || true
COMPACTED=$(du -sm "$TMP/data/db" | cut -f1)

{
    echo "# Embedded H2 file under upload load: $(date +%F)"
    echo
    echo "Command: \`${H2_SETTINGS:+H2_SETTINGS=$H2_SETTINGS }bench/h2-growth.sh\` ($DURATION s of 1 KiB uploads at 32 connections, then 60 s idle)."
    echo
    cat "$TMP/machine.md"
    echo
    echo "- uploads: $(grep -E '^ok=' "$TMP/load.txt" | cut -d= -f2) acknowledged, $(grep -E '^errors=' "$TMP/load.txt" | cut -d= -f2) errors; raw files in the database: $FILES"
    echo "- size of data/db every 15 s (load, then idle): $(tr '\n' ';' <"$TMP/sizes.txt")"
    echo "- after the service stopped: $STOPPED MB; after SHUTDOWN COMPACT (the data): $COMPACTED MB; ratio $(echo "scale=1; $STOPPED / $COMPACTED" | bc)"
} >"$OUT"
log "wrote $OUT"
cat "$OUT" >&2
