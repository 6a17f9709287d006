package io.bytekeep.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Route files are re-read when they change: an edit applies to the running service without a restart. */
@DirtiesContext // its own context: closed after the class, so its servers do not outlive it
class RouteReloadIT extends IntegrationTest {

    private static final Path ROUTES = copyOfRoutes();

    @DynamicPropertySource
    static void reloadableRoutes(DynamicPropertyRegistry registry) {
        registry.add("camel.main.routes-include-pattern", () -> "file:" + ROUTES + "/*.camel.yaml");
        registry.add("bytekeep.routes.reload-enabled", () -> "true");
        registry.add("camel.main.routes-reload-directory", ROUTES::toString);
    }

    @Test
    void anEditedRouteFileTakesEffectWhileTheServiceRuns() throws IOException {
        assertThat(anonymous().get("/health").headers().firstValue("X-Route-Revision")).isEmpty();

        Path file = ROUTES.resolve("service.camel.yaml");
        String edited = Files.readString(file).replaceFirst("""
                        - process:
                            ref: jsonResponder
                """, """
                        - process:
                            ref: jsonResponder
                        - setHeader:
                            name: X-Route-Revision
                            constant: "2"
                """);
        assertThat(edited).contains("X-Route-Revision");
        Path staged = Files.writeString(ROUTES.resolve("service.camel.yaml.tmp"), edited);
        Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(anonymous().get("/health").headers().firstValue("X-Route-Revision")).hasValue("2"));
        ApiClient api = as("bytes");
        assertThat(api.get("/bytes/mime_types").status()).as("routes of other files keep running").isEqualTo(200);
    }

    @Test
    void anEditThatDoesNotLoadKeepsThePreviousRoutesRunning() throws IOException {
        Path file = ROUTES.resolve("service.camel.yaml");
        String good = Files.readString(Path.of("routes", "service.camel.yaml"));
        replace(file, good.replaceFirst("ref: healthReport", "ref: noSuchBean"));

        // the failed reload is followed by the previous version loaded again: health keeps answering
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(anonymous().get("/health").status()).isEqualTo(200));
        var reload = as("bytes").get("/admin/reload").json();
        assertThat(reload.get("rejected").asInt()).isPositive();
        assertThat(reload.get("last_error").asText()).contains("noSuchBean");
        assertThat(as("alice").get("/admin/reload").status()).isEqualTo(403);

        ApiClient.Response degraded = as("bytes").get("/actuator/health");
        assertThat(degraded.status()).as("the previous routes serve: still 200").isEqualTo(200);
        assertThat(degraded.json().get("status").asText()).isEqualTo("DEGRADED");
        var rejected = degraded.json().get("components").get("routeFiles").get("details").get("rejected_files");
        assertThat(rejected.get(0).get("file").asText()).isEqualTo("service.camel.yaml");
        assertThat(rejected.get(0).get("error").asText()).contains("noSuchBean");
        var anonymousHealth = anonymous().get("/actuator/health").json();
        assertThat(anonymousHealth.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(anonymousHealth.has("components")).as("details are for admins").isFalse();
        assertThat(as("alice").get("/actuator/health").json().has("components")).isFalse();

        replace(file, good.replaceFirst("ref: jsonResponder\n", "ref: jsonResponder\n        - setHeader:\n"
                + "            name: X-Route-Revision\n            constant: \"3\"\n"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(anonymous().get("/health").headers().firstValue("X-Route-Revision")).hasValue("3"));
        // the new routes serve before the reload returns and the rejection is cleared (about 0.5 s later on a busy machine)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(anonymous().get("/actuator/health").json().get("status").asText()).as("the fixed file loaded").isEqualTo("UP"));
    }

    @Test
    void aRouteFileAddedWhileTheServiceRunsIsBehindTheEdge() throws IOException {
        // an integrator's new file that names no authentication step at all
        replace(ROUTES.resolve("probe.camel.yaml"), """
                - rest:
                    get:
                      - path: /probe/open
                        to: direct:probe-open
                      - path: /admin/probe
                        to: direct:probe-open
                - route:
                    from:
                      uri: direct:probe-open
                      steps:
                        - setBody:
                            constant: '{"open":true}'
                """);
        ApiClient admin = as("bytes");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin.get("/probe/open").status()).as("the new route loaded").isEqualTo(200));

        ApiClient.Response anonymousCall = anonymous().get("/probe/open");
        assertThat(anonymousCall.status()).isEqualTo(401);
        assertThat(anonymousCall.contentType()).startsWith("application/problem+json");
        assertThat(anonymous().withToken("not-a-token").get("/probe/open").status()).isEqualTo(401);
        assertThat(as("alice").get("/probe/open").status()).isEqualTo(200);
        assertThat(as("alice").get("/admin/probe").status()).as("under /admin/: the admin role").isEqualTo(403);
        assertThat(admin.get("/admin/probe").status()).isEqualTo(200);
        Files.delete(ROUTES.resolve("probe.camel.yaml"));
    }

    /**
     * routes/admin-api.camel.yaml makes its routes from a template: an edit of the template that does not load leaves
     * them running as they were, one that loads reaches every one of them.
     */
    @Test
    void anEditedRouteTemplateTakesEffectInTheRoutesMadeFromIt() throws IOException {
        ApiClient admin = as("bytes");
        Path file = ROUTES.resolve("admin-api.camel.yaml");
        String good = Files.readString(Path.of("routes", "admin-api.camel.yaml"));
        long rejectedBefore = admin.get("/admin/reload").json().get("rejected").asLong();
        replace(file, good.replaceFirst("ref: jsonResponder", "ref: noSuchBean"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin.get("/admin/reload").json().get("rejected").asLong()).isGreaterThan(rejectedBefore));
        assertThat(admin.get("/admin/config").status()).as("the previous admin routes run").isEqualTo(200);
        assertThat(admin.get("/admin/routes/admin-route-stop").json().get("status").asText()).isEqualTo("Started");

        // the template's last step, in every route made from it
        String edited = good.replaceFirst("ref: jsonResponder\n", "ref: jsonResponder\n          - setHeader:\n"
                + "              name: X-Route-Revision\n              constant: \"4\"\n");
        assertThat(edited).contains("X-Route-Revision");
        replace(file, edited);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(admin.get("/admin/config").headers().firstValue("X-Route-Revision")).hasValue("4");
            assertThat(admin.get("/admin/routes/admin-route-stop").headers().firstValue("X-Route-Revision")).hasValue("4");
        });
        assertThat(admin.get("/admin/routes/admin-route-stop").json().get("status").asText()).isEqualTo("Started");
        assertThat(admin.get("/admin/reload").json().get("rejected_files").toString()).doesNotContain("admin-api");
    }

    private static void replace(Path file, String content) throws IOException {
        Path staged = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), content);
        Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path copyOfRoutes() {
        try {
            Path target = Files.createDirectories(Path.of("target", "reload-routes").toAbsolutePath());
            try (Stream<Path> files = Files.list(Path.of("routes"))) {
                for (Path route : files.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                    Files.copy(route, target.resolve(route.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
