package io.bytekeep.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.bytekeep.client.ClientException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bytes' settings as import-bytes reads them: names, defaults and choices of bytes/bytes/config.py at cae5e26. */
class BytesSettingsTest {

    @TempDir
    Path dir;

    @Test
    void bytesDbUriBecomesJdbcWithItsUserAndDecodedPassword() throws Exception {
        BytesSettings.Jdbc jdbc = BytesSettings.jdbc("postgresql://bytes:p%40ss+w%3Ard@db.example:6432/bytes?sslmode=require");

        assertThat(jdbc.url()).isEqualTo("jdbc:postgresql://db.example:6432/bytes?sslmode=require");
        assertThat(jdbc.user()).isEqualTo("bytes");
        assertThat(jdbc.password()).isEqualTo("p@ss+w:rd");
        assertThat(jdbc.toString()).doesNotContain("p@ss");
        assertThat(BytesSettings.jdbc("postgresql+psycopg2://u@h/d").url()).isEqualTo("jdbc:postgresql://h/d");
        for (String bad : List.of("mysql://u@h/d", "postgresql://h", "postgresql:///d", "not a uri")) {
            assertThatThrownBy(() -> BytesSettings.jdbc(bad)).isInstanceOf(ClientException.class);
        }
    }

    @Test
    void theFileRepositoryUnlessAnS3BucketIsSetAsBytesChooses() throws Exception {
        BytesSettings files = resolve(Map.of(), Map.of("BYTES_DB_URI", "postgresql://u@h/d"));
        assertThat(files.s3()).isNull();
        assertThat(files.dataDir()).isEqualTo(Path.of("/data"));
        assertThat(files.schema()).isEqualTo("public");
        assertThat(files.middleware()).isEqualTo("IDENTITY");

        BytesSettings perOrg = resolve(Map.of(), Map.of("BYTES_DB_URI", "postgresql://u@h/d", "S3_BUCKET_PREFIX", "kat-"));
        assertThat(perOrg.s3().bucketOf("org-a")).isEqualTo("kat-org-a");
        assertThat(perOrg.s3().keyOf("org-a", "id")).isEqualTo("id");

        BytesSettings oneBucket = resolve(Map.of(), Map.of("BYTES_DB_URI", "postgresql://u@h/d", "S3_BUCKET", "raw",
                "BUCKET_PER_ORG", "false", "AWS_ENDPOINT_URL", "http://minio:9000", "AWS_DEFAULT_REGION", "eu-west-1"));
        assertThat(oneBucket.s3().bucketOf("org-a")).isEqualTo("raw");
        assertThat(oneBucket.s3().keyOf("org-a", "id")).isEqualTo("org-a/id");
        assertThat(oneBucket.s3().endpoint()).isEqualTo(URI.create("http://minio:9000"));
        assertThat(oneBucket.s3().region()).isEqualTo("eu-west-1");

        // Bytes' defaults when only the other of the two is set: prefix OpenKAT-, bucket OpenKAT
        BytesSettings defaults = resolve(Map.of(), Map.of("BYTES_DB_URI", "postgresql://u@h/d", "S3_BUCKET", "x"));
        assertThat(defaults.s3().bucketOf("org-a")).isEqualTo("OpenKAT-org-a");
    }

    @Test
    void optionsOverTheEnvFileOverTheEnvironmentWithBytesDeprecatedNamesAndAnyCase() throws Exception {
        Path env = dir.resolve("bytes.env");
        Files.write(env, List.of("# Bytes", "export BYTES_DB_URI=\"postgresql://file@h/d\"", "bytes_data_dir='/srv/bytes'",
                "ENCRYPTION_MIDDLEWARE=NACL_SEALBOX", "KAT_PRIVATE_KEY_B64=cHJpdmF0ZQ==", "VWS_PUBLIC_KEY_B64=cHVibGlj", "EMPTY="));
        Map<String, String> options = new HashMap<>();
        options.put("BYTES_DATA_DIR", "/mnt/bytes");
        options.put("S3_BUCKET", null);

        BytesSettings settings = BytesSettings.resolve(options, env, Map.of("BYTES_DB_URI", "postgresql://environment@h/d",
                "BYTES_DATA_DIR", "/environment"));

        assertThat(settings.dbUri().user()).isEqualTo("file");
        assertThat(settings.dataDir()).isEqualTo(Path.of("/mnt/bytes"));
        assertThat(settings.middleware()).isEqualTo("NACL_SEALBOX");
        assertThat(settings.privateKeyB64()).isEqualTo("cHJpdmF0ZQ==");
        assertThat(settings.publicKeyB64()).isEqualTo("cHVibGlj");
        assertThat(settings.s3()).isNull();
    }

    @Test
    void settingsBytesWouldRefuseAreRefused() {
        assertThatThrownBy(() -> resolve(Map.of(), Map.of())).hasMessageContaining("BYTES_DB_URI");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("BYTES_DB_URI", "postgresql://u@h/d",
                "BYTES_ENCRYPTION_MIDDLEWARE", "NACL_SEALBOX"))).hasMessageContaining("BYTES_PRIVATE_KEY_B64");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("BYTES_DB_URI", "postgresql://u@h/d",
                "BYTES_ENCRYPTION_MIDDLEWARE", "ROT13"))).hasMessageContaining("IDENTITY or NACL_SEALBOX");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("BYTES_DB_URI", "postgresql://u@h/d", "S3_BUCKET", "b",
                "BUCKET_PER_ORG", "maybe"))).hasMessageContaining("BUCKET_PER_ORG");
        assertThatThrownBy(() -> resolve(Map.of("BYTES_DB_SCHEMA", "public; drop table raw_file"),
                Map.of("BYTES_DB_URI", "postgresql://u@h/d"))).hasMessageContaining("identifier");
    }

    @Test
    void theFileRepositoryPathIsBytesAndStaysInsideTheDataDirectory() throws IOException {
        BytesStorage.FileRepository files = new BytesStorage.FileRepository(dir);
        java.util.UUID id = java.util.UUID.fromString("360083fc-bd3e-410d-9e26-1a620e4676f2");

        assertThat(files.location("org-a", id)).isEqualTo(dir.toAbsolutePath().resolve("org-a/360/" + id).toString());
        assertThat(files.open("org-a", id)).isNull();
        assertThatThrownBy(() -> files.open("../..", id)).isInstanceOf(IllegalArgumentException.class);
    }

    private static BytesSettings resolve(Map<String, String> options, Map<String, String> environment) throws ClientException {
        return BytesSettings.resolve(options, null, environment);
    }
}
