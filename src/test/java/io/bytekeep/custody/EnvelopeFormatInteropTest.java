package io.bytekeep.custody;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.bytekeep.platform.ContentSource;

import static org.assertj.core.api.Assertions.assertThat;
import io.bytekeep.atrest.Encoded;
import io.bytekeep.atrest.EnvelopeAesGcmMiddleware;
import io.bytekeep.atrest.KekRing;
import io.bytekeep.atrest.KeyRecord;

/**
 * ENVELOPE_AES_GCM as docs/VERIFY.md describes it, decrypted by an implementation that shares no code with Bytekeep:
 * src/test/resources/interop/envelope.py (Python's cryptography package: RFC 3394 unwrap, AES-GCM of OpenSSL).
 */
class EnvelopeFormatInteropTest {

    private static final byte[] KEK = new byte[32];

    static {
        new Random(5).nextBytes(KEK);
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1023, 1024, 1025, 3 * 1024, 100_000})
    void theDocumentedFormatDecryptsWithAnIndependentImplementation(int size) throws Exception {
        byte[] plain = new byte[size];
        new Random(size).nextBytes(plain);
        Encoded encoded = middleware().encode(ContentSource.of(plain));
        Path object = dir.resolve("object");
        try (InputStream in = encoded.stored().open()) {
            Files.copy(in, object);
        }

        assertThat(python(encoded.key(), object)).isZero();
        assertThat(Files.readAllBytes(dir.resolve("plain"))).isEqualTo(plain);
    }

    @Test
    void theIndependentImplementationRefusesWhatBytekeepRefuses() throws Exception {
        Encoded encoded = middleware().encode(ContentSource.of("KAT for president".repeat(200).getBytes(StandardCharsets.UTF_8)));
        byte[] stored;
        try (InputStream in = encoded.stored().open()) {
            stored = in.readAllBytes();
        }
        for (byte[] tampered : List.of(java.util.Arrays.copyOf(stored, 16 + 1024 + 16), flip(stored, 20), flip(stored, 6))) {
            Path object = Files.write(dir.resolve("tampered"), tampered);
            assertThat(python(encoded.key(), object)).isEqualTo(2);
        }
    }

    private static EnvelopeAesGcmMiddleware middleware() {
        return new EnvelopeAesGcmMiddleware(new KekRing(Map.of("kek", KEK), null), 1024, new SecureRandom());
    }

    private static byte[] flip(byte[] bytes, int position) {
        byte[] changed = bytes.clone();
        changed[position] ^= 0x40;
        return changed;
    }

    private int python(KeyRecord key, Path object) throws Exception {
        Process process = new ProcessBuilder("python3", "src/test/resources/interop/envelope.py",
                Base64.getEncoder().encodeToString(KEK), Base64.getEncoder().encodeToString(key.wrappedKey()),
                object.toString(), dir.resolve("plain").toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isIn(0, 2);
        return process.exitValue();
    }
}
