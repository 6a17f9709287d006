package io.bytekeep.platform.edge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.ProfileInstances;
import io.bytekeep.support.ProfileInstances.Instance;
import io.bytekeep.support.SlowClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The edge as an operator runs the service, with its default lanes and rates: the embedded default and the prod
 * profile, each a separate process. Slow clients without a token do not stop it; a body refused half-way leaves
 * nothing in the spool directory.
 */
class EdgeProcessesIT {

    private static final ProfileInstances INSTANCES = new ProfileInstances("edge", Map.of());

    @AfterAll
    static void stop() throws Exception {
        INSTANCES.close();
    }

    private static Instance instance(String profile) throws Exception {
        return INSTANCES.get(profile);
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
