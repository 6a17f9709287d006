package io.bytekeep.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import io.bytekeep.atrest.ChunkedAeadFormat;
import io.bytekeep.atrest.DecryptionRefused;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The native provider of the client's bulk crypto and the JDK's make and accept the same bytes. */
class BulkCryptoTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void theNativeProviderLoadsOnLinuxX8664() {
        assertThat(BulkCrypto.provider()).isNotNull();
        assertThat(BulkCrypto.provider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
        assertThat(BulkCrypto.sha256().getProvider()).isSameAs(BulkCrypto.provider());
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void withoutTheNativeProviderTheLaunchersCacheGetsTheMarker(@TempDir Path cache) {
        assertThat(BulkCrypto.load(null, cache.toString())).isNotNull();
        assertThat(cache.resolve(BulkCrypto.JDK_CRYPTO_MARKER)).doesNotExist();

        assertThat(BulkCrypto.load("false", cache.toString())).isNull();
        assertThat(cache.resolve(BulkCrypto.JDK_CRYPTO_MARKER)).exists();
        assertThat(BulkCrypto.load("false", cache.resolve("gone").toString())).as("a cache it cannot write").isNull();
    }

    @Test
    void eitherProviderDecryptsWhatTheOtherEncrypted() throws IOException {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        byte[] plain = new byte[3 * 65536 + 1234];
        RANDOM.nextBytes(plain);
        ChunkedAeadFormat.Header header = ChunkedAeadFormat.newHeader(65536, RANDOM);

        byte[] byNative = ChunkedAeadFormat.encrypt(new ByteArrayInputStream(plain), key, header, BulkCrypto.provider()).readAllBytes();
        byte[] byJdk = ChunkedAeadFormat.encrypt(new ByteArrayInputStream(plain), key, header, null).readAllBytes();

        assertThat(byNative).isEqualTo(byJdk);
        assertThat(ChunkedAeadFormat.decrypt(new ByteArrayInputStream(byNative), key).readAllBytes()).isEqualTo(plain);
        assertThat(openAll(byJdk, key)).isEqualTo(plain);
    }

    @Test
    void theNativeProviderRefusesATamperedChunk() throws IOException {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        byte[] stored = ChunkedAeadFormat.encrypt(new ByteArrayInputStream(new byte[5000]), key,
                ChunkedAeadFormat.newHeader(1024, RANDOM), null).readAllBytes();
        stored[ChunkedAeadFormat.HEADER_BYTES + 1040 + 10] ^= 1;   // in the second chunk (1,024 + 16 bytes each)

        assertThatThrownBy(() -> openAll(stored, key)).isInstanceOf(DecryptionRefused.class).hasMessageContaining("chunk 1");
    }

    @Test
    void sha256IsSha256() throws Exception {
        byte[] data = new byte[100_000];
        RANDOM.nextBytes(data);
        assertThat(BulkCrypto.sha256().digest(data)).isEqualTo(MessageDigest.getInstance("SHA-256", "SUN").digest(data));
    }

    private static byte[] openAll(byte[] stored, byte[] key) throws IOException {
        ChunkedAeadFormat.Header header = ChunkedAeadFormat.readHeader(Arrays.copyOf(stored, ChunkedAeadFormat.HEADER_BYTES));
        int chunkSize = header.chunkSize();
        long chunks = ChunkedAeadFormat.chunkCount(stored.length, chunkSize);
        ChunkedAeadFormat.ChunkOpener opener = new ChunkedAeadFormat.ChunkOpener(header, key, BulkCrypto.provider());
        byte[] plain = new byte[(int) chunks * chunkSize];
        int written = 0;
        for (long index = 0; index < chunks; index++) {
            int from = (int) ChunkedAeadFormat.chunkOffset(index, chunkSize);
            int length = Math.min(chunkSize + ChunkedAeadFormat.TAG_BYTES, stored.length - from);
            written += opener.open(index, index == chunks - 1, stored, from, length, plain, written);
        }
        return Arrays.copyOf(plain, written);
    }
}
