#!/usr/bin/env bash
# Benchmarks of the Bytekeep Vault on the embedded default (H2 + in-process S3Proxy + in-process Qpid), see
# bench/README.md. Starts its own instance (java -Xmx256m) in a fresh temp data dir on non-default ports, then:
#   small: 1 KiB raw uploads (POST /bytes/raw, Bytes' JSON) at 32 connections, warm-up then measured phase,
#          and, in the same run, the same load shape straight against the embedded S3 server (the ceiling);
#   big:   one 1 GiB streamed upload (POST /bytes/raw, application/octet-stream) with the heap sampled every second, read back and compared;
#          plus dd and SHA-512 throughput of this machine for comparison.
# Writes bench/results/vault-<date>.md. Usage: bench/vault-load.sh [all|small|big]
set -euo pipefail

WHAT=${1:-all}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench

PORT=${BENCH_PORT:-18002}
S3_PORT=${BENCH_S3_PORT:-19480}
AMQP_PORT=${BENCH_AMQP_PORT:-15680}
THREADS=${BENCH_THREADS:-32}
WARMUP=${BENCH_WARMUP:-15}
# the Vault's own warm-up: on 2 cores the JIT compiles for minutes under this load (on an Intel Xeon C2 took 36 % of
# the CPU after 60 s, 2 % after 150 s; on an AMD EPYC about a tenth after 120 s and 2 % after 300 s,
# bench/results/vault-2026-12-06-2106-small-warm-300s-6a2fce5.md), and a shorter warm-up measures the compiler more
# than the service
VAULT_WARMUP=${BENCH_VAULT_WARMUP:-300}
DURATION=${BENCH_DURATION:-60}
SIZE=${BENCH_SIZE:-1024}
BIG_MB=${BENCH_BIG_MB:-1024}
BIG_WARMUP=${BENCH_BIG_WARMUP:-2}
BIG_ROUNDS=${BENCH_BIG_ROUNDS:-3}
HEAP=${BENCH_HEAP:-256m}
QUIET_WAIT=${BENCH_QUIET_WAIT:-900}
# the streamed upload: POST /bytes/raw with Content-Type application/octet-stream (since 4f4c7c0; PUT before)
STREAM_METHOD=${BENCH_STREAM_METHOD:-POST}   # seconds to wait for concurrent test JVMs to finish

SAMPLER_PID=""
RSS_PID=""

source "$BENCH/lib.sh"
bench_init bytekeep-bench

# wait_quiet (lib.sh): waits (polling every 20 s, at most QUIET_WAIT s) until no Maven test JVM (surefire/failsafe)
# runs on this machine.
QUIET_PATTERN='surefire|failsafe'
QUIET_RUNNING="a Maven test JVM"
QUIET_STILL="a Maven test JVM"
QUIET_OTHERS="Maven test JVMs"

# ------------------------------------------------------------------------------------------------ build
# BENCH_SOURCE=head (default): the committed HEAD, built in the temp dir; BENCH_SOURCE=worktree: target/bytekeep-*.jar
# with a snapshot of the work tree's routes/ and config/ (see build_app in lib.sh).
build_app "" "$BENCH/client/LoadClient.java" "$BENCH/client/HttpConnection.java" "$BENCH/client/EventDrain.java"
CLIENT=(java -Xms256m -Xmx512m -cp "$TMP/client:$CP" LoadClient)

# ------------------------------------------------------------------------------------------------ app
# BENCH_MODE=embedded (default): the embedded default. BENCH_MODE=prod: the prod profile on this machine's PostgreSQL
# (database bytekeep_bench) and RabbitMQ (virtual host bytekeep_bench), and an S3 server in a process of its own (the
# prod-profile tests' S3Proxy, compat/openkat/S3Server.java) with its objects on the filesystem in $TMP/s3, with the
# test keys of src/test/resources. In memory, the S3-alone phases' ~800,000 small objects made that server the
# Vault run's bottleneck (bench/results/vault-2026-12-06-2226-prod-small-in-memory-s3-0870f75.md).
MODE=${BENCH_MODE:-embedded}
PROD_SERVICES=bytekeep_bench   # the PostgreSQL database and the RabbitMQ virtual host
S3_SERVER_PID=""
stop_helpers() { for p in $SAMPLER_PID $RSS_PID $S3_SERVER_PID; do kill "$p" 2>/dev/null || true; done; }

start_prod_services() {
    fresh_database_and_vhost "$PROD_SERVICES"
    S3_ACCESS=bench-access
    S3_SECRET=bench-secret-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
    java -cp "$CP" "$ROOT/compat/openkat/S3Server.java" "$S3_PORT" "$S3_ACCESS" "$S3_SECRET" "$TMP/s3" >"$TMP/s3.log" 2>&1 &
    S3_SERVER_PID=$!
    for _ in $(seq 1 120); do (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null && return; sleep 0.5; done
    die "the S3 server did not start (see $TMP/s3.log)"
}

start_app() {
    export BYTEKEEP_DATA_DIR=$TMP/data BYTEKEEP_PORT=$PORT BYTEKEEP_ROUTES_DIR=$TMP/app/routes
    unset BYTEKEEP_PASSWORD
    check_ports "$PORT" "$S3_PORT" "$AMQP_PORT"
    if [[ $MODE == prod ]]; then
        start_prod_services
        prod_profile_env "$PROD_SERVICES"
        AMQP_URI="amqp://guest:guest@127.0.0.1:5672/$PROD_SERVICES"
    else
        export BYTEKEEP_EMBEDDED_S3_PORT=$S3_PORT BYTEKEEP_EMBEDDED_AMQP_PORT=$AMQP_PORT
        AMQP_URI="amqp://guest:guest@127.0.0.1:$AMQP_PORT"
    fi
    launch_app "$TMP/gc.log" "$TMP/app.log"
    log "app started ($MODE), pid $APP_PID, data $TMP/data"
    wait_healthy 120
    [[ $MODE == prod ]] || read_secrets
}


# ------------------------------------------------------------------------------------------------ machine
result_file vault
if [[ $MODE == prod ]]; then
    APP_KIND="prod profile (PostgreSQL and RabbitMQ of this machine, S3Proxy $([[ $WHAT == big ]] && echo "on the filesystem" || echo "in memory") in a process of its own)"
else
    APP_KIND="embedded default (H2, S3Proxy filesystem, Qpid), no profile"
fi
machine_facts "$(basename "$JAR") of $COMMIT (BENCH_SOURCE=$SOURCE), started as \`java -Xmx$HEAP ${BENCH_JVM_OPTS:+$BENCH_JVM_OPTS }-jar\`, $APP_KIND"

start_app
TOKEN=$(token)
[[ -n $TOKEN ]] || { echo "no token" >&2; exit 1; }
log "token ok"

SMALL_MD=""
BIG_MD=""
LIMIT_MD=""

run_client() {   # run_client <name> <mode> [extra args...]
    local name=$1 mode=$2; shift 2
    wait_quiet "$name"
    log "running $name ($mode, $THREADS connections, ${WARMUP}s warm-up + ${DURATION}s measured)"
    "${CLIENT[@]}" --mode "$mode" --threads "$THREADS" --warmup "$WARMUP" --duration "$DURATION" --size "$SIZE" \
        --server-pid "$APP_PID" --run-id "$name-$RANDOM" --out "$TMP/$name.txt" --top-file "$TMP/$name.top" "$@" >&2
}

row() {  # row <label> <result file>
    local f=$2
    echo "| $1 | $(kv rps "$f") | $(kv lat_p50_ms "$f") | $(kv lat_p99_ms "$f") | $(kv lat_max_ms "$f") | $(kv errors "$f") | $(kv cpu_server_pct "$f") | $(kv cpu_client_pct "$f") | $(kv cpu_softirq_pct "$f") | $(kv cpu_other_pct "$f") | $(kv cpu_machine_busy_pct "$f") | $(kv cpu_iowait_pct "$f") | $(kv reconnects_after_connection_close "$f") |"
}

# ------------------------------------------------------------------------------------------------ small uploads
if [[ $WHAT == all || $WHAT == small ]]; then
    # the events' consumer, as in a deployment (bench/client/EventDrain.java): no backlog in the broker's heap
    S3ARGS=(--s3-endpoint "http://127.0.0.1:$S3_PORT" --s3-access-key "$S3_ACCESS" --s3-secret-key "$S3_SECRET" --bucket bytekeep-raw)
    # the ceiling first: the S3 server alone, same client, same connections, same payload
    run_client s3-direct s3 "${S3ARGS[@]}" --prefix bench-s3
    sleep 5
    run_client s3-sdk s3sdk "${S3ARGS[@]}" --prefix bench-s3sdk
    sleep 5
    TOKEN=$(token)
    META=$(new_boefje_meta "$TOKEN")
    vault_gc_from=$(wc -l <"$TMP/gc.log")
    run_client vault vault --url "http://127.0.0.1:$PORT" --token "$TOKEN" --boefje-meta-id "$META" --amqp-uri "$AMQP_URI" \
        --warmup "$VAULT_WARMUP"
    VAULT_GC=$(gc_pauses "$TMP/gc.log" "$vault_gc_from")
    # items per act of each group commit (pack write, transaction, publish) over the whole Vault run: the larger, the
    # fewer PUTs, commits and confirms per upload
    BATCHES=$(curl -sf "http://127.0.0.1:$PORT/actuator/prometheus" -H "Authorization: Bearer $TOKEN" \
        | awk -F'[{}" ]+' '/^bytekeep_group_commit_(batch_size|wait_seconds|act_seconds)_(count|sum)\{/ {
              for (i = 2; i < NF; i++) if ($i ~ /name=$/) name = $(i + 1)
              m = $1; sub(/_(count|sum)$/, "", m)
              if ($1 ~ /count$/) c[m, name] = $NF; else s[m, name] = $NF; names[name] = 1 }
            END { b = "bytekeep_group_commit_batch_size"; w = "bytekeep_group_commit_wait_seconds"
                  a = "bytekeep_group_commit_act_seconds"
                  for (n in names) if (c[b, n] > 0) {
                      printf "%s %.1f (%d acts", n, s[b, n] / c[b, n], c[b, n]
                      if (c[a, n] > 0) printf ", %.2f ms each, first item waited %.2f ms", 1000 * s[a, n] / c[a, n], 1000 * s[w, n] / c[w, n]
                      printf "); " } }' || true)
    # before the profiled run, which stores more
    VAULT_DB_FILE_MB=""
    [[ -f $TMP/data/db/bytekeep.mv.db ]] && VAULT_DB_FILE_MB=$(( $(stat -c %s "$TMP/data/db/bytekeep.mv.db") / 1048576 ))
    if [[ ${BENCH_PROFILE:-1} == 1 ]]; then
        wait_quiet "profile"
        log "profiling a further Vault run with JFR (not part of the numbers above)"
        jcmd "$APP_PID" JFR.start name=bench settings=profile filename="$TMP/vault.jfr" >/dev/null
        "${CLIENT[@]}" --mode vault --threads "$THREADS" --warmup 5 --duration 30 --size "$SIZE" --server-pid "$APP_PID" \
            --run-id "profile-$RANDOM" --out "$TMP/vault-profiled.txt" --url "http://127.0.0.1:$PORT" --token "$TOKEN" \
            --boefje-meta-id "$META" --amqp-uri "$AMQP_URI" >/dev/null
        jcmd "$APP_PID" JFR.stop name=bench >/dev/null
        "${CLIENT[@]}" --mode jfr --file "$TMP/vault.jfr" --out "$TMP/vault-profile.md" \
            --request-us "$(kv cpu_us_per_request.request "$TMP/vault.txt")" \
            --requests "$(( $(kv warmup_ok "$TMP/vault-profiled.txt") + $(kv ok "$TMP/vault-profiled.txt") ))" >/dev/null
    fi
    stored=$(curl -sf "http://127.0.0.1:$PORT/bytes/mime_types?boefje_meta_id=$META" -H "Authorization: Bearer $TOKEN" | head -c 200 || true)

    v=$(kv rps "$TMP/vault.txt"); s=$(kv rps "$TMP/s3-direct.txt"); k=$(kv rps "$TMP/s3-sdk.txt")
    SMALL_MD=$(cat <<EOF
## 1 KiB uploads, $THREADS connections (closed loop, ${VAULT_WARMUP} s warm-up for the Vault, ${WARMUP} s for S3, ${DURATION} s measured)

Settings from the environment: \`$(env | grep -E '^BYTEKEEP_' | grep -v -E 'PASSWORD|SECRET|KEY|KEK' | tr '\n' ' ')\` (the embedded
default's upload lane, \`bytekeep.edge.in-progress.upload\`, is 4 and its limit follows latency: at $THREADS
connections set \`BYTEKEEP_EDGE_INPROGRESS_UPLOAD=$THREADS BYTEKEEP_EDGE_LATENCYTARGET=0\`, or most requests are
refused, as the edge should).

Client: \`bench/client/LoadClient.java\` (one keep-alive HTTP/1.1 socket per thread), on the same 2 cores as the server.
Every Vault request is \`POST /bytes/raw?boefje_meta_id=…\` with one file of $SIZE random bytes (base64 in Bytes' JSON)
and a distinct mime type \`bench/<run>-t<thread>-<seq>\`, so each one is hashed, stored in S3 and recorded.
CPU columns are percent of ONE core over the measured window (200 = both cores); "server" is the app JVM, which
also hosts S3Proxy and Qpid; "irq+softirq" is kernel time charged to no process (loopback TCP mostly); "other" is
everything else (other processes, kernel threads such as ext4 writeback). "reconnects": the server closed a
keep-alive connection (Tomcat does after 100 requests) and the client opened a new one; not an error.

| target | req/s | p50 ms | p99 ms | max ms | errors | CPU server % | CPU client % | CPU irq+softirq % | CPU other % | machine busy % | iowait % | reconnects |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
$(row "Vault POST /bytes/raw (1 KiB)" "$TMP/vault.txt")
$(row "S3 direct: PUT 1 KiB, SigV4, same client" "$TMP/s3-direct.txt")
$(row "S3 direct: PUT 1 KiB via AWS SDK v2 (as the app)" "$TMP/s3-sdk.txt")

- Vault / S3-direct (same client): **$(awk -v a="$v" -v b="$s" 'BEGIN{printf "%.2f", a/b}')**; Vault / S3 via SDK: $(awk -v a="$v" -v b="$k" 'BEGIN{printf "%.2f", a/b}')
- target ≥ 1,500 uploads/s (issue 18): **$(awk -v a="$v" 'BEGIN{print (a>=1500)?"reached":"not reached"}')** ($v/s)
- events: $(kv events_delivered "$TMP/vault.txt") RawFileReceived delivered to a consumer of the queue for $(kv accepted_whole_run "$TMP/vault.txt") accepted uploads of the whole run (consumer connection $(kv event_drain "$TMP/vault.txt"))
$( [[ -n $VAULT_DB_FILE_MB ]] && echo "- the embedded database's file after the Vault run: $VAULT_DB_FILE_MB MB (H2 rewrites pages to new places; what it keeps of dead ones follows its settings)" )
- errors by kind (whole run incl. warm-up): vault $(kv errors_by_kind_whole_run "$TMP/vault.txt"); s3 $(kv errors_by_kind_whole_run "$TMP/s3-direct.txt"); sdk $(kv errors_by_kind_whole_run "$TMP/s3-sdk.txt")
$( [[ -n $(kv error_samples "$TMP/vault.txt") ]] && echo "- vault error samples: \`$(kv error_samples "$TMP/vault.txt")\`" )
- GC pauses during the Vault run (its warm-up and measured phase, -Xlog:gc): $VAULT_GC
- items per act of each group commit (\`bytekeep_group_commit_batch_size\`, mean over the Vault run with its warm-up), and the mean time of one act and of its first item's wait for it to start (\`bytekeep_group_commit_act_seconds\`, \`…_wait_seconds\`): ${BATCHES:-not read}
- warm-up completions: vault $(kv warmup_ok "$TMP/vault.txt"), s3 $(kv warmup_ok "$TMP/s3-direct.txt"), sdk $(kv warmup_ok "$TMP/s3-sdk.txt"); p90 / p99.9 vault: $(kv lat_p90_ms "$TMP/vault.txt") / $(kv lat_p999_ms "$TMP/vault.txt") ms
- stored per mime-type count after the run (GET /bytes/mime_types, first 200 chars): \`$stored\`

### CPU per upload by stage (the measured Vault run; each thread's CPU from /proc/PID/task, by what the thread does)

The request threads run the route (edge, JSON, hash, encryption, hand-over to the batch threads): the JFR table
"request threads' CPU by stage" below splits their share by samples of the profiled run. Clock ticks are 10 ms.

| stage | CPU µs per upload |
|---|---|
$(kv cpu_us_per_request_table "$TMP/vault.txt" | tr ';' '\n')

$( [[ -f $TMP/vault-profile.md ]] && printf '%s\n\n%s\n\n%s\n' "### Where the Vault's CPU goes (JFR, a separate 35 s run at $(kv rps "$TMP/vault-profiled.txt") req/s)" "$(cat "$TMP/vault-profile.md")" "" )

<details><summary>top at mid-measurement (Vault run)</summary>

\`\`\`
$(cat "$TMP/vault.top")
\`\`\`
</details>

<details><summary>top at mid-measurement (S3-direct run)</summary>

\`\`\`
$(cat "$TMP/s3-direct.top")
\`\`\`
</details>
EOF
)
fi

# ------------------------------------------------------------------------------------------------ machine limits
wait_quiet "machine limits"
log "machine limits: openssl speed, JVM SHA-512, dd"
OPENSSL_SHA=$(openssl speed -seconds 2 -evp sha512 2>/dev/null | grep -E '^(type|sha512|SHA512)' || true)
"${CLIENT[@]}" --mode sha512 --bytes $((1024 * 1024 * 1024)) --out "$TMP/sha.txt" >/dev/null
DD_W=$( { dd if=/dev/zero of="$TMP/dd.bin" bs=1M count="$BIG_MB" conv=fdatasync 2>&1 >/dev/null; } | tail -n1)
sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
DD_R=$( { dd if="$TMP/dd.bin" of=/dev/null bs=1M 2>&1 >/dev/null; } | tail -n1)
rm -f "$TMP/dd.bin"
LIMIT_MD=$(cat <<EOF
## Machine limits measured in the same run

- \`openssl speed -seconds 2 -evp sha512\` (the Vault's proof hash; bytes/s per block size, in 1000s):
\`\`\`
$OPENSSL_SHA
\`\`\`
- JVM SHA-512 (\`MessageDigest\` provider $(kv provider "$TMP/sha.txt"), 64 KiB updates, 1 GiB, one thread): **$(kv mb_per_s "$TMP/sha.txt") MB/s**
- \`dd if=/dev/zero of=<tmp> bs=1M count=$BIG_MB conv=fdatasync\`: **$DD_W**
- \`dd if=<that file> of=/dev/null bs=1M\` (page cache dropped if permitted): $DD_R
EOF
)

# ------------------------------------------------------------------------------------------------ 1 GiB upload
if [[ $WHAT == all || $WHAT == big ]]; then
    log "creating a ${BIG_MB} MiB random file"
    head -c $((BIG_MB * 1024 * 1024)) /dev/urandom >"$TMP/big.bin"
    BIG_SHA=$(sha256sum "$TMP/big.bin" | cut -d' ' -f1)
    TOKEN=$(token)
    META=$(new_boefje_meta "$TOKEN")
    wait_quiet "1 GiB upload"

    # heap: `jstat -gc PID 1000` (JDK 17 columns S0C S1C S0U S1U EC EU OC OU ...: used = S0U+S1U+EU+OU);
    # RSS: /proc/PID/status every second. Both stopped by pid after the transfer.
    start_sampling() {   # start_sampling <name>
        jstat -gc "$APP_PID" 1000 >"$TMP/jstat-$1.log" 2>/dev/null &
        SAMPLER_PID=$!
        ( while kill -0 "$APP_PID" 2>/dev/null; do awk '/^VmRSS/{print $2}' "/proc/$APP_PID/status"; sleep 1; done ) >"$TMP/rss-$1.log" 2>/dev/null &
        RSS_PID=$!
    }
    stop_sampling() {
        kill "$SAMPLER_PID" "$RSS_PID" 2>/dev/null || true
        wait "$SAMPLER_PID" "$RSS_PID" 2>/dev/null || true
        SAMPLER_PID=""; RSS_PID=""
    }
    max_heap_mb() { awk '$1 ~ /^[0-9.]+$/ {u=$3+$4+$6+$8; if(u>m)m=u} END{printf "%.1f", m/1024}' "$TMP/jstat-$1.log"; }
    max_rss_mb() { awk '{if($1>m)m=$1} END{printf "%.0f", m/1024}' "$TMP/rss-$1.log"; }

    # the same upload first, unmeasured but listed: the first one also pays for the JIT compiling its path
    WARMUPS=""
    for w in $(seq 1 "$BIG_WARMUP"); do
        log "warm-up $STREAM_METHOD $w of $BIG_WARMUP"
        WARMUPS+=$(curl -sS -o /dev/null -w '%{http_code} in %{time_total} s' -T "$TMP/big.bin" -X "$STREAM_METHOD" \
            -H 'Content-Type: application/octet-stream' -H "Authorization: Bearer $TOKEN" \
            "http://127.0.0.1:$PORT/bytes/raw?boefje_meta_id=$META&name=warm$w&mime_types=bench/warm$w")"; "
    done
    start_sampling up
    gc_from=$(wc -l <"$TMP/gc.log")
    sleep 1.5
    c0=$(cpu_of "$APP_PID")
    log "$STREAM_METHOD ${BIG_MB} MiB"
    UP=$(curl -sS -o "$TMP/big-put.json" -w '%{http_code} %{time_total} %{speed_upload}' -T "$TMP/big.bin" -X "$STREAM_METHOD" \
        -H 'Content-Type: application/octet-stream' -H "Authorization: Bearer $TOKEN" \
        "http://127.0.0.1:$PORT/bytes/raw?boefje_meta_id=$META&name=big&mime_types=bench/big")
    c1=$(cpu_of "$APP_PID")
    sleep 1.5
    stop_sampling
    # heap after each GC during the upload (the live set) and before it, from -Xlog:gc
    GC_UP=$(gc_since "$TMP/gc.log" "$gc_from" "before GC")
    read -r UP_CODE UP_TIME UP_SPEED <<<"$UP"
    RAW_ID=$(sed -E 's/.*"big" *: *"([^"]+)".*/\1/' "$TMP/big-put.json")
    log "$STREAM_METHOD answered $UP_CODE in ${UP_TIME}s: $(head -c 200 "$TMP/big-put.json")"

    DOWN="- GET skipped (upload failed)"
    if [[ $UP_CODE == 200 ]]; then
        start_sampling down
        sleep 1.5
        d0=$(cpu_of "$APP_PID")
        GET=$(curl -sS -o "$TMP/big.out" -w '%{http_code} %{time_total} %{speed_download}' \
            -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/bytes/raw/$RAW_ID")
        d1=$(cpu_of "$APP_PID")
        sleep 1.5
        stop_sampling
        read -r G_CODE G_TIME G_SPEED <<<"$GET"
        OUT_SHA=$(sha256sum "$TMP/big.out" | cut -d' ' -f1)
        rm -f "$TMP/big.out"
        DOWN="- GET /bytes/raw/$RAW_ID: HTTP $G_CODE in **${G_TIME} s** ($(awk -v s="$G_SPEED" 'BEGIN{printf "%.1f", s/1e6}') MB/s), app CPU $(awk -v a="$d0" -v b="$d1" 'BEGIN{printf "%.1f", (b-a)/100}') s; sha256 $( [[ $OUT_SHA == "$BIG_SHA" ]] && echo '**matches**' || echo "**DIFFERS** ($OUT_SHA)"); max heap used while reading $(max_heap_mb down) MB, max RSS $(max_rss_mb down) MB"
    fi
    # the ceiling in the same run, interleaved: the same file PUT straight to the S3 server by the SDK configured as
    # the app's, against a Vault upload of it; the order alternates by round
    CEILING_ROWS=""
    RATIOS=()
    if [[ $UP_CODE == 200 ]]; then
        for r in $(seq 1 "$BIG_ROUNDS"); do
            order=(vault s3); (( r % 2 == 0 )) && order=(s3 vault)
            for what in "${order[@]}"; do
                wait_quiet "1 GiB round $r"
                if [[ $what == vault ]]; then
                    log "round $r: $STREAM_METHOD ${BIG_MB} MiB to the Vault"
                    read -r V_CODE V_TIME <<<"$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' -T "$TMP/big.bin" -X "$STREAM_METHOD" \
                        -H 'Content-Type: application/octet-stream' -H "Authorization: Bearer $TOKEN" \
                        "http://127.0.0.1:$PORT/bytes/raw?boefje_meta_id=$META&name=round$r&mime_types=bench/round$r")"
                else
                    log "round $r: PUT ${BIG_MB} MiB straight to the S3 server"
                    "${CLIENT[@]}" --mode s3file --file "$TMP/big.bin" --key "bench-ceiling/round$r" \
                        --s3-endpoint "http://127.0.0.1:$S3_PORT" --s3-access-key "$S3_ACCESS" --s3-secret-key "$S3_SECRET" \
                        --bucket bytekeep-raw --out "$TMP/ceiling-$r.txt" >/dev/null 2>"$TMP/ceiling-$r.err" || true
                fi
            done
            S_TIME=$(kv seconds "$TMP/ceiling-$r.txt")
            RATIO=$(awk -v v="$V_TIME" -v s="$S_TIME" 'BEGIN{ if (v > 0 && s > 0) printf "%.2f", s / v; else print "?" }')
            RATIOS+=("$RATIO")
            CEILING_ROWS+="| $r | ${order[0]} first | $V_CODE in $V_TIME s ($(awk -v t="$V_TIME" -v m="$BIG_MB" 'BEGIN{printf "%.1f", m*1048576/t/1e6}') MB/s) | $(kv status "$TMP/ceiling-$r.txt") in $S_TIME s ($(kv mb_per_s "$TMP/ceiling-$r.txt") MB/s) | $RATIO |"$'\n'
        done
    fi
    CEILING_MEDIAN=$(printf '%s\n' "${RATIOS[@]}" | grep -E '^[0-9.]+$' | sort -n | awk '{a[NR]=$1} END{ if (NR == 0) print "?"; else if (NR % 2) print a[(NR+1)/2]; else printf "%.2f", (a[NR/2]+a[NR/2+1])/2 }')

    BIG_PROFILE=""
    if [[ ${BENCH_PROFILE:-1} == 1 && $UP_CODE == 200 ]]; then
        wait_quiet "1 GiB profile"
        AP_LIB=$(async_profiler_lib)
        if [[ -n $AP_LIB ]]; then
            log "profiling one more ${BIG_MB} MiB upload with async-profiler (not part of the numbers above)"
            async_profiler "$APP_PID" "$AP_LIB" "start,event=cpu,interval=1ms,threads"
        else
            log "profiling one more ${BIG_MB} MiB upload with JFR (async-profiler could not be had; not part of the numbers above)"
            jcmd "$APP_PID" JFR.start name=big settings=profile filename="$TMP/big.jfr" >/dev/null
        fi
        P=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' -T "$TMP/big.bin" -X "$STREAM_METHOD" \
            -H 'Content-Type: application/octet-stream' -H "Authorization: Bearer $TOKEN" \
            "http://127.0.0.1:$PORT/bytes/raw?boefje_meta_id=$META&name=big2&mime_types=bench/big-profiled")
        if [[ -n $AP_LIB ]]; then
            async_profiler "$APP_PID" "$AP_LIB" "stop,file=$TMP/big.collapsed,collapsed"
            "$BENCH/collapsed-summary.py" "$TMP/big.collapsed" $((BIG_MB * 1024 * 1024)) 1 >"$TMP/big-profile.md"
            BIG_PROFILE=$(printf '%s\n\n%s\n' "### Where the upload's CPU goes (async-profiler $ASYNC_PROFILER_VERSION, event=cpu, one more upload: HTTP/time $P s)" "$(cat "$TMP/big-profile.md")")
        else
            jcmd "$APP_PID" JFR.stop name=big >/dev/null
            "${CLIENT[@]}" --mode jfr --file "$TMP/big.jfr" --out "$TMP/big-profile.md" >/dev/null
            BIG_PROFILE=$(printf '%s\n\n%s\n' "### Where the upload's CPU goes (JFR, one more upload: HTTP/time $P s; JFR drops samples inside intrinsics and the kernel, so hashing, encryption and I/O are undercounted)" "$(cat "$TMP/big-profile.md")")
        fi
    fi
    BIG_MD=$(cat <<EOF
## One ${BIG_MB} MiB streamed upload ($STREAM_METHOD /bytes/raw, application/octet-stream), app at -Xmx$HEAP

\`curl -T big.bin -X $STREAM_METHOD -H 'Content-Type: application/octet-stream' ".../bytes/raw?boefje_meta_id=…&name=big&mime_types=bench/big"\`
(random bytes from /dev/urandom; read back with GET /bytes/raw/<id> and compared by sha256)

- upload: HTTP $UP_CODE in **${UP_TIME} s** = **$(awk -v s="$UP_SPEED" 'BEGIN{printf "%.1f", s/1e6}') MB/s** (curl's average upload speed); app CPU during the upload $(awk -v a="$c0" -v b="$c1" 'BEGIN{printf "%.1f", (b-a)/100}') s
- before it, $BIG_WARMUP warm-up uploads of the same file (BENCH_BIG_WARMUP; the first with the JIT compiling): ${WARMUPS:-none}
- answer: \`$(head -c 200 "$TMP/big-put.json")\`
- GC during the upload (-Xlog:gc): $GC_UP
- heap used (jstat S0U+S1U+EU+OU, sampled every second during the upload): **max $(max_heap_mb up) MB**, of a $HEAP cap; max RSS of the JVM $(max_rss_mb up) MB; samples: $(grep -cE '^ *[0-9]' "$TMP/jstat-up.log" || true)
$DOWN
- for comparison (same disk): dd write $DD_W; JVM SHA-512 $(kv mb_per_s "$TMP/sha.txt") MB/s

### The S3 server's ceiling, in the same run ($BIG_ROUNDS interleaved rounds, BENCH_BIG_ROUNDS)

The same file once more to the Vault, and PUT straight to the S3 server (\`bench/client/LoadClient.java --mode s3file\`:
one streamed PUT with the AWS SDK v2 configured as the app's, a signed \`aws-chunked\` body, as \`RawObjectPut\` sends a
large file's stored form). Ratio: the Vault's upload rate as a share of the S3 server's (S3 time / Vault time).

| round | order | Vault upload | straight to S3 | Vault / S3 |
|---|---|---|---|---|
${CEILING_ROWS}
Median Vault / S3: **$CEILING_MEDIAN**

$BIG_PROFILE

<details><summary>jstat -gc samples during the upload (KB)</summary>

\`\`\`
$(cut -c1-120 "$TMP/jstat-up.log")
\`\`\`
</details>
EOF
)
    rm -f "$TMP/big.bin"
fi

GC_MAX=$(grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)' "$TMP/gc.log" | sed -E 's/M->.*//' | sort -n | tail -n1 || true)
{
    echo "# Vault benchmark, $(date -Is)"
    echo
    echo "Generated by \`bench/vault-load.sh $WHAT\` (see bench/README.md). Machine:"
    echo
    cat "$TMP/machine.md"
    echo "- concurrent Maven test JVMs: $( ((${#CONTENTION_NOTES[@]})) && printf '%s; ' "${CONTENTION_NOTES[@]}" || echo 'none seen before any measured phase')"
    echo
    [[ -n $SMALL_MD ]] && { echo "$SMALL_MD"; echo; }
    [[ -n $BIG_MD ]] && { echo "$BIG_MD"; echo; }
    echo "$LIMIT_MD"
    echo
    echo "- largest heap before a GC over the whole run (gc.log): ${GC_MAX:-?} MB; app log warnings/errors: $(grep -cE ' (WARN|ERROR) ' "$TMP/app.log" || true)"
    echo
    echo "<details><summary>app log: WARN/ERROR lines (first 30)</summary>"
    echo
    echo '```'
    grep -E ' (WARN|ERROR) ' "$TMP/app.log" | cut -c1-400 | head -n 30 || true
    echo '```'
    echo "</details>"
} >"$OUT"
log "results written to $OUT"
