package io.bytekeep.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/bytekeep against the packaged jar (failsafe runs after `package`): the first call extracts the jar into the
 * cache and records a class data sharing archive, later calls use both; whatever the state of the cache, stdout
 * carries only the command's own output, so scripts and --json readers are not disturbed.
 */
class CliLauncherIT {

    @TempDir
    Path cache;

    private Path jar;

    @BeforeEach
    void findJar() throws IOException {
        try (Stream<Path> jars = Files.list(Path.of("target"))) {
            jar = jars.filter(p -> p.getFileName().toString().matches("bytekeep-.*\\.jar")).findFirst().orElseThrow(
                    () -> new AssertionError("no target/bytekeep-*.jar: run the integration tests with ./mvnw verify"));
        }
    }

    @Test
    void theFirstCallPreparesTheCacheAndEveryCallPrintsOnlyItsOutput() throws Exception {
        Result first = run("--version");
        assertThat(first.exit()).as(first.stderr()).isZero();
        assertThat(first.stdout()).startsWith("bytekeep ").doesNotContain("development").doesNotContainIgnoringCase("warning");
        Path prepared = onlyDirectoryIn(cache);
        assertThat(prepared.resolve(".complete")).exists();
        assertThat(prepared.resolve("classes.jsa")).isNotEmptyFile();

        Result second = run("--version");
        assertThat(second.exit()).isZero();
        assertThat(second.stdout()).isEqualTo(first.stdout());

        Files.write(prepared.resolve("classes.jsa"), new byte[4096]);   // a stale or broken archive is ignored quietly
        Result broken = run("--version");
        assertThat(broken.exit()).as(broken.stderr()).isZero();
        assertThat(broken.stdout()).isEqualTo(first.stdout());
    }

    /** C1 only while the bulk crypto is native; where it is not (the CLI's marker), C2 compiles the JDK's intrinsics. */
    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void theCompilerFollowsTheCryptoProvider() throws Exception {
        Result nativeCrypto = run("--version");
        assertThat(nativeCrypto.exit()).as(nativeCrypto.stderr()).isZero();
        assertThat(flags("--version")).contains("-XX:TieredStopAtLevel=1");

        Files.write(onlyDirectoryIn(cache).resolve("jdk-crypto"), new byte[0]);
        assertThat(flags("--version")).doesNotContain("TieredStopAtLevel");
    }

    @Test
    void exitCodesPassThrough() throws Exception {
        Result usage = run("download");   // ID missing: picocli's usage error
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.stdout()).isEmpty();
        assertThat(usage.stderr()).contains("Missing required parameter");
    }

    /** The JVM flags of a call (the JVM prints them first on stdout). */
    private String flags(String... args) throws IOException, InterruptedException {
        Result result = run(Map.of("BYTEKEEP_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), args);
        assertThat(result.exit()).as(result.stderr()).isZero();
        return result.stdout().lines().findFirst().orElseThrow();
    }

    private Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    private Result run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bin/bytekeep"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("BYTEKEEP_JAR", jar.toString());
        builder.environment().put("BYTEKEEP_CACHE_DIR", cache.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        Path stderr = Files.createTempFile(cache.getParent(), "launcher", ".err");
        Process process = builder.redirectError(stderr.toFile()).start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), stdout, Files.readString(stderr));
    }

    private static Path onlyDirectoryIn(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> dirs = entries.filter(Files::isDirectory).toList();
            assertThat(dirs).hasSize(1);
            return dirs.get(0);
        }
    }

    private record Result(int exit, String stdout, String stderr) {
    }
}
