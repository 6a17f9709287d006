#!/usr/bin/env bash
# Moving from Bytes: how long `bytekeep import-bytes` takes for 10,000 raw files of a Bytes deployment that Bytes'
# own code wrote (bench/import-bytes-seed.py: SQLMetaDataRepository into its FileRawRepository, 1,000 boefje metas,
# 2,500 normalizer metas), into the embedded default (fresh data directory), then a rerun that finds everything
# there. Results: bench/results/import-bytes-<date>.md.
#
# Needs: BYTES_SRC (the bytes/ folder of OpenKAT, cae5e26), PYTHON with Bytes' requirements
# (../shared/fixtures/bytes/RUNNING-BYTES.md), PostgreSQL on 127.0.0.1:5432 (postgres, trust), java, curl, unzip.
# Knobs: BENCH_IMPORT_FILES (10000), BENCH_IMPORT_SIZE (4096 B), BENCH_IMPORT_PER_META (10),
# BENCH_IMPORT_PARALLEL (4), BENCH_IMPORT_MIDDLEWARE (IDENTITY | NACL_SEALBOX), BENCH_HEAP (512m),
# BENCH_PORT (18022), BENCH_S3_PORT (19500), BENCH_AMQP_PORT (15700), BENCH_SOURCE (head|worktree),
# BENCH_QUIET_WAIT (900 s), BENCH_RESULTS_DIR, BENCH_TMPDIR.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
HEAP=${BENCH_HEAP:-512m}
PORT=${BENCH_PORT:-18022}
S3_PORT=${BENCH_S3_PORT:-19500}
AMQP_PORT=${BENCH_AMQP_PORT:-15700}
FILES=${BENCH_IMPORT_FILES:-10000}
SIZE=${BENCH_IMPORT_SIZE:-4096}
PER_META=${BENCH_IMPORT_PER_META:-10}
PARALLEL=${BENCH_IMPORT_PARALLEL:-4}
MIDDLEWARE=${BENCH_IMPORT_MIDDLEWARE:-IDENTITY}
PYTHON=${PYTHON:-python3}
QUIET_WAIT=${BENCH_QUIET_WAIT:-900}
QUIET_PATTERN='surefire|failsafe'
QUIET_RUNNING="a Maven test JVM"
QUIET_STILL="a Maven test JVM"
QUIET_OTHERS="Maven test JVMs"
source "$BENCH/lib.sh"
: "${BYTES_SRC:?set BYTES_SRC to the bytes/ folder of OpenKAT (see the header of this script)}"

bench_init bytekeep-import-bench
DATABASE=bench_import_bytes_$$
stop_helpers() { dropdb -h 127.0.0.1 -U postgres --if-exists "$DATABASE" 2>/dev/null || true; }
check_ports "$PORT" "$S3_PORT" "$AMQP_PORT"
build_app ""

# ---- Bytes: its schema from its alembic migrations, its rows and files from its own code
createdb -h 127.0.0.1 -U postgres "$DATABASE"
mkdir -p "$TMP/bytes-data"
cat >"$TMP/bytes.env" <<EOF
BYTES_DB_URI=postgresql://postgres@127.0.0.1:5432/$DATABASE
BYTES_DATA_DIR=$TMP/bytes-data
BYTES_ENCRYPTION_MIDDLEWARE=$MIDDLEWARE
EOF
if [[ $MIDDLEWARE == NACL_SEALBOX ]]; then
    "$PYTHON" -c 'import base64; from nacl.public import PrivateKey
print("BYTES_PRIVATE_KEY_B64=" + base64.b64encode(bytes(PrivateKey.generate())).decode())
print("BYTES_PUBLIC_KEY_B64=" + base64.b64encode(bytes(PrivateKey.generate().public_key)).decode())' >>"$TMP/bytes.env"
fi
log "seeding $FILES raw files of $SIZE B with Bytes' own code ($MIDDLEWARE)"
(
    set -a; source "$TMP/bytes.env"; set +a
    export BYTES_SECRET=bench BYTES_USERNAME=bench BYTES_PASSWORD=bench QUEUE_URI=amqp://127.0.0.1 \
        BYTES_LOG_CFG=$BYTES_SRC/dev.logging.conf PYTHONPATH=$BYTES_SRC
    cd "$BYTES_SRC"
    "$PYTHON" -m alembic --config bytes/alembic.ini --raiseerr upgrade head >"$TMP/alembic.log" 2>&1
    "$PYTHON" "$BENCH/import-bytes-seed.py" "$FILES" "$SIZE" "$PER_META" 2>"$TMP/seed.log" >/dev/null \
        || { tail -n 20 "$TMP/seed.log" >&2; exit 1; }
)
SEED_LINE=$(tail -n 1 "$TMP/seed.log")
BYTES_DU=$(du -sh "$TMP/bytes-data" | cut -f1)

# ---- Bytekeep: the embedded default, as a person starts it
export BYTEKEEP_DATA_DIR=$TMP/data BYTEKEEP_PORT=$PORT BYTEKEEP_EMBEDDED_S3_PORT=$S3_PORT \
    BYTEKEEP_EMBEDDED_S3_EXPORTS_PORT=$((S3_PORT + 1)) BYTEKEEP_EMBEDDED_AMQP_PORT=$AMQP_PORT \
    BYTEKEEP_ROUTES_DIR=$TMP/app/routes BYTEKEEP_TRUST_ENABLED=false
log "starting the app (embedded default) on $PORT"
launch_app "$TMP/gc.log" "$TMP/app.log"
wait_healthy 180
read_secrets
machine_facts "embedded default, -Xmx$HEAP, $COMMIT ($SOURCE)"

CLI=(env BYTEKEEP_JAR="$TMP/bytekeep.jar" BYTEKEEP_JAVA_OPTS="-Xmx256m" BYTEKEEP_CACHE_DIR="$TMP/cli-cache" "$ROOT/bin/bytekeep")
CONF=$TMP/cli
# the first call extracts the jar and records the CDS archive of bin/bytekeep, outside the timed runs
"${CLI[@]}" login --server "http://127.0.0.1:$PORT" --user bytes --password "$PASSWORD" --config-dir "$CONF" >/dev/null

now() { date +%s.%N; }
run_import() {   # run_import <name>: times one import, its summary to $TMP/<name>.json, CPU of the app and of the CLI
    local t0 t1 app0 app1
    sync
    app0=$(cpu_of "$APP_PID")
    t0=$(now)
    "${CLI[@]}" import-bytes --bytes-env "$TMP/bytes.env" --work-dir "$TMP/work" --parallel "$PARALLEL" --config-dir "$CONF" \
        --json >"$TMP/$1.json" 2>"$TMP/$1.err" &
    local cli=$!
    local cli_cpu=0
    # bin/bytekeep execs java: the pid is the CLI's JVM; its CPU as last seen (at most 0.1 s before it ended)
    while kill -0 "$cli" 2>/dev/null; do
        cli_cpu=$(cpu_of "$cli" 2>/dev/null || echo "$cli_cpu")
        sleep 0.1
    done
    wait "$cli" || die "import-bytes failed: $(cat "$TMP/$1.err") $(cat "$TMP/$1.json")"
    t1=$(now)
    app1=$(cpu_of "$APP_PID")
    SECONDS_TAKEN=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b - a}')
    APP_CPU=$(awk -v a="$app0" -v b="$app1" 'BEGIN{printf "%.1f", (b - a) / 100}')
    CLI_CPU=$(awk -v c="$cli_cpu" 'BEGIN{printf "%.1f", c / 100}')
}
field() { sed -E "s/.*\"$2\":\\{[^}]*\"$3\":([0-9]+).*/\\1/" "$TMP/$1.json"; }

wait_quiet "the import"
log "import-bytes ($FILES files, --parallel $PARALLEL)"
run_import first
FIRST_S=$SECONDS_TAKEN FIRST_APP=$APP_CPU FIRST_CLI=$CLI_CPU
CREATED=$(field first raw_file created)
[[ $CREATED == "$FILES" ]] || die "expected $FILES raw files created, the summary says $(cat "$TMP/first.json")"
log "rerun (everything present)"
run_import rerun
PRESENT=$(field rerun raw_file present)
[[ $PRESENT == "$FILES" ]] || die "expected $FILES raw files present on the rerun, the summary says $(cat "$TMP/rerun.json")"

result_file import-bytes
MB=$(awk -v f="$FILES" -v s="$SIZE" 'BEGIN{printf "%.1f", f * s / 1048576}')
{
    echo "# import-bytes: $FILES Bytes raw files into the embedded default ($DATE)"
    echo
    echo "## Machine"
    cat "$TMP/machine.md"
    echo
    echo "## Bytes deployment"
    echo "- written by Bytes' own code (bench/import-bytes-seed.py, OpenKAT bytes/ at $(git -C "$BYTES_SRC" rev-parse --short HEAD 2>/dev/null || echo "$BYTES_SRC")): $SEED_LINE"
    echo "- $FILES raw files of $SIZE B ($MB MiB; $BYTES_DU on disk), $((FILES / PER_META)) boefje metas, $(( (FILES + 3) / 4 )) normalizer metas, middleware $MIDDLEWARE, file repository, PostgreSQL on the same machine"
    echo
    echo "## Results"
    echo "| run | wall s | raw files/s | MiB/s | CPU s app (incl. H2, S3Proxy) | CPU s CLI |"
    echo "|---|---|---|---|---|---|"
    echo "| import (--parallel $PARALLEL) | $FIRST_S | $(awk -v f="$FILES" -v s="$FIRST_S" 'BEGIN{printf "%.0f", f / s}') | $(awk -v m="$MB" -v s="$FIRST_S" 'BEGIN{printf "%.2f", m / s}') | $FIRST_APP | $FIRST_CLI |"
    echo "| rerun, all present | $SECONDS_TAKEN | $(awk -v f="$FILES" -v s="$SECONDS_TAKEN" 'BEGIN{printf "%.0f", f / s}') | - | $APP_CPU | $CLI_CPU |"
    echo
    echo "Every file was read from Bytes' data directory, hashed again by the server against its secure_hash,"
    echo "encrypted with the embedded default's ENVELOPE_AES_GCM and written to its S3Proxy; the rerun asks the server"
    echo "which files it has (500 per call) and reads no file. Wall time includes the CLI's JVM start (bin/bytekeep, CDS archive warm)."
    echo
    echo "Summary of the import: \`$(cat "$TMP/first.json" | sed -E 's/"problems":\[\],//')\`"
    if ((${#CONTENTION_NOTES[@]})); then
        echo
        echo "## Contention"
        printf -- '- %s\n' "${CONTENTION_NOTES[@]}"
    fi
} >"$OUT"
log "wrote $OUT"
