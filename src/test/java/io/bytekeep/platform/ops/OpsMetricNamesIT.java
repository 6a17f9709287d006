package io.bytekeep.platform.ops;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every metric an alert of ops/prometheus or a panel of ops/grafana uses is served by /actuator/prometheus of a
 * running instance (route reloading on, as in the default configuration), after one upload.
 */
@DirtiesContext
@AutoConfigureObservability(tracing = false) // Spring Boot turns the Prometheus export off in tests otherwise
class OpsMetricNamesIT extends IntegrationTest {

    @DynamicPropertySource
    static void asConfiguredByDefault(DynamicPropertyRegistry registry) {
        registry.add("bytekeep.routes.reload-enabled", () -> "true");
        registry.add("camel.main.routes-reload-directory", () -> Path.of("routes").toAbsolutePath().toString());
    }

    @Test
    void everyMetricOfTheAlertsAndTheDashboardIsServed() {
        ApiClient bytes = as("bytes");
        UUID boefjeMeta = createBoefjeMeta(bytes, "ops", Instant.now());
        uploadRaw(bytes, boefjeMeta, "ops.txt", "ops".getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain");

        ApiClient.Response scrape = bytes.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        Set<String> served = new TreeSet<>();
        for (String line : scrape.text().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                served.add(line.split("[{ ]", 2)[0]);
            }
        }

        Set<String> used = new TreeSet<>();
        OpsFiles.ruleExpressions().forEach(expression -> used.addAll(OpsFiles.metricNames(expression)));
        OpsFiles.dashboardExpressions().forEach(expression -> used.addAll(OpsFiles.metricNames(expression)));
        assertThat(used).hasSizeGreaterThan(15).contains("bytekeep_outbox_oldest_age_seconds",
                "bytekeep_trust_timestamp_expiry_seconds", "bytekeep_routes_rejected_files",
                "bytekeep_proofs_oldest_age_seconds", "http_server_requests_seconds_bucket");
        assertThat(served).containsAll(used);
    }

    /** The Camel CLI's connector is off unless asked for: it writes nothing under ~/.camel (ops/camel-cli). */
    @Test
    void theCamelCliConnectorIsOffByDefault() {
        Path camelHome = Path.of(System.getProperty("user.home"), ".camel");
        assertThat(camelHome.resolve(String.valueOf(ProcessHandle.current().pid()))).doesNotExist();
        assertThat(camelHome.resolve(ProcessHandle.current().pid() + "-status.json")).doesNotExist();
    }

    /** The web console is off unless asked for: neither Hawtio nor the JMX bridge answers, not even an admin. */
    @Test
    void theWebConsoleIsOffByDefault() {
        ApiClient admin = as("bytes");
        assertThat(admin.get("/actuator/hawtio/").status()).isEqualTo(404);
        assertThat(admin.get("/actuator/jolokia/version").status()).isEqualTo(404);
        assertThat(admin.get("/console/login").status()).isEqualTo(404);
    }

    /** The outbox gauges follow the table: an event the broker never confirmed shows, with its age. */
    @Test
    void anEventThatWaitsShowsInTheOutboxGauges() {
        ApiClient admin = as("bytes");
        UUID id = UUID.randomUUID();
        // relay_after in an hour: the relay leaves it alone meanwhile
        jdbc.update("insert into outbox_event (id, destination, payload, created_at, relay_after) values (?, 'ops', '{}', ?, ?)",
                id, Timestamp.from(Instant.now().minus(Duration.ofMinutes(10))),
                Timestamp.from(Instant.now().plus(Duration.ofHours(1))));
        try {
            // read from the database at most every 10 s
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                String scrape = admin.get("/actuator/prometheus").text();
                assertThat(value(scrape, "bytekeep_outbox_pending")).isGreaterThanOrEqualTo(1);
                assertThat(value(scrape, "bytekeep_outbox_oldest_age_seconds")).isBetween(600.0, 900.0);
            });
        } finally {
            jdbc.update("delete from outbox_event where id = ?", id);
        }
    }

    private static double value(String scrape, String metric) {
        return scrape.lines().filter(line -> line.startsWith(metric + " ") || line.startsWith(metric + "{"))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(metric + " is not served"));
    }
}
