#!/usr/bin/env bash
# A/B on the upload path, of one JVM setting or of two commits: bench/vault-load.sh small, interleaved rounds.
# A = BENCH_A_SOURCE (default head: the committed HEAD), B = BENCH_B_SOURCE (default: A's) with BENCH_B_OPTS (JVM
# options, e.g. -Dmanagement.tracing.enabled=false). Each run is a full vault-load small (32 connections,
# BYTEKEEP_EDGE_INPROGRESS_UPLOAD=32, BYTEKEEP_EDGE_LATENCYTARGET=0), its own result file under
# $OUT_DIR/<round>-<a|b>/; then a summary with uploads/s and p99 per run, the B/A ratio per round and its median.
#   BENCH_B_OPTS=-Dmanagement.tracing.enabled=false BENCH_AB_NAME=tracing bench/setting-ab.sh [rounds, 2]
#   BENCH_A_SOURCE=cfbf2b4 BENCH_B_SOURCE=head BENCH_AB_NAME=refactor bench/setting-ab.sh 2
#   bench/setting-ab.sh summarize <out dir>     (the summary of runs already made)
# The machine is shared and noisy: compare the ratio of one round, never absolute numbers across runs or machines.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NAME=${BENCH_AB_NAME:-setting}
summarize() {   # summarize <out dir>: writes <out dir>/summary.md
    local dir=$1 ratios=() rounds
    rounds=$(ls "$dir" | sed -n 's/^\([0-9]*\)-a$/\1/p' | sort -n)
    {
        echo "| round | A uploads/s | A p99 ms | B uploads/s | B p99 ms | B / A uploads/s |"
        echo "|---|---|---|---|---|---|"
        for r in $rounds; do
            local a b ra rb
            a=$(grep -h '^| Vault POST' "$dir/$r-a"/*.md | head -n1); b=$(grep -h '^| Vault POST' "$dir/$r-b"/*.md | head -n1)
            ra=$(echo "$a" | awk -F'|' '{gsub(/ /,"",$3); print $3}'); rb=$(echo "$b" | awk -F'|' '{gsub(/ /,"",$3); print $3}')
            local ratio; ratio=$(awk -v a="$ra" -v b="$rb" 'BEGIN{printf "%.3f", b/a}')
            ratios+=("$ratio")
            echo "| $r | $ra | $(echo "$a" | awk -F'|' '{gsub(/ /,"",$5); print $5}') | $rb | $(echo "$b" | awk -F'|' '{gsub(/ /,"",$5); print $5}') | $ratio |"
        done
        echo
        echo "median B / A: **$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}')**"
    } > "$dir/summary.md"
    cat "$dir/summary.md"
}
if [[ ${1:-} == summarize ]]; then summarize "$2"; exit 0; fi
ROUNDS=${1:-2}
OUT_DIR=${BENCH_AB_DIR:-$ROOT/bench/out/ab-$NAME-$(date +%Y%m%d-%H%M)}
mkdir -p "$OUT_DIR"
for round in $(seq 1 "$ROUNDS"); do
    for variant in a b; do
        opts="" source=${BENCH_A_SOURCE:-head}
        if [[ $variant == b ]]; then
            opts=${BENCH_B_OPTS:-} source=${BENCH_B_SOURCE:-$source}
            [[ -n $opts || $source != "${BENCH_A_SOURCE:-head}" ]] || { echo "set BENCH_B_OPTS or BENCH_B_SOURCE" >&2; exit 2; }
        fi
        BYTEKEEP_EDGE_INPROGRESS_UPLOAD=32 BYTEKEEP_EDGE_LATENCYTARGET=0 BENCH_RESULTS_DIR="$OUT_DIR/$round-$variant" \
            BENCH_PROFILE=${BENCH_PROFILE:-0} BENCH_JVM_OPTS="$opts" BENCH_SOURCE="$source" "$ROOT/bench/vault-load.sh" small \
            > "$OUT_DIR/$round-$variant.log" 2>&1
    done
done
summarize "$OUT_DIR"
