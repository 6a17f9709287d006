package io.bytekeep.atrest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;
import io.bytekeep.vault.RawPacker;

import static io.bytekeep.atrest.EncryptionAtRestIT.BUCKET;
import static io.bytekeep.atrest.EncryptionAtRestIT.TEST_KEK;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small file's stored bytes are a range of a pack object: docs/VERIFY.md's commands get them out with the AWS CLI
 * (a ranged get-object, offset and size from the row) and Python's cryptography package opens them (envelope.py).
 */
class PackedStorageIT extends IntegrationTest {

    @Autowired
    EmbeddedS3Server s3Server;

    @Autowired
    BytekeepProperties properties;

    @TempDir
    Path dir;

    @Test
    void theAwsCliReadsAPackedFilesRangeAndAnIndependentImplementationOpensIt() throws Exception {
        ApiClient api = as("bytes");
        UUID job = createBoefjeMeta(api, "org-pack", Instant.parse("2024-02-03T04:05:06Z"));
        // concurrent uploads, so that packs hold several files (how many is up to the timing)
        ExecutorService pool = Executors.newFixedThreadPool(12);
        Map<UUID, byte[]> contents = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> uploads = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                byte[] content = ("file " + i + " of a pack\n").repeat(20 + i).getBytes(StandardCharsets.UTF_8);
                String mime = "pack/" + i;
                uploads.add(pool.submit(() -> {
                    start.await();
                    contents.put(uploadRaw(api, job, "f" + mime, content, mime), content);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> upload : uploads) {
                upload.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }

        // where each file is and what opens it, as docs/VERIFY.md gets it: the admin API, no database shell
        ApiClient.Response unknown = api.get("/admin/raw/" + UUID.randomUUID() + "/storage");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        for (Map.Entry<UUID, byte[]> file : contents.entrySet()) {
            ApiClient.Response facts = api.get("/admin/raw/" + file.getKey() + "/storage");
            assertThat(facts.status()).as(facts.text()).isEqualTo(200);
            JsonNode row = facts.json();
            String key = row.get("key").asText();
            long offset = row.get("offset").asLong();
            long size = row.get("stored_size").asLong();
            assertThat(key).startsWith(RawPacker.PACKS);
            assertThat(row.get("bucket").asText()).isEqualTo(BUCKET);
            assertThat(row.get("encryption").asText()).isEqualTo("ENVELOPE_AES_GCM");
            assertThat(row.get("key_id").asText()).isNotBlank();

            Path stored = dir.resolve(file.getKey() + ".stored");
            run("aws", "--endpoint-url", s3Server.endpoint().toString(), "s3api", "get-object", "--bucket", BUCKET,
                    "--key", key, "--range", "bytes=" + offset + "-" + (offset + size - 1), stored.toString());
            assertThat(Files.size(stored)).isEqualTo(size);

            Path plain = dir.resolve(file.getKey() + ".plain");
            run("python3", "src/test/resources/interop/envelope.py", TEST_KEK, row.get("wrapped_key").asText(),
                    stored.toString(), plain.toString());
            assertThat(Files.readAllBytes(plain)).isEqualTo(file.getValue());
        }
    }

    private void run(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("AWS_ACCESS_KEY_ID", properties.storage().accessKey());
        builder.environment().put("AWS_SECRET_ACCESS_KEY", properties.storage().secretKey());
        builder.environment().put("AWS_DEFAULT_REGION", properties.storage().region());
        // as docs/VERIFY.md says: the embedded S3Proxy does not implement the checksum mode newer AWS CLIs ask for
        builder.environment().put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
        builder.environment().put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
