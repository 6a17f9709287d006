#!/usr/bin/env bash
# Shared documents: throughput of `bytekeep upload` / `bytekeep download` (client-side AES-256-GCM, presigned
# multipart PUTs, decrypt + SHA-256 check) of one file against the embedded S3 server, compared in the same run
# with `aws s3 cp` of the same plain file to and from the same S3 server (no encryption). Target: the CLI reaches
# at least 80 % of aws-cli's throughput. Results: bench/results/sharing-<date>.md.
#
# Knobs: BENCH_SHARING_MB (2048), BENCH_HEAP (512m), BENCH_PORT (18012), BENCH_S3_PORT (19490),
# BENCH_AMQP_PORT (15690), BENCH_SOURCE (head|worktree, see bench/README.md), BENCH_QUIET_WAIT (900 s),
# BENCH_RESULTS_DIR, BENCH_TMPDIR. Needs java, curl, unzip, dd, sha256sum, aws (aws-cli 1.x).
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
HEAP=${BENCH_HEAP:-512m}
PORT=${BENCH_PORT:-18012}
S3_PORT=${BENCH_S3_PORT:-19490}
AMQP_PORT=${BENCH_AMQP_PORT:-15690}
MB=${BENCH_SHARING_MB:-2048}
QUIET_WAIT=${BENCH_QUIET_WAIT:-900}
QUIET_PATTERN='surefire|failsafe'
QUIET_RUNNING="a Maven test JVM"
QUIET_STILL="a Maven test JVM"
QUIET_OTHERS="Maven test JVMs"
source "$BENCH/lib.sh"

command -v aws >/dev/null || die "aws-cli is needed for the comparison"
bench_init bytekeep-sharing-bench
check_ports "$PORT" "$S3_PORT" "$AMQP_PORT"
build_app ""

export BYTEKEEP_DATA_DIR=$TMP/data BYTEKEEP_PORT=$PORT BYTEKEEP_EMBEDDED_S3_PORT=$S3_PORT \
    BYTEKEEP_EMBEDDED_S3_EXPORTS_PORT=$((S3_PORT + 1)) BYTEKEEP_EMBEDDED_AMQP_PORT=$AMQP_PORT \
    BYTEKEEP_ROUTES_DIR=$TMP/app/routes BYTEKEEP_TRUST_ENABLED=false
log "starting the app (embedded default) on $PORT, S3 on $S3_PORT"
launch_app "$TMP/gc.log" "$TMP/app.log"
wait_healthy 180
read_secrets
machine_facts "embedded default, -Xmx$HEAP, $COMMIT ($SOURCE)"

log "writing $MB MiB of random bytes"
dd if=/dev/urandom of="$TMP/plain.bin" bs=1M count="$MB" status=none
PLAIN_SHA=$(sha256sum "$TMP/plain.bin" | cut -d' ' -f1)
BYTES=$((MB * 1024 * 1024))

# the first call (login) extracts the jar and records the CDS archive of bin/bytekeep, outside the timed transfers
CLI=(env BYTEKEEP_JAR="$TMP/bytekeep.jar" BYTEKEEP_JAVA_OPTS="-Xmx512m" BYTEKEEP_CACHE_DIR="$TMP/cli-cache" "$ROOT/bin/bytekeep")
CONF=$TMP/cli
"${CLI[@]}" login --server "http://127.0.0.1:$PORT" --user bytes --password "$PASSWORD" --config-dir "$CONF" >/dev/null
"${CLI[@]}" keys init --config-dir "$CONF" >/dev/null

export AWS_ACCESS_KEY_ID=$S3_ACCESS AWS_SECRET_ACCESS_KEY=$S3_SECRET AWS_DEFAULT_REGION=us-east-1 \
    AWS_RESPONSE_CHECKSUM_VALIDATION=when_required AWS_REQUEST_CHECKSUM_CALCULATION=when_required
AWS=(aws --endpoint-url "http://127.0.0.1:$S3_PORT" s3)

now() { date +%s.%N; }
rate() { awk -v b="$BYTES" -v s="$1" 'BEGIN{printf "%.1f", b / 1048576 / s}'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b - a}'; }

wait_quiet "the transfers"
# Every timed transfer starts after `sync`, so none pays for the write-back of the files before it; the downloads
# alternate (aws, CLI, aws, CLI) and the table gives each run and the mean.
timed() { sync; local t0 t1; t0=$(now); "$@"; t1=$(now); secs "$t0" "$t1"; }
log "aws s3 cp upload"
AWS_UP=$(timed "${AWS[@]}" cp --only-show-errors "$TMP/plain.bin" s3://bytekeep-documents/bench/plain.bin)
log "bytekeep upload"
CLI_UP=$(timed sh -c '"$@" >"$0"' "$TMP/upload.json" "${CLI[@]}" upload "$TMP/plain.bin" --organization bench --config-dir "$CONF" --json)
ID=$(sed -E 's/.*"id":"([^"]+)".*/\1/' "$TMP/upload.json")
AWS_DOWNS=()
CLI_DOWNS=()
for round in 1 2; do
    log "aws s3 cp download ($round)"
    rm -f "$TMP/aws-copy.bin"
    AWS_DOWNS+=("$(timed "${AWS[@]}" cp --only-show-errors s3://bytekeep-documents/bench/plain.bin "$TMP/aws-copy.bin")")
    [[ $(sha256sum "$TMP/aws-copy.bin" | cut -d' ' -f1) == "$PLAIN_SHA" ]] || die "aws-cli's copy differs"
    rm -f "$TMP/aws-copy.bin"
    log "bytekeep download ($round)"
    rm -f "$TMP/cli-copy.bin"
    CLI_DOWNS+=("$(timed sh -c '"$@" >/dev/null' - "${CLI[@]}" download "$ID" -o "$TMP/cli-copy.bin" --config-dir "$CONF" --json)")
    [[ $(sha256sum "$TMP/cli-copy.bin" | cut -d' ' -f1) == "$PLAIN_SHA" ]] || die "the CLI's copy differs"
    rm -f "$TMP/cli-copy.bin"
done
mean() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", (a + b) / 2}'; }
AWS_DOWN=$(mean "${AWS_DOWNS[@]}")
CLI_DOWN=$(mean "${CLI_DOWNS[@]}")

UP_PCT=$(awk -v a="$AWS_UP" -v c="$CLI_UP" 'BEGIN{printf "%.0f", 100 * a / c}')
DOWN_PCT=$(awk -v a="$AWS_DOWN" -v c="$CLI_DOWN" 'BEGIN{printf "%.0f", 100 * a / c}')
verdict() { (( $1 >= 80 )) && echo "met" || echo "NOT met"; }

result_file sharing
{
    echo "# Shared documents: CLI vs aws s3 cp, $MB MiB, $(date -Is)"
    echo
    echo "## Machine"
    cat "$TMP/machine.md"
    for note in "${CONTENTION_NOTES[@]}"; do echo "- $note"; done
    echo
    echo "## Transfers (same plain file, same embedded S3Proxy, filesystem backend, sequential, each after sync, wall clock incl. JVM start of the CLI)"
    echo
    echo "| Transfer | seconds | MiB/s | CLI vs aws-cli |"
    echo "|---|---|---|---|"
    echo "| aws s3 cp upload (plain, aws-cli $(aws --version 2>&1 | cut -d' ' -f1 | cut -d/ -f2), 8 MiB parts, 10 threads) | $AWS_UP | $(rate "$AWS_UP") | |"
    echo "| bytekeep upload (SHA-256 pass + encrypt + presigned multipart, 16 MB parts, 4 in flight) | $CLI_UP | $(rate "$CLI_UP") | $UP_PCT % (target 80 %: $(verdict "$UP_PCT")) |"
    for round in 0 1; do
        echo "| aws s3 cp download (plain), run $((round + 1)) | ${AWS_DOWNS[$round]} | $(rate "${AWS_DOWNS[$round]}") | |"
        echo "| bytekeep download (presigned ranged GETs, decrypt, SHA-256 check, write), run $((round + 1)) | ${CLI_DOWNS[$round]} | $(rate "${CLI_DOWNS[$round]}") | |"
    done
    echo "| aws s3 cp download, mean | $AWS_DOWN | $(rate "$AWS_DOWN") | |"
    echo "| bytekeep download, mean | $CLI_DOWN | $(rate "$CLI_DOWN") | $DOWN_PCT % (target 80 %: $(verdict "$DOWN_PCT")) |"
    echo
    echo "Every copy was compared with sha256sum against the original ($PLAIN_SHA)."
} >"$OUT"
log "results: $OUT"
cat "$OUT"
