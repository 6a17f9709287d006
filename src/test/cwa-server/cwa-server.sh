# Functions to build and run cwa-server's distribution service from its public source on this machine, sourced by
# src/test/cwa-server/record-vector.sh and bench/vs-cwa-distribution.sh. Nothing of cwa-server is committed: it is
# checked out from a git directory (the session's `fetch github:corona-warn-app/cwa-server`, or a clone) into a temp
# work tree and built with Maven Central.

CWA_DEFAULT_COMMIT=c61d55f

# cwa_build <cwa-server git dir or work tree> <commit> <work dir>: checks out what the build and a run need into
# <work dir>/cwa-server and builds the distribution service; sets CWA_COMMIT (full id), CWA_HOME and CWA_JAR.
cwa_build() {
    local source=$1 commit=$2 work=$3 git_dir=$1
    [[ -d $source/.git ]] && git_dir=$source/.git
    CWA_COMMIT=$(git --git-dir="$git_dir" rev-parse "$commit^{commit}")
    CWA_HOME=$work/cwa-server
    mkdir -p "$CWA_HOME"
    # only what the build and the run need (a mirror may lack large files elsewhere in the tree)
    git --git-dir="$git_dir" archive "$CWA_COMMIT" .mvn pom.xml common services setup docker-compose-test-secrets \
        | tar -x -C "$CWA_HOME"
    (cd "$CWA_HOME" && mvn -B -q -DskipTests -Dcheckstyle.skip -Djacoco.skip=true -Dmaven.javadoc.skip \
        -pl services/distribution -am install)
    CWA_JAR=$(ls "$CWA_HOME"/services/distribution/target/distribution-*.jar | head -n 1)
}

# cwa_database <name>: a fresh PostgreSQL database with cwa-server's roles (its own setup-roles.sql; roles are
# cluster-wide, so on a second call they exist already, which it reports and this ignores)
cwa_database() {
    psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $1 with (force)" -c "create database $1" >/dev/null
    sed "s/DATABASE cwa /DATABASE $1 /g" "$CWA_HOME/setup/setup-roles.sql" \
        | psql -q -h 127.0.0.1 -U postgres -d "$1" >/dev/null 2>&1 || true
}

# cwa_run <database> <S3 port> <log file> [VAR=value...]: one run of the distribution service (it migrates its
# schema, assembles into services/distribution/out, uploads to bucket cwa of the S3 endpoint and exits), with
# cwa-server's local set-up (docker-compose.yml: profiles signature-dev, disable-ssl-client-postgres, local-json-stats,
# its test signing key) as the postgres user. Runs from its module directory, as cwa-server's developers do (its
# settings name ../../docker-compose-test-secrets). Further VAR=value pairs override its settings. Never fails: the
# caller checks what it wrote.
cwa_run() {
    local database=$1 s3_port=$2 log=$3
    shift 3
    (cd "$CWA_HOME/services/distribution" && env \
        SPRING_PROFILES_ACTIVE=signature-dev,disable-ssl-client-postgres,local-json-stats \
        POSTGRESQL_DATABASE="$database" \
        POSTGRESQL_USER_FLYWAY=postgres POSTGRESQL_PASSWORD_FLYWAY=postgres \
        POSTGRESQL_USER_DISTRIBUTION=postgres POSTGRESQL_PASSWORD_DISTRIBUTION=postgres \
        VAULT_FILESIGNING_SECRET="file:$CWA_HOME/docker-compose-test-secrets/private.pem" \
        STATISTICS_FILE_ACCESS_KEY_ID=fakeAccessKey STATISTICS_FILE_SECRET_ACCESS_KEY=secretKey \
        STATISTICS_FILE_S3_ENDPOINT=https://localhost \
        CWA_OBJECTSTORE_ENDPOINT=http://127.0.0.1 CWA_OBJECTSTORE_PORT="$s3_port" \
        CWA_OBJECTSTORE_ACCESSKEY=accessKey1 CWA_OBJECTSTORE_SECRETKEY=verySecretKey1 \
        "$@" java ${CWA_JVM_OPTS:-} -jar "$CWA_JAR" >"$log" 2>&1) || true
}

# cwa_output: the directory a run assembled its files in
cwa_output() {
    echo "$CWA_HOME/services/distribution/out"
}
