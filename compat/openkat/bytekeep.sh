# Sourced by run-bytes-tests.sh and run-clients.sh: starts Bytekeep from its packaged jar, as an operator runs it, in
# one of two modes, configured with the server side of OpenKAT Bytes' test environment (bytes/.ci/.env.test), and
# stops everything it started when the calling script exits.
#   embedded  the embedded default: H2, S3Proxy and Qpid Broker-J inside Bytekeep, on ports of their own
#   prod      the prod profile: this machine's PostgreSQL (database bytekeep_openkat) and RabbitMQ (vhost
#             bytekeep_openkat), and an S3 endpoint in a process of its own (S3Server.java: the prod-profile tests' S3)
#   bytes     not Bytekeep: OpenKAT's real Bytes from the checkout (uvicorn, its alembic schema in database
#             bytes_openkat_ref, RabbitMQ vhost bytes_openkat_ref), to check that the harness itself expects what
#             Bytes does: every test and call passes against it
# After bk_start: BYTEKEEP_URL, BYTEKEEP_QUEUE_URI, and BYTEKEEP_RESET_PG_DSN or BYTEKEEP_RESET_H2_URL/BYTEKEEP_H2_JAR
# (how a test empties the Vault). Ports: OPENKAT_COMPAT_PORT_BASE (default 18700) + fixed offsets.

bk_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bk_root=$(cd "$bk_here/../.." && pwd)
bk_work=${OPENKAT_WORK:-$bk_root/target/openkat}
bk_pids=()

bk_log() { echo "[openkat-compat] $*" >&2; }

bk_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The application jar, rebuilt when a source is newer (the main engineer changes Bytekeep while these run).
bk_jar() {
  local jar
  jar=$(ls "$bk_root"/target/bytekeep-*.jar 2>/dev/null | head -n 1 || true)
  if [ -z "$jar" ] || [ -n "$(find "$bk_root/src/main" "$bk_root/processors" "$bk_root/pom.xml" -newer "$jar" -print -quit)" ]; then
    bk_log "building the application jar (./mvnw -B -q -DskipTests package)"
    (cd "$bk_root" && ./mvnw -B -q -o -DskipTests package >&2) || (cd "$bk_root" && ./mvnw -B -q -DskipTests package >&2)
    jar=$(ls "$bk_root"/target/bytekeep-*.jar | head -n 1)
  fi
  echo "$jar"
}

# The jar extracted (a plain jar with lib/), for the H2 shell and the S3 server of the prod mode.
bk_extracted() { # jar
  local app=$bk_work/app
  if [ ! -f "$app/.complete" ] || [ "$1" -nt "$app/.complete" ]; then
    rm -rf "$app"
    java -Djarmode=tools -jar "$1" extract --destination "$app" >/dev/null
    touch "$app/.complete"
  fi
  echo "$app"
}

# A value of OpenKAT Bytes' test environment file.
bk_env_test() { # name
  grep -E "^$1=" "$(cat "$bk_work/checkout")/bytes/.ci/.env.test" | head -n 1 | cut -d= -f2-
}

bk_wait_healthy() { # pid, url, log
  local i
  for i in $(seq 1 360); do
    if ! kill -0 "$1" 2>/dev/null; then
      bk_log "Bytekeep died at start-up; the end of $3:"; tail -n 40 "$3" >&2; return 1
    fi
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$2/health")" = 200 ] && return 0
    sleep 0.5
  done
  bk_log "Bytekeep did not become healthy in 180 s (see $3)"; return 1
}

bk_stop() {
  local pid
  for pid in "${bk_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${bk_pids[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  done
  bk_pids=()
}

bk_start() { # mode
  local mode=$1 base=${OPENKAT_COMPAT_PORT_BASE:-18700}
  local jar app run port s3_port amqp_port
  local -a ports
  run=$bk_work/run-$mode
  rm -rf "$run"
  mkdir -p "$run"
  trap bk_stop EXIT
  if [ "$mode" = bytes ]; then
    bk_start_bytes "$run" "$((base + 202))"
    return
  fi
  jar=$(bk_jar)
  app=$(bk_extracted "$jar")
  cp -r "$bk_root/config" "$bk_root/routes" "$run/"

  # Bytes' own env file, as an operator who swaps the container keeps it (docs/API.md "Bytes' environment
  # variables"), except the two that name Bytes' CI containers: BYTES_DB_URI and QUEUE_URI point at this machine's
  # PostgreSQL and RabbitMQ in the prod mode and are left out in the embedded one
  local -a env=("BYTEKEEP_DATA_DIR=$run/data")
  local name value
  while IFS='=' read -r name value; do
    case "$name" in ''|'#'*|BYTES_DB_URI|QUEUE_URI) continue ;; esac
    env+=("$name=$value")
  done <"$(cat "$bk_work/checkout")/bytes/.ci/.env.test"
  case "$mode" in
    embedded)
      port=$((base + 2)); s3_port=$((base + 80)); amqp_port=$((base + 60))
      ports=("$port" "$s3_port" "$((base + 81))" "$amqp_port")
      local h2_url="jdbc:h2:file:$run/data/db/bytekeep;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE"
      env+=(
        "BYTEKEEP_EMBEDDED_S3_PORT=$s3_port" "BYTEKEEP_EMBEDDED_S3_EXPORTS_PORT=$((base + 81))"
        "BYTEKEEP_EMBEDDED_AMQP_PORT=$amqp_port"
        # config/application.yaml's URL with AUTO_SERVER (a second process may open the file over TCP: the tests'
        # reset), without DB_CLOSE_ON_EXIT=FALSE, which H2 refuses together with it
        "SPRING_DATASOURCE_URL=$h2_url"
      )
      export BYTEKEEP_RESET_H2_URL=$h2_url BYTEKEEP_H2_JAR
      BYTEKEEP_H2_JAR=$(ls "$app"/lib/h2-*.jar | head -n 1)
      unset BYTEKEEP_RESET_PG_DSN
      export BYTEKEEP_QUEUE_URI="amqp://guest:guest@127.0.0.1:$amqp_port/%2F"
      ;;
    prod)
      port=$((base + 102)); s3_port=$((base + 180))
      ports=("$port")
      local db=bytekeep_openkat vhost=bytekeep_openkat
      psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $db with (force)" -c "create database $db" >/dev/null
      rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
      rabbitmqctl -q add_vhost "$vhost" >/dev/null
      rabbitmqctl -q set_permissions -p "$vhost" guest ".*" ".*" ".*" >/dev/null
      bk_listening "$s3_port" && { bk_log "port $s3_port is taken (set OPENKAT_COMPAT_PORT_BASE)"; return 1; }
      java -cp "$app/$(basename "$jar")" "$bk_here/S3Server.java" "$s3_port" openkat-access openkat-secret-0123456789 \
        >"$run/s3.log" 2>&1 &
      bk_pids+=($!)
      local kek
      kek=$(head -c 32 /dev/urandom | base64)
      local keys=$bk_root/src/test/resources/test-config
      env+=(
        "SPRING_PROFILES_ACTIVE=prod"
        "BYTES_DB_URI=postgresql://postgres@127.0.0.1:5432/$db" "QUEUE_URI=amqp://guest:guest@127.0.0.1:5672/$vhost"
        "BYTEKEEP_S3_ENDPOINT=http://127.0.0.1:$s3_port" "BYTEKEEP_S3_ACCESS_KEY=openkat-access"
        "BYTEKEEP_S3_SECRET_KEY=openkat-secret-0123456789" "BYTEKEEP_S3_CREATE_BUCKETS=true"
        "BYTEKEEP_KEK_B64=$kek"
        "BYTEKEEP_EXPORT_BUCKET=bytekeep-openkat-exports" "BYTEKEEP_EXPORT_SIGNING_KEY=$keys/export-signing-key.pem"
        "BYTEKEEP_CUSTODY_SIGNING_KEY=$keys/custody/custody-signing-key.pem"
      )
      local role
      for role in root targets snapshot timestamp bins bin; do
        env+=("BYTEKEEP_TRUST_$(echo "$role" | tr a-z A-Z)_KEY=$keys/trust/$role.pem")
      done
      # with BYTES_DB_URI, Bytekeep's tables are in the schema bytekeep
      export BYTEKEEP_RESET_PG_DSN="host=127.0.0.1 user=postgres dbname=$db options=-csearch_path=bytekeep"
      unset BYTEKEEP_RESET_H2_URL BYTEKEEP_H2_JAR
      export BYTEKEEP_QUEUE_URI="amqp://guest:guest@127.0.0.1:5672/$vhost"
      # the S3 endpoint first: Bytekeep creates its buckets at start-up
      for _ in $(seq 1 120); do bk_listening "$s3_port" && break; sleep 0.5; done
      bk_listening "$s3_port" || { bk_log "the S3 server did not start (see $run/s3.log)"; return 1; }
      ;;
    *) bk_log "mode must be embedded, prod or bytes, not '$mode'"; return 2 ;;
  esac
  local taken
  for taken in "${ports[@]}"; do
    bk_listening "$taken" && { bk_log "port $taken is taken (set OPENKAT_COMPAT_PORT_BASE)"; return 1; }
  done
  env+=("BYTEKEEP_PORT=$port")
  export BYTEKEEP_URL="http://127.0.0.1:$port"
  bk_log "starting Bytekeep ($mode) on $BYTEKEEP_URL, log $run/bytekeep.log"
  (cd "$run" && exec env "${env[@]}" java -Xmx512m -jar "$jar" >"$run/bytekeep.log" 2>&1) &
  bk_pids+=($!)
  bk_wait_healthy "${bk_pids[-1]}" "$BYTEKEEP_URL" "$run/bytekeep.log"
}

# The reference: OpenKAT's Bytes itself, configured by its .ci/.env.test with this machine's services.
bk_start_bytes() { # run directory, port
  local run=$1 port=$2 db=bytes_openkat_ref vhost=bytes_openkat_ref
  local bytes
  bytes=$(cat "$bk_work/checkout")/bytes
  bk_listening "$port" && { bk_log "port $port is taken (set OPENKAT_COMPAT_PORT_BASE)"; return 1; }
  psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $db with (force)" -c "create database $db" >/dev/null
  rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
  rabbitmqctl -q add_vhost "$vhost" >/dev/null
  rabbitmqctl -q set_permissions -p "$vhost" guest ".*" ".*" ".*" >/dev/null
  mkdir -p "$run/data"
  export BYTEKEEP_QUEUE_URI="amqp://guest:guest@127.0.0.1:5672/$vhost"
  local -a env=(
    "BYTES_DB_URI=postgresql://postgres@127.0.0.1:5432/$db" "QUEUE_URI=$BYTEKEEP_QUEUE_URI"
    "BYTES_DATA_DIR=$run/data" "BYTES_LOG_FILE=$run/bytes.log"
  )
  (cd "$bytes" && set -a && . .ci/.env.test && set +a && env "${env[@]}" "$bk_work/venv-bytes/bin/python" -m alembic \
    --config bytes/alembic.ini upgrade head) >"$run/alembic.log" 2>&1 || { bk_log "alembic failed (see $run/alembic.log)"; return 1; }
  (cd "$bytes" && set -a && . .ci/.env.test && set +a && exec env "${env[@]}" PYTHONPATH="$bk_here" "$bk_work/venv-bytes/bin/python" -m uvicorn \
    bytes_reference:app --host 127.0.0.1 --port "$port") >"$run/bytekeep.log" 2>&1 &
  bk_pids+=($!)
  export BYTEKEEP_URL="http://127.0.0.1:$port"
  export BYTEKEEP_RESET_PG_DSN="host=127.0.0.1 user=postgres dbname=$db" BYTEKEEP_RESET_TABLES="normalizer_meta,raw_file,boefje_meta"
  unset BYTEKEEP_RESET_H2_URL BYTEKEEP_H2_JAR
  bk_log "starting OpenKAT Bytes (the reference) on $BYTEKEEP_URL, log $run/bytekeep.log"
  bk_wait_healthy "${bk_pids[-1]}" "$BYTEKEEP_URL" "$run/bytekeep.log"
}
