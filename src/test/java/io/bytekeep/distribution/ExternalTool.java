package io.bytekeep.distribution;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.fail;

/**
 * Runs an independent command-line tool (protoc, openssl) from a test. A missing tool fails the test with a message
 * that says how to install it; it is never skipped.
 */
public final class ExternalTool {

    public record Outcome(int exitCode, String stdout, String stderr) {
    }

    private ExternalTool() {
    }

    /** The tool on the PATH, or a failed test. */
    public static String require(String name, String installHint) {
        return onPath(name).orElseGet(() -> fail(name + " is not on the PATH; the distribution tests verify their "
                + "output with it. Install it: " + installHint));
    }

    /**
     * protoc: Debian's ({@code apt-get install -y protobuf-compiler}) from the PATH; failing that, the
     * {@code com.google.protobuf:protoc} executable that the protobuf Maven plugin resolved into ~/.m2 (copied to a
     * temporary file and made executable). Fails the test when there is neither.
     */
    static String protoc() {
        Optional<String> onPath = onPath("protoc");
        if (onPath.isPresent()) {
            return onPath.get();
        }
        Path repository = Paths.get(System.getProperty("user.home"), ".m2", "repository", "com", "google",
                "protobuf", "protoc");
        if (Files.isDirectory(repository)) {
            try (Stream<Path> files = Files.walk(repository)) {
                Optional<Path> binary = files
                        .filter(p -> p.getFileName().toString().matches("protoc-.*-linux-x86_64\\.exe"))
                        .max(Comparator.naturalOrder());
                if (binary.isPresent()) {
                    Path copy = Files.createTempFile("protoc", ".exe");
                    Files.copy(binary.get(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    copy.toFile().setExecutable(true);
                    copy.toFile().deleteOnExit();
                    System.err.println("[ExternalTool] protoc is not on the PATH; using " + binary.get());
                    return copy.toString();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return fail("protoc is not on the PATH and not in ~/.m2; the distribution tests decode export.bin with it. "
                + "Install it: apt-get install -y protobuf-compiler");
    }

    /** Runs the command in the project directory with the bytes on its standard input. */
    public static Outcome run(byte[] stdin, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        try {
            Process process = builder.start();
            CompletableFuture<byte[]> out = drain(process.getInputStream());
            CompletableFuture<byte[]> err = drain(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail(String.join(" ", command) + " did not finish within 60 s");
            }
            return new Outcome(process.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return fail("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + command[0]);
        }
    }

    public static Outcome run(String... command) {
        return run(new byte[0], command);
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Optional<String> onPath(String name) {
        List<String> directories = new ArrayList<>(List.of(
                System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(File.pathSeparator)));
        return directories.stream()
                .map(directory -> Paths.get(directory, name))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }
}
