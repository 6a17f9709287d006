package io.bytekeep.vault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** routes/vault-orphan-sweep.camel.yaml: raw objects without a row go, once old enough; everything else stays. */
class RawOrphanSweeperIT extends IntegrationTest {

    private static final String BUCKET = "bytekeep-test-raw";

    @Autowired
    S3Client s3;

    @Autowired
    CamelContext camel;

    /** Objects of earlier tests stay in the bucket while their rows are truncated: they would be orphans too. */
    @org.junit.jupiter.api.BeforeEach
    void emptyRawBucket() {
        s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents()
                .forEach(object -> s3.deleteObject(b -> b.bucket(BUCKET).key(object.key())));
    }

    @Test
    void objectsWithoutARowAreDeletedOnceOldEnough() {
        ApiClient api = as("alice");
        UUID stored = uploadRaw(api, createBoefjeMeta(api, "org-a", Instant.parse("2026-03-01T10:00:00Z")), "f", "kept".getBytes(), "text/plain");
        String orphan = "raw/org-a/" + UUID.randomUUID();
        String notARawKey = "raw/org-a/notes.txt";
        String custody = "custody/org-a/" + UUID.randomUUID() + "/input.cms";
        for (String key : List.of(orphan, notARawKey, custody)) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("x"));
        }

        // too young: nothing is touched
        assertThat(new RawOrphanSweeper(s3, jdbc, BUCKET, Duration.ofMinutes(15), Clock.systemUTC()).sweep()).isZero();
        // old enough (the clock a minute ahead): only the orphan goes
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1));
        assertThat(new RawOrphanSweeper(s3, jdbc, BUCKET, Duration.ofSeconds(30), later).sweep()).isEqualTo(1);

        List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).toList();
        assertThat(keys).doesNotContain(orphan).contains(notARawKey, custody, "raw/org-a/" + stored);
        assertThat(api.get("/bytes/raw/" + stored).text()).isEqualTo("kept");
        assertThat(camel.getRouteController().getRouteStatus("raw-orphan-sweep").isStarted()).isTrue();
    }
}
