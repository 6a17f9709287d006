package io.bytekeep.platform.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.bytekeep.distribution.ExternalTool;
import io.bytekeep.support.ApplicationProcesses;
import io.bytekeep.support.TestServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Camel CLI from another process lists the routes of a running Bytekeep started with BYTEKEEP_CAMEL_CLI=true:
 * Camel JBang's own commands (org.apache.camel:camel-jbang-core, ops/camel-cli) read what the instance's CLI connector
 * writes under ~/.camel; no port is opened. The instance runs in a JVM of its own: the connector stops the Camel of
 * its JVM when its files go, which in the test JVM would be every cached test context's.
 */
class CamelCliIT {

    private static final Path CLASSPATH = Path.of("target", "camel-cli.classpath").toAbsolutePath();

    private ApplicationProcesses processes;
    private long pid;

    /** The CLI's class path, as ops/camel-cli/README.md resolves it (offline first, then from Maven Central). */
    @BeforeAll
    static void cliResolved() {
        List<String> resolve = List.of("-q", "-B", "-f", "ops/camel-cli/pom.xml", "dependency:build-classpath",
                "-Dmdep.outputFile=" + CLASSPATH);
        ExternalTool.Outcome offline = ExternalTool.run(new byte[0], mvnw("-o", resolve));
        if (offline.exitCode() != 0) {
            ExternalTool.Outcome online = ExternalTool.run(new byte[0], mvnw(null, resolve));
            assertThat(online.exitCode()).as(online.stdout() + online.stderr()).isZero();
        }
        assertThat(CLASSPATH).isNotEmptyFile();
    }

    @AfterEach
    void stop() throws Exception {
        processes.killAll();
        processes.close();
        // a killed instance leaves its status files behind
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("user.home"), ".camel"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(pid + "")).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException noDirectory) {
            // nothing left behind
        }
    }

    @Test
    void theCamelCliListsTheRoutesOfTheRunningService() throws Exception {
        processes = ApplicationProcesses.embedded("camel_cli_it", "camel-cli-it");
        pid = processes.start("cli", TestServices.freePort(), Map.of("BYTEKEEP_CAMEL_CLI", "true")).pid();
        String classpath = Files.readString(CLASSPATH).trim();
        // the connector writes its status about once a second
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            ExternalTool.Outcome routes = ExternalTool.run(new byte[0], "java", "-cp", classpath,
                    "ops/camel-cli/CamelCli.java", "get", "route", String.valueOf(pid));
            assertThat(routes.exitCode()).as(routes.stderr()).isZero();
            assertThat(routes.stdout()).contains("distribution-run", "trust-publish", "export-put")
                    .containsPattern("(?m)^\\s*" + pid + "\\s+bytekeep\\s+\\S+");
        });
    }

    /** ./mvnw with an option (or none) before the arguments. */
    private static String[] mvnw(String option, List<String> arguments) {
        return Stream.of(Stream.of("./mvnw"), Stream.ofNullable(option), arguments.stream()).flatMap(s -> s)
                .toArray(String[]::new);
    }
}
