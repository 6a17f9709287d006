#!/usr/bin/env bash
# Merkle batching benchmark (issue 5): 100,000 queued hashes timestamped as one batch with ONE call to a real RFC 3161
# TSA in the same process (BouncyCastle, LocalTimestampAuthority). bench/merkle/MerkleBatchBench.java times, in
# memory, the tree build, all inclusion proofs and the TSA call, then the app's MerkleBatcher end to end on a database
# (H2 file database as in the embedded default; PostgreSQL too if BENCH_PG_URL is set, e.g.
# 'jdbc:postgresql://127.0.0.1:5432/bytekeep_test_proof?currentSchema=bench_merkle|postgres|' - url|user|password;
# the schema is cleaned and migrated). Then checks a sample proof the way docs/VERIFY.md tells an auditor to:
# docs/verify-proof.py and openssl ts -verify. Writes bench/results/merkle-<date>.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
QUIET_WAIT=${BENCH_QUIET_WAIT:-900}
N=${BENCH_LEAVES:-100000}
HEAP=${BENCH_HEAP:-1g}
source "$BENCH/lib.sh"

bench_init bytekeep-merkle
result_file merkle
build_app "" "$BENCH/merkle/MerkleBatchBench.java"
machine_facts "$(basename "$JAR") ($COMMIT), harness java -Xmx$HEAP"
mkdir -p "$TMP/out"

DATABASES=("H2 (embedded default, file database)=jdbc:h2:file:$TMP/db/bench;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH")
if [[ -n ${BENCH_PG_URL:-} ]]; then DATABASES+=("PostgreSQL=$BENCH_PG_URL"); fi

log "timestamping $N hashes as one Merkle batch"
java -Xmx"$HEAP" -cp "$TMP/client:$CP" MerkleBatchBench "$N" "$TMP/out" "${DATABASES[@]}" >"$TMP/bench.log" 2>&1 \
    || { tail -n 30 "$TMP/bench.log" >&2; die "the harness failed"; }

log "checking the sample proof with docs/verify-proof.py and openssl"
FOLD=$(python3 "$ROOT/docs/verify-proof.py" "$TMP/out/proof.json" --raw "$TMP/out/raw.bin" --out "$TMP/out/check" 2>&1) \
    || die "verify-proof.py rejected the sample proof: $FOLD"
OPENSSL=$(openssl ts -verify -token_in -in "$TMP/out/check/token.tsr" -data "$TMP/out/check/timestamped.bin" \
    -CAfile "$TMP/out/tsa-ca.pem" 2>&1) || die "openssl rejected the sample token: $OPENSSL"
DIGEST=$(openssl ts -verify -token_in -in "$TMP/out/check/token.tsr" \
    -digest "$(openssl dgst -sha256 -r "$TMP/out/check/timestamped.bin" | cut -d' ' -f1)" -CAfile "$TMP/out/tsa-ca.pem" 2>&1) \
    || die "openssl -digest rejected the sample token: $DIGEST"
TOKEN_TEXT=$(openssl ts -reply -token_in -in "$TMP/out/check/token.tsr" -text 2>&1 | grep -E 'Hash Algorithm|Time stamp|Nonce|TSA:' | sed 's/^/    /')

{
    echo "# Merkle batching: $N hashes, one TSA call ($(date -Is))"
    echo
    echo "## Machine"
    echo
    cat "$TMP/machine.md"
    echo "- load average at the end (4 agents share this machine): $(cut -d" " -f1-3 /proc/loadavg)"
    echo "- TSA: in the harness's JVM (BouncyCastle, ECDSA P-256, HTTP on 127.0.0.1), so the TSA call time is the"
    echo "  protocol and crypto cost without network; a public TSA adds its round trip (typically 0.1-1 s) once per batch."
    echo
    cat "$TMP/out/bench.md"
    echo
    echo "## The sample proof, checked as docs/VERIFY.md says"
    echo
    echo '```'
    echo "\$ python3 docs/verify-proof.py proof.json --raw raw.bin --out check"
    echo "$FOLD" | grep -v '^now:'
    echo "\$ openssl ts -verify -token_in -in check/token.tsr -data check/timestamped.bin -CAfile tsa-ca.pem"
    echo "$OPENSSL"
    echo "\$ openssl ts -verify -token_in -in check/token.tsr -digest <sha256 of the root bytes> -CAfile tsa-ca.pem"
    echo "$DIGEST"
    echo "\$ openssl ts -reply -token_in -in check/token.tsr -text | grep ..."
    echo "$TOKEN_TEXT"
    echo '```'
    echo
    echo "Run: \`bench/merkle-batch.sh\` (knobs: BENCH_LEAVES, BENCH_HEAP, BENCH_PG_URL, BENCH_SOURCE)."
} >"$OUT"
log "results: $OUT"
