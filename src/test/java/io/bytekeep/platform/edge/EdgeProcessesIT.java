package io.bytekeep.platform.edge;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.ApplicationProcesses;
import io.bytekeep.support.SlowClient;
import io.bytekeep.support.TestServices;

import static io.bytekeep.support.ApplicationProcesses.PASSWORD;
import static io.bytekeep.support.ApplicationProcesses.USERNAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The edge as an operator runs the service, with its default lanes and rates: the embedded default and the prod
 * profile, each a separate process. Slow clients without a token do not stop it; a body refused half-way leaves
 * nothing in the spool directory.
 */
class EdgeProcessesIT {

    private static final Map<String, Instance> INSTANCES = new HashMap<>();

    private record Instance(ApplicationProcesses processes, int port, Path dataDirectory) {
        ApiClient api() {
            return new ApiClient(port).login(USERNAME, PASSWORD);
        }
    }

    @BeforeAll
    static void services() {
        TestServices.ensureDatabase();
    }

    @AfterAll
    static void stop() throws Exception {
        for (Instance instance : INSTANCES.values()) {
            instance.processes().killAll();
            instance.processes().close();
        }
        INSTANCES.clear();
    }

    private static synchronized Instance instance(String profile) throws Exception {
        Instance running = INSTANCES.get(profile);
        if (running == null) {
            String directory = "edge-" + profile;
            ApplicationProcesses processes = profile.equals("embedded")
                    ? ApplicationProcesses.embedded("edge", directory) : ApplicationProcesses.prod("edge", directory);
            int port = TestServices.freePort();
            processes.start(profile, port, Map.of());
            Path data = processes.isEmbedded() ? Path.of("target", directory, "data") : Path.of("target", directory, profile);
            running = new Instance(processes, port, data);
            INSTANCES.put(profile, running);
        }
        return running;
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "prod"})
    void sixtyFourSlowLoginsDoNotStopTheService(String profile) throws Exception {
        Instance instance = instance(profile);
        ApiClient api = instance.api();
        ApiClient anonymous = new ApiClient(instance.port());
        List<SlowClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                clients.add(SlowClient.open(instance.port(), "POST /token", Map.of(
                        "Content-Type", "application/x-www-form-urlencoded", "Content-Length", "10000")));
            }
            List<Long> health = new ArrayList<>();
            List<Long> calls = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (System.nanoTime() < until) {
                clients.forEach(SlowClient::trickle);
                health.add(SlowClient.timed(() -> assertThat(anonymous.get("/health").status()).isEqualTo(200)));
                calls.add(SlowClient.timed(() -> assertThat(api.get("/bytes/mime_types").status()).isEqualTo(200)));
            }
            assertThat(SlowClient.p99(health)).as("/health p99 ms").isLessThan(1000);
            assertThat(SlowClient.p99(calls)).as("API p99 ms").isLessThan(1000);
            await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
                clients.forEach(SlowClient::trickle);
                assertThat(clients).allMatch(SlowClient::closedByServer);
            });
            assertThat(clients.stream().map(SlowClient::status).distinct()).isSubsetOf(408, 503);
            System.out.printf("%s: 64 slow logins, /health p99 %d ms, API p99 %d ms%n", profile,
                    SlowClient.p99(health), SlowClient.p99(calls));
        } finally {
            clients.forEach(SlowClient::close);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "prod"})
    void aBodyRefusedHalfWayLeavesNothingBehind(String profile) throws Exception {
        Instance instance = instance(profile);
        ApiClient api = instance.api();
        byte[] twoMegabytes = new byte[2 * 1024 * 1024];
        Arrays.fill(twoMegabytes, (byte) ' ');
        ApiClient.Response refused = api.postChunked("/bytes/boefje_meta", "application/json", twoMegabytes);
        assertThat(refused.status()).as(refused.text()).isEqualTo(413);
        assertThat(refused.contentType()).startsWith("application/problem+json");

        SlowClient anonymous = SlowClient.open(instance.port(), "POST /bytes/raw?boefje_meta_id=" + UUID.randomUUID(),
                Map.of("Content-Type", "application/octet-stream", "Transfer-Encoding", "chunked"));
        try {
            anonymous.send(64 * 1024);
            assertThat(anonymous.awaitStatus()).isEqualTo(401);
        } finally {
            anonymous.close();
        }
        assertThat(EdgeIT.spoolFiles(instance.dataDirectory())).as("spool files left behind").isEmpty();
        assertThat(api.get("/bytes/mime_types").status()).as("and the service serves on").isEqualTo(200);
    }
}
