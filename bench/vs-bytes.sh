#!/usr/bin/env bash
# Bytekeep against OpenKAT Bytes on this machine (issue 18): the same load client (bench/client/LoadClient.java,
# 1 KiB raw uploads in Bytes' JSON, 32 keep-alive connections, closed loop) against each, in interleaved rounds, and
# the ratio of uploads per second per round and its median. Absolute numbers of a shared machine are not comparable
# across runs; the ratio of back-to-back rounds is.
#   Bytes: OpenKAT's bytes/ at compat/openkat's commit, as its Debian unit runs it (gunicorn, UvicornWorker, 3 workers,
#          bytes/packaging/deb/data/etc/kat/bytes.gunicorn.conf.py), on this machine's PostgreSQL and RabbitMQ, files on
#          disk, with one lock around its RabbitMQ publish (bench/bytes/bytes_locked.py: without it, Bytes fails under
#          concurrent uploads). Its virtualenv and checkout come from compat/openkat/setup.sh (Debian packages and
#          the local wheel directory, no PyPI); gunicorn from Debian.
#   Bytekeep: the embedded default as `java -Xmx256m -jar` (H2, S3Proxy, Qpid), upload lane opened to the
#          connections (BYTEKEEP_EDGE_INPROGRESS_UPLOAD), warmed up for BENCH_VAULT_WARMUP s first (the JIT).
# Both consume their events as a deployment does (bench/client/EventDrain.java) and the results count them.
# Writes bench/results/vs-bytes-<date>.md. Knobs: BENCH_ROUNDS (3), BENCH_DURATION (60 s per round and system),
# BENCH_THREADS (32), BENCH_SIZE (1024), BENCH_VAULT_WARMUP (300), BENCH_BYTES_WARMUP (20), BENCH_HEAP (256m),
# BENCH_PORT / BENCH_S3_PORT / BENCH_AMQP_PORT / BENCH_BYTES_PORT, BENCH_SOURCE (head|worktree).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
PORT=${BENCH_PORT:-18032}
S3_PORT=${BENCH_S3_PORT:-19510}
AMQP_PORT=${BENCH_AMQP_PORT:-15710}
BYTES_PORT=${BENCH_BYTES_PORT:-18033}
ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-60}
THREADS=${BENCH_THREADS:-32}
SIZE=${BENCH_SIZE:-1024}
VAULT_WARMUP=${BENCH_VAULT_WARMUP:-300}
BYTES_WARMUP=${BENCH_BYTES_WARMUP:-20}
HEAP=${BENCH_HEAP:-256m}
BYTES_SERVICES=bytes_bench   # Bytes' PostgreSQL database and RabbitMQ virtual host
BYTES_PID=""

source "$BENCH/lib.sh"
bench_init bytekeep-vs-bytes
stop_helpers() {
    if [[ -n $BYTES_PID ]]; then
        kill "$BYTES_PID" 2>/dev/null || true
        for _ in $(seq 1 40); do kill -0 "$BYTES_PID" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$BYTES_PID" 2>/dev/null || true
    fi
}
QUIET_PATTERN='surefire|failsafe'
QUIET_RUNNING="a Maven test JVM"
QUIET_STILL="a Maven test JVM"
QUIET_OTHERS="Maven test JVMs"
QUIET_WAIT=${BENCH_QUIET_WAIT:-900}

# ------------------------------------------------------------------------------------------------ Bytes
WORK=${OPENKAT_WORK:-$ROOT/target/openkat}
OPENKAT_WORK=$WORK "$ROOT/compat/openkat/setup.sh" >&2 || die "compat/openkat/setup.sh failed: Bytes cannot run here"
dpkg-query -W -f='${Status}' gunicorn 2>/dev/null | grep -q "ok installed" || {
    log "installing Debian's gunicorn (Bytes' Debian unit runs it)"
    apt-get install -y -q gunicorn >/dev/null || (apt-get update -q >/dev/null && apt-get install -y -q gunicorn >/dev/null)
}
CHECKOUT=$(cat "$WORK/checkout")
BYTES_COMMIT=$(git -C "$CHECKOUT" rev-parse --short HEAD)
BYTES_ENV=$CHECKOUT/bytes/.ci/.env.test
BYTES_USER=$(prop BYTES_USERNAME "$BYTES_ENV")
BYTES_PASSWORD=$(prop BYTES_PASSWORD "$BYTES_ENV")

start_bytes() {
    check_ports "$BYTES_PORT"
    fresh_database_and_vhost "$BYTES_SERVICES"
    mkdir -p "$TMP/bytes-data"
    # Bytes' Debian configuration with this run's port (the file binds 127.0.0.1:8002)
    sed "s/127.0.0.1:8002/127.0.0.1:$BYTES_PORT/" "$CHECKOUT/bytes/packaging/deb/data/etc/kat/bytes.gunicorn.conf.py" \
        >"$TMP/bytes.gunicorn.conf.py"
    local -a env=(
        "BYTES_DB_URI=postgresql://postgres@127.0.0.1:5432/$BYTES_SERVICES"
        "QUEUE_URI=amqp://guest:guest@127.0.0.1:5672/$BYTES_SERVICES"
        "BYTES_DATA_DIR=$TMP/bytes-data" "BYTES_LOG_FILE=$TMP/bytes-app.log"
        "PYTHONPATH=$BENCH/bytes:$ROOT/compat/openkat"
    )
    (cd "$CHECKOUT/bytes" && set -a && . .ci/.env.test && set +a && env "${env[@]}" "$WORK/venv-bytes/bin/python" \
        -m alembic --config bytes/alembic.ini upgrade head) >"$TMP/bytes-alembic.log" 2>&1 \
        || die "Bytes' migrations failed (see $TMP/bytes-alembic.log)"
    (cd "$CHECKOUT/bytes" && set -a && . .ci/.env.test && set +a && exec env "${env[@]}" "$WORK/venv-bytes/bin/python" \
        -m gunicorn -c "$TMP/bytes.gunicorn.conf.py" -k uvicorn.workers.UvicornWorker bytes_locked:app) \
        >"$TMP/bytes.log" 2>&1 &
    BYTES_PID=$!
    for _ in $(seq 1 120); do
        curl -sf "http://127.0.0.1:$BYTES_PORT/health" >/dev/null 2>&1 && return
        kill -0 "$BYTES_PID" 2>/dev/null || { tail -n 30 "$TMP/bytes.log" >&2; die "Bytes died during start-up"; }
        sleep 0.5
    done
    die "Bytes is not healthy after 60 s (see $TMP/bytes.log)"
}

# ------------------------------------------------------------------------------------------------ Bytekeep
build_app "" "$BENCH/client/LoadClient.java" "$BENCH/client/HttpConnection.java" "$BENCH/client/EventDrain.java"
CLIENT=(java -Xms256m -Xmx512m -cp "$TMP/client:$CP" LoadClient)
result_file vs-bytes
machine_facts "$(basename "$JAR") of $COMMIT (BENCH_SOURCE=$SOURCE), \`java -Xmx$HEAP -jar\`, embedded default; OpenKAT Bytes $BYTES_COMMIT"

start_bytekeep() {
    export BYTEKEEP_DATA_DIR=$TMP/data BYTEKEEP_PORT=$PORT BYTEKEEP_EMBEDDED_S3_PORT=$S3_PORT \
        BYTEKEEP_EMBEDDED_AMQP_PORT=$AMQP_PORT BYTEKEEP_ROUTES_DIR=$TMP/app/routes \
        BYTEKEEP_EDGE_INPROGRESS_UPLOAD=$THREADS BYTEKEEP_EDGE_LATENCYTARGET=0
    # throughput at a fixed concurrency, as Bytes runs: all $THREADS in progress, none shed for latency
    unset BYTEKEEP_PASSWORD
    check_ports "$PORT" "$S3_PORT" "$AMQP_PORT"
    launch_app "$TMP/gc.log" "$TMP/app.log"
    wait_healthy 120
    read_secrets
}

token_of() {   # token_of <port> <user> <password>
    curl -sf -X POST "http://127.0.0.1:$1/token" --data-urlencode "username=$2" --data-urlencode "password=$3" \
        | sed -E 's/.*"access_token" *: *"([^"]+)".*/\1/'
}

boefje_meta() {   # boefje_meta <port> <token>: a new boefje meta (Bytes' schema), its id
    local id
    id=$(cat /proc/sys/kernel/random/uuid)
    curl -sf -o /dev/null -X POST "http://127.0.0.1:$1/bytes/boefje_meta" -H "Authorization: Bearer $2" \
        -H 'Content-Type: application/json' \
        -d "{\"id\":\"$id\",\"boefje\":{\"id\":\"bench\",\"version\":\"1\"},\"input_ooi\":\"Hostname|internet|bench.example\",\"arguments\":{},\"organization\":\"bench\",\"started_at\":\"2025-01-01T00:00:00Z\",\"ended_at\":\"2025-01-01T00:00:01Z\",\"runnable_hash\":\"bench\",\"environment\":{}}" \
        || die "no boefje meta on port $1"
    echo "$id"
}

log "starting OpenKAT Bytes $BYTES_COMMIT on 127.0.0.1:$BYTES_PORT"
start_bytes
BYTES_TOKEN=$(token_of "$BYTES_PORT" "$BYTES_USER" "$BYTES_PASSWORD")
[[ -n $BYTES_TOKEN ]] || die "no token from Bytes"
BYTES_META=$(boefje_meta "$BYTES_PORT" "$BYTES_TOKEN")
# Bytes declares raw_file_received at its first publish; the drain consumes from the start of each round
curl -sf -o /dev/null -X POST "http://127.0.0.1:$BYTES_PORT/bytes/raw?boefje_meta_id=$BYTES_META" \
    -H "Authorization: Bearer $BYTES_TOKEN" -H 'Content-Type: application/json' \
    -d '{"files":[{"name":"first","content":"Zmlyc3Q=","tags":["bench/first"]}]}' || die "Bytes refused the first upload"

log "starting Bytekeep on 127.0.0.1:$PORT"
start_bytekeep
BK_TOKEN=$(token_of "$PORT" bytes "$PASSWORD")
[[ -n $BK_TOKEN ]] || die "no token from Bytekeep"
BK_META=$(boefje_meta "$PORT" "$BK_TOKEN")

round() {   # round <name> <port> <token> <meta> <amqp uri> <warm-up s> <server pid> [measured s]
    local measured=${8:-$DURATION}
    wait_quiet "$1"
    log "round $1: ${6}s warm-up + ${measured}s measured, $THREADS connections"
    "${CLIENT[@]}" --mode vault --threads "$THREADS" --warmup "$6" --duration "$measured" --size "$SIZE" \
        --url "http://127.0.0.1:$2" --token "$3" --boefje-meta-id "$4" --amqp-uri "$5" --server-pid "$7" \
        --run-id "$1-$RANDOM" --out "$TMP/$1.txt" >&2
}

BYTES_AMQP="amqp://guest:guest@127.0.0.1:5672/$BYTES_SERVICES"
BK_AMQP="amqp://guest:guest@127.0.0.1:$AMQP_PORT"
log "warming Bytekeep up for ${VAULT_WARMUP}s (on 2 cores the JIT compiles for minutes, about four on an AMD EPYC)"
round bytekeep-warmup "$PORT" "$BK_TOKEN" "$BK_META" "$BK_AMQP" "$VAULT_WARMUP" "$APP_PID" 5

# per-second CPU of the whole machine minus the load client, per upload: both servers' processes, their databases,
# brokers and the kernel's share, comparable between a JVM and Python + PostgreSQL + RabbitMQ
cpu_ms_per_upload() {   # cpu_ms_per_upload <result file>
    awk -v busy="$(kv cpu_machine_busy_pct "$1")" -v client="$(kv cpu_client_pct "$1")" -v rps="$(kv rps "$1")" \
        'BEGIN { if (rps > 0) printf "%.2f", (busy - client) / 100 * 1000 / rps; else print "-" }'
}

ROWS=""
RATIOS=()
for r in $(seq 1 "$ROUNDS"); do
    # the order alternates, so neither system always runs right after the other's load
    if (( r % 2 == 1 )); then order=(bytes bytekeep); else order=(bytekeep bytes); fi
    for system in "${order[@]}"; do
        if [[ $system == bytes ]]; then
            round "bytes-$r" "$BYTES_PORT" "$BYTES_TOKEN" "$BYTES_META" "$BYTES_AMQP" "$BYTES_WARMUP" "$BYTES_PID"
        else
            round "bytekeep-$r" "$PORT" "$BK_TOKEN" "$BK_META" "$BK_AMQP" 10 "$APP_PID"
        fi
    done
    b=$(kv rps "$TMP/bytes-$r.txt"); k=$(kv rps "$TMP/bytekeep-$r.txt")
    ratio=$(awk -v k="$k" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", k / b; else print "inf" }')
    RATIOS+=("$ratio")
    for system in bytes bytekeep; do
        f=$TMP/$system-$r.txt
        ROWS+="| $r | $system | $(kv rps "$f") | $(kv lat_p50_ms "$f") | $(kv lat_p99_ms "$f") | $(kv errors "$f") | $(kv events_delivered "$f") / $(kv accepted_whole_run "$f") | $(cpu_ms_per_upload "$f") | $(kv cpu_machine_busy_pct "$f") | $(kv cpu_client_pct "$f") |"$'\n'
    done
    log "round $r: Bytekeep $k/s, Bytes $b/s, ratio $ratio"
done
MEDIAN=$(printf '%s\n' "${RATIOS[@]}" | sort -g | awk '{a[NR]=$1} END { if (NR % 2) print a[(NR+1)/2]; else printf "%.2f", (a[NR/2]+a[NR/2+1])/2 }')

cat >"$OUT" <<EOF
# Bytekeep against OpenKAT Bytes, $(date -Is)

Generated by \`bench/vs-bytes.sh\` (see bench/README.md). Machine:
$(cat "$TMP/machine.md")
$( ((${#CONTENTION_NOTES[@]})) && printf -- '- contention: %s\n' "${CONTENTION_NOTES[@]}" )

Same client (\`bench/client/LoadClient.java\`, $THREADS keep-alive HTTP/1.1 connections, closed loop), same request:
\`POST /bytes/raw?boefje_meta_id=…\` with one file of $SIZE random bytes, base64 in Bytes' JSON, a distinct tag per
request; ${DURATION} s per system and round, the order alternating per round; each system's events consumed by a
client of its queue (\`raw_file_received\`) and counted.

- **Bytes** $BYTES_COMMIT (OpenKAT \`bytes/\`): gunicorn with UvicornWorker and Bytes' Debian gunicorn configuration
  (3 workers), PostgreSQL $(psql -tA -h 127.0.0.1 -U postgres -c 'show server_version' | cut -d' ' -f1) and RabbitMQ of this machine, files
  on disk, **with one lock around its RabbitMQ publish** (\`bench/bytes/bytes_locked.py\`; as shipped it fails under
  concurrent uploads). Bytes publishes its events without confirms and as transient messages; Bytekeep answers an
  upload once its row, its object and its event's broker confirm are on disk.
- **Bytekeep**: embedded default (\`java -Xmx$HEAP -jar\`: H2, S3Proxy, Qpid in the one JVM), upload lane
  $THREADS, warmed up ${VAULT_WARMUP} s before the first round.

| round | system | uploads/s | p50 ms | p99 ms | errors | events / accepted | machine CPU ms per upload (without the client) | machine busy % | client % |
|---|---|---|---|---|---|---|---|---|---|
$ROWS
- ratio Bytekeep / Bytes per round: $(IFS=' '; echo "${RATIOS[*]}"); **median $MEDIAN** (issue 18's target: ≥ 10)
- CPU percentages are of one core (200 = both); "machine CPU ms per upload" counts every process but the load client.
EOF
log "results written to $OUT"
