package io.bytekeep.atrest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.bytekeep.platform.ContentSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * NACL_SEALBOX against Bytes' own NaclBoxMiddleware ({@code bytes/bytes/raw/middleware.py} of OpenKAT, run unchanged
 * on PyNaCl by src/test/resources/interop/bytes_middleware.py): Bytekeep opens what Bytes encodes and Bytes decodes
 * what Bytekeep encodes, with the same BYTES_PRIVATE_KEY_B64 / BYTES_PUBLIC_KEY_B64. Needs a git repository of
 * minvws/nl-kat-coordination ({@code OPENKAT_REPOSITORY}, a bare mirror will do; skipped without one) and a python3
 * with PyNaCl (Debian: python3-nacl).
 */
class BytesNaclBoxMiddlewareTest {

    private static final Path SCRIPT = Path.of("src/test/resources/interop/bytes_middleware.py");
    private static final String MIDDLEWARE = "bytes/bytes/raw/middleware.py";
    private static final Path REPOSITORY = Path.of(Objects.requireNonNullElse(System.getenv("OPENKAT_REPOSITORY"),
            "/work/.mirror/minvws+nl-kat-coordination/repo"));

    private static final byte[] OUR_SECRET = new byte[32];
    private static final byte[] THEIR_SECRET = new byte[32];
    private static Path bytesSource;
    private static String python;

    @TempDir
    Path dir;

    @BeforeAll
    static void bytesMiddlewareFromOpenKat(@TempDir Path source) throws Exception {
        if (!Files.isDirectory(REPOSITORY)) {
            return;
        }
        for (String file : List.of("bytes/bytes/__init__.py", "bytes/bytes/raw/__init__.py", MIDDLEWARE)) {
            Path target = source.resolve(file.substring("bytes/".length()));
            Files.createDirectories(target.getParent());
            Files.writeString(target, run(List.of("git", "-C", REPOSITORY.toString(), "show", "HEAD:" + file)));
        }
        bytesSource = source;
        python = pythonWithPynacl();
        SecureRandom random = new SecureRandom();
        X25519.generatePrivateKey(random, OUR_SECRET);
        X25519.generatePrivateKey(random, THEIR_SECRET);
    }

    @BeforeEach
    void onlyWithOpenKatsSource() {
        assumeTrue(bytesSource != null, "no OpenKAT repository at " + REPOSITORY + " (set OPENKAT_REPOSITORY to a clone or "
                + "mirror of minvws/nl-kat-coordination to run Bytes' own middleware)");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3 * 1024 * 1024 + 7})
    void bytekeepOpensWhatBytesEncodes(int size) throws Exception {
        Path plain = Libsodium.randomFile(dir, size);
        Path encoded = dir.resolve("encoded-by-bytes");
        bytes("encode", plain, encoded);

        assertThat(encoded).hasSize(24 + 16 + (long) size);
        NaclBoxMiddleware middleware = middleware();
        assertThat(middleware.keyId()).isEqualTo(keyId());
        try (InputStream opened = middleware.decode(Files.newInputStream(encoded), new KeyRecord(middleware.keyId(), null))) {
            assertThat(opened.readAllBytes()).isEqualTo(Files.readAllBytes(plain));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3 * 1024 * 1024 + 7})
    void bytesDecodesWhatBytekeepEncodes(int size) throws Exception {
        ContentSource plain = Libsodium.source(Libsodium.randomFile(dir, size));
        Path encoded = dir.resolve("encoded-by-bytekeep");
        try (InputStream in = middleware().encode(plain).stored().open()) {
            Files.copy(in, encoded);
        }
        Path decoded = dir.resolve("decoded-by-bytes");
        bytes("decode", encoded, decoded);

        assertThat(Files.readAllBytes(decoded)).isEqualTo(Libsodium.bytes(plain));
    }

    @Test
    void bytesRefusesAChangedByteOfBytekeepsFile() throws Exception {
        byte[] stored = Libsodium.bytes(middleware().encode(ContentSource.of("KAT for president".getBytes(StandardCharsets.UTF_8))).stored());
        stored[stored.length - 1] ^= 1;
        Path changed = Files.write(dir.resolve("changed"), stored);
        Process process = start("decode", changed, dir.resolve("never"));
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output).contains("CryptoError");
        assertThat(dir.resolve("never")).doesNotExist();
    }

    private NaclBoxMiddleware middleware() {
        return new NaclBoxMiddleware(OUR_SECRET, NaclBox.publicKey(THEIR_SECRET), dir.resolve("spool"), new SecureRandom());
    }

    private static String keyId() {
        return NaclBoxMiddleware.keyId(NaclBox.publicKey(OUR_SECRET), NaclBox.publicKey(THEIR_SECRET));
    }

    /** Bytes configured as this deployment: BYTES_PRIVATE_KEY_B64 ours, BYTES_PUBLIC_KEY_B64 theirs. */
    private void bytes(String command, Path in, Path out) throws Exception {
        Process process = start(command, in, out);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("Bytes' middleware (%s): %s", command, output).isZero();
    }

    private Process start(String command, Path in, Path out) throws IOException {
        return new ProcessBuilder(python, SCRIPT.toString(), bytesSource.toString(), command, Libsodium.b64(OUR_SECRET),
                Libsodium.b64(NaclBox.publicKey(THEIR_SECRET)), in.toString(), out.toString()).redirectErrorStream(true).start();
    }

    /** The first python3 that imports PyNaCl: the one on the PATH, else Debian's (python3-nacl). */
    private static String pythonWithPynacl() throws Exception {
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import nacl.public").redirectErrorStream(true).start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException notInstalled) {
                // try the next one
            }
        }
        throw new AssertionError("no python3 with PyNaCl: install Debian's python3-nacl (apt-get install python3-nacl)");
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
        return output;
    }
}
