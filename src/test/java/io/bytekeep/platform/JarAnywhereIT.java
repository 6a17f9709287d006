package io.bytekeep.platform;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.ApplicationProcesses;
import io.bytekeep.support.TestServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar bytekeep.jar} started in an empty directory, with no configuration but its ports: it runs on the
 * defaults the jar carries (config from the class path, its route files installed in the data directory), stores and
 * serves a raw file, and picks the installed routes up again at the next start, edits included.
 */
class JarAnywhereIT {

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process process : started) {
            ApplicationProcesses.kill(process);
        }
    }

    @Test
    void theJarRunsFromAnEmptyDirectoryOnWhatItCarries() throws Exception {
        Path home = Files.createDirectories(Path.of("target", "jar-anywhere", UUID.randomUUID().toString()))
                .toAbsolutePath();
        int port = start(home, "first");

        Path routes = home.resolve("data").resolve("routes");
        try (Stream<Path> installed = Files.list(routes)) {
            assertThat(installed.map(file -> file.getFileName().toString()))
                    .contains("vault-ingest.camel.yaml", "distribution-run.camel.yaml");
        }
        assertThat(home.resolve("data/config/app-configuration.yaml")).isNotEmptyFile();
        assertThat(Files.readString(home.resolve("first.log"))).contains("the jar's route files are installed in "
                + routes);
        ApiClient api = new ApiClient(port).login("bytes", "anywhere-password");
        UUID boefjeMeta = api.createBoefjeMeta("org-a", Instant.now());
        ApiClient.Response stored = api.postJson("/bytes/raw?boefje_meta_id=" + boefjeMeta, Map.of("files", List.of(
                Map.of("name", "f", "tags", List.of("text/plain"), "content", "YW55d2hlcmU="))));
        assertThat(stored.status()).as(stored.text()).isEqualTo(200);
        ApiClient.Response read = api.get("/bytes/raw/" + stored.json().get("f").asText());
        assertThat(new String(read.body(), StandardCharsets.UTF_8)).isEqualTo("anywhere");

        // the installed routes are the service's from now on: an edit there is what runs after a restart
        ApplicationProcesses.kill(started.remove(0));
        Path service = routes.resolve("service.camel.yaml");
        String healthRouteEnd = "            ref: jsonResponder\n\n- route:\n    id: token";
        assertThat(Files.readString(service)).contains(healthRouteEnd);
        Files.writeString(service, Files.readString(service).replace(healthRouteEnd, "            ref: jsonResponder\n"
                + "        - setHeader:\n            name: X-Edited\n            constant: installed\n\n- route:\n    id: token"));
        int again = start(home, "second");
        assertThat(Files.readString(home.resolve("second.log"))).doesNotContain("the jar's route files are installed");
        assertThat(new ApiClient(again).send("GET", "/health", Map.of(), null).headers().firstValue("X-Edited"))
                .hasValue("installed");
    }

    private int start(Path home, String name) throws Exception {
        int port = TestServices.freePort();
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m", "-jar",
                jar().toString());
        ApplicationProcesses.launch(command, Map.of("BYTEKEEP_PORT", String.valueOf(port),
                        "BYTEKEEP_EMBEDDED_S3_PORT", String.valueOf(TestServices.freePort()),
                        "BYTEKEEP_EMBEDDED_S3_EXPORTS_PORT", String.valueOf(TestServices.freePort()),
                        "BYTEKEEP_EMBEDDED_AMQP_PORT", String.valueOf(TestServices.freePort()),
                        "BYTEKEEP_PASSWORD", "anywhere-password"),
                home.resolve(name + ".log").toFile(), port, started::add, home.toFile());
        return port;
    }

    /** The jar `./mvnw package` built (failsafe runs after it). */
    private static Path jar() throws Exception {
        try (Stream<Path> jars = Files.list(Path.of("target"))) {
            return jars.filter(file -> file.getFileName().toString().matches("bytekeep-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/bytekeep-*.jar: run ./mvnw package first"))
                    .toAbsolutePath();
        }
    }
}
