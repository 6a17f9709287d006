#!/usr/bin/env bash
# Records the conformance vector of CwaServerVectorTest: what cwa-server's own distribution publishes for a fixed key
# set, so Bytekeep's export.bin can be compared with it byte for byte. Runs cwa-server from its public source:
#
#   fetch github:corona-warn-app/cwa-server (the session tool) or clone it, then
#   src/test/cwa-server/record-vector.sh <cwa-server git dir or work tree> [commit]
#
# Needs the machine's PostgreSQL (database cwa_vector is made and dropped) and Maven Central (cwa-server's build).
# Steps: check out the commit (default c61d55f, the one Bytekeep was compared with) into a temp work tree and build its
# distribution service; create cwa-server's roles and schema (its own setup-roles.sql and Flyway migrations, run by
# its distribution service on an empty database); insert the keys of vector_keys.py for the current hour; run the
# distribution service once more with cwa-server's local set-up profiles (docker-compose.yml: signature-dev,
# disable-ssl-client-postgres, local-json-stats; SUPPORTED_COUNTRIES DE,FR) and its test signing key; copy every
# diagnosis-key archive's export.bin from its output directory into src/test/resources/cwa-server-vector/.
# cwa-server needs its object store at start: Bytekeep's own S3 server (S3Proxy in memory, compat/openkat/S3Server.java,
# run from target/classes: build Bytekeep first) on port 19530, bucket cwa.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
SOURCE=${1:?usage: record-vector.sh <cwa-server git dir or work tree> [commit]}
COMMIT=${2:-}
VECTOR=$ROOT/src/test/resources/cwa-server-vector
# cwa-server accepts key paths of letters, digits, "_" and "-" only: no dots in the temp dir
WORK=$(mktemp -d /tmp/cwa_vector_XXXXXX)
DB=cwa_vector
S3_PORT=${CWA_VECTOR_S3_PORT:-19530}
S3_PID=""
trap '[[ -z $S3_PID ]] || kill $S3_PID; [[ -n ${CWA_VECTOR_KEEP:-} ]] || rm -rf "$WORK"; psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $DB" >/dev/null 2>&1 || true' EXIT

source "$ROOT/src/test/cwa-server/cwa-server.sh"
cwa_build "$SOURCE" "${COMMIT:-$CWA_DEFAULT_COMMIT}" "$WORK"
echo "cwa-server $CWA_COMMIT in $CWA_HOME"

CP=$(cd "$ROOT" && ./mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout):$ROOT/target/classes
java -cp "$CP" "$ROOT/compat/openkat/S3Server.java" "$S3_PORT" accessKey1 verySecretKey1 >"$WORK/s3.log" 2>&1 &
S3_PID=$!
for _ in $(seq 1 120); do (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null && break; sleep 0.5; done
AWS_ACCESS_KEY_ID=accessKey1 AWS_SECRET_ACCESS_KEY=verySecretKey1 AWS_DEFAULT_REGION=us-east-1 \
    aws --endpoint-url "http://127.0.0.1:$S3_PORT" s3 mb s3://cwa >/dev/null

cwa_database $DB

echo "cwa-server's schema (its Flyway migrations, run by an empty distribution run)"
cwa_run $DB "$S3_PORT" "$WORK/empty.log"
psql -q -h 127.0.0.1 -U postgres -d $DB -c 'select 1 from diagnosis_key limit 1' >/dev/null

RUN_HOUR=$(( $(date +%s) / 3600 ))
python3 "$ROOT/src/test/cwa-server/vector_keys.py" "$RUN_HOUR" "$WORK"
psql -q -h 127.0.0.1 -U postgres -d $DB -f "$WORK/keys.sql" >/dev/null

echo "the run"
cwa_run $DB "$S3_PORT" "$WORK/out.log" SUPPORTED_COUNTRIES=DE,FR
if [[ $(( $(date +%s) / 3600 )) != "$RUN_HOUR" ]]; then
    echo "the hour changed during the run; record again" >&2
    exit 1
fi
OUT=$(cwa_output)
KEYS_DIR=$OUT/version/v1/diagnosis-keys/country
if [[ ! -d $KEYS_DIR ]]; then
    echo "cwa-server wrote no diagnosis keys; the causes in its log:" >&2
    grep -E ' (ERROR|WARN) ' "$WORK/out.log" | grep -o -E 'nested exception is [^\\]*' | sort -u | head -n 5 >&2
    exit 1
fi

rm -rf "$VECTOR"
mkdir -p "$VECTOR"
cp "$WORK/keys.csv" "$VECTOR/keys.csv"
# each archive is a zip at <object key>/index (cwa-server writes an object key that is also a prefix as a directory's
# index file); export-bins.txt: one line per archive, its object key and its export.bin in base64
find "$KEYS_DIR" -name index -type f | sort | while IFS= read -r file; do
    unzip -l "$file" export.bin >/dev/null 2>&1 || continue
    key=${file#"$OUT/"}
    echo "${key%/index} $(unzip -p "$file" export.bin | base64 -w 0)"
done >"$VECTOR/export-bins.txt"
count=$(wc -l <"$VECTOR/export-bins.txt")
# the configuration documents (their export.bin: the protobuf message), same format
for key in version/v1/configuration/country/DE/app_config version/v2/app_config_android version/v2/app_config_ios; do
    echo "$key $(unzip -p "$OUT/$key" export.bin | base64 -w 0)"
done >"$VECTOR/configuration-bins.txt"
{
    echo "# cwa-server's distribution ($CWA_COMMIT) for keys.csv, recorded by src/test/cwa-server/record-vector.sh"
    echo "cwa-server.commit=$CWA_COMMIT"
    echo "run.hour=$RUN_HOUR"
    echo "supported-countries=DE,FR"
    echo "app-bundle-id=de.rki.coronawarnapp-dev"
    echo "archives=$count"
} >"$VECTOR/vector.properties"
echo "recorded $count archives into $VECTOR"
