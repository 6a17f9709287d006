package io.bytekeep.platform;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import software.amazon.awssdk.services.s3.model.S3Object;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.ApplicationProcesses;
import io.bytekeep.support.TestServices;
import io.bytekeep.vault.ProofHasher;
import io.bytekeep.vault.RawPacker;

import static io.bytekeep.support.ApplicationProcesses.PASSWORD;
import static io.bytekeep.support.ApplicationProcesses.USERNAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application as separate processes, killed with SIGKILL at random moments under a stream of uploads and
 * restarted on the same data (the embedded default: H2, S3Proxy on disk and Qpid inside the process; the prod profile:
 * this machine's PostgreSQL and RabbitMQ, an S3 server in this JVM), or killed while a second instance goes on
 * serving. Afterwards every acknowledged upload reads back and verifies against its hash, no row lacks its object, no
 * object under raw/ lacks its row once the orphan sweep ran, every stored file's event is delivered, and the duplicate
 * deliveries per kill stay within one relay batch. While an instance starts, uploads are answered 503, never 404 or
 * 405. Slow (many JVM start-ups): runs with {@code -Pfaults}; figures in docs/RELIABILITY.md.
 */
@Tag("faults")
class ApplicationKillIT {

    private static final String TEST = "kill_it";
    private static final String RAW_BUCKET = "bytekeep-raw";
    private static final Instant ENDED = Instant.parse("2026-03-01T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/" + TestServices.DATABASE;
    private static final int KILLS = Integer.getInteger("bytekeep.faults.kills", 5);
    private static final int UPLOAD_THREADS = 16;
    private static final int RELAY_BATCH_SIZE = 50;
    /** The sweep, fast: uploads here take far less than 5 s from object write to commit. */
    private static final Map<String, String> FAST_SWEEP = Map.of("BYTEKEEP_ORPHAN_SWEEP_MIN_AGE", "5s",
            "BYTEKEEP_ORPHAN_SWEEP_INTERVAL", "1s", "BYTEKEEP_METRICS_TTL", "0s",
            "bytekeep.events.relay-batch-size", String.valueOf(RELAY_BATCH_SIZE));

    private ApplicationProcesses processes;

    @AfterEach
    void killWhatIsLeft() throws InterruptedException {
        if (processes != null) {
            processes.killAll();
            processes.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "prod"})
    void killedRepeatedlyUnderLoadLosesNothingAcknowledged(String profile) throws Exception {
        processes = profile.equals("embedded") ? ApplicationProcesses.embedded(TEST, "kill-it-embedded")
                : prodWithEmptyVault();
        long seed = Long.getLong("bytekeep.faults.seed", System.nanoTime());
        Random random = new Random(seed);
        int port = TestServices.freePort();
        Process instance = processes.start("start-0", port, FAST_SWEEP);
        ApiClient api = new ApiClient(port).login(USERNAME, PASSWORD);
        UUID boefjeMetaId = api.createBoefjeMeta("org-a", ENDED);
        Uploads uploads = new Uploads(port, UPLOAD_THREADS, boefjeMetaId);
        List<Integer> acknowledgedAtKill = new ArrayList<>();
        for (int kill = 1; kill <= KILLS; kill++) {
            // a kill after a random number of further acknowledgements: a random moment of the upload stream
            int target = uploads.acknowledged.size() + 20 + random.nextInt(300);
            await().atMost(Duration.ofMinutes(3)).until(() -> uploads.acknowledged.size() >= target);
            ApplicationProcesses.kill(instance);
            acknowledgedAtKill.add(uploads.acknowledged.size());
            instance = processes.start("start-" + kill, port, FAST_SWEEP);
        }
        Instant lastStart = Instant.now();
        int afterLastStart = uploads.acknowledged.size();
        await().atMost(Duration.ofMinutes(2)).until(() -> uploads.acknowledged.size() >= afterLastStart + 50);
        uploads.stop();

        Report report = assertConsistent(api, uploads);
        // orphan packs come from kills only: once the last start is older than the sweep's minimum age (5 s) and a few
        // sweeps (one a second), every one of them has been quarantined
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(lastStart.plusSeconds(10)));
        assertEveryPackIsRecorded();
        assertThat(uploads.answers.keySet()).as("answers to uploads, also while an instance was starting")
                .isSubsetOf(200, 503);
        assertThat(report.duplicates()).as("duplicate deliveries after %d kills", KILLS)
                .isLessThanOrEqualTo(KILLS * RELAY_BATCH_SIZE);
        System.out.printf("[faults] kill test, %s profile, seed %d, %d kills at %s acknowledged: acknowledged=%d answers=%s "
                        + "connection failures=%d rows=%d objects=%d orphans quarantined=%d events on the wire=%d distinct=%d "
                        + "duplicates=%d (%.1f per kill)%n",
                profile, seed, KILLS, acknowledgedAtKill, uploads.acknowledged.size(), new TreeMap<>(uploads.answers),
                uploads.connectionFailures.get(), report.rows(), report.objects(), report.quarantined(), report.onTheWire(),
                report.distinct(), report.duplicates(), report.duplicates() / (double) KILLS);
    }

    @Test
    void twoInstancesServeUploadsAndNothingIsLostWhenOneIsKilled() throws Exception {
        processes = prodWithEmptyVault();
        int firstPort = TestServices.freePort();
        int secondPort = TestServices.freePort();
        Process first = processes.start("first", firstPort, FAST_SWEEP);
        processes.start("second", secondPort, FAST_SWEEP);
        ApiClient two = new ApiClient(secondPort).login(USERNAME, PASSWORD);
        UUID boefjeMetaId = two.createBoefjeMeta("org-a", ENDED);
        Uploads toFirst = new Uploads(firstPort, 4, boefjeMetaId);
        Uploads toSecond = new Uploads(secondPort, 4, boefjeMetaId);
        await().atMost(Duration.ofSeconds(60)).until(() -> toFirst.acknowledged.size() >= 20 && toSecond.acknowledged.size() >= 20);
        ApplicationProcesses.kill(first);
        toFirst.stop();
        int before = toSecond.acknowledged.size();
        // the survivor goes on taking uploads, and takes over relaying the events
        await().atMost(Duration.ofSeconds(60)).until(() -> toSecond.acknowledged.size() >= before + 50);
        toSecond.stop();
        toSecond.acknowledged.putAll(toFirst.acknowledged);
        Report report = assertConsistent(two, toSecond);
        assertThat(report.duplicates()).as("duplicate deliveries after one kill").isLessThanOrEqualTo(RELAY_BATCH_SIZE);
        System.out.printf("[faults] two instances, one killed: acknowledged=%d rows=%d objects=%d orphans quarantined=%d "
                        + "events on the wire=%d distinct=%d duplicates=%d%n", toSecond.acknowledged.size(), report.rows(),
                report.objects(), report.quarantined(), report.onTheWire(), report.distinct(), report.duplicates());
    }

    /** Upload threads against one port, each uploading until stopped; every answer is counted by status. */
    private static final class Uploads {
        final Map<UUID, byte[]> acknowledged = new ConcurrentHashMap<>();
        final Map<Integer, Integer> answers = new ConcurrentHashMap<>();
        final AtomicInteger connectionFailures = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService threads;
        private final List<Future<?>> clients = new ArrayList<>();

        Uploads(int port, int count, UUID boefjeMetaId) {
            threads = Executors.newFixedThreadPool(count);
            for (int t = 0; t < count; t++) {
                clients.add(threads.submit(() -> {
                    ApiClient client = loggedIn(port);
                    while (running.get()) {
                        byte[] content = ("kill test " + UUID.randomUUID()).repeat(40).getBytes(StandardCharsets.UTF_8);
                        try {
                            ApiClient.Response response = client.postJson("/bytes/raw?boefje_meta_id=" + boefjeMetaId,
                                    Map.of("files", List.of(Map.of("name", "f", "tags", List.of("test/" + UUID.randomUUID()),
                                            "content", Base64.getEncoder().encodeToString(content)))));
                            answers.merge(response.status(), 1, Integer::sum);
                            if (response.status() == 200) {
                                acknowledged.put(UUID.fromString(response.json().get("f").asText()), content);
                            } else if (response.status() == 503) {
                                assertThat(response.headers().firstValue("Retry-After")).isPresent();
                                assertThat(response.contentType()).startsWith("application/problem+json");
                                backOff();
                            }
                        } catch (IllegalStateException connectionLost) {
                            connectionFailures.incrementAndGet();
                            backOff();
                        }
                    }
                    return null;
                }));
            }
        }

        /** Logs in as a client does when the login lane is full (the clients start together): again after a 503. */
        private static ApiClient loggedIn(int port) throws InterruptedException {
            ApiClient client = new ApiClient(port);
            for (int attempt = 1; ; attempt++) {
                ApiClient.Response token = client.token(USERNAME, PASSWORD);
                if (token.status() != 503 || attempt == 100) {
                    assertThat(token.status()).as(token.text()).isEqualTo(200);
                    return client.withToken(token.json().get("access_token").asText());
                }
                assertThat(token.headers().firstValue("Retry-After")).isPresent();
                backOff();
            }
        }

        /** As a client does while the service is away (a short pause, not the full Retry-After: the test measures). */
        private static void backOff() throws InterruptedException {
            Thread.sleep(20);
        }

        /** Stops the clients; an assertion one of them failed (a 503 without Retry-After, say) fails the test here. */
        void stop() throws Exception {
            running.set(false);
            threads.shutdown();
            assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            for (Future<?> client : clients) {
                client.get();
            }
        }
    }

    private record Report(int rows, int objects, int quarantined, int onTheWire, int distinct) {
        int duplicates() {
            return onTheWire - distinct;
        }
    }

    private Report assertConsistent(ApiClient api, Uploads uploads) throws Exception {
        for (Map.Entry<UUID, byte[]> upload : uploads.acknowledged.entrySet()) {
            ApiClient.Response read = api.get("/bytes/raw/" + upload.getKey());
            assertThat(read.status()).as("acknowledged upload %s: %s", upload.getKey(), read.text()).isEqualTo(200);
            assertThat(read.body()).isEqualTo(upload.getValue());
            String secureHash = api.get("/bytes/raw/" + upload.getKey() + "/meta").json().get("secure_hash").asText();
            assertThat(ProofHasher.forHash(secureHash).hash(new ByteArrayInputStream(read.body()), ENDED)).isEqualTo(secureHash);
        }
        // objects the killed processes wrote without committing are moved to quarantine/ by the sweep; the uploads here
        // are small, so their bytes are in packs (a file of its own under raw/ would be a large one)
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> withoutRow(api, objects("raw/")).isEmpty());
        Set<String> objects = objects("raw/");
        objects.addAll(objects(RawPacker.PACKS));
        int quarantined = objects("quarantine/").size();

        Map<String, String> rawIdByMessageId = new HashMap<>();
        AtomicInteger onTheWire = new AtomicInteger();
        ConnectionFactory rabbit = new ConnectionFactory();
        rabbit.setHost("127.0.0.1");
        rabbit.setPort(processes.amqpPort());
        try (var connection = rabbit.newConnection(); Channel channel = connection.createChannel()) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                GetResponse message;
                while ((message = channel.basicGet(processes.rawFileReceivedQueue(), true)) != null) {
                    onTheWire.incrementAndGet();
                    rawIdByMessageId.put(message.getProps().getMessageId(),
                            JSON.readTree(message.getBody()).get("raw_data").get("id").asText());
                }
                return new HashSet<>(rawIdByMessageId.values()).size() >= rawFilesCounted(api);
            });
        }
        Set<String> storedIds = new HashSet<>(rawIdByMessageId.values());
        assertThat(rawFilesCounted(api)).as("rows: one per file an event announced").isEqualTo(storedIds.size());
        assertThat(storedIds).as("stored").containsAll(uploads.acknowledged.keySet().stream().map(UUID::toString).toList());
        for (String id : storedIds) {
            assertThat(api.get("/bytes/raw/" + id).status()).as("stored file %s, announced", id).isEqualTo(200);
        }
        assertThat(new ArrayList<>(rawIdByMessageId.values())).as("one message id per stored file").doesNotHaveDuplicates();
        assertThat(api.get("/bytes/mime_types?organization=org-a").json()).as("the mime type counters, as the files count")
                .isEqualTo(api.get("/bytes/mime_types?organization=org-a&normalized=false").json());
        return new Report(storedIds.size(), objects.size(), quarantined, onTheWire.get(), rawIdByMessageId.size());
    }

    /**
     * Every pack is a row's: a pack whose uploads the kill cut off before their commit was quarantined by the sweep
     * (5 s minimum age, a sweep a second: long past when the uploads stopped). Read from the database itself, with the
     * instances stopped for the embedded default's H2 file.
     */
    private void assertEveryPackIsRecorded() throws Exception {
        Set<String> packs = objects(RawPacker.PACKS);
        assertThat(packs).as("the small uploads went into packs").isNotEmpty();
        Set<String> recorded = new HashSet<>();
        String url = JDBC_URL;
        String user = "postgres";
        if (processes.isEmbedded()) {
            processes.killAll();
            url = "jdbc:h2:file:" + Path.of("target", "kill-it-embedded", "data", "db", "bytekeep").toAbsolutePath()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
            user = "bytekeep";
        }
        try (Connection db = DriverManager.getConnection(url, user, "")) {
            var keys = db.createStatement().executeQuery("select distinct storage_key from raw_file");
            while (keys.next()) {
                recorded.add(keys.getString(1));
            }
        }
        assertThat(recorded).as("packs no row refers to (orphans the sweep missed)").containsAll(packs);
    }

    /** Object keys under raw/ whose raw file has no row, asked of the API a hundred ids at a time. */
    private static Set<String> withoutRow(ApiClient api, Set<String> keys) {
        Map<String, String> keyById = new HashMap<>();
        keys.forEach(key -> keyById.put(key.substring(key.lastIndexOf('/') + 1), key));
        List<String> ids = new ArrayList<>(keyById.keySet());
        Set<String> without = new HashSet<>(keys);
        for (int from = 0; from < ids.size(); from += 100) {
            StringBuilder query = new StringBuilder("/bytes/raw?limit=1000");
            ids.subList(from, Math.min(ids.size(), from + 100)).forEach(id -> query.append("&raw_ids=").append(id));
            ApiClient.Response page = api.get(query.toString());
            assertThat(page.status()).as(page.text()).isEqualTo(200);
            page.json().forEach(raw -> without.remove(keyById.get(raw.get("id").asText())));
        }
        return without;
    }

    /** Raw file rows, as Bytes' /metrics counts them (not cached in these instances). */
    private static int rawFilesCounted(ApiClient api) {
        String metrics = api.get("/metrics").text();
        java.util.regex.Matcher count = java.util.regex.Pattern
                .compile("bytes_database_raw_files_total\\{organization_id=\"org-a\"} ([0-9.]+)").matcher(metrics);
        assertThat(count.find()).as(metrics).isTrue();
        return (int) Double.parseDouble(count.group(1));
    }

    private Set<String> objects(String prefix) {
        Set<String> keys = new HashSet<>();
        processes.s3().listObjectsV2Paginator(b -> b.bucket(RAW_BUCKET).prefix(prefix)).contents().stream().map(S3Object::key)
                .filter(key -> !key.endsWith("/")).forEach(keys::add);
        return keys;
    }

    /** The prod profile shares this machine's PostgreSQL, RabbitMQ queue and the test's S3 server with earlier runs. */
    private static ApplicationProcesses prodWithEmptyVault() throws Exception {
        TestServices.emptyVault();
        ApplicationProcesses prod = ApplicationProcesses.prod(TEST, "kill-it");
        ConnectionFactory rabbit = new ConnectionFactory();
        rabbit.setHost("127.0.0.1");
        try (var connection = rabbit.newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDeclare(prod.rawFileReceivedQueue(), true, false, false, null);
            channel.queuePurge(prod.rawFileReceivedQueue());
        }
        return prod;
    }
}
