package io.bytekeep.platform.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.bytekeep.support.ProdEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A process killed while the embedded S3 API writes an object leaves jclouds' temporary file {@code <key>-<uuid>},
 * which clients would list as an object; the next start removes it, and nothing else.
 */
class InterruptedWritesTest {

    @TempDir
    Path data;

    @Test
    void theNextStartRemovesTemporaryFilesOfInterruptedWritesAndKeepsObjects() throws Exception {
        String raw = "raw/org-a/" + UUID.randomUUID();
        String document = "documents/" + UUID.randomUUID();
        String custody = "custody/org-a/" + UUID.randomUUID() + "/input.cms";
        EmbeddedS3Server server = new EmbeddedS3Server(data, 0, "access", "secret-0123456789");
        server.start();
        try (S3Client s3 = ProdEnvironment.s3Client(server.endpoint(), "access", "secret-0123456789")) {
            s3.createBucket(b -> b.bucket("bucket"));
            for (String key : new String[] {raw, document, custody}) {
                s3.putObject(b -> b.bucket("bucket").key(key), RequestBody.fromString("kept"));
            }
        }
        server.stop();
        Path leftover = data.resolve("bucket").resolve(raw + "-" + UUID.randomUUID());
        Path leftoverOfCustody = data.resolve("bucket").resolve(custody + "-" + UUID.randomUUID());
        for (Path file : new Path[] {leftover, leftoverOfCustody}) {
            Files.writeString(file, "half an object");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
        }

        server.start();
        try (S3Client s3 = ProdEnvironment.s3Client(server.endpoint(), "access", "secret-0123456789")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.notExists(leftover) && Files.notExists(leftoverOfCustody));
            assertThat(s3.listObjectsV2Paginator(b -> b.bucket("bucket")).contents().stream().map(S3Object::key)
                    .filter(key -> !key.endsWith("/"))).containsExactlyInAnyOrder(raw, document, custody);
        } finally {
            server.stop();
        }
    }
}
