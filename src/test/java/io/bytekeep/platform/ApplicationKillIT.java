package io.bytekeep.platform;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.ApplicationProcesses;
import io.bytekeep.support.TestServices;
import io.bytekeep.vault.ProofHasher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application as separate processes (the prod profile on this machine's PostgreSQL and RabbitMQ, an S3 server
 * in this JVM), killed with SIGKILL during a stream of uploads: after a restart, or with a second instance that
 * went on serving, every acknowledged upload reads back and verifies, no row lacks its object, and every stored
 * file's event is delivered (duplicates counted). Objects written by the killed process whose row never committed
 * are counted as orphans. Slow (several JVM start-ups): runs with {@code -Pfaults}.
 */
@Tag("faults")
class ApplicationKillIT {

    private static final String TEST = "kill_it";
    private static final String QUEUE = "bytekeep_" + TEST + "_raw_file_received";
    private static final String RAW_BUCKET = "bytekeep-raw";
    private static final Instant ENDED = Instant.parse("2026-03-01T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/" + TestServices.DATABASE;

    private static S3Client s3;
    private static ApplicationProcesses processes;

    @BeforeAll
    static void startS3() {
        TestServices.ensureDatabase();
        processes = new ApplicationProcesses(TEST, "kill-it");
        s3 = processes.s3();
    }

    @AfterAll
    static void stopS3() {
        processes.close();
    }

    @BeforeEach
    void emptyVault() throws Exception {
        try (Connection db = DriverManager.getConnection(JDBC_URL, "postgres", "")) {
            var exists = db.createStatement().executeQuery("select to_regclass('raw_file') is not null");
            exists.next();
            if (exists.getBoolean(1)) {
                db.createStatement().execute("truncate table normalizer_meta, raw_file_mime_type, raw_file_proof, proof_batch, raw_file, boefje_meta, outbox_event cascade");
            }
        }
        try (var connection = rabbit().newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDeclare(QUEUE, true, false, false, null);
            channel.queuePurge(QUEUE);
        }
        if (s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(RAW_BUCKET))) {
            objects().forEach(key -> s3.deleteObject(b -> b.bucket(RAW_BUCKET).key(key)));
        }
    }

    @AfterEach
    void killWhatIsLeft() throws InterruptedException {
        processes.killAll();
    }

    @Test
    void killedMidUploadAndRestarted() throws Exception {
        int port = TestServices.freePort();
        Process first = start("first", port);
        ApiClient api = new ApiClient(port).login("operator", "prod-password");
        UUID boefjeMetaId = boefjeMeta(api);
        Uploads uploads = new Uploads(Map.of(port, api), boefjeMetaId);
        await().atMost(Duration.ofSeconds(60)).until(() -> uploads.acknowledged.size() >= 20);
        ApplicationProcesses.kill(first);
        uploads.stop();

        start("restarted", port);
        assertConsistent(new ApiClient(port).login("operator", "prod-password"), uploads, "killedMidUploadAndRestarted");
    }

    @Test
    void twoInstancesServeUploadsAndNothingIsLostWhenOneIsKilled() throws Exception {
        int firstPort = TestServices.freePort();
        int secondPort = TestServices.freePort();
        Process first = start("first", firstPort);
        start("second", secondPort);
        ApiClient one = new ApiClient(firstPort).login("operator", "prod-password");
        ApiClient two = new ApiClient(secondPort).login("operator", "prod-password");
        UUID boefjeMetaId = boefjeMeta(one);
        Uploads uploads = new Uploads(Map.of(firstPort, one, secondPort, two), boefjeMetaId);
        await().atMost(Duration.ofSeconds(60)).until(() -> uploads.acknowledgedBy.getOrDefault(secondPort, 0) >= 10
                && uploads.acknowledgedBy.getOrDefault(firstPort, 0) >= 10);
        ApplicationProcesses.kill(first);
        int before = uploads.acknowledged.size();
        // the survivor goes on taking uploads
        await().atMost(Duration.ofSeconds(60)).until(() -> uploads.acknowledged.size() >= before + 20);
        uploads.stop();
        assertConsistent(two, uploads, "twoInstancesServeUploadsAndNothingIsLostWhenOneIsKilled");
    }

    /** Upload threads, one per API client, each uploading until stopped. */
    private static final class Uploads {
        final Map<UUID, byte[]> acknowledged = new ConcurrentHashMap<>();
        final Map<Integer, Integer> acknowledgedBy = new ConcurrentHashMap<>();
        final AtomicInteger failed = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService threads;

        Uploads(Map<Integer, ApiClient> clientsByPort, UUID boefjeMetaId) {
            threads = Executors.newFixedThreadPool(clientsByPort.size());
            AtomicInteger sequence = new AtomicInteger();
            clientsByPort.forEach((port, client) -> {
                threads.submit(() -> {
                    while (running.get()) {
                        int n = sequence.incrementAndGet();
                        byte[] content = ("kill test " + n + " " + UUID.randomUUID()).repeat(50).getBytes(StandardCharsets.UTF_8);
                        try {
                            ApiClient.Response response = client.postJson("/bytes/raw?boefje_meta_id=" + boefjeMetaId,
                                    Map.of("files", List.of(Map.of("name", "f", "tags", List.of("test/n-" + n),
                                            "content", java.util.Base64.getEncoder().encodeToString(content)))));
                            if (response.status() == 200) {
                                acknowledged.put(UUID.fromString(response.json().get("f").asText()), content);
                                acknowledgedBy.merge(port, 1, Integer::sum);
                            } else {
                                failed.incrementAndGet();
                            }
                        } catch (IllegalStateException connectionLost) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                });
            });
        }

        void stop() throws InterruptedException {
            running.set(false);
            threads.shutdown();
            assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    private void assertConsistent(ApiClient api, Uploads uploads, String test) throws Exception {
        for (Map.Entry<UUID, byte[]> upload : uploads.acknowledged.entrySet()) {
            ApiClient.Response read = api.get("/bytes/raw/" + upload.getKey());
            assertThat(read.status()).as(read.text()).isEqualTo(200);
            assertThat(read.body()).isEqualTo(upload.getValue());
            String secureHash = api.get("/bytes/raw/" + upload.getKey() + "/meta").json().get("secure_hash").asText();
            assertThat(ProofHasher.forHash(secureHash).hash(new ByteArrayInputStream(read.body()), ENDED)).isEqualTo(secureHash);
        }
        Set<String> rows = new HashSet<>();
        Set<String> storedIds = new HashSet<>();
        try (Connection db = DriverManager.getConnection(JDBC_URL, "postgres", "")) {
            var result = db.createStatement().executeQuery("select cast(id as varchar), storage_key from raw_file");
            while (result.next()) {
                storedIds.add(result.getString(1));
                rows.add(result.getString(2));
            }
        }
        Set<String> objects = objects();
        assertThat(objects).as("every row has its object").containsAll(rows);
        Set<String> orphans = new HashSet<>(objects);
        orphans.removeAll(rows);
        // objects the killed process wrote without committing are quarantined by the instance that runs: then every
        // object under raw/ has its row
        await().atMost(Duration.ofSeconds(60)).until(() -> rows.containsAll(objects()));

        Map<String, String> rawIdByMessageId = new HashMap<>();
        AtomicInteger onTheWire = new AtomicInteger();
        try (var connection = rabbit().newConnection(); Channel channel = connection.createChannel()) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                GetResponse message;
                while ((message = channel.basicGet(QUEUE, true)) != null) {
                    onTheWire.incrementAndGet();
                    rawIdByMessageId.put(message.getProps().getMessageId(),
                            JSON.readTree(message.getBody()).get("raw_data").get("id").asText());
                }
                return new HashSet<>(rawIdByMessageId.values()).containsAll(storedIds);
            });
        }
        assertThat(new ArrayList<>(rawIdByMessageId.values())).as("one message id per stored file").doesNotHaveDuplicates();
        System.out.printf("[faults] %s: acknowledged=%d failed=%d rows=%d objects=%d orphans left by the kill=%d (swept) events on the wire=%d distinct=%d%n",
                test, uploads.acknowledged.size(), uploads.failed.get(), rows.size(), objects.size(), orphans.size(),
                onTheWire.get(), rawIdByMessageId.size());
    }

    private static Set<String> objects() {
        Set<String> keys = new HashSet<>();
        s3.listObjectsV2Paginator(b -> b.bucket(RAW_BUCKET).prefix("raw/")).contents().stream().map(S3Object::key)
                .filter(key -> !key.endsWith("/")).forEach(keys::add);
        return keys;
    }

    private static UUID boefjeMeta(ApiClient api) {
        UUID id = UUID.randomUUID();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("id", id.toString());
        meta.put("started_at", ENDED.minusSeconds(10).toString());
        meta.put("ended_at", ENDED.toString());
        meta.put("boefje", Map.of("id", "dns-records", "version", "1"));
        meta.put("input_ooi", "Hostname|internet|example.org");
        meta.put("arguments", Map.of());
        meta.put("organization", "org-a");
        meta.put("runnable_hash", "x");
        meta.put("environment", Map.of());
        ApiClient.Response response = api.postJson("/bytes/boefje_meta", meta);
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return id;
    }

    private Process start(String name, int port) throws Exception {
        // the orphan sweep, fast: uploads here take far less than 5 s from object write to commit
        return processes.start(name, port, Map.of("BYTEKEEP_ORPHAN_SWEEP_MIN_AGE", "5s", "BYTEKEEP_ORPHAN_SWEEP_INTERVAL", "1s"));
    }

    private static ConnectionFactory rabbit() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        return factory;
    }
}
