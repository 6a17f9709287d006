package io.bytekeep.platform.bytesenv;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The translation of Bytes' environment variables (bytes/bytes/config.py at cae5e26) to Bytekeep's names. */
class BytesVariablesTest {

    /** bytes/.ci/.env.test, Bytes' own test environment, as it is. */
    static Map<String, String> ciEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("BYTES_SECRET", "3d54f6e4e65723aa678d17d8fd22aba5234136d3e44e5a77305dedaa8ce13f45");
        environment.put("BYTES_ACCESS_TOKEN_EXPIRE_MINUTES", "1000");
        environment.put("BYTES_USERNAME", "test");
        environment.put("BYTES_PASSWORD", "secret");
        environment.put("POSTGRES_USER", "postgres");
        environment.put("POSTGRES_PASSWORD", "postgres");
        environment.put("POSTGRES_DB", "ci_bytes");
        environment.put("QUEUE_URI", "amqp://guest:guest@ci_rabbitmq:5672/%2fkat");
        environment.put("BYTES_DB_URI", "postgresql://postgres:postgres@ci_bytes-db:5432/ci_bytes");
        environment.put("BYTES_LOG_FILE", "/var/log/bytes-test.log");
        environment.put("BYTES_FILE_PERMISSION", "555");
        environment.put("BYTES_METRICS_TTL_SECONDS", "0");
        return environment;
    }

    @Test
    void bytesOwnTestEnvironment() {
        BytesVariables.Translation translation = translate(ciEnvironment());

        assertThat(translation.errors()).isEmpty();
        assertThat(translation.properties()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("BYTEKEEP_JWT_SECRET", "3d54f6e4e65723aa678d17d8fd22aba5234136d3e44e5a77305dedaa8ce13f45"),
                Map.entry("BYTEKEEP_USERNAME", "test"),
                Map.entry("BYTEKEEP_PASSWORD", "secret"),
                Map.entry("BYTEKEEP_TOKEN_TTL", "PT16H40M"),
                Map.entry("BYTEKEEP_DB_URL", "jdbc:postgresql://ci_bytes-db:5432/ci_bytes?currentSchema=bytekeep"),
                Map.entry("BYTEKEEP_DB_USERNAME", "postgres"),
                Map.entry("BYTEKEEP_DB_PASSWORD", "postgres"),
                Map.entry("BYTEKEEP_AMQP_HOST", "ci_rabbitmq"),
                Map.entry("BYTEKEEP_AMQP_PORT", "5672"),
                Map.entry("BYTEKEEP_AMQP_VHOST", "/kat"),
                Map.entry("BYTEKEEP_AMQP_USERNAME", "guest"),
                Map.entry("BYTEKEEP_AMQP_PASSWORD", "guest"),
                Map.entry("BYTEKEEP_EMBEDDED_AMQP_ENABLED", "false"),
                // Bytes' default data directory: BYTES_DB_URI says this is Bytes' environment
                Map.entry("BYTEKEEP_DATA_DIR", "/data"),
                Map.entry("BYTEKEEP_METRICS_TTL", "0s")));
        assertThat(translation.taken()).containsOnlyKeys("BYTES_SECRET", "BYTES_USERNAME", "BYTES_PASSWORD",
                "BYTES_ACCESS_TOKEN_EXPIRE_MINUTES", "BYTES_DB_URI", "QUEUE_URI",
                "BYTES_DATA_DIR (Bytes' default, as BYTES_DB_URI is set)", "BYTES_METRICS_TTL_SECONDS");
        // Bytes' default logging configuration writes to the console only: BYTES_LOG_FILE has no effect there either
        assertThat(translation.notes()).anySatisfy(note -> assertThat(note).startsWith("BYTES_LOG_FILE is not taken"));
        assertThat(translation.warnings()).singleElement().asString().startsWith("BYTES_FILE_PERMISSION=555 is not honoured");
    }

    @Test
    void aBytekeepNameThatIsSetWins() {
        Map<String, String> environment = ciEnvironment();
        BytesVariables.Translation translation = new BytesVariables(environment,
                Set.of("BYTEKEEP_JWT_SECRET", "BYTEKEEP_DB_URL", "BYTEKEEP_AMQP_HOST", "BYTEKEEP_DATA_DIR")::contains,
                path -> true).translate();

        assertThat(translation.errors()).isEmpty();
        // the database comes whole from BYTEKEEP_DB_URL (and _USERNAME/_PASSWORD), never half from BYTES_DB_URI
        assertThat(translation.properties()).doesNotContainKeys("BYTEKEEP_JWT_SECRET", "BYTEKEEP_DB_URL",
                "BYTEKEEP_DB_USERNAME", "BYTEKEEP_DB_PASSWORD", "BYTEKEEP_AMQP_HOST", "BYTEKEEP_AMQP_USERNAME",
                "BYTEKEEP_EMBEDDED_AMQP_ENABLED", "BYTEKEEP_DATA_DIR");
        assertThat(translation.properties()).containsEntry("BYTEKEEP_USERNAME", "test");
        assertThat(translation.overridden()).containsExactly("BYTES_SECRET (BYTEKEEP_JWT_SECRET is set)",
                "BYTES_DB_URI (BYTEKEEP_DB_URL is set)", "QUEUE_URI (BYTEKEEP_AMQP_HOST is set)",
                "BYTES_DATA_DIR (Bytes' default, as BYTES_DB_URI is set) (BYTEKEEP_DATA_DIR is set)");
    }

    @Test
    void deprecatedNamesAsBytesStillReadsThemWithItsWarning() {
        BytesVariables.Translation translation = translate(Map.of(
                "SECRET", "an-old-secret-of-at-least-thirty-two-characters",
                "ACCESS_TOKEN_EXPIRE_MINUTES", "0.5",
                "EXT_HASH_SERVICE", "RFC3161",
                "RFC3161_PROVIDER", "https://freetsa.org/tsr",
                "RFC3161_CERT_FILE", "bytes/timestamping/certificates/freetsa.crt",
                "HASHING_ALGORITHM", "sha224",
                "ENCRYPTION_MIDDLEWARE", "NACL_SEALBOX",
                "KAT_PRIVATE_KEY_B64", "cHJpdmF0ZQ==",
                "VWS_PUBLIC_KEY_B64", "cHVibGlj"));

        assertThat(translation.errors()).isEmpty();
        assertThat(translation.properties()).containsAllEntriesOf(Map.of(
                "BYTEKEEP_JWT_SECRET", "an-old-secret-of-at-least-thirty-two-characters",
                "BYTEKEEP_TOKEN_TTL", "PT30S",
                "BYTEKEEP_HASH_REPOSITORY", "RFC3161",
                "BYTEKEEP_PROOF_MODE", "SINGLE",
                "BYTEKEEP_TSA_URL", "https://freetsa.org/tsr",
                "BYTEKEEP_TSA_CERTIFICATE", "bytes/timestamping/certificates/freetsa.crt",
                "BYTEKEEP_HASHING_ALGORITHM", "SHA224",
                "BYTEKEEP_ENCRYPTION_MIDDLEWARE", "NACL_SEALBOX",
                "BYTEKEEP_PRIVATE_KEY_B64", "cHJpdmF0ZQ==",
                "BYTEKEEP_PUBLIC_KEY_B64", "cHVibGlj"));
        assertThat(translation.warnings()).contains("Deprecation: SECRET is deprecated, use BYTES_SECRET instead",
                "Deprecation: EXT_HASH_SERVICE is deprecated, use BYTES_EXT_HASH_REPOSITORY instead",
                "Deprecation: KAT_PRIVATE_KEY_B64 is deprecated, use BYTES_PRIVATE_KEY_B64 instead",
                "Deprecation: VWS_PUBLIC_KEY_B64 is deprecated, use BYTES_PUBLIC_KEY_B64 instead");
    }

    @Test
    void theCurrentNameWinsOverTheDeprecatedOne() {
        BytesVariables.Translation translation = translate(Map.of("SECRET", "old-old-old-old-old-old-old-old-old",
                "BYTES_SECRET", "new-new-new-new-new-new-new-new-new"));
        assertThat(translation.properties()).containsEntry("BYTEKEEP_JWT_SECRET", "new-new-new-new-new-new-new-new-new");
        assertThat(translation.warnings()).isEmpty();
    }

    @Test
    void namesInAnyCaseAsPydanticSettingsReadsThem() {
        BytesVariables.Translation translation = translate(Map.of("bytes_username", "lower", "Queue_Uri", "amqp://h"));
        assertThat(translation.properties()).containsEntry("BYTEKEEP_USERNAME", "lower").containsEntry("BYTEKEEP_AMQP_HOST", "h");
    }

    @Test
    void anEmptyValueIsNotASetting() {
        BytesVariables.Translation translation = translate(Map.of("BYTES_PASSWORD", "", "BYTES_SECRET", "  "));
        assertThat(translation.properties()).isEmpty();
        assertThat(translation.taken()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"15, PT15M", "15.0, PT15M", "0.5, PT30S", "1e3, PT16H40M", ".25, PT15S", "1000, PT16H40M"})
    void tokenLifetimeInFloatMinutes(String minutes, String duration) {
        assertThat(translate(Map.of("BYTES_ACCESS_TOKEN_EXPIRE_MINUTES", minutes)).properties())
                .containsEntry("BYTEKEEP_TOKEN_TTL", duration);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "abc", "inf", "nan", "1e300", "15m"})
    void aTokenLifetimeThatIsNoPositiveNumberStopsTheStart(String minutes) {
        assertThat(translate(Map.of("BYTES_ACCESS_TOKEN_EXPIRE_MINUTES", minutes)).errors()).singleElement().asString()
                .startsWith("BYTES_ACCESS_TOKEN_EXPIRE_MINUTES must be a positive number of minutes");
    }

    @Test
    void pastebinCannotBeHonoured() {
        BytesVariables.Translation translation = translate(Map.of("BYTES_EXT_HASH_REPOSITORY", "PASTEBIN",
                "BYTES_PASTEBIN_API_DEV_KEY", "key"));
        assertThat(translation.errors()).singleElement().asString()
                .startsWith("BYTES_EXT_HASH_REPOSITORY=PASTEBIN is not supported");
        assertThat(translation.properties()).doesNotContainKey("BYTEKEEP_HASH_REPOSITORY");
    }

    @Test
    void naclSealboxWithoutBothKeysStopsTheStartAsInBytes() {
        assertThat(translate(Map.of("BYTES_ENCRYPTION_MIDDLEWARE", "NACL_SEALBOX", "BYTES_PRIVATE_KEY_B64", "cHJpdmF0ZQ=="))
                .errors()).containsExactly("BYTES_ENCRYPTION_MIDDLEWARE=NACL_SEALBOX requires private and public keys: "
                + "set BYTES_PRIVATE_KEY_B64 and BYTES_PUBLIC_KEY_B64");
        // keys given under Bytekeep's names count
        assertThat(new BytesVariables(Map.of("BYTES_ENCRYPTION_MIDDLEWARE", "NACL_SEALBOX"),
                Set.of("BYTEKEEP_PRIVATE_KEY_B64", "BYTEKEEP_PUBLIC_KEY_B64")::contains, path -> true).translate().errors()).isEmpty();
        // and a middleware chosen under Bytekeep's name is Bytekeep's to check
        assertThat(new BytesVariables(Map.of("BYTES_ENCRYPTION_MIDDLEWARE", "NACL_SEALBOX"),
                Set.of("BYTEKEEP_ENCRYPTION_MIDDLEWARE")::contains, path -> true).translate().errors()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "BYTES_ENCRYPTION_MIDDLEWARE | ENVELOPE | BYTES_ENCRYPTION_MIDDLEWARE must be IDENTITY or NACL_SEALBOX",
            "BYTES_HASHING_ALGORITHM | md5 | BYTES_HASHING_ALGORITHM must be sha512 or sha224",
            "BYTES_EXT_HASH_REPOSITORY | S3 | BYTES_EXT_HASH_REPOSITORY must be IN_MEMORY, PASTEBIN or RFC3161",
            "BYTES_LOGGING_FORMAT | xml | BYTES_LOGGING_FORMAT must be text or json",
            "BYTES_METRICS_TTL_SECONDS | -1 | BYTES_METRICS_TTL_SECONDS must be a whole number of at least 0",
            "BYTES_DB_CONNECTION_POOL_SIZE | 0 | BYTES_DB_CONNECTION_POOL_SIZE must be a whole number of at least 1",
            "QUEUE_URI | redis://h | QUEUE_URI must start with amqp:// or amqps://",
            "QUEUE_URI | amqp://h?heartbeat=x | QUEUE_URI parameter heartbeat must be a whole number of at least 0",
            "BYTES_DB_URI | postgresql://h/db?gssencmode=disable | BYTES_DB_URI has the parameter 'gssencmode'",
            "BYTES_DB_URI | postgresql:///db | BYTES_DB_URI names no host",
    })
    void aValueBytesWouldRefuseStopsTheStartNamingItsVariable(String variable, String value, String message) {
        assertThat(translate(Map.of(variable, value)).errors()).singleElement().asString().startsWith(message);
    }

    @Test
    void errorsNeverQuoteAPassword() {
        BytesVariables.Translation translation = translate(Map.of(
                "BYTES_DB_URI", "postgresql://u:Db-Secret@h/db?bogus=1",
                "QUEUE_URI", "amqp://u:Queue-Secret@h/?bogus=1"));
        assertThat(translation.errors()).hasSize(2).noneMatch(error -> error.contains("Secret"));
    }

    @Test
    void theDataDirectoryMustExistAsInBytes() {
        Map<String, String> environment = Map.of("BYTES_DATA_DIR", "/nowhere");
        assertThat(new BytesVariables(environment, name -> false, Path.of("/elsewhere")::equals).translate().errors())
                .containsExactly("BYTES_DATA_DIR: /nowhere is not a directory (Bytes too needs it to exist)");
        assertThat(new BytesVariables(Map.of("BYTES_DB_URI", "postgresql://h/db"), name -> false, path -> false).translate()
                .errors()).containsExactly("BYTES_DATA_DIR (Bytes' default, as BYTES_DB_URI is set): /data is not a "
                + "directory (Bytes too needs it to exist); set BYTES_DATA_DIR");
        // without BYTES_DB_URI this is not Bytes' environment: Bytekeep's own data directory stays
        assertThat(translate(Map.of("BYTES_USERNAME", "u")).properties()).doesNotContainKey("BYTEKEEP_DATA_DIR");
    }

    @Test
    void bytesS3StorageMovesTheRawFilesToThatS3Service() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("S3_BUCKET_PREFIX", "OpenKAT-");
        environment.put("AWS_ENDPOINT_URL", "http://general:9000");
        environment.put("AWS_ENDPOINT_URL_S3", "http://minio:9000");
        environment.put("AWS_ACCESS_KEY_ID", "access");
        environment.put("AWS_SECRET_ACCESS_KEY", "secret-key");
        environment.put("AWS_DEFAULT_REGION", "eu-west-1");
        BytesVariables.Translation translation = translate(environment);

        assertThat(translation.errors()).isEmpty();
        assertThat(translation.properties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "BYTEKEEP_EMBEDDED_S3_ENABLED", "false",
                "BYTEKEEP_S3_CREATE_BUCKETS", "true",
                "BYTEKEEP_S3_ENDPOINT", "http://minio:9000",
                "BYTEKEEP_S3_ACCESS_KEY", "access",
                "BYTEKEEP_S3_SECRET_KEY", "secret-key",
                "BYTEKEEP_S3_REGION", "eu-west-1"));
        assertThat(translation.notes()).anySatisfy(note -> assertThat(note).contains("Bytekeep leaves them as they are"));
    }

    @Test
    void awsVariablesMeanNothingWhenBytesKeptItsFilesOnDisk() {
        // as in Bytes: boto3 is used only for S3_BUCKET / S3_BUCKET_PREFIX
        assertThat(translate(Map.of("AWS_ACCESS_KEY_ID", "access", "AWS_ENDPOINT_URL", "http://minio:9000")).properties()).isEmpty();
    }

    @Test
    void bytesS3StorageWithoutKeysStopsTheStart() {
        assertThat(translate(Map.of("S3_BUCKET", "openkat")).errors()).singleElement().asString()
                .startsWith("S3_BUCKET is set (Bytes used S3), but not both of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        assertThat(translate(Map.of("S3_BUCKET", "openkat", "AWS_ACCESS_KEY_ID", "access")).errors()).hasSize(1);
    }

    @Test
    void tlsAndHeartbeatOfTheQueue() {
        BytesVariables.Translation translation = translate(Map.of("QUEUE_URI",
                "amqps://kat:p%40ss@rabbit.example/%2F?heartbeat=30&connection_attempts=5"));
        assertThat(translation.properties()).containsAllEntriesOf(Map.of(
                "BYTEKEEP_AMQP_HOST", "rabbit.example",
                "BYTEKEEP_AMQP_PORT", "5671",
                "BYTEKEEP_AMQP_VHOST", "/",
                "BYTEKEEP_AMQP_USERNAME", "kat",
                "BYTEKEEP_AMQP_PASSWORD", "p@ss",
                "spring.rabbitmq.ssl.enabled", "true",
                "spring.rabbitmq.requested-heartbeat", "30s"));
        assertThat(translation.warnings()).containsExactly("QUEUE_URI parameter connection_attempts is not honoured "
                + "(Bytekeep's connection to RabbitMQ is configured under spring.rabbitmq.*)");
    }

    @Test
    void loggingAsTheDebianPackageConfiguresIt() {
        // bytes/packaging/deb/data/usr/lib/kat/bytes.defaults, with JSON logs
        BytesVariables.Translation translation = translate(Map.of(
                "BYTES_LOG_FILE", "/var/log/kat-bytes/bytes.log",
                "BYTES_LOG_CFG", "/etc/kat/bytes.logging.conf",
                "BYTES_LOGGING_FORMAT", "json"));
        assertThat(translation.properties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "logging.file.name", "/var/log/kat-bytes/bytes.log",
                "logging.structured.format.console", "ecs",
                "logging.structured.format.file", "ecs"));
        assertThat(translation.warnings()).singleElement().asString().startsWith("BYTES_LOG_CFG names a Python logging configuration");
    }

    @Test
    void settingsWithoutMeaningInBytekeepAreReportedNotTaken() {
        BytesVariables.Translation translation = translate(Map.of("BYTES_METRICS_CACHE_SIZE", "200",
                "SPAN_EXPORT_GRPC_ENDPOINT", "http://otel:4317", "BYTES_FOLDER_PERMISSION", "740"));
        assertThat(translation.properties()).isEmpty();
        assertThat(translation.notes()).singleElement().asString().startsWith("BYTES_METRICS_CACHE_SIZE has no meaning");
        assertThat(translation.warnings()).hasSize(2);
    }

    private static BytesVariables.Translation translate(Map<String, String> environment) {
        return new BytesVariables(environment, name -> false, path -> true).translate();
    }
}
