# Shared shell code of bench/vault-load.sh and bench/distribution-run.sh: sourced (after `set -euo pipefail`), it
# only defines functions. The scripts set ROOT, BENCH, HEAP, PORT, QUIET_WAIT and the QUIET_* wording (see
# wait_quiet) and may define the hooks stop_helpers (before the app is stopped on exit), on_failure (on a non-zero
# exit) and on_build_failure (build of HEAD: output to $TMP/build.log, called if it fails).

log() { echo "[$(date +%T)] $*" >&2; }
die() { FAILED_AT=$1; echo "$1" >&2; exit 1; }

prop() { grep -E "^$1=" "$2" | head -n1 | cut -d= -f2-; }
kv() { { grep -E "^$1=" "$2" || true; } | head -n1 | cut -d= -f2-; }
cpu_of() { awk '{print $14+$15}' "/proc/$1/stat"; }   # utime+stime in clock ticks (100/s)

# ------------------------------------------------------------------------------------------------ temp dir, exit
# bench_init <name>: a fresh temp dir $TMP (${BENCH_TMPDIR:-/tmp}/<name>.XXXXXX), removed on exit after the app
# (APP_PID) is stopped; on a non-zero exit the last lines of $TMP/app.log go to stderr.
bench_init() {
    TMP=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/$1.XXXXXX")
    APP_PID=""
    CONTENTION_NOTES=()
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}

bench_cleanup() {
    local rc=$?
    if declare -F stop_helpers >/dev/null; then stop_helpers; fi
    stop_app
    if [[ $rc -ne 0 ]]; then
        if declare -F on_failure >/dev/null; then on_failure "$rc"; fi
        if [[ -f $TMP/app.log ]]; then
            echo "---- last lines of the app log ($TMP/app.log) ----" >&2
            tail -n 40 "$TMP/app.log" >&2 || true
        fi
    fi
    rm -rf "$TMP"
    exit $rc
}

stop_app() {
    if [[ -n $APP_PID ]] && kill -0 "$APP_PID" 2>/dev/null; then
        kill "$APP_PID" 2>/dev/null || true
        for _ in $(seq 1 60); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$APP_PID" 2>/dev/null && kill -9 "$APP_PID" 2>/dev/null || true
    fi
    APP_PID=""
}

# ------------------------------------------------------------------------------------------------ quiet machine
# wait_quiet <phase> [max s]: waits (polling every 20 s, at most max s, default QUIET_WAIT) while a process matching
# QUIET_PATTERN runs; notes the wait (or the contention) in CONTENTION_NOTES. Wording: QUIET_RUNNING (what is
# running), QUIET_STILL (what was still running at the end), QUIET_OTHERS (what was waited for);
# QUIET_LIST_STILL=1 adds the matching processes to the contention note.
wait_quiet() {
    local phase=$1 max=${2:-$QUIET_WAIT} waited=0
    while pgrep -f "$QUIET_PATTERN" >/dev/null; do
        if (( waited >= max )); then
            local still=""
            [[ ${QUIET_LIST_STILL:-0} == 1 ]] && still=" ($(pgrep -af "$QUIET_PATTERN" | cut -c1-80 | tr '\n' ';'))"
            CONTENTION_NOTES+=("$phase: $QUIET_STILL was still running after ${max}s of waiting$still; measured WITH contention")
            log "WARNING: test JVMs still running, measuring $phase anyway"
            return
        fi
        (( waited == 0 )) && log "$QUIET_RUNNING is running; waiting for it to finish before $phase"
        sleep 20
        waited=$((waited + 20))
    done
    (( waited > 0 )) && CONTENTION_NOTES+=("$phase: waited ${waited}s for concurrent $QUIET_OTHERS to finish")
    return 0
}

# ------------------------------------------------------------------------------------------------ build
# build_app <log prefix> <client source>...: BENCH_SOURCE=head (default): the committed HEAD, exported to $TMP/app
# and built there (./mvnw -o package), so jar, routes/ and config/ belong together even while a developer edits the
# work tree or rebuilds target/. BENCH_SOURCE=worktree: target/bytekeep-*.jar (built once if missing) with a
# snapshot of the work tree's routes/ and config/ (both read at run time). BENCH_SOURCE=<revision>: that commit,
# built as HEAD is (an A/B against an earlier commit while HEAD moves on). Sets SOURCE, COMMIT, JAR and CP
# (the jar's classes and libraries), copies the jar to $TMP/bytekeep.jar and compiles the client sources into $TMP/client.
build_app() {
    local prefix=$1; shift
    SOURCE=${BENCH_SOURCE:-head}
    mkdir -p "$TMP/app"
    if [[ $SOURCE != worktree ]]; then
        local revision=$([[ $SOURCE == head ]] && echo HEAD || echo "$SOURCE")
        COMMIT=$(git -C "$ROOT" rev-parse --short "$revision^{commit}") || die "BENCH_SOURCE=$SOURCE is no commit"
        git -C "$ROOT" archive "$COMMIT" | tar -x -C "$TMP/app"
        log "${prefix}building $COMMIT in $TMP/app (./mvnw -q -B -o -DskipTests package)"
        if declare -F on_build_failure >/dev/null; then
            (cd "$TMP/app" && ./mvnw -q -B -o -DskipTests package) >"$TMP/build.log" 2>&1 \
                || { tail -n 30 "$TMP/build.log" >&2; on_build_failure; }
        else
            (cd "$TMP/app" && ./mvnw -q -B -o -DskipTests package)
        fi
        JAR=$(ls "$TMP"/app/target/bytekeep-*.jar | grep -v '\.original$' | head -n1)
    else
        COMMIT="$(git -C "$ROOT" rev-parse --short HEAD) + work tree"
        JAR=$(ls "$ROOT"/target/bytekeep-*.jar 2>/dev/null | grep -v '\.original$' | head -n1 || true)
        if [[ -z $JAR ]]; then
            log "building the jar (./mvnw -q -B -o -DskipTests package)"
            (cd "$ROOT" && ./mvnw -q -B -o -DskipTests package)
            JAR=$(ls "$ROOT"/target/bytekeep-*.jar | grep -v '\.original$' | head -n1)
        fi
        cp -r "$ROOT/config" "$ROOT/routes" "$TMP/app/"
    fi
    cp "$JAR" "$TMP/bytekeep.jar"
    mkdir -p "$TMP/lib" "$TMP/client"
    (cd "$TMP/lib" && unzip -q "$TMP/bytekeep.jar" 'BOOT-INF/lib/*' 'BOOT-INF/classes/*')
    CP="$TMP/lib/BOOT-INF/classes:$TMP/lib/BOOT-INF/lib/*"
    if [[ $# -gt 0 ]]; then javac -nowarn -cp "$CP" -d "$TMP/client" "$@"; fi
}

# ------------------------------------------------------------------------------------------------ app
# fresh_database_and_vhost <name>: an empty PostgreSQL database and RabbitMQ virtual host of that name on this
# machine's services (dropped and made again), the virtual host open to guest
fresh_database_and_vhost() {
    psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $1 with (force)" -c "create database $1" >/dev/null
    rabbitmqctl -q delete_vhost "$1" >/dev/null 2>&1 || true
    rabbitmqctl -q add_vhost "$1" >/dev/null
    rabbitmqctl -q set_permissions -p "$1" guest ".*" ".*" ".*" >/dev/null
}

# prod_profile_env <services>: exports the settings of the prod profile on this machine's PostgreSQL database and
# RabbitMQ virtual host <services> and the S3 server on S3_PORT (S3_ACCESS, S3_SECRET), with the test keys of
# src/test/resources; sets PASSWORD (of the API user bytes)
prod_profile_env() {
    local keys=$ROOT/src/test/resources/test-config role
    PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    export SPRING_PROFILES_ACTIVE=prod BYTEKEEP_PASSWORD=$PASSWORD \
        BYTEKEEP_JWT_SECRET=$(head -c 32 /dev/urandom | base64) BYTEKEEP_KEK_B64=$(head -c 32 /dev/urandom | base64) \
        BYTES_DB_URI=postgresql://postgres@127.0.0.1:5432/$1 \
        QUEUE_URI=amqp://guest:guest@127.0.0.1:5672/$1 \
        BYTEKEEP_S3_ENDPOINT=http://127.0.0.1:$S3_PORT BYTEKEEP_S3_ACCESS_KEY=$S3_ACCESS BYTEKEEP_S3_SECRET_KEY=$S3_SECRET \
        BYTEKEEP_S3_CREATE_BUCKETS=true BYTEKEEP_EXPORT_SIGNING_KEY=$keys/export-signing-key.pem \
        BYTEKEEP_CUSTODY_SIGNING_KEY=$keys/custody/custody-signing-key.pem
    for role in root targets snapshot timestamp bins bin; do
        export "BYTEKEEP_TRUST_$(echo "$role" | tr a-z A-Z)_KEY=$keys/trust/$role.pem"
    done
}

check_ports() {   # check_ports <port>...: exits if one is in use
    local p
    for p in "$@"; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is in use; set BENCH_*PORT"; fi
    done
}

# launch_app <gc log> <app log>: java -Xmx$HEAP -jar $TMP/bytekeep.jar in the background (APP_PID), in $TMP/app
launch_app() {
    # config/application.yaml is read from ./config of the working directory: the snapshot's
    # BENCH_JVM_OPTS: further options of the app's JVM (e.g. another collector), said in the results' machine facts
    # shellcheck disable=SC2086
    (cd "$TMP/app" && exec java -Xmx"$HEAP" ${BENCH_JVM_OPTS:-} -Xlog:gc:file="$1" -jar "$TMP/bytekeep.jar" >"$2" 2>&1) &
    APP_PID=$!
}

wait_healthy() {   # wait_healthy <max s>: polls /health every 0.5 s
    for _ in $(seq 1 $(($1 * 2))); do
        if curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then break; fi
        kill -0 "$APP_PID" 2>/dev/null || die "the app died during start-up"
        sleep 0.5
    done
    curl -sf "http://127.0.0.1:$PORT/health" >/dev/null || die "the app is not healthy after $1 s"
}

read_secrets() {   # read_secrets [data dir, $TMP/data]: PASSWORD, S3_ACCESS, S3_SECRET from its generated secrets
    SECRETS=${1:-$TMP/data}/generated-secrets.properties
    PASSWORD=$(prop password "$SECRETS")
    S3_ACCESS=$(prop s3-access-key "$SECRETS")
    S3_SECRET=$(prop s3-secret-key "$SECRETS")
}

# new_boefje_meta <token> [name, bench]: creates a boefje meta of organisation <name> through the API, prints its id
new_boefje_meta() {
    local id name=${2:-bench}
    id=$(cat /proc/sys/kernel/random/uuid)
    curl -sf -o /dev/null -X POST "http://127.0.0.1:$PORT/bytes/boefje_meta" -H "Authorization: Bearer $1" \
        -H 'Content-Type: application/json' \
        -d "{\"id\":\"$id\",\"boefje\":{\"id\":\"$name\",\"version\":\"1\"},\"input_ooi\":\"Hostname|internet|$name.example\",\"arguments\":{},\"organization\":\"$name\",\"started_at\":\"2025-01-01T00:00:00Z\",\"ended_at\":\"2025-01-01T00:00:01Z\",\"runnable_hash\":\"$name\",\"environment\":{}}" \
        || return 1
    echo "$id"
}

token() {
    curl -sf -X POST "http://127.0.0.1:$PORT/token" --data-urlencode username=bytes --data-urlencode "password=$PASSWORD" \
        | sed -E 's/.*"access_token" *: *"([^"]+)".*/\1/'
}

# ------------------------------------------------------------------------------------------------ results, machine
# result_file <name>: OUT=$RESULTS_DIR/<name>-<date>.md (-<HHMM> if that exists), RESULTS_DIR created
result_file() {
    DATE=$(date +%F)
    RESULTS_DIR=${BENCH_RESULTS_DIR:-$BENCH/results}
    mkdir -p "$RESULTS_DIR"
    OUT=$RESULTS_DIR/$1-$DATE.md
    [[ -e $OUT ]] && OUT=$RESULTS_DIR/$1-$DATE-$(date +%H%M).md
    return 0
}

# machine_facts <app line>: the machine section of the results, to $TMP/machine.md
machine_facts() {
    {
        echo "- date: $(date -Is)"
        echo "- nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)"
        echo "- RAM: $(free -h | awk '/^Mem:/{print $2}'); disk of $TMP: $(df -h "$TMP" | awk 'NR==2{print $1" "$2" ("$5" used)"}')"
        echo "- java: $(java -version 2>&1 | sed -n 2p)"
        echo "- app: $1"
        echo "- work tree changes outside bench/ at start (not benchmarked with BENCH_SOURCE=head): $(cd "$ROOT" && git status --porcelain -- . ':!bench' 2>/dev/null | tr '\n' ' ' | cut -c1-300)"
        echo "- other JVMs running at start (not ours): $(pgrep -af java | grep -v "$TMP" | cut -c1-110 | sed 's/$/;/' | tr '\n' ' ' || true)"
    } >"$TMP/machine.md"
}

# gc_since <gc log> <line count before> <label>: "<n> GCs, max <label> <MB> MB, max after GC <MB> MB" of the GCs
# logged after that line (-Xlog:gc); "0 GCs, ..." if there was none (no grep failure under pipefail)
# gc_pauses <gc log> <from line>: the collector's pauses after that line of -Xlog:gc (the young and full ones, and
# G1's remark and cleanup), as "N pauses (F full), X ms in all, longest Y ms"
gc_pauses() {
    tail -n +"$(($2 + 1))" "$1" | { grep -E '\] GC\([0-9]+\) Pause ' || true; } \
        | awk '{ms=$NF; sub(/ms$/, "", ms); ms+=0; n++; t+=ms; if(ms>m)m=ms; if($0 ~ /Pause Full/)f++}
               END{printf "%d pauses (%d full), %.0f ms in all, longest %.1f ms", n, f, t, m}'
}

gc_since() {
    tail -n +"$(($2 + 1))" "$1" | { grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)' || true; } \
        | awk -F'[M>(-]+' -v l="$3" '{n++; if($1>b)b=$1; if($2>a)a=$2} END{printf "%d GCs, max %s %d MB, max after GC %d MB", n, l, b, a}'
}

# async_profiler_lib: prints the path of async-profiler's native library (linux-x86_64), which Maven resolves into the
# local repository once (offline afterwards), or nothing where it cannot be had. Unlike JFR's sampler, it sees samples
# inside intrinsic stubs (SHA, MD5, AES-GCM) and the kernel, which JFR drops: a JFR profile of a large upload showed
# AES-GCM as 85 % of the CPU when it was 2 % (bench/results/vault-2026-12-06-big-warm-up-ab.md).
ASYNC_PROFILER_VERSION=4.1
async_profiler_lib() {
    local jar=$HOME/.m2/repository/tools/profiler/async-profiler/$ASYNC_PROFILER_VERSION/async-profiler-$ASYNC_PROFILER_VERSION-linux-x64.jar
    [[ $(uname -sm) == "Linux x86_64" ]] || return 0
    [[ -f $jar ]] || (cd "$ROOT" && ./mvnw -q -B dependency:get -Dtransitive=false \
        -Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION:jar:linux-x64" >/dev/null 2>&1) || return 0
    [[ -f $jar ]] || return 0
    mkdir -p "$TMP/async-profiler"
    unzip -q -o "$jar" 'linux-x64/libasyncProfiler.so' -d "$TMP/async-profiler" && echo "$TMP/async-profiler/linux-x64/libasyncProfiler.so"
}

# async_profiler <pid> <library> <async-profiler command>: loads the agent into a running JVM with that command (the
# command is quoted once more, as jcmd would otherwise read its "=" as its own argument syntax)
async_profiler() {
    jcmd "$1" JVMTI.agent_load "$2" "\"$3\"" >/dev/null
}
