package io.bytekeep.platform.edge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;
import io.bytekeep.support.SlowClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP edge as an attacker and a careless client meet it: nothing read before the token and the declared size
 * are checked, nothing read beyond a budget, slow bodies cut off, full lanes refused with 503 while the rest serves.
 * Small lanes and a short grace period so that the figures show within seconds.
 */
@DirtiesContext
class EdgeIT extends IntegrationTest {

    private static final Path DATA = Path.of("target", "test-data");
    private final List<SlowClient> clients = new ArrayList<>();

    @DynamicPropertySource
    static void smallLanes(DynamicPropertyRegistry registry) {
        registry.add("bytekeep.edge.in-progress.login", () -> "4");
        registry.add("bytekeep.edge.in-progress.upload", () -> "2");
        registry.add("bytekeep.edge.body-rate-grace", () -> "2s");
        registry.add("bytekeep.edge.saturation-memory", () -> "2s");
    }

    @AfterEach
    void closeClients() {
        clients.forEach(SlowClient::close);
    }

    @Test
    void slowClientsWithoutATokenAreCutOffAndCannotHoldTheService() throws Exception {
        ApiClient alice = as("alice");
        for (int i = 0; i < 64; i++) {
            clients.add(SlowClient.open(port, "POST /token", Map.of("Content-Type", "application/x-www-form-urlencoded",
                    "Content-Length", "10000")));
        }
        List<Long> health = new ArrayList<>();
        List<Long> api = new ArrayList<>();
        boolean notReadyWhileFull = false;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        while (System.nanoTime() < until) {
            clients.forEach(SlowClient::trickle);
            health.add(SlowClient.timed(() -> assertThat(anonymous().get("/health").status()).isEqualTo(200)));
            api.add(SlowClient.timed(() -> assertThat(alice.get("/bytes/mime_types").status()).isEqualTo(200)));
            notReadyWhileFull |= anonymous().get("/actuator/health/readiness").status() == 503;
        }
        assertThat(SlowClient.p99(health)).as("/health p99 ms with 64 slow logins").isLessThan(1000);
        assertThat(SlowClient.p99(api)).as("API p99 ms with 64 slow logins").isLessThan(1000);
        assertThat(notReadyWhileFull).as("readiness reports the full login lane").isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            clients.forEach(SlowClient::trickle);
            assertThat(clients).allMatch(SlowClient::closedByServer);
        });
        assertThat(clients.stream().map(SlowClient::status).distinct())
                .as("each one a 408 (too slow) or a 503 (lane full)").isSubsetOf(408, 503).contains(408);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(anonymous().get("/actuator/health/readiness").status()).isEqualTo(200));
        System.out.printf("64 slow logins: /health p99 %d ms, API p99 %d ms%n", SlowClient.p99(health), SlowClient.p99(api));
    }

    @Test
    void aFullLaneIsRefusedWith503AndRetryAfterWhileTheOtherLanesServe() throws Exception {
        ApiClient alice = as("alice");
        UUID meta = createBoefjeMeta(alice, "org-a", java.time.Instant.now());
        for (int i = 0; i < 2; i++) {
            // named, so each streams into storage as slowly as it arrives (a nameless one is refused before its body)
            SlowClient upload = SlowClient.open(port, "POST /bytes/raw?name=slow" + i + "&boefje_meta_id=" + meta, Map.of(
                    "Authorization", "Bearer " + alice.token(), "Content-Type", "application/octet-stream",
                    "Content-Length", "1000000"));
            clients.add(upload);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            clients.forEach(c -> c.send(4096));
            ApiClient.Response third = alice.post("/bytes/raw?boefje_meta_id=" + meta, "application/octet-stream",
                    "third".getBytes(StandardCharsets.UTF_8));
            assertThat(third.status()).as(third.text()).isEqualTo(503);
            assertThat(third.contentType()).startsWith("application/problem+json");
            assertThat(third.headers().firstValue("Retry-After")).hasValue("1");
        });
        assertThat(alice.get("/bytes/mime_types").status()).as("the API lane serves").isEqualTo(200);
        assertThat(anonymous().get("/health").status()).isEqualTo(200);
        assertThat(count("raw_file")).isZero();

        clients.forEach(SlowClient::close);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(alice.post(
                "/bytes/raw?name=fourth&boefje_meta_id=" + meta, "application/octet-stream", "fourth".getBytes(StandardCharsets.UTF_8))
                .status()).isEqualTo(200));
    }

    @Test
    void aBodyRefusedHalfWayIsAnsweredWithItsProblemAndLeavesNoSpoolFile() throws Exception {
        ApiClient alice = as("alice");
        byte[] threeMegabytes = new byte[3 * 1024 * 1024];
        Arrays.fill(threeMegabytes, (byte) 'a');
        ApiClient.Response meta = alice.postChunked("/bytes/boefje_meta", "application/json", threeMegabytes);
        assertThat(meta.status()).as(meta.text()).isEqualTo(413);
        assertThat(meta.json().get("detail").asText()).contains("1048576");

        UUID boefjeMeta = createBoefjeMeta(alice, "org-a", java.time.Instant.now());
        byte[] twelveMegabytes = new byte[12 * 1024 * 1024];
        ApiClient.Response raw = alice.postChunked("/bytes/raw?name=big&boefje_meta_id=" + boefjeMeta,
                "application/octet-stream", twelveMegabytes);
        assertThat(raw.status()).as(raw.text()).isEqualTo(413);
        assertThat(raw.contentType()).startsWith("application/problem+json");
        assertThat(count("raw_file")).isZero();
        assertThat(spoolFiles(DATA)).as("spool files left behind").isEmpty();
    }

    @Test
    void nothingIsReadWithoutAToken() throws Exception {
        SlowClient huge = SlowClient.open(port, "POST /bytes/raw", Map.of("Content-Type", "application/octet-stream",
                "Content-Length", String.valueOf(70L * 1024 * 1024 * 1024)));
        clients.add(huge);
        assertThat(huge.awaitStatus()).isEqualTo(401);
        SlowClient chunked = SlowClient.open(port, "POST /bytes/boefje_meta", Map.of("Content-Type", "application/json",
                "Transfer-Encoding", "chunked"));
        clients.add(chunked);
        chunked.send(1000);
        assertThat(chunked.awaitStatus()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            huge.send(1024);
            chunked.send(1024);
            assertThat(huge.closedByServer() && chunked.closedByServer()).as("the connections are closed, the rest unread").isTrue();
        });
        assertThat(spoolFiles(DATA)).isEmpty();
    }

    @Test
    void declaredSizesOverAnEndpointsBudgetAreRefusedAtOnce() throws Exception {
        String token = as("alice").token();
        String seventyGigabytes = String.valueOf(70L * 1024 * 1024 * 1024);
        for (String request : List.of("POST /documents", "PUT /users/me/key", "POST /trust/verify", "POST /custody/cases",
                "POST /bytes/boefje_meta", "POST /bytes/raw")) {
            SlowClient client = SlowClient.open(port, request, Map.of("Authorization", "Bearer " + token,
                    "Content-Type", "application/octet-stream", "Content-Length", seventyGigabytes));
            clients.add(client);
            assertThat(client.awaitStatus()).as(request).isEqualTo(413);
        }
        SlowClient login = SlowClient.open(port, "POST /token", Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Content-Length", String.valueOf(60 * 1024 * 1024)));
        clients.add(login);
        assertThat(login.awaitStatus()).isEqualTo(413);
    }

    @Test
    void encodedBodiesAreRefusedNotInflated() {
        ApiClient.Response gzip = as("alice").send("POST", "/bytes/boefje_meta",
                Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"), new byte[]{31, -117, 8, 0});
        assertThat(gzip.status()).as(gzip.text()).isEqualTo(415);
    }

    @Test
    void answersAreNeitherCachedNorSniffed() {
        ApiClient.Response token = anonymous().token("alice", "test-password-alice");
        ApiClient.Response refused = anonymous().get("/bytes/mime_types");
        for (ApiClient.Response response : List.of(token, refused, as("alice").get("/bytes/mime_types"))) {
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        }
    }

    /** The files in Camel's spool directory under a data directory. */
    static List<Path> spoolFiles(Path dataDirectory) throws IOException {
        Path spool = dataDirectory.resolve("spool").resolve("camel");
        if (!Files.exists(spool)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.toList();
        }
    }
}
