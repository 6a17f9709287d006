package io.bytekeep.atrest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
        assertThat(ChunkedAeadFormat.chunkCount(stored.length, chunkSize)).isEqualTo(Math.max(1, (plain.length + chunkSize - 1) / chunkSize));
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

    @Property(tries = 200)
    void chunksOpenedByIndexInAnyOrderGiveThePlainText(@ForAll @Size(max = 9000) byte[] plain, @ForAll @Size(value = 32) byte[] key,
                                                       @ForAll @IntRange(min = 1024, max = 3000) int chunkSize,
                                                       @ForAll long seed) throws IOException {
        byte[] stored = encrypt(plain, key, chunkSize);
        ChunkedAeadFormat.Header header = ChunkedAeadFormat.readHeader(Arrays.copyOf(stored, ChunkedAeadFormat.HEADER_BYTES));
        long chunks = ChunkedAeadFormat.chunkCount(stored.length, chunkSize);
        List<Long> order = LongStream.range(0, chunks).boxed().collect(Collectors.toList());
        Collections.shuffle(order, new Random(seed));
        byte[] opened = new byte[(int) chunks * chunkSize];
        int total = 0;
        ChunkedAeadFormat.ChunkOpener opener = new ChunkedAeadFormat.ChunkOpener(header, key, null);
        for (long index : order) {
            int from = (int) ChunkedAeadFormat.chunkOffset(index, chunkSize);
            int length = Math.min(chunkSize + ChunkedAeadFormat.TAG_BYTES, stored.length - from);
            total += opener.open(index, index == chunks - 1, stored, from, length, opened, (int) index * chunkSize);
        }
        assertThat(Arrays.copyOf(opened, total)).isEqualTo(plain);
    }

    @Property(tries = 200)
    void aWrongClaimOfTheLastChunkFailsAuthentication(@ForAll @Size(min = 1, max = 6000) byte[] plain,
                                                      @ForAll @Size(value = 32) byte[] key) throws IOException {
        int chunkSize = 1024;
        byte[] stored = encrypt(plain, key, chunkSize);
        ChunkedAeadFormat.Header header = ChunkedAeadFormat.readHeader(Arrays.copyOf(stored, ChunkedAeadFormat.HEADER_BYTES));
        long chunks = ChunkedAeadFormat.chunkCount(stored.length, chunkSize);
        ChunkedAeadFormat.ChunkOpener opener = new ChunkedAeadFormat.ChunkOpener(header, key, null);
        byte[] out = new byte[chunkSize];
        for (long index = 0; index < chunks; index++) {
            int from = (int) ChunkedAeadFormat.chunkOffset(index, chunkSize);
            int length = Math.min(chunkSize + ChunkedAeadFormat.TAG_BYTES, stored.length - from);
            boolean wrongClaim = index != chunks - 1;
            long chunk = index;
            // a server that under-reports the size makes an inner chunk look last; one that over-reports, the reverse
            assertThatThrownBy(() -> opener.open(chunk, wrongClaim, stored, from, length, out, 0)).isInstanceOf(DecryptionRefused.class);
        }
    }

    @Property(tries = 300)
    void chunkCountRefusesEverySizeNoStoredFormHas(@ForAll @IntRange(min = 0, max = 20000) int storedSize,
                                                    @ForAll @IntRange(min = 1024, max = 3000) int chunkSize) throws IOException {
        long body = storedSize - ChunkedAeadFormat.HEADER_BYTES;
        long stride = chunkSize + ChunkedAeadFormat.TAG_BYTES;
        boolean possible = body >= ChunkedAeadFormat.TAG_BYTES && (body % stride == 0 || body % stride >= ChunkedAeadFormat.TAG_BYTES);
        if (possible) {
            assertThat(ChunkedAeadFormat.chunkCount(storedSize, chunkSize)).isEqualTo((body + stride - 1) / stride);
        } else {
            assertThatThrownBy(() -> ChunkedAeadFormat.chunkCount(storedSize, chunkSize)).isInstanceOf(DecryptionRefused.class);
        }
    }

    private static byte[] encrypt(byte[] plain, byte[] key, int chunkSize) throws IOException {
        return ChunkedAeadFormat.encrypt(new ByteArrayInputStream(plain), key, ChunkedAeadFormat.newHeader(chunkSize, RANDOM)).readAllBytes();
    }
}
