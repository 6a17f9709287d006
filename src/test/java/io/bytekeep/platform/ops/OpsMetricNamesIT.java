package io.bytekeep.platform.ops;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.bytekeep.distribution.ExternalTool;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;
import io.bytekeep.support.TestServices;

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

    /**
     * A real Prometheus (Debian's) scrapes the instance with a bearer token as ops/README.md says, evaluates every
     * alerting rule without error, answers every query of the dashboard without error (the core panels with data),
     * and draws the dashboard's main panels: the screenshot of docs/images (Grafana is not available to this build).
     */
    @Test
    void aRealPrometheusScrapesEvaluatesTheRulesAndAnswersTheDashboard() throws Exception {
        ApiClient bytes = as("bytes");
        UUID boefjeMeta = createBoefjeMeta(bytes, "ops", Instant.now());
        Path directory = Files.createDirectories(Path.of("target", "ops-prometheus").toAbsolutePath());
        Path token = Files.writeString(directory.resolve("token"), bytes.token());
        Path configuration = Files.writeString(directory.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: ["%s"]
                scrape_configs:
                  - job_name: bytekeep
                    metrics_path: /actuator/prometheus
                    authorization: {type: Bearer, credentials_file: "%s"}
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(OpsFiles.RULES.toAbsolutePath(), token, port));
        String prometheusUrl = "http://127.0.0.1:" + TestServices.freePort();
        Process prometheus = new ProcessBuilder(ExternalTool.require("prometheus", "apt-get install prometheus"),
                "--config.file=" + configuration, "--storage.tsdb.path=" + directory.resolve("data-" + UUID.randomUUID()),
                "--web.listen-address=" + prometheusUrl.substring("http://".length()))
                .redirectErrorStream(true).redirectOutput(directory.resolve("prometheus.log").toFile()).start();
        try {
            // uploads for a while, one after the other, so that the panels have something to draw
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (int i = 0; System.nanoTime() < until; i++) {
                uploadRaw(bytes, boefjeMeta, "panel", ("panel " + i).getBytes(StandardCharsets.UTF_8), "ops/" + i);
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                JsonNode target = prometheus(prometheusUrl, "/api/v1/targets").at("/data/activeTargets/0");
                assertThat(target.path("health").asText()).as(target.path("lastError").asText()).isEqualTo("up");
                for (JsonNode group : prometheus(prometheusUrl, "/api/v1/rules").at("/data/groups")) {
                    for (JsonNode rule : group.get("rules")) {
                        assertThat(rule.get("health").asText()).as(rule.get("name") + ": " + rule.path("lastError"))
                                .isEqualTo("ok");
                    }
                }
                for (String expression : OpsFiles.dashboardExpressions()) {
                    JsonNode answer = prometheus(prometheusUrl, "/api/v1/query?query="
                            + URLEncoder.encode(expression, StandardCharsets.UTF_8));
                    assertThat(answer.get("status").asText()).as(expression + ": " + answer.path("error")).isEqualTo("success");
                }
            });
            List<String> panels = List.of(OpsFiles.dashboardExpressions().get(0), OpsFiles.dashboardExpressions().get(2),
                    "bytekeep_outbox_pending", "sum by (instance) (jvm_memory_used_bytes{area=\"heap\"})");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                for (String expression : panels) {
                    assertThat(prometheus(prometheusUrl, "/api/v1/query?query="
                            + URLEncoder.encode(expression, StandardCharsets.UTF_8)).at("/data/result"))
                            .as("series of " + expression).isNotEmpty();
                }
            });
            Path shot = directory.resolve("dashboard-panels.png");
            ProcessBuilder browser = new ProcessBuilder("node", "panels.mjs").directory(Path.of("src/test/console-browser")
                    .toFile()).redirectErrorStream(true).redirectOutput(directory.resolve("panels.out").toFile());
            browser.environment().put("PROMETHEUS", prometheusUrl);
            browser.environment().put("EXPRESSIONS", new ObjectMapper().writeValueAsString(panels));
            browser.environment().put("RANGE", "30s");
            browser.environment().put("SHOT", shot.toString());
            Process drawing = browser.start();
            assertThat(drawing.waitFor(2, TimeUnit.MINUTES)).isTrue();
            String report = Files.readString(directory.resolve("panels.out"));
            assertThat(drawing.exitValue()).as(report).isZero();
            JsonNode drawn = new ObjectMapper().readTree(report.lines().reduce((first, last) -> last).orElseThrow());
            assertThat(drawn.get("panels").asInt()).isEqualTo(panels.size());
            assertThat(drawn.get("errors")).isEmpty();
            assertThat(shot).isNotEmptyFile();
        } finally {
            prometheus.destroy();
            prometheus.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static JsonNode prometheus(String url, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
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
