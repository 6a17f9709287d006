package io.bytekeep.platform.admin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** routes/admin-api.camel.yaml: admin role only, route status and metrics, route control, Quartz trigger, masked config. */
class AdminApiIT extends IntegrationTest {

    private static final List<String[]> OPERATIONS = List.of(
            new String[] {"GET", "/admin/routes"},
            new String[] {"GET", "/admin/routes/raw-upload"},
            new String[] {"GET", "/admin/config"},
            new String[] {"POST", "/admin/routes/mime-type-counts/stop"},
            new String[] {"POST", "/admin/routes/mime-type-counts/start"},
            new String[] {"POST", "/admin/routes/mime-type-counts/suspend"},
            new String[] {"POST", "/admin/routes/mime-type-counts/resume"},
            new String[] {"POST", "/admin/routes/distribution-run-schedule/trigger"});

    @AfterEach
    void everyRouteRuns() {
        ApiClient admin = as("bytes");
        admin.post("/admin/routes/mime-type-counts/resume", "application/json", new byte[0]);
        admin.post("/admin/routes/mime-type-counts/start", "application/json", new byte[0]);
    }

    @Test
    void everyOperationNeedsATokenWithTheAdminRole() {
        ApiClient alice = as("alice");
        ApiClient bob = as("bob");
        for (String[] op : OPERATIONS) {
            ApiClient.Response anonymous = anonymous().send(op[0], op[1], Map.of(), null);
            assertThat(anonymous.status()).as("%s %s without token", op[0], op[1]).isEqualTo(401);
            for (ApiClient user : List.of(alice, bob)) {
                ApiClient.Response response = send(user, op);
                assertThat(response.status()).as("%s %s as non-admin: %s", op[0], op[1], response.text()).isEqualTo(403);
                assertThat(response.contentType()).startsWith("application/problem+json");
            }
        }
        assertThat(status("mime-type-counts")).isEqualTo("Started");
    }

    @Test
    void listShowsRoutesWithStatusSourceAndCountsExchanges() {
        ApiClient admin = as("bytes");
        JsonNode before = route(admin, "raw-upload");
        assertThat(before.get("status").asText()).isEqualTo("Started");
        assertThat(before.get("from").asText()).isEqualTo("direct://raw-upload");
        assertThat(before.get("source").asText()).contains("vault-ingest.camel.yaml");
        long total = before.get("metrics").get("exchanges_total").asLong();

        UUID meta = createBoefjeMeta(admin, "org-a", Instant.now());
        uploadRaw(admin, meta, "a.txt", "hello".getBytes(StandardCharsets.UTF_8), "text/plain");
        uploadRaw(admin, meta, "b.txt", "world".getBytes(StandardCharsets.UTF_8), "text/plain");

        JsonNode after = route(admin, "raw-upload");
        assertThat(after.get("metrics").get("exchanges_total").asLong()).isEqualTo(total + 2);
        assertThat(after.get("metrics").get("exchanges_failed").asLong()).isZero();
        assertThat(after.get("metrics").get("mean_millis").asDouble()).isPositive();
        assertThat(after.get("metrics").get("max_millis").asDouble()).isPositive();
        assertThat(after.get("metrics").get("exchanges_inflight").asInt()).isZero();

        ApiClient.Response one = admin.get("/admin/routes/raw-upload");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("id").asText()).isEqualTo("raw-upload");
        assertThat(admin.get("/admin/routes/no-such-route").status()).isEqualTo(404);
    }

    @Test
    void stopStartSuspendResumeARoute() {
        ApiClient admin = as("bytes");
        assertThat(admin.get("/bytes/mime_types").status()).isEqualTo(200);

        ApiClient.Response stop = admin.post("/admin/routes/mime-type-counts/stop", "application/json", new byte[0]);
        assertThat(stop.status()).as(stop.text()).isEqualTo(200);
        assertThat(stop.json().get("status").asText()).isEqualTo("Stopped");
        assertThat(status("mime-type-counts")).isEqualTo("Stopped");
        // the REST operation finds no consumer on direct:mime-type-counts: the direct component waits for one
        // (camel.component.direct.timeout, 5 s), then the default route configuration answers a 503 problem
        long asked = System.nanoTime();
        ApiClient.Response stopped = admin.get("/bytes/mime_types");
        assertThat(stopped.status()).as(stopped.text()).isEqualTo(503);
        assertThat(stopped.contentType()).startsWith("application/problem+json");
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(15));

        ApiClient.Response start = admin.post("/admin/routes/mime-type-counts/start", "application/json", new byte[0]);
        assertThat(start.status()).as(start.text()).isEqualTo(200);
        assertThat(start.json().get("status").asText()).isEqualTo("Started");
        assertThat(admin.get("/bytes/mime_types").status()).isEqualTo(200);

        ApiClient.Response suspend = admin.post("/admin/routes/mime-type-counts/suspend", "application/json", new byte[0]);
        assertThat(suspend.status()).as(suspend.text()).isEqualTo(200);
        assertThat(status("mime-type-counts")).isEqualTo("Suspended");
        ApiClient.Response resume = admin.post("/admin/routes/mime-type-counts/resume", "application/json", new byte[0]);
        assertThat(resume.status()).as(resume.text()).isEqualTo(200);
        assertThat(status("mime-type-counts")).isEqualTo("Started");
        assertThat(admin.get("/bytes/mime_types").status()).isEqualTo(200);

        assertThat(admin.post("/admin/routes/no-such-route/stop", "application/json", new byte[0]).status()).isEqualTo(404);
        ApiClient.Response self = admin.post("/admin/routes/admin-route-stop/stop", "application/json", new byte[0]);
        assertThat(self.status()).as(self.text()).isEqualTo(409);
        assertThat(admin.post("/admin/routes/api-admin-routes-list/suspend", "application/json", new byte[0]).status())
                .isEqualTo(409);
        assertThat(status("admin-route-stop")).isEqualTo("Started");
    }

    @Test
    void triggerFiresTheQuartzRouteNow() {
        ApiClient admin = as("bytes");
        long runs = route(admin, "distribution-run-schedule").get("metrics").get("exchanges_total").asLong();
        long pipeline = route(admin, "distribution-run").get("metrics").get("exchanges_total").asLong();

        ApiClient.Response trigger = admin.post("/admin/routes/distribution-run-schedule/trigger", "application/json", new byte[0]);
        assertThat(trigger.status()).as(trigger.text()).isEqualTo(200);
        assertThat(trigger.json().get("action").asText()).isEqualTo("trigger");

        // the test profile's cron never fires by itself: the run comes from the trigger
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(route(admin, "distribution-run-schedule").get("metrics").get("exchanges_total").asLong()).isEqualTo(runs + 1);
            assertThat(route(admin, "distribution-run").get("metrics").get("exchanges_total").asLong()).isEqualTo(pipeline + 1);
        });

        ApiClient.Response notQuartz = admin.post("/admin/routes/raw-upload/trigger", "application/json", new byte[0]);
        assertThat(notQuartz.status()).as(notQuartz.text()).isEqualTo(400);
        assertThat(notQuartz.contentType()).startsWith("application/problem+json");
        assertThat(admin.post("/admin/routes/no-such-route/trigger", "application/json", new byte[0]).status()).isEqualTo(404);
    }

    @Test
    void configShowsTheEffectivePropertiesWithSecretsMasked() {
        ApiClient.Response response = as("bytes").get("/admin/config");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        String body = response.text();
        for (String secret : List.of("test-signing-key-0123456789abcdef0123456789abcdef", "test-password-bytes",
                "test-password-alice", "test-password-bob", "test-secret-0123456789", "test-submission-token-0123456789",
                "src/test/resources/test-config/export-signing-key.pem", "test-access")) {
            assertThat(body).as("the config shows no secret").doesNotContain(secret);
        }
        JsonNode config = response.json();
        assertThat(config.get("bytekeep.storage.raw-bucket").asText()).isEqualTo("bytekeep-test-raw");
        assertThat(config.get("bytekeep.distribution.export-bucket").asText()).isEqualTo("bytekeep-test-exports");
        assertThat(config.get("bytekeep.security.jwt-secret").asText()).isEqualTo(AdminConfig.MASK);
        assertThat(config.get("bytekeep.security.users[0].password").asText()).isEqualTo(AdminConfig.MASK);
        assertThat(config.get("bytekeep.security.users[0].username").asText()).isEqualTo("bytes");
        assertThat(config.get("bytekeep.storage.secret-key").asText()).isEqualTo(AdminConfig.MASK);
        assertThat(config.get("bytekeep.distribution.submission-token").asText()).isEqualTo(AdminConfig.MASK);
        assertThat(config.get("bytekeep.distribution.signing-key-pem").asText()).isEqualTo(AdminConfig.MASK);
        assertThat(config.get("spring.rabbitmq.password").asText()).isEqualTo(AdminConfig.MASK);
        assertThat(config.get("spring.datasource.url").asText()).contains("bytekeep_test");
        assertThat(config.has("camel.main.jmx-enabled")).isTrue();
        assertThat(config.get("bytekeep.distribution.max-keys-per-submission")).as("'keys' is not 'key'").isNotNull();
    }

    private String status(String id) {
        return route(as("bytes"), id).get("status").asText();
    }

    private static JsonNode route(ApiClient admin, String id) {
        ApiClient.Response response = admin.get("/admin/routes");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        for (JsonNode route : response.json()) {
            if (route.get("id").asText().equals(id)) {
                return route;
            }
        }
        throw new AssertionError("no route " + id + " in " + response.text());
    }

    private static ApiClient.Response send(ApiClient user, String[] op) {
        return op[0].equals("GET") ? user.get(op[1]) : user.post(op[1], "application/json", new byte[0]);
    }
}
