#!/usr/bin/env bash
# Regenerates src/test/resources/bytes-import/: a Bytes deployment written by OpenKAT Bytes' own code, which the
# import tests (io.bytekeep.conformance.BytesImport*IT) move into Bytekeep. Nothing of Bytekeep writes the fixture:
#   1. an empty PostgreSQL database gets Bytes' schema from Bytes' alembic migrations (`alembic upgrade head`),
#   2. generate.py saves metas and raw files through Bytes' SQLMetaDataRepository into Bytes' file and S3 raw
#      repositories, with IdentityMiddleware and NaclBoxMiddleware (S3: Bytekeep's in-memory S3Proxy, S3Server.java),
#   3. pg_dump --inserts writes the database as bytes.sql.
# Needs: BYTES_SRC = the bytes/ folder of minvws/nl-kat-coordination (cae5e263e was used), a python with Bytes'
# requirements (PYTHON; ../shared/fixtures/bytes/RUNNING-BYTES.md says how), PostgreSQL on 127.0.0.1:5432 (postgres,
# trust) with pg_dump, and the application jar (./mvnw package).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
out=$repo/src/test/resources/bytes-import
: "${BYTES_SRC:?set BYTES_SRC to the bytes/ folder of OpenKAT}"
python=${PYTHON:-python3}
database=bytes_fixture_$$
jar=$(ls "$repo"/target/bytekeep-*.jar | head -n 1)
work=$(mktemp -d)
trap 'exec {s3_in}>&- 2>/dev/null || true; dropdb -h 127.0.0.1 -U postgres --if-exists "$database"; rm -rf "$work"' EXIT

java -Djarmode=tools -jar "$jar" extract --destination "$work/app" >/dev/null
coproc S3 { exec java -cp "$work/app/$(basename "$jar")" "$here/S3Server.java" fixture-access fixture-secret-0123456789; }
exec {s3_in}>&"${S3[1]}"
endpoint=""
while [[ $endpoint != http* ]]; do read -r endpoint <&"${S3[0]}"; done   # after its log lines

createdb -h 127.0.0.1 -U postgres "$database"
rm -rf "$out" && mkdir -p "$out"
export BYTES_DB_URI=postgresql://postgres@127.0.0.1:5432/$database BYTES_DATA_DIR=$out BYTES_SECRET=fixture
export BYTES_USERNAME=fixture BYTES_PASSWORD=fixture QUEUE_URI=amqp://127.0.0.1 BYTES_LOG_CFG=$BYTES_SRC/dev.logging.conf
export AWS_ENDPOINT_URL_S3=$endpoint AWS_ACCESS_KEY_ID=fixture-access AWS_SECRET_ACCESS_KEY=fixture-secret-0123456789
export AWS_DEFAULT_REGION=us-east-1 AWS_REQUEST_CHECKSUM_CALCULATION=when_required
export AWS_RESPONSE_CHECKSUM_VALIDATION=when_required PYTHONPATH=$BYTES_SRC
(cd "$BYTES_SRC" && "$python" -m alembic --config bytes/alembic.ini --raiseerr upgrade head)
(cd "$BYTES_SRC" && "$python" "$here/generate.py" "$out")
# psql's \restrict lines are no SQL; the tests run the dump over JDBC
pg_dump -h 127.0.0.1 -U postgres --inserts --no-owner --no-privileges "$database" | grep -v '^\\' > "$out/bytes.sql"
echo "wrote $out"
