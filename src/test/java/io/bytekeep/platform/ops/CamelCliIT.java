package io.bytekeep.platform.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.camel.test.spring.junit5.DisableJmx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import io.bytekeep.distribution.ExternalTool;
import io.bytekeep.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Camel CLI from another process lists the routes of a running Bytekeep (BYTEKEEP_CAMEL_CLI=true): Camel JBang's
 * own commands (org.apache.camel:camel-jbang-core, ops/camel-cli) read what the instance's CLI connector writes under
 * ~/.camel; no port is opened.
 */
@DirtiesContext
@DisableJmx(false) // camel-test-spring turns Camel's management off in tests; the CLI's counts come from it
@TestPropertySource(properties = {"camel.cli.enabled=true", "camel.main.jmx-enabled=true",
        "camel.main.dev-console-enabled=true"})
class CamelCliIT extends IntegrationTest {

    private static final Path CLASSPATH = Path.of("target", "camel-cli.classpath").toAbsolutePath();

    /** The CLI's class path, as ops/camel-cli/README.md resolves it (offline first, then from Maven Central). */
    @BeforeAll
    static void cliResolved() {
        List<String> resolve = List.of("./mvnw", "-q", "-B", "-f", "ops/camel-cli/pom.xml", "dependency:build-classpath",
                "-Dmdep.outputFile=" + CLASSPATH);
        ExternalTool.Outcome offline = ExternalTool.run(new byte[0], with("-o", resolve));
        if (offline.exitCode() != 0) {
            ExternalTool.Outcome online = ExternalTool.run(new byte[0], resolve.toArray(String[]::new));
            assertThat(online.exitCode()).as(online.stdout() + online.stderr()).isZero();
        }
        assertThat(CLASSPATH).isNotEmptyFile();
    }

    @Test
    void theCamelCliListsTheRoutesOfTheRunningService() throws Exception {
        String classpath = Files.readString(CLASSPATH).trim();
        String pid = String.valueOf(ProcessHandle.current().pid());
        // the connector writes its status about once a second
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            ExternalTool.Outcome routes = ExternalTool.run(new byte[0], "java", "-cp", classpath,
                    "ops/camel-cli/CamelCli.java", "get", "route", pid);
            assertThat(routes.exitCode()).as(routes.stderr()).isZero();
            assertThat(routes.stdout()).contains("distribution-run", "trust-publish", "export-put")
                    .containsPattern("(?m)^\\s*" + pid + "\\s+bytekeep\\s+\\S+");
        });
    }

    private static String[] with(String option, List<String> command) {
        String[] withOption = new String[command.size() + 1];
        withOption[0] = command.get(0);
        withOption[1] = option;
        for (int i = 1; i < command.size(); i++) {
            withOption[i + 1] = command.get(i);
        }
        return withOption;
    }
}
