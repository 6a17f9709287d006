package io.bytekeep.custody;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.bytekeep.vault.ContentSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * NACL_SEALBOX against libsodium itself (crypto_box_seal / crypto_box_seal_open / crypto_box_keypair through
 * src/test/resources/interop/sodium.py, python3 + libsodium23, which .ci/run installs): what Bytekeep seals,
 * libsodium opens, and the other way round.
 */
class SealedBoxInteropTest {

    private static final Path SODIUM = Path.of("src/test/resources/interop/sodium.py");

    private static byte[] publicKey;
    private static byte[] secretKey;

    @TempDir
    Path dir;

    @BeforeAll
    static void libsodiumMakesTheKeyPair() throws Exception {
        String[] pair = sodium("keypair").trim().split(" ");
        publicKey = Base64.getDecoder().decode(pair[0]);
        secretKey = Base64.getDecoder().decode(pair[1]);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 64 * 1024, 1_000_003})
    void libsodiumOpensWhatBytekeepSeals(int size) throws Exception {
        byte[] plain = random(size);
        SealedBoxMiddleware middleware = middleware();
        Encoded encoded = middleware.encode(ContentSource.of(plain));
        Path sealed = dir.resolve("sealed");
        try (InputStream in = encoded.stored().open()) {
            Files.copy(in, sealed);
        }
        assertThat(Files.size(sealed)).isEqualTo(encoded.stored().size()).isEqualTo(size + 48L);
        assertThat(encoded.key().keyId()).isEqualTo(SealedBoxMiddleware.keyId(publicKey)).startsWith("x25519:");
        assertThat(encoded.key().wrappedKey()).isNull();

        sodium("open", b64(publicKey), b64(secretKey), sealed.toString(), dir.resolve("opened").toString());
        assertThat(Files.readAllBytes(dir.resolve("opened"))).isEqualTo(plain);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100_000})
    void bytekeepOpensWhatLibsodiumSeals(int size) throws Exception {
        byte[] plain = random(size);
        byte[] sealed = libsodiumSeal(plain);
        SealedBoxMiddleware middleware = middleware();
        try (InputStream opened = middleware.decode(new ByteArrayInputStream(sealed), new KeyRecord(SealedBoxMiddleware.keyId(publicKey), null))) {
            assertThat(opened.readAllBytes()).isEqualTo(plain);
        }
        assertThat(spool()).as("the spooled ciphertext is removed once read").isEmpty();
    }

    @Test
    void changedOrTruncatedBoxesAreRefusedBeforeAnyPlaintext() throws Exception {
        byte[] sealed = libsodiumSeal("KAT for president".getBytes(StandardCharsets.UTF_8));
        KeyRecord key = new KeyRecord(SealedBoxMiddleware.keyId(publicKey), null);
        for (int position : new int[] {0, 31, 32, 47, 48, sealed.length - 1}) {
            byte[] changed = sealed.clone();
            changed[position] ^= 0x01;
            assertThatThrownBy(() -> middleware().decode(new ByteArrayInputStream(changed), key))
                    .as("bit flip at %d", position).isInstanceOf(DecryptionRefused.class);
        }
        for (int length : new int[] {0, 20, 47, 48, sealed.length - 1}) {
            byte[] truncated = java.util.Arrays.copyOf(sealed, length);
            assertThatThrownBy(() -> middleware().decode(new ByteArrayInputStream(truncated), key))
                    .as("truncated to %d", length).isInstanceOf(DecryptionRefused.class);
        }
        assertThat(spool()).isEmpty();
    }

    @Test
    void anotherKeyPairIsRefused() throws Exception {
        byte[] sealed = libsodiumSeal("x".getBytes(StandardCharsets.UTF_8));
        byte[] otherSecret = new byte[32];
        new SecureRandom().nextBytes(otherSecret);
        SealedBoxMiddleware other = new SealedBoxMiddleware(otherSecret, null, dir.resolve("spool"), new SecureRandom());
        assertThatThrownBy(() -> other.decode(new ByteArrayInputStream(sealed), new KeyRecord(SealedBoxMiddleware.keyId(publicKey), null)))
                .isInstanceOf(DecryptionRefused.class).hasMessageContaining(SealedBoxMiddleware.keyId(publicKey));
        String otherId = SealedBoxMiddleware.keyId(other.publicKey());
        assertThatThrownBy(() -> other.decode(new ByteArrayInputStream(sealed), new KeyRecord(otherId, null)))
                .isInstanceOf(DecryptionRefused.class).hasMessageContaining("authentication");
        assertThatThrownBy(() -> new SealedBoxMiddleware(secretKey, other.publicKey(), dir, new SecureRandom()))
                .hasMessageContaining("does not belong");
    }

    private SealedBoxMiddleware middleware() {
        return new SealedBoxMiddleware(secretKey, publicKey, dir.resolve("spool"), new SecureRandom());
    }

    private List<Path> spool() throws IOException {
        Path spool = dir.resolve("spool");
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (var files = Files.list(spool)) {
            return files.toList();
        }
    }

    private byte[] libsodiumSeal(byte[] plain) throws Exception {
        Path in = Files.write(dir.resolve("plain-" + plain.length), plain);
        Path out = dir.resolve("sealed-" + plain.length);
        sodium("seal", b64(publicKey), in.toString(), out.toString());
        return Files.readAllBytes(out);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static String sodium(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", SODIUM.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("libsodium (%s): %s", String.join(" ", args), output).isZero();
        return output;
    }
}
