package io.bytekeep.vault;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real outages during a stream of uploads: the broker stopped, PostgreSQL stopped and started, the S3 server
 * stopped. After each: every acknowledged upload reads back with a verifying hash, the raw bucket and the raw_file
 * table name the same objects (no orphan object, no row without bytes), and every stored file's event arrives
 * (duplicates on the wire are counted; a consumer de-duplicating by message id sees each file once).
 * The outage lasts {@code -Dbytekeep.faults.outage-seconds} (5 here, 60 with {@code -Pfaults}).
 */
class VaultFaultsIT extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant ENDED = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("bytekeep.faults.outage-seconds", 5));
    private static final int UPLOADERS = 2;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    EmbeddedS3Server s3Server;

    @Autowired
    S3Client s3;

    /** What the client was told: the 2xx uploads with their bytes, and how many were refused or cut off. */
    record Outcome(Map<UUID, byte[]> acknowledged, int refused, int cutOff, Map<Integer, Integer> statuses, long longestAnswerMillis) {
    }

    @Test
    void brokerStoppedDuringUploads() throws Exception {
        Outcome outcome = uploadsDuring(() -> rabbitmqctl("stop_app"), () -> rabbitmqctl("start_app"));
        // the broker is not on the upload path: nothing is refused
        assertThat(outcome.refused() + outcome.cutOff()).isZero();
        assertConsistent(outcome);
    }

    @Test
    void postgresStoppedAndStartedDuringUploads() throws Exception {
        Outcome outcome = uploadsDuring(() -> pgCtl("stop"), () -> pgCtl("start"));
        // the outage reached the uploads: refused, or (concurrent uploads share one transaction, which waits for a
        // connection up to Hikari's timeout) answered only once the database was back
        assertThat(outcome.refused() > 0 || outcome.longestAnswerMillis() >= OUTAGE.toMillis() / 2)
                .as("uploads during the outage are refused or wait for the database: %s", outcome).isTrue();
        assertThat(outcome.statuses().keySet()).allSatisfy(status -> assertThat(status).isIn(200, 503));
        assertConsistent(outcome);
    }

    @Test
    void objectStorageStoppedDuringUploads() throws Exception {
        Outcome outcome = uploadsDuring(s3Server::stop, s3Server::start);
        assertThat(outcome.refused()).isPositive();
        assertThat(outcome.statuses().keySet()).allSatisfy(status -> assertThat(status).isIn(200, 503));
        assertConsistent(outcome);
    }

    /**
     * A streamed body is read once, from the connection into the PUT: when storage fails under it, the SDK cannot
     * send it again, and the answer is still storage's 503, with nothing recorded or left.
     */
    @Test
    void objectStorageStoppedUnderAStreamedUpload() throws Exception {
        ApiClient api = as("alice");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        io.bytekeep.support.SlowClient upload = io.bytekeep.support.SlowClient.streamedUpload(port, api.token(),
                boefjeMetaId, "big", 6 * 1024 * 1024);
        try {
            upload.send(1024 * 1024);
            s3Server.stop();
            for (int i = 0; i < 5 && upload.status() < 0; i++) {
                upload.send(1024 * 1024);
            }
            assertThat(upload.awaitStatus()).isEqualTo(503);
        } finally {
            upload.close();
            s3Server.start();
        }
        assertThat(count("raw_file")).isZero();
        assertThat(count("outbox_event")).isZero();
        assertThat(s3.listObjectsV2(b -> b.bucket("bytekeep-test-raw")).contents()).isEmpty();
    }

    /** Objects of earlier tests stay in the bucket (the tables are emptied before each test): remove them too. */
    @org.junit.jupiter.api.BeforeEach
    void emptyRawBucket() {
        s3.listObjectsV2Paginator(b -> b.bucket("bytekeep-test-raw")).contents()
                .forEach(object -> s3.deleteObject(b -> b.bucket("bytekeep-test-raw").key(object.key())));
    }

    /** Whatever a failed test left behind: the services are shared, they are never left down. */
    @AfterEach
    void everyServiceRuns() throws Exception {
        rabbitmqctl("start_app");
        if (!new String(new ProcessBuilder("pg_lsclusters", "-h").start().getInputStream().readAllBytes()).contains("online")) {
            pgCtl("start");
        }
        s3Server.start(); // a no-op when it runs
    }

    interface Step {
        void run() throws Exception;
    }

    private Outcome uploadsDuring(Step fault, Step repair) throws Exception {
        ApiClient api = as("alice");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sequence = new AtomicInteger();
        Map<UUID, byte[]> acknowledged = new ConcurrentHashMap<>();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger cutOff = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong longestAnswer = new java.util.concurrent.atomic.AtomicLong();
        ExecutorService uploaders = Executors.newFixedThreadPool(UPLOADERS);
        List<Future<?>> workers = new ArrayList<>();
        for (int u = 0; u < UPLOADERS; u++) {
            workers.add(uploaders.submit(() -> {
                while (running.get()) {
                    int n = sequence.incrementAndGet();
                    byte[] content = ("upload " + n + " " + UUID.randomUUID()).repeat(20).getBytes(StandardCharsets.UTF_8);
                    try {
                        // a mime type of its own: each upload is a new raw file of the same boefje run
                        long started = System.nanoTime();
                        ApiClient.Response response = api.postJson("/bytes/raw?boefje_meta_id=" + boefjeMetaId,
                                Map.of("files", List.of(file("f", content, "test/n-" + n))));
                        longestAnswer.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
                        statuses.merge(response.status(), 1, Integer::sum);
                        if (response.status() == 200) {
                            acknowledged.put(UUID.fromString(response.json().get("f").asText()), content);
                        } else {
                            assertThat(response.contentType()).startsWith("application/problem+json");
                            refused.incrementAndGet();
                        }
                    } catch (IllegalStateException connectionLost) {
                        cutOff.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 10);
            fault.run();
            try {
                Thread.sleep(OUTAGE.toMillis()); // the outage itself: uploads go on meanwhile
            } finally {
                repair.run();
            }
            int before = acknowledged.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= before + 10);
        } finally {
            running.set(false);
            uploaders.shutdown();
            assertThat(uploaders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        for (Future<?> uploader : workers) {
            uploader.get();
        }
        return new Outcome(Map.copyOf(acknowledged), refused.get(), cutOff.get(), Map.copyOf(statuses), longestAnswer.get());
    }

    private void assertConsistent(Outcome outcome) throws Exception {
        ApiClient api = as("alice");
        // every acknowledged upload is readable, byte for byte, and its secure_hash verifies
        for (Map.Entry<UUID, byte[]> upload : outcome.acknowledged().entrySet()) {
            ApiClient.Response read = api.get("/bytes/raw/" + upload.getKey());
            assertThat(read.status()).as(read.text()).isEqualTo(200);
            assertThat(read.body()).isEqualTo(upload.getValue());
            String secureHash = api.get("/bytes/raw/" + upload.getKey() + "/meta").json().get("secure_hash").asText();
            assertThat(ProofHasher.forHash(secureHash).hash(new ByteArrayInputStream(read.body()), ENDED)).isEqualTo(secureHash);
        }
        // an upload whose object was put just before S3 went away and which then failed leaves an object orphanGuard
        // could not delete (S3 was down): the orphan sweep (routes/vault-orphan-sweep.camel.yaml) quarantines it once
        // it is older than min-age; here it runs once with its clock an hour ahead
        int swept = new RawOrphanSweeper(s3, new ObjectCopier(s3, ObjectCopier.S3_SINGLE_COPY_LIMIT, ObjectCopier.DEFAULT_PART_SIZE),
                jdbc, "bytekeep-test-raw", Duration.ofMinutes(15), Duration.ofDays(7), 100_000,
                Clock.offset(Clock.systemUTC(), Duration.ofHours(1)), new SimpleMeterRegistry()).sweep().quarantined();
        System.out.printf("VaultFaultsIT: %d orphan object(s) left by the outage, quarantined by the sweep%n", swept);
        // the bucket and the table agree: no orphan object, no row without bytes
        Set<String> keys = new HashSet<>(jdbc.queryForList("select storage_key from raw_file", String.class));
        Set<String> objects = new HashSet<>();
        s3.listObjectsV2Paginator(b -> b.bucket("bytekeep-test-raw")).contents().stream().map(S3Object::key)
                // the filesystem backend lists directories as keys ending in /
                .filter(key -> (key.startsWith("raw/") || key.startsWith(RawPacker.PACKS)) && !key.endsWith("/"))
                .forEach(objects::add);
        assertThat(objects).as("objects vs rows").isEqualTo(keys);
        // (several small files share a pack: count the rows, not their keys)
        assertThat(jdbc.queryForObject("select count(*) from raw_file", Long.class))
                .isGreaterThanOrEqualTo(outcome.acknowledged().size());

        // every stored file's event arrives; duplicates on the wire are counted, the de-duplicated view is exact
        Set<String> storedIds = new HashSet<>(jdbc.queryForList("select cast(id as varchar) from raw_file", String.class));
        Map<String, String> rawIdByMessageId = new HashMap<>();
        AtomicInteger onTheWire = new AtomicInteger();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Message message;
            while ((message = rabbit.receive(EVENT_QUEUE, 200)) != null) {
                onTheWire.incrementAndGet();
                JsonNode event = JSON.readTree(message.getBody());
                rawIdByMessageId.put(message.getMessageProperties().getMessageId(), event.get("raw_data").get("id").asText());
            }
            return new HashSet<>(rawIdByMessageId.values()).containsAll(storedIds);
        });
        List<String> deduplicated = new ArrayList<>(rawIdByMessageId.values());
        assertThat(deduplicated).as("one message id per stored file").doesNotHaveDuplicates();
        assertThat(new HashSet<>(deduplicated)).isEqualTo(storedIds);
        System.out.printf("[faults] %s: acknowledged=%d refused=%d cut-off=%d statuses=%s rows=%d objects=%d events on the wire=%d distinct=%d outage=%ss%n",
                Thread.currentThread().getStackTrace()[2].getMethodName(), outcome.acknowledged().size(), outcome.refused(),
                outcome.cutOff(), outcome.statuses(), storedIds.size(), objects.size(), onTheWire.get(), deduplicated.size(), OUTAGE.toSeconds());
    }

    static void rabbitmqctl(String command) throws IOException, InterruptedException {
        run(List.of("rabbitmqctl", command));
    }

    static void pgCtl(String command) throws IOException, InterruptedException {
        String[] versions = new java.io.File("/etc/postgresql").list();
        assertThat(versions).hasSize(1);
        run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", command));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(command + ": " + output).isZero();
    }
}
