package io.bytekeep.atrest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.bytekeep.platform.ContentSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * libsodium itself for the interop tests: src/test/resources/interop/sodium.py (python3 + Debian's libsodium23 through
 * ctypes, which .ci/run installs), and the files the tests hand it.
 */
final class Libsodium {

    private static final Path SODIUM = Path.of("src/test/resources/interop/sodium.py");

    private Libsodium() {
    }

    /** A key pair from {@code crypto_box_keypair}: public key, secret key. */
    record KeyPair(byte[] publicKey, byte[] secretKey) {

        static KeyPair generate() throws Exception {
            String[] pair = run("keypair").trim().split(" ");
            return new KeyPair(Base64.getDecoder().decode(pair[0]), Base64.getDecoder().decode(pair[1]));
        }

        String publicB64() {
            return b64(publicKey);
        }

        String secretB64() {
            return b64(secretKey);
        }
    }

    /** Runs sodium.py; fails the test unless it exits with 0. */
    static String run(String... args) throws Exception {
        Process process = start(args);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("libsodium (%s): %s", String.join(" ", args), output).isZero();
        return output;
    }

    /** Runs sodium.py and returns its exit code (2: libsodium refused to open). */
    static int exitCode(String... args) throws Exception {
        Process process = start(args);
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", SODIUM.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A file of {@code size} reproducible random bytes under {@code dir}. */
    static Path randomFile(Path dir, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve("plain-" + size), bytes);
    }

    /** A file as a source read from disk on every pass (what an upload spooled to disk is to a middleware). */
    static ContentSource source(Path file) throws IOException {
        long size = Files.size(file);
        return new ContentSource() {
            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }

            @Override
            public long size() {
                return size;
            }
        };
    }

    static byte[] bytes(ContentSource source) throws IOException {
        try (InputStream in = source.open()) {
            return in.readAllBytes();
        }
    }

    /** The spool files a middleware left under {@code spool}: none once every decoded stream was closed. */
    static List<Path> spoolFiles(Path spool) throws IOException {
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (var files = Files.list(spool)) {
            return files.toList();
        }
    }
}
