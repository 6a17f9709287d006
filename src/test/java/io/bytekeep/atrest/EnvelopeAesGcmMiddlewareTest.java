package io.bytekeep.atrest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.bytekeep.platform.ContentSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ENVELOPE_AES_GCM with its KEKs: wrapped data keys, writer and reader KEKs, rewrap without new ciphertext. */
class EnvelopeAesGcmMiddlewareTest {

    private static final byte[] KEK_2024 = bytes(1);
    private static final byte[] KEK_2025 = bytes(2);
    private static final byte[] PLAIN = "the scan results of example.org".repeat(5000).getBytes(StandardCharsets.UTF_8);

    @Test
    void encryptsWithAFreshDataKeyWrappedByTheWriterKek() throws IOException {
        EnvelopeAesGcmMiddleware middleware = middleware(ring(null, "kek-2024"));
        Encoded first = middleware.encode(ContentSource.of(PLAIN));
        Encoded second = middleware.encode(ContentSource.of(PLAIN));

        assertThat(first.key().keyId()).isEqualTo("kek-2024");
        assertThat(first.key().wrappedKey()).hasSize(40).isNotEqualTo(second.key().wrappedKey());
        byte[] stored = read(first.stored().open());
        assertThat(stored).hasSize((int) first.stored().size()).isNotEqualTo(read(second.stored().open()));
        assertThat(read(first.stored().open())).as("re-opened for a retry, the same bytes").isEqualTo(stored);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("example.org");
        assertThat(read(middleware.decode(new ByteArrayInputStream(stored), first.key()))).isEqualTo(PLAIN);
    }

    @Test
    void theNewestKekWritesUnlessOneIsNamedAndOldOnesStillRead() throws IOException {
        Encoded old = middleware(ring(null, "kek-2024")).encode(ContentSource.of(PLAIN));
        KekRing both = ring(null, "kek-2024", "kek-2025");
        assertThat(both.writerId()).isEqualTo("kek-2025");
        assertThat(ring("kek-2024", "kek-2024", "kek-2025").writerId()).isEqualTo("kek-2024");

        EnvelopeAesGcmMiddleware middleware = middleware(both);
        assertThat(middleware.encode(ContentSource.of(PLAIN)).key().keyId()).isEqualTo("kek-2025");
        assertThat(read(middleware.decode(old.stored().open(), old.key()))).isEqualTo(PLAIN);
    }

    @Test
    void rewrapMovesTheDataKeyToTheWriterAndTheBytesStayValid() throws IOException {
        Encoded old = middleware(ring(null, "kek-2024")).encode(ContentSource.of(PLAIN));
        byte[] stored = read(old.stored().open());
        KekRing both = ring(null, "kek-2024", "kek-2025");

        KeyRecord moved = both.rewrap(old.key());
        assertThat(moved.keyId()).isEqualTo("kek-2025");
        assertThat(moved.wrappedKey()).isNotEqualTo(old.key().wrappedKey());
        // the old KEK can go once every data key moved
        EnvelopeAesGcmMiddleware newOnly = middleware(ring(null, "kek-2025"));
        assertThat(read(newOnly.decode(new ByteArrayInputStream(stored), moved))).isEqualTo(PLAIN);
    }

    @Test
    void unknownKekWrongKekAndChangedWrappedKeyAreRefused() throws IOException {
        Encoded old = middleware(ring(null, "kek-2024")).encode(ContentSource.of(PLAIN));
        byte[] stored = read(old.stored().open());
        EnvelopeAesGcmMiddleware newOnly = middleware(ring(null, "kek-2025"));

        assertThatThrownBy(() -> newOnly.decode(new ByteArrayInputStream(stored), old.key()))
                .isInstanceOf(DecryptionRefused.class).hasMessageContaining("kek-2024").hasMessageContaining("not configured");
        assertThatThrownBy(() -> newOnly.decode(new ByteArrayInputStream(stored), new KeyRecord("kek-2025", old.key().wrappedKey())))
                .isInstanceOf(DecryptionRefused.class).hasMessageContaining("does not unwrap");
        byte[] changed = old.key().wrappedKey().clone();
        changed[3] ^= 1;
        assertThatThrownBy(() -> middleware(ring(null, "kek-2024")).decode(new ByteArrayInputStream(stored), new KeyRecord("kek-2024", changed)))
                .isInstanceOf(DecryptionRefused.class);
        assertThatThrownBy(() -> newOnly.decode(new ByteArrayInputStream("not encrypted at all".getBytes()), old.key()))
                .isInstanceOf(DecryptionRefused.class);
    }

    @Test
    void kekSettingsAreChecked() {
        assertThatThrownBy(() -> new KekRing(Map.of("short", new byte[16]), null)).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> ring("kek-2026", "kek-2024")).hasMessageContaining("kek-2026");
        assertThatThrownBy(() -> new KekRing(Map.of(), null)).hasMessageContaining("at least one");
        assertThatThrownBy(() -> new EnvelopeAesGcmMiddleware(ring(null, "kek-2024"), 100, new SecureRandom()))
                .hasMessageContaining("chunk size");
    }

    private static EnvelopeAesGcmMiddleware middleware(KekRing ring) {
        return new EnvelopeAesGcmMiddleware(ring, 4096, new SecureRandom());
    }

    private static KekRing ring(String writer, String... ids) {
        Map<String, byte[]> keks = new LinkedHashMap<>();
        for (String id : ids) {
            keks.put(id, id.equals("kek-2024") ? KEK_2024 : KEK_2025);
        }
        return new KekRing(keks, writer);
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static byte[] bytes(int seed) {
        byte[] key = new byte[32];
        new java.util.Random(seed).nextBytes(key);
        return key;
    }
}
