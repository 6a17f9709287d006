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
 * LIBSODIUM_SEALED_BOX against libsodium itself (crypto_box_seal / crypto_box_seal_open / crypto_box_keypair, see
 * {@link Libsodium}): what Bytekeep seals, libsodium opens, and the other way round.
 */
class SealedBoxInteropTest {

    private static Libsodium.KeyPair keys;

    @TempDir
    Path dir;

    @BeforeAll
    static void libsodiumMakesTheKeyPair() throws Exception {
        keys = Libsodium.KeyPair.generate();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 64 * 1024, 1_000_003})
    void libsodiumOpensWhatBytekeepSeals(int size) throws Exception {
        ContentSource plain = Libsodium.source(Libsodium.randomFile(dir, size));
        Encoded encoded = middleware().encode(plain);
        Path sealed = dir.resolve("sealed");
        try (InputStream in = encoded.stored().open()) {
            Files.copy(in, sealed);
        }
        assertThat(Files.size(sealed)).isEqualTo(encoded.stored().size()).isEqualTo(size + 48L);
        assertThat(encoded.key().keyId()).isEqualTo(SealedBoxMiddleware.keyId(keys.publicKey())).startsWith("x25519:");
        assertThat(encoded.key().wrappedKey()).isNull();

        Libsodium.run("open", keys.publicB64(), keys.secretB64(), sealed.toString(), dir.resolve("opened").toString());
        assertThat(Files.readAllBytes(dir.resolve("opened"))).isEqualTo(Libsodium.bytes(plain));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100_000})
    void bytekeepOpensWhatLibsodiumSeals(int size) throws Exception {
        ContentSource plain = Libsodium.source(Libsodium.randomFile(dir, size));
        byte[] sealed = libsodiumSeal(Libsodium.bytes(plain));
        try (InputStream opened = middleware().decode(new ByteArrayInputStream(sealed), new KeyRecord(SealedBoxMiddleware.keyId(keys.publicKey()), null))) {
            assertThat(opened.readAllBytes()).isEqualTo(Libsodium.bytes(plain));
        }
        assertThat(Libsodium.spoolFiles(dir.resolve("spool"))).as("the spooled ciphertext is removed once read").isEmpty();
    }

    @Test
    void changedOrTruncatedBoxesAreRefusedBeforeAnyPlaintext() throws Exception {
        byte[] sealed = libsodiumSeal("KAT for president".getBytes(StandardCharsets.UTF_8));
        KeyRecord key = new KeyRecord(SealedBoxMiddleware.keyId(keys.publicKey()), null);
        for (int position : new int[] {0, 31, 32, 47, 48, sealed.length - 1}) {
            byte[] changed = sealed.clone();
            changed[position] ^= 0x01;
            assertThatThrownBy(() -> middleware().decode(new ByteArrayInputStream(changed), key))
                    .as("bit flip at %d", position).isInstanceOf(DecryptionRefused.class);
        }
        for (int length : new int[] {0, 20, 47, 48, sealed.length - 1}) {
            byte[] truncated = Arrays.copyOf(sealed, length);
            assertThatThrownBy(() -> middleware().decode(new ByteArrayInputStream(truncated), key))
                    .as("truncated to %d", length).isInstanceOf(DecryptionRefused.class);
        }
        assertThat(Libsodium.spoolFiles(dir.resolve("spool"))).isEmpty();
    }

    @Test
    void anotherKeyPairIsRefused() throws Exception {
        byte[] sealed = libsodiumSeal("x".getBytes(StandardCharsets.UTF_8));
        byte[] otherSecret = new byte[32];
        new SecureRandom().nextBytes(otherSecret);
        SealedBoxMiddleware other = new SealedBoxMiddleware(otherSecret, dir.resolve("spool"), new SecureRandom());
        assertThatThrownBy(() -> other.decode(new ByteArrayInputStream(sealed), new KeyRecord(SealedBoxMiddleware.keyId(keys.publicKey()), null)))
                .isInstanceOf(DecryptionRefused.class).hasMessageContaining(SealedBoxMiddleware.keyId(keys.publicKey()));
        String otherId = SealedBoxMiddleware.keyId(other.publicKey());
        assertThatThrownBy(() -> other.decode(new ByteArrayInputStream(sealed), new KeyRecord(otherId, null)))
                .isInstanceOf(DecryptionRefused.class).hasMessageContaining("authentication");
    }

    private SealedBoxMiddleware middleware() {
        return new SealedBoxMiddleware(keys.secretKey(), dir.resolve("spool"), new SecureRandom());
    }

    private byte[] libsodiumSeal(byte[] plain) throws Exception {
        Path in = Files.write(dir.resolve("to-seal"), plain);
        Path out = dir.resolve("sealed-by-libsodium");
        Libsodium.run("seal", keys.publicB64(), in.toString(), out.toString());
        return Files.readAllBytes(out);
    }
}
