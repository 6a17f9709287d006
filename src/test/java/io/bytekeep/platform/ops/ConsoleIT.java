package io.bytekeep.platform.ops;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.ApplicationProcesses;
import io.bytekeep.support.TestServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console (Hawtio) of an instance started with BYTEKEEP_CONSOLE=true, in a real browser and over plain HTTP:
 * an admin logs in through the console's form and sees Bytekeep's routes drawn with their live counts; nobody else
 * gets in, and what Jolokia lets even an admin do is narrowed. The instance runs in a JVM of its own: Camel's MBeans
 * are per JVM, and the test JVM holds the contexts of other tests.
 */
class ConsoleIT {

    private static final Path BROWSER = Path.of("src/test/console-browser");
    private static final Path SHOTS = Path.of("target", "console-it", "screenshots");
    private static final String VIEWER = "viewer";
    private static final String VIEWER_PASSWORD = "viewer-password";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ApplicationProcesses processes;
    private static int port;
    private static ApiClient admin;

    @BeforeAll
    static void start() throws Exception {
        assertThat(BROWSER.resolve("node_modules/playwright-core")).as("npm ci --prefix " + BROWSER + " (.ci/run does)")
                .isDirectory();
        assertThat(Path.of("/usr/bin/chromium")).as("apt-get install chromium (.ci/run does)").exists();
        processes = ApplicationProcesses.embedded("console_it", "console-it");
        port = TestServices.freePort();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("BYTEKEEP_CONSOLE", "true");
        // a list set here replaces the configured one: the operator (admin) and a user without the admin role
        user(settings, 0, ApplicationProcesses.USERNAME, ApplicationProcesses.PASSWORD, "*", "admin");
        user(settings, 1, VIEWER, VIEWER_PASSWORD, "org-a", "");
        processes.start("console", port, settings);
        admin = new ApiClient(port).login(ApplicationProcesses.USERNAME, ApplicationProcesses.PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        processes.killAll();
        processes.close();
    }

    @Test
    void anAdminSeesBytekeepsRoutesDrawnWithTheirLiveCounts() throws Exception {
        // three files of one job, each with its own mime types: Bytes would take a second with the same for the first
        int uploads = 3;
        UUID boefjeMeta = admin.createBoefjeMeta("org-a", Instant.now());
        for (int i = 0; i < uploads; i++) {
            ApiClient.Response stored = admin.postJson("/bytes/raw?boefje_meta_id=" + boefjeMeta, Map.of("files", List.of(
                    Map.of("name", "f", "tags", List.of("console/" + i), "content",
                            Base64.getEncoder().encodeToString(("console " + i).getBytes(StandardCharsets.UTF_8))))));
            assertThat(stored.status()).as(stored.text()).isEqualTo(200);
        }

        JsonNode report = browse("raw-store", uploads, "outbox-relay");

        assertThat(report.get("loginPage").asText()).as("a console page without a session").isEqualTo("/console/login");
        assertThat(report.get("landing").asText()).isEqualTo("/actuator/hawtio/camel/routes");
        assertThat(report.get("cookie").get("httpOnly").asBoolean()).isTrue();
        assertThat(report.get("cookie").get("sameSite").asText()).isEqualTo("Strict");
        assertThat(report.get("failedRequests")).as("requests of the console that failed").isEmpty();
        List<String> labels = new ArrayList<>();
        report.get("route").get("nodes").forEach(node -> labels.add(node.get("label").asText()));
        assertThat(labels).anyMatch(label -> label.startsWith("From direct:raw-s"))
                .anyMatch(label -> label.startsWith("Process ref:proof"))
                .anyMatch(label -> label.startsWith("Process ref:encry"))
                .anyMatch(label -> label.startsWith("Process ref:hashR"));
        JsonNode first = report.get("route").get("nodes").get(0);
        assertThat(first.get("total").asInt()).as("exchanges of raw-store the diagram shows").isEqualTo(uploads);
        JsonNode hasher = node(report, "Process ref:proof");
        assertThat(hasher.get("total").asInt()).as("files hashed").isEqualTo(uploads);
        JsonNode live = report.get("live");
        assertThat(live.get("after").asInt()).as("the timer route's count, while the page stays open")
                .isGreaterThan(live.get("before").asInt());
        assertThat(SHOTS.resolve("console-route-diagram.png")).isNotEmptyFile();
    }

    @Test
    void theConsoleIsForAdminsOnly() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> anonymous = http.send(request("/actuator/jolokia/version").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        ApiClient viewer = new ApiClient(port).login(VIEWER, VIEWER_PASSWORD);
        assertThat(viewer.get("/actuator/jolokia/version").status()).isEqualTo(403);
        assertThat(viewer.get("/actuator/hawtio/").status()).isEqualTo(403);

        HttpResponse<String> viewerLogin = http.send(loginForm(VIEWER, VIEWER_PASSWORD), HttpResponse.BodyHandlers.ofString());
        assertThat(viewerLogin.statusCode()).isEqualTo(403);
        assertThat(viewerLogin.headers().allValues("Set-Cookie")).isEmpty();
        HttpResponse<String> wrongPassword = http.send(loginForm(ApplicationProcesses.USERNAME, "not the password"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.headers().allValues("Set-Cookie")).isEmpty();

        HttpResponse<String> login = http.send(loginForm(ApplicationProcesses.USERNAME, ApplicationProcesses.PASSWORD),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(303);
        String session = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        assertThat(session).startsWith("bytekeep_console=");
        assertThat(http.send(request("/actuator/jolokia/version").header("Cookie", session).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        // the cookie is the console's only: the rest of the API wants the bearer token
        assertThat(http.send(request("/bytes/mime_types").header("Cookie", session).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        // another site's page cannot make the browser act with it: not with an operation in a GET, nor in a POST
        assertThat(http.send(request("/actuator/jolokia/version").header("Cookie", session)
                .header("Sec-Fetch-Site", "cross-site").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(403);
        HttpResponse<String> crossSite = http.send(request("/actuator/jolokia").header("Cookie", session)
                .header("Origin", "https://elsewhere.example").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"version\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(crossSite.statusCode()).isEqualTo(403);
    }

    @Test
    void throughJolokiaAnAdminReadsCamelButNeitherSteersItNorDumpsTheHeapNorSendsMessages() throws Exception {
        Path dump = Files.createTempDirectory("console-it").resolve("heap.hprof");
        JsonNode heap = jolokia(Map.of("type", "exec", "mbean", "com.sun.management:type=HotSpotDiagnostic",
                "operation", "dumpHeap", "arguments", List.of(dump.toString(), true)));
        assertThat(heap.get("status").asInt()).isEqualTo(403);
        assertThat(dump).doesNotExist();
        JsonNode send = jolokia(Map.of("type", "exec", "mbean", camelContext(),
                "operation", "sendBody(java.lang.String,java.lang.Object)", "arguments", List.of("direct:raw-store", "x")));
        assertThat(send.get("status").asInt()).isEqualTo(403);
        JsonNode stop = jolokia(Map.of("type", "exec", "mbean",
                "org.apache.camel:context=bytekeep,type=routes,name=\"raw-store\"", "operation", "stop()"));
        assertThat(stop.get("status").asInt()).as("routes are steered through /admin/routes").isEqualTo(403);
        JsonNode write = jolokia(Map.of("type", "write", "mbean", "java.lang:type=Memory", "attribute", "Verbose",
                "value", true));
        assertThat(write.get("status").asInt()).isEqualTo(403);
        JsonNode stats = jolokia(Map.of("type", "exec", "mbean", camelContext(),
                "operation", "dumpRoutesStatsAsXml(boolean,boolean)", "arguments", List.of(true, true)));
        assertThat(stats.get("status").asInt()).isEqualTo(200);
        assertThat(stats.get("value").asText()).contains("id=\"raw-store\"");
    }

    private static String camelContext() {
        return "org.apache.camel:context=bytekeep,type=context,name=\"bytekeep\"";
    }

    private static JsonNode jolokia(Map<String, Object> request) throws Exception {
        ApiClient.Response response = admin.postJson("/actuator/jolokia", request);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode node(JsonNode report, String labelPrefix) {
        for (JsonNode node : report.get("route").get("nodes")) {
            if (node.get("label").asText().startsWith(labelPrefix)) {
                return node;
            }
        }
        throw new AssertionError("no node " + labelPrefix + " in " + report.get("route"));
    }

    /** Runs the browser script (src/test/console-browser/console.mjs) against the instance; its report. */
    private static JsonNode browse(String route, int expected, String liveRoute) throws Exception {
        Files.createDirectories(SHOTS);
        File out = SHOTS.resolveSibling("browser.out").toFile();
        File err = SHOTS.resolveSibling("browser.err").toFile();
        ProcessBuilder builder = new ProcessBuilder("node", "console.mjs").directory(BROWSER.toFile())
                .redirectOutput(out).redirectError(err);
        builder.environment().putAll(Map.of("BASE", "http://127.0.0.1:" + port,
                "CONSOLE_USER", ApplicationProcesses.USERNAME, "CONSOLE_PASSWORD", ApplicationProcesses.PASSWORD,
                "ROUTE", route, "EXPECTED", String.valueOf(expected), "LIVE_ROUTE", liveRoute,
                "SHOTS", SHOTS.toAbsolutePath().toString()));
        Process browser = builder.start();
        assertThat(browser.waitFor(4, TimeUnit.MINUTES)).as("the browser script finished").isTrue();
        assertThat(browser.exitValue()).as(Files.readString(err.toPath())).isZero();
        return JSON.readTree(Files.readString(out.toPath()));
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    private static HttpRequest loginForm(String username, String password) {
        return request("/console/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + username + "&password="
                        + password.replace(" ", "+"))).build();
    }

    private static void user(Map<String, String> settings, int index, String username, String password,
                             String organization, String role) {
        String prefix = "bytekeep.security.users[" + index + "].";
        settings.put(prefix + "username", username);
        settings.put(prefix + "password", password);
        settings.put(prefix + "organizations[0]", organization);
        if (!role.isEmpty()) {
            settings.put(prefix + "roles[0]", role);
        }
    }
}
