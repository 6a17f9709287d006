#!/usr/bin/env bash
# Benchmark of the TUF metadata (issue 7's bench point), see bench/README.md: a repository of 100,000 targets with
# 32, 256 and 16,384 bins (hash-bin delegation as python-tuf's example), built from scratch, then 1,000 targets
# added incrementally (only the affected bins, snapshot and timestamp re-signed). In-process, no S3 and no database:
# it times the metadata work (hashing, canonical JSON, signing) that a publication adds to a distribution run.
# Writes bench/results/tuf-<date>.md. Target: an increment of 1,000 targets < 1 s at 100,000 targets.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
source "$BENCH/lib.sh"

TARGETS=${BENCH_TUF_TARGETS:-100000}
INCREMENT=${BENCH_TUF_INCREMENT:-1000}
ROUNDS=${BENCH_TUF_ROUNDS:-5}
BINS=${BENCH_TUF_BINS:-"32 256 16384"}
HEAP=${BENCH_HEAP:-1g}
TARGET_MS=1000

TMP=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/bytekeep-tuf.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

cd "$ROOT"
log "compiling (offline) and resolving the classpath"
./mvnw -q -B -o compile
./mvnw -q -B -o dependency:build-classpath -Dmdep.outputFile="$TMP/cp.txt" >/dev/null
CP="$ROOT/target/classes:$(cat "$TMP/cp.txt")"
javac -cp "$CP" -d "$TMP" "$BENCH/client/TufBench.java"

log "running: $TARGETS targets, +$INCREMENT x $ROUNDS, bins: $BINS (-Xmx$HEAP)"
START=$(date +%s)
# shellcheck disable=SC2086
java -Xmx"$HEAP" -cp "$TMP:$CP" TufBench "$TARGETS" "$INCREMENT" "$ROUNDS" $BINS | tee "$TMP/table.md"
ELAPSED=$(( $(date +%s) - START ))

OUT="$BENCH/results/tuf-$(date -u +%Y-%m-%d).md"
[[ -e $OUT ]] && OUT="$BENCH/results/tuf-$(date -u +%Y-%m-%d-%H%M).md"
WORST=$(awk -F'|' 'NR>2 { split($6, a, "/"); gsub(/ /, "", a[2]); if (a[2] + 0 > m) m = a[2] + 0 } END { print m + 0 }' "$TMP/table.md")
VERDICT="met"; (( WORST < TARGET_MS )) || VERDICT="NOT met"
{
    echo "# TUF metadata benchmark, $(date -u '+%Y-%m-%d %H:%M') UTC"
    echo
    echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GiB RAM;"
    echo "JDK: $(java -version 2>&1 | head -n1); heap -Xmx$HEAP. Commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- processors bench || echo ' + uncommitted changes'). Load at start: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared with other agents' builds and tests)."
    echo
    echo "bench/tuf-bench.sh: in-process TrustRepository with an in-memory store (no S3, no database); keys Ed25519 for"
    echo "root/targets/snapshot/timestamp, ECDSA P-256 for bins and the bin roles (as the seed). Build = plan + sign +"
    echo "commit of every role for $TARGETS targets. Increment = $INCREMENT new targets, $ROUNDS rounds each way:"
    echo "*change set* = plan(upserts) (only the bins of the new paths, snapshot and timestamp are signed); *complete set*"
    echo "= planAll(all targets), what the trust-publish route does after a distribution run (it diffs the whole tree"
    echo "against the repository; the same roles are signed). Times include canonical JSON, SHA-256 and signatures."
    echo
    cat "$TMP/table.md"
    echo
    echo "Target (increment of $INCREMENT at $TARGETS targets < 1 s, worst of both ways and all bin counts): **$VERDICT** (worst ${WORST} ms). Total wall time ${ELAPSED} s."
} >"$OUT"
log "wrote $OUT"
