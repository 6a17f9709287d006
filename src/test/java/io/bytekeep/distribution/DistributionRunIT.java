package io.bytekeep.distribution;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.platform.storage.StorageConfiguration;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * routes/distribution-run.camel.yaml against PostgreSQL, RabbitMQ and the embedded exports S3 API: the tree in the
 * export bucket, verified with protoc and openssl; a re-run uploads nothing; an outage fails the run after the
 * retries and the threshold, reported on the failure queue, and a later run completes the tree.
 */
class DistributionRunIT extends IntegrationTest {

    private static final String BUCKET = "bytekeep-test-exports";
    private static final String FAILURE_QUEUE = "bytekeep_test_distribution_failed";
    private static final String KEY_FILE = "src/test/resources/test-config/export-signing-key.pem";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ProducerTemplate producer;

    @Autowired
    @Qualifier("exportS3Client")
    S3Client exports;

    @Autowired
    @Qualifier("embeddedS3ExportsServer")
    EmbeddedS3Server exportsServer;

    @Autowired
    DiagnosisKeyStore store;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    MeterRegistry meters;

    @TempDir
    Path dir;

    /** Two hours of the day before yesterday, 6 keys each (the test profile's shifting threshold is 5). */
    private final LocalDate date = LocalDate.now(java.time.ZoneOffset.UTC).minusDays(2);
    private final long five = DistributionTimeSlots.firstHourOf(date) + 5;

    @BeforeEach
    void emptyDistribution() {
        jdbc.execute("truncate table diagnosis_key");
        jdbc.execute("delete from distribution_published");
        rabbitAdmin.purgeQueue(FAILURE_QUEUE, false);
        exportsServer.start();
        StorageConfiguration.createIfMissing(exports, BUCKET);
        listing().forEach(key -> exports.deleteObject(b -> b.bucket(BUCKET).key(key)));
    }

    @AfterEach
    void exportsServerRuns() {
        exportsServer.start();
    }

    @Test
    void runPublishesTheSignedTreeAndAReRunUploadsNothing() throws Exception {
        storeKeys();

        Map<String, Object> first = run();
        // 6 key archives and 5 configuration files; 7 listings of keys and 1 of configuration
        assertThat(first).containsEntry("status", "completed").containsEntry("archives", 11)
                .containsEntry("indexes", 8).containsEntry("uploaded", 19).containsEntry("skipped", 0);
        assertThat(listing()).containsExactlyInAnyOrderElementsOf(expectedTree());

        String hourly = "version/v1/diagnosis-keys/country/DE/date/" + date + "/hour/5";
        ResponseBytes<GetObjectResponse> archive = exports.getObjectAsBytes(b -> b.bucket(BUCKET).key(hourly));
        assertThat(archive.response().cacheControl()).isEqualTo("public,max-age=300");
        assertThat(archive.response().contentType()).isEqualTo("application/zip");
        assertThat(archive.response().metadata()).containsEntry("sha256",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive.asByteArray())));
        Map<String, byte[]> entries = new ArchiveSignatureCheck(Path.of(KEY_FILE), dir).assertPublished(hourly, archive);
        byte[] bin = entries.get("export.bin");

        ExternalTool.Outcome decoded = ExternalTool.run(Arrays.copyOfRange(bin, 16, bin.length), ExternalTool.protoc(),
                "--proto_path=src/main/proto", "--decode=bytekeep.export.TemporaryExposureKeyExport", "export.proto");
        assertThat(decoded.exitCode()).as("protoc --decode failed: %s", decoded.stderr()).isZero();
        assertThat(decoded.stdout()).contains("region: \"DE\"").contains("batch_num: 1");
        assertThat(decoded.stdout().split("key_data:", -1)).hasSize(7);

        Map<String, Object> second = run();
        assertThat(second).containsEntry("status", "completed").containsEntry("uploaded", 0)
                .containsEntry("skipped", 19);
    }

    @Test
    void anOutageFailsTheRunWithoutIndexesAndALaterRunCompletesTheTree() throws Exception {
        storeKeys();
        double failuresBefore = failures();
        exportsServer.stop();

        Map<String, Object> failed = run();
        assertThat(failed).containsEntry("status", "failed").containsEntry("type", "DistributionFailed")
                .containsEntry("uploaded", 0);
        // 2 retries per failed operation; the run stops starting files at 3 failed operations. Up to 3 more archives
        // may be under way on the other threads: they retry too, and either fail or find the upload stopped (not
        // attempted). The 8 index files are never attempted.
        int failedOperations = (Integer) failed.get("failedOperations");
        assertThat(failedOperations).as(failed.toString()).isBetween(3, 6);
        assertThat((Integer) failed.get("retries")).as(failed.toString()).isBetween(2 * failedOperations, 2 * 6);
        assertThat((Integer) failed.get("notAttempted")).as(failed.toString()).isEqualTo(19 - failedOperations);
        assertThat(failures()).isEqualTo(failuresBefore + 1);

        List<JsonNode> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Message message = rabbit.receive(FAILURE_QUEUE);
            if (message != null) {
                events.add(JSON.readTree(message.getBody()));
            }
            return !events.isEmpty();
        });
        assertThat(events.get(0).get("type").asText()).isEqualTo("DistributionFailed");
        assertThat(events.get(0).get("failedOperations").asInt()).isEqualTo(failed.get("failedOperations"));

        exportsServer.start();
        StorageConfiguration.createIfMissing(exports, BUCKET);
        assertThat(listing()).as("nothing, and so no index, was uploaded in the failed run").isEmpty();

        Map<String, Object> later = run();
        assertThat(later).containsEntry("status", "completed");
        assertThat(listing()).containsExactlyInAnyOrderElementsOf(expectedTree());
    }

    /**
     * A run whose inputs are those of the last completed run (same keys in the window, same hour, settings and
     * documents) and whose tree is still in the bucket loads, builds and uploads nothing; any change of them, and a
     * tree gone from the bucket, makes the next run a full one again.
     */
    @Test
    void aRunWithTheInputsOfTheLastCompletedRunBuildsNothing() {
        long hour = DistributionTimeSlots.hourOf(Instant.now());
        storeKeys();
        Map<String, Object> first = run();
        assertThat(phases(first)).containsKeys("archives", "upload");

        Map<String, Object> same = run();
        assertThat(same).containsEntry("status", "completed").containsEntry("archives", 11).containsEntry("indexes", 8)
                .containsEntry("uploaded", 0).containsEntry("skipped", 19).containsEntry("keys", 12);
        assertThat(phases(same)).containsKey("check").doesNotContainKeys("archives", "upload");

        // one key more, submitted in this hour: not published before the hour is over, yet the window changed
        store.storeNew(new Submission(TestKeys.keys(500, 1, hour), true));
        Map<String, Object> oneMore = run();
        assertThat(oneMore).containsEntry("status", "completed").containsEntry("keys", 13).containsEntry("uploaded", 0);
        assertThat(phases(oneMore)).containsKeys("archives");
        assertThat(phases(run())).doesNotContainKey("archives");

        // the tree's central index deleted from the bucket: the next run builds and puts it again
        exports.deleteObject(b -> b.bucket(BUCKET).key("version/v1/diagnosis-keys/index.txt"));
        Map<String, Object> afterLoss = run();
        assertThat(phases(afterLoss)).containsKey("archives");
        assertThat(afterLoss).containsEntry("uploaded", 1);
        assertThat(listing()).containsExactlyInAnyOrderElementsOf(expectedTree());
        Assumptions.assumeTrue(DistributionTimeSlots.hourOf(Instant.now()) == hour,
                "the hour changed during the test: each run's inputs differ by their hour");
    }

    /** A full run that fails leaves no record: the run after it is a full one, even with the same inputs. */
    @Test
    void aFailedRunLeavesTheNextOneFull() {
        long hour = DistributionTimeSlots.hourOf(Instant.now());
        storeKeys();
        assertThat(run()).containsEntry("status", "completed");
        store.storeNew(new Submission(TestKeys.keys(500, 1, hour), true));
        exportsServer.stop();
        try {
            assertThat(run()).doesNotContainEntry("status", "completed");
        } finally {
            exportsServer.start();
        }
        assertThat(jdbc.queryForObject("select count(*) from distribution_published", Long.class)).isZero();
        Map<String, Object> next = run();
        assertThat(next).containsEntry("status", "completed");
        assertThat(phases(next)).containsKey("archives");
        Assumptions.assumeTrue(DistributionTimeSlots.hourOf(Instant.now()) == hour,
                "the hour changed during the test: each run's inputs differ by their hour");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> phases(Map<String, Object> summary) {
        return (Map<String, Object>) summary.get("phases");
    }

    /** What the uploader sends with bytekeep.distribution.public-read=true, and the embedded S3 server keeps. */
    @Test
    void theExportServerKeepsAPublicReadAcl() {
        exports.putObject(b -> b.bucket(BUCKET).key("acl-check").acl(software.amazon.awssdk.services.s3.model.ObjectCannedACL.PUBLIC_READ),
                software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
        var grants = exports.getObjectAcl(b -> b.bucket(BUCKET).key("acl-check")).grants();
        assertThat(grants).anySatisfy(grant -> {
            assertThat(grant.grantee().uri()).isEqualTo("http://acs.amazonaws.com/groups/global/AllUsers");
            assertThat(grant.permissionAsString()).isEqualTo("READ");
        });
    }

    @Test
    void manualTriggerNeedsTheAdminRole() {
        storeKeys();
        ApiClient.Response anonymous = anonymous().post("/distribution/runs", "application/json", new byte[0]);
        assertThat(anonymous.status()).isEqualTo(401);
        ApiClient.Response alice = as("alice").post("/distribution/runs", "application/json", new byte[0]);
        assertThat(alice.status()).as(alice.text()).isEqualTo(403);
        assertThat(alice.contentType()).startsWith("application/problem+json");

        ApiClient.Response admin = as("bytes").post("/distribution/runs", "application/json", new byte[0]);
        assertThat(admin.status()).as(admin.text()).isEqualTo(200);
        assertThat(admin.json().get("status").asText()).isEqualTo("completed");
        assertThat(admin.json().get("uploaded").asInt()).isEqualTo(19);
        assertThat(listing()).containsExactlyInAnyOrderElementsOf(expectedTree());
    }

    private void storeKeys() {
        List<DiagnosisKey> keys = new ArrayList<>(TestKeys.keys(0, 6, five));
        keys.addAll(TestKeys.keys(100, 6, five + 1));
        // outside the retention window: deleted by the run, never distributed
        keys.add(TestKeys.key(1000, DistributionTimeSlots.hourOf(Instant.now().minus(Duration.ofDays(20)))));
        store.storeNew(new Submission(keys, true));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> run() {
        Object body = producer.requestBody("direct:distribution-run", (Object) null);
        return new LinkedHashMap<>((Map<String, Object>) body);
    }

    private List<String> expectedTree() {
        String root = "version/v1/diagnosis-keys";
        List<String> keys = new ArrayList<>(List.of("version", root + "/index.txt", root + "/country"));
        for (String pkg : List.of("DE", "EUR")) {
            String dates = root + "/country/" + pkg + "/date";
            keys.addAll(List.of(dates, dates + "/" + date, dates + "/" + date + "/hour",
                    dates + "/" + date + "/hour/5", dates + "/" + date + "/hour/6"));
        }
        keys.addAll(ConfigurationPublicationIT.CONFIGURATION_FILES);
        return keys;
    }

    private List<String> listing() {
        return exports.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).toList();
    }

    private double failures() {
        var counter = meters.find("bytekeep.distribution.failures").counter();
        return counter == null ? 0 : counter.count();
    }

}
