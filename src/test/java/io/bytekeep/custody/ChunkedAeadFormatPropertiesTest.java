package io.bytekeep.custody;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * jqwik properties of the chunked AEAD format, shrinking to the smallest failing case (the seeded
 * {@link ChunkedAeadFormatPropertyTest} covers multi-MB sizes and structured tampering): round trip for any plain
 * text and chunk size, any single flipped bit anywhere fails closed, and arbitrary bytes are refused with an
 * IOException, never another failure.
 */
class ChunkedAeadFormatPropertiesTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Property(tries = 300)
    void roundTrips(@ForAll @Size(max = 9000) byte[] plain, @ForAll @IntRange(min = 1024, max = 4096) int chunkSize,
                    @ForAll @Size(value = 32) byte[] key) throws IOException {
        byte[] stored = encrypt(plain, key, chunkSize);
        assertThat(stored).hasSize((int) ChunkedAeadFormat.storedSize(plain.length, chunkSize));
        assertThat(ChunkedAeadFormat.decrypt(new ByteArrayInputStream(stored), key).readAllBytes()).isEqualTo(plain);
    }

    @Property(tries = 300)
    void anyFlippedBitFailsClosed(@ForAll @Size(max = 5000) byte[] plain, @ForAll @Size(value = 32) byte[] key,
                                  @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position) throws IOException {
        byte[] stored = encrypt(plain, key, 1024);
        int bit = position % (stored.length * 8);
        stored[bit / 8] ^= (byte) (1 << (bit % 8));
        try (InputStream in = ChunkedAeadFormat.decrypt(new ByteArrayInputStream(stored), key)) {
            in.readAllBytes();
            fail("bit " + bit + " of " + stored.length + " bytes flipped and still decrypted");
        } catch (IOException expected) {
            // refused: DecryptionRefused or a failed tag check
        }
    }

    @Property(tries = 500)
    void arbitraryBytesAreRefusedWithAnIOException(@ForAll @Size(max = 4096) byte[] stored, @ForAll @Size(value = 32) byte[] key,
                                                   @ForAll @IntRange(min = 1024, max = 70000) int chunkSize) {
        // a valid header in front makes the chunk reader run over garbage, not only the header check
        byte[] withHeader = new byte[ChunkedAeadFormat.HEADER_BYTES + stored.length];
        System.arraycopy(ChunkedAeadFormat.newHeader(chunkSize, RANDOM).bytes(), 0, withHeader, 0, ChunkedAeadFormat.HEADER_BYTES);
        System.arraycopy(stored, 0, withHeader, ChunkedAeadFormat.HEADER_BYTES, stored.length);
        for (byte[] input : new byte[][] {stored, withHeader}) {
            try (InputStream in = ChunkedAeadFormat.decrypt(new ByteArrayInputStream(input), key)) {
                in.readAllBytes();
                fail("garbage decrypted");
            } catch (IOException expected) {
                // refused
            }
        }
    }

    private static byte[] encrypt(byte[] plain, byte[] key, int chunkSize) throws IOException {
        return ChunkedAeadFormat.encrypt(new ByteArrayInputStream(plain), key, ChunkedAeadFormat.newHeader(chunkSize, RANDOM)).readAllBytes();
    }
}
