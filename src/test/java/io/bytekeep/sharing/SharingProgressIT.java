package io.bytekeep.sharing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line as its own process: under a pseudo-terminal (util-linux {@code script}) an upload draws a progress
 * bar with bytes/s and an ETA on standard error; piped, or with --json, it prints none.
 */
class SharingProgressIT extends SharingTestSupport {

    @TempDir
    Path home;

    @Test
    void theProgressBarShowsOnATerminalOnly() throws Exception {
        Path alice = loggedIn(home, "alice");
        Path file = plainFile(home.resolve("twelve.bin"), 12);

        String onTerminal = underTerminal(alice, file, false);
        assertThat(onTerminal).contains("upload [").contains("100%").contains("/s ETA");

        String jsonOnTerminal = underTerminal(alice, file, true);
        assertThat(jsonOnTerminal).contains("\"id\"").doesNotContain("upload [").doesNotContain("ETA");

        Process piped = new ProcessBuilder(command(alice, file, false)).redirectErrorStream(true).start();
        String pipedOutput = new String(piped.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(piped.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(piped.exitValue()).as(pipedOutput).isZero();
        assertThat(pipedOutput).contains("twelve.bin").doesNotContain("ETA").doesNotContain("\r");
    }

    private static String underTerminal(Path configDir, Path file, boolean json) throws IOException, InterruptedException {
        String shellCommand = String.join(" ", command(configDir, file, json).stream().map(a -> "'" + a + "'").toList());
        Process script = new ProcessBuilder("script", "-qfec", shellCommand, "/dev/null").redirectErrorStream(true).start();
        script.getOutputStream().close();
        String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).as(output).isZero();
        return output;
    }

    private static List<String> command(Path configDir, Path file, boolean json) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath(), "io.bytekeep.cli.BytekeepCli", "upload", file.toString(),
                "--config-dir", configDir.toString()));
        if (json) {
            command.add("--json");
        }
        return command;
    }

    /** This test's class path, written to an argument file's worth of plain entries (the child needs no Spring). */
    private static String classPath() {
        String classPath = System.getProperty("java.class.path");
        assertThat(Files.exists(Path.of(classPath.split(java.io.File.pathSeparator)[0]))).isTrue();
        return classPath;
    }
}
