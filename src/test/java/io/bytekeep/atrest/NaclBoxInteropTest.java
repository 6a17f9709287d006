package io.bytekeep.atrest;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.bytekeep.platform.ContentSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * NACL_SEALBOX (Bytes' NaCl box: nonce || crypto_box_easy) against libsodium itself (crypto_box_easy /
 * crypto_box_open_easy, see {@link Libsodium}). Bytekeep holds one private key ({@code ours}, Bytes'
 * BYTES_PRIVATE_KEY_B64) and the other party's public key ({@code theirs}, BYTES_PUBLIC_KEY_B64); a box is opened by
 * either side's private key with the other side's public key.
 */
class NaclBoxInteropTest {

    private static Libsodium.KeyPair ours;
    private static Libsodium.KeyPair theirs;

    @TempDir
    Path dir;

    @BeforeAll
    static void libsodiumMakesTheKeyPairs() throws Exception {
        ours = Libsodium.KeyPair.generate();
        theirs = Libsodium.KeyPair.generate();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 64 * 1024, 5 * 1024 * 1024 + 3})
    void libsodiumOpensWhatBytekeepBoxes(int size) throws Exception {
        ContentSource plain = Libsodium.source(Libsodium.randomFile(dir, size));
        Encoded encoded = middleware().encode(plain);
        Path boxed = dir.resolve("boxed");
        try (InputStream in = encoded.stored().open()) {
            Files.copy(in, boxed);
        }
        assertThat(Files.size(boxed)).isEqualTo(encoded.stored().size()).isEqualTo(24 + 16 + (long) size);
        assertThat(encoded.key().keyId()).isEqualTo(keyId())
                .isEqualTo("box:" + NaclBox.fingerprint(ours.publicKey()) + ":" + NaclBox.fingerprint(theirs.publicKey()));
        assertThat(encoded.key().wrappedKey()).isNull();

        Libsodium.run("box-open", ours.publicB64(), theirs.secretB64(), boxed.toString(), dir.resolve("their-copy").toString());
        assertThat(Files.readAllBytes(dir.resolve("their-copy"))).as("the other party opens it").isEqualTo(Libsodium.bytes(plain));
        Libsodium.run("box-open", theirs.publicB64(), ours.secretB64(), boxed.toString(), dir.resolve("our-copy").toString());
        assertThat(Files.readAllBytes(dir.resolve("our-copy"))).as("our own key pair opens it").isEqualTo(Libsodium.bytes(plain));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100_000, 5 * 1024 * 1024 + 3})
    void bytekeepOpensWhatLibsodiumBoxes(int size) throws Exception {
        Path plain = Libsodium.randomFile(dir, size);
        // boxed as Bytes with the same keys boxes, and as the other party boxes for us
        for (String[] sender : new String[][] {{theirs.publicB64(), ours.secretB64()}, {ours.publicB64(), theirs.secretB64()}}) {
            Path boxed = libsodiumBox(plain, sender[0], sender[1]);
            assertThat(boxed).hasSize(24 + 16 + (long) size);
            try (InputStream opened = middleware().decode(Files.newInputStream(boxed), new KeyRecord(keyId(), null))) {
                assertThat(opened.readAllBytes()).isEqualTo(Files.readAllBytes(plain));
            }
        }
        assertThat(Libsodium.spoolFiles(dir.resolve("spool"))).as("the spooled ciphertext is removed once read").isEmpty();
    }

    @Test
    void changedTruncatedOrExtendedBoxesAreRefusedBeforeAnyPlaintext() throws Exception {
        byte[] boxed = Files.readAllBytes(libsodiumBox(text("KAT for president"), theirs.publicB64(), ours.secretB64()));
        KeyRecord key = new KeyRecord(keyId(), null);
        // nonce, MAC and ciphertext, each at both ends
        for (int position : new int[] {0, 23, 24, 39, 40, boxed.length - 1}) {
            byte[] changed = boxed.clone();
            changed[position] ^= 0x01;
            assertThatThrownBy(() -> middleware().decode(new ByteArrayInputStream(changed), key))
                    .as("bit flip at %d", position).isInstanceOf(DecryptionRefused.class);
            Path file = Files.write(dir.resolve("changed"), changed);
            assertThat(Libsodium.exitCode("box-open", ours.publicB64(), theirs.secretB64(), file.toString(), dir.resolve("x").toString()))
                    .as("libsodium refuses the same change at %d", position).isEqualTo(2);
        }
        for (int length : new int[] {0, 23, 24, 39, 40, boxed.length - 1}) {
            byte[] truncated = Arrays.copyOf(boxed, length);
            assertThatThrownBy(() -> middleware().decode(new ByteArrayInputStream(truncated), key))
                    .as("truncated to %d", length).isInstanceOf(DecryptionRefused.class);
        }
        byte[] extended = Arrays.copyOf(boxed, boxed.length + 1);
        assertThatThrownBy(() -> middleware().decode(new ByteArrayInputStream(extended), key)).isInstanceOf(DecryptionRefused.class);
        assertThat(Libsodium.spoolFiles(dir.resolve("spool"))).isEmpty();
    }

    @Test
    void anotherKeyPairIsRefused() throws Exception {
        byte[] boxed = Files.readAllBytes(libsodiumBox(text("x"), theirs.publicB64(), ours.secretB64()));
        Libsodium.KeyPair stranger = Libsodium.KeyPair.generate();
        NaclBoxMiddleware strangers = new NaclBoxMiddleware(ours.secretKey(), stranger.publicKey(), dir.resolve("spool"), new SecureRandom());
        assertThatThrownBy(() -> strangers.decode(new ByteArrayInputStream(boxed), new KeyRecord(keyId(), null)))
                .isInstanceOf(DecryptionRefused.class).hasMessageContaining(keyId());
        String strangersId = NaclBoxMiddleware.keyId(ours.publicKey(), stranger.publicKey());
        assertThatThrownBy(() -> strangers.decode(new ByteArrayInputStream(boxed), new KeyRecord(strangersId, null)))
                .isInstanceOf(DecryptionRefused.class).hasMessageContaining("authentication");
    }

    @Test
    void keysMustBeUsable() {
        assertThatThrownBy(() -> new NaclBoxMiddleware(ours.secretKey(), new byte[31], dir, new SecureRandom()))
                .hasMessageContaining("public key must be 32 bytes");
        assertThatThrownBy(() -> new NaclBoxMiddleware(new byte[16], theirs.publicKey(), dir, new SecureRandom()))
                .hasMessageContaining("private key must be 32 bytes");
        assertThatThrownBy(() -> new NaclBoxMiddleware(ours.secretKey(), new byte[32], dir, new SecureRandom()))
                .hasMessageContaining("low order");
    }

    private NaclBoxMiddleware middleware() {
        return new NaclBoxMiddleware(ours.secretKey(), theirs.publicKey(), dir.resolve("spool"), new SecureRandom());
    }

    private static String keyId() {
        return NaclBoxMiddleware.keyId(ours.publicKey(), theirs.publicKey());
    }

    private Path text(String text) throws Exception {
        return Files.writeString(dir.resolve("text"), text, StandardCharsets.UTF_8);
    }

    /** libsodium's nonce || crypto_box_easy of {@code in}, from {@code secretB64} to {@code publicB64}. */
    private Path libsodiumBox(Path in, String publicB64, String secretB64) throws Exception {
        Path out = dir.resolve("boxed-by-libsodium");
        Files.deleteIfExists(out);
        Libsodium.run("box", publicB64, secretB64, in.toString(), out.toString());
        return out;
    }
}
