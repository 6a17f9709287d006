package io.bytekeep.atrest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Properties of the chunked AEAD format over random sizes (0 to several MB, with chunk boundaries ± 1) and random
 * tampering: the untampered form round-trips, every tampered form fails closed, and whatever plaintext a failing
 * stream handed out before it failed is an authentic prefix of the original. Seeded, so a failure repeats.
 */
class ChunkedAeadFormatPropertyTest {

    private static final long SEED = 0x5EA1_B0C5L;
    private static final int[] CHUNK_SIZES = {ChunkedAeadFormat.MIN_CHUNK, 4096, 64 * 1024};
    private static final int HEADER = ChunkedAeadFormat.HEADER_BYTES;
    private static final int TAG = ChunkedAeadFormat.TAG_BYTES;

    private record Sample(byte[] plain, byte[] key, int chunkSize, byte[] stored) {

        int chunkBytes() {
            return chunkSize + TAG;
        }

        int chunks() {
            return (stored.length - HEADER + chunkBytes() - 1) / chunkBytes();
        }

        int chunkStart(int index) {
            return HEADER + index * chunkBytes();
        }

        int chunkEnd(int index) {
            return Math.min(stored.length, chunkStart(index + 1));
        }
    }

    private static final List<BiFunction<Sample, Random, byte[]>> TAMPERINGS = List.of(
            ChunkedAeadFormatPropertyTest::flipABit,
            ChunkedAeadFormatPropertyTest::truncate,
            ChunkedAeadFormatPropertyTest::swapTwoChunks,
            ChunkedAeadFormatPropertyTest::duplicateAChunk,
            ChunkedAeadFormatPropertyTest::dropAChunk,
            ChunkedAeadFormatPropertyTest::appendBytes,
            ChunkedAeadFormatPropertyTest::chunkOfAnotherObject,
            ChunkedAeadFormatPropertyTest::headerOfAnotherObject,
            ChunkedAeadFormatPropertyTest::changeTheChunkSize);

    @RepeatedTest(200)
    void untamperedRoundTripsAndEveryTamperingFailsClosed(RepetitionInfo repetition) throws IOException {
        Random random = new Random(SEED + repetition.getCurrentRepetition());
        Sample sample = sample(random, size(random, repetition.getCurrentRepetition()));

        assertThat(sample.stored()).hasSize((int) ChunkedAeadFormat.storedSize(sample.plain().length, sample.chunkSize()));
        assertThat(decrypt(sample.stored(), sample.key())).isEqualTo(sample.plain());
        for (BiFunction<Sample, Random, byte[]> tampering : TAMPERINGS) {
            byte[] tampered = tampering.apply(sample, random);
            if (tampered != null) {
                assertFailsClosed(sample, tampered);
            }
        }
        assertFailsClosed(sample, sample.stored(), otherKey(random));
    }

    @Test
    void truncationAtEveryRegionOfASmallObjectFails() throws IOException {
        Random random = new Random(SEED);
        Sample sample = sample(random, 3 * ChunkedAeadFormat.MIN_CHUNK + 7, ChunkedAeadFormat.MIN_CHUNK);
        for (int length = 0; length < sample.stored().length; length++) {
            assertFailsClosed(sample, Arrays.copyOf(sample.stored(), length));
        }
    }

    @Test
    void theSameKeyAndHeaderGiveTheSameBytesAgain() throws IOException {
        Random random = new Random(SEED);
        byte[] plain = new byte[10_000];
        random.nextBytes(plain);
        byte[] key = otherKey(random);
        ChunkedAeadFormat.Header header = ChunkedAeadFormat.newHeader(4096, new SecureRandom());
        assertThat(encrypt(plain, key, header)).isEqualTo(encrypt(plain, key, header));
    }

    // ---- sizes: 0, exactly one chunk, chunk boundaries ± 1, random up to several MB

    private static int size(Random random, int repetition) {
        int chunk = CHUNK_SIZES[repetition % CHUNK_SIZES.length];
        return switch (repetition % 10) {
            case 0 -> 0;
            case 1 -> chunk;
            case 2 -> chunk - 1;
            case 3 -> chunk + 1;
            case 4 -> (2 + random.nextInt(5)) * chunk + random.nextInt(3) - 1;
            case 5 -> 1 + random.nextInt(16);
            case 6 -> repetition < 100 ? 1 + random.nextInt(6 * 1024 * 1024) : 1 + random.nextInt(256 * 1024);
            default -> random.nextInt(256 * 1024);
        };
    }

    private static Sample sample(Random random, int size) throws IOException {
        return sample(random, size, CHUNK_SIZES[random.nextInt(CHUNK_SIZES.length)]);
    }

    private static Sample sample(Random random, int size, int chunkSize) throws IOException {
        byte[] plain = new byte[size];
        random.nextBytes(plain);
        byte[] key = otherKey(random);
        return new Sample(plain, key, chunkSize, encrypt(plain, key, ChunkedAeadFormat.newHeader(chunkSize, new SecureRandom())));
    }

    // ---- tamperings: null when the sample is too small for one

    private static byte[] flipABit(Sample sample, Random random) {
        byte[] tampered = sample.stored().clone();
        // one region at a time: header, a tag, a ciphertext byte anywhere
        int region = random.nextInt(3);
        int chunk = random.nextInt(sample.chunks());
        int position = switch (region) {
            case 0 -> random.nextInt(HEADER);
            case 1 -> sample.chunkEnd(chunk) - 1 - random.nextInt(TAG);
            default -> HEADER + random.nextInt(tampered.length - HEADER);
        };
        tampered[position] ^= (byte) (1 << random.nextInt(8));
        return tampered;
    }

    private static byte[] truncate(Sample sample, Random random) {
        int chunk = random.nextInt(sample.chunks());
        int length = switch (random.nextInt(4)) {
            case 0 -> random.nextInt(HEADER + 1);
            case 1 -> sample.chunkStart(chunk);
            case 2 -> sample.chunkEnd(chunk) - 1 - random.nextInt(TAG);
            default -> random.nextInt(sample.stored().length);
        };
        return Arrays.copyOf(sample.stored(), length);
    }

    private static byte[] swapTwoChunks(Sample sample, Random random) {
        int full = (sample.stored().length - HEADER) / sample.chunkBytes();
        if (full < 2) {
            return null;
        }
        int a = random.nextInt(full);
        int b = (a + 1 + random.nextInt(full - 1)) % full;
        byte[] tampered = sample.stored().clone();
        System.arraycopy(sample.stored(), sample.chunkStart(a), tampered, sample.chunkStart(b), sample.chunkBytes());
        System.arraycopy(sample.stored(), sample.chunkStart(b), tampered, sample.chunkStart(a), sample.chunkBytes());
        return tampered;
    }

    private static byte[] duplicateAChunk(Sample sample, Random random) {
        int chunk = random.nextInt(sample.chunks());
        return splice(sample.stored(), sample.chunkEnd(chunk),
                Arrays.copyOfRange(sample.stored(), sample.chunkStart(chunk), sample.chunkEnd(chunk)), 0);
    }

    private static byte[] dropAChunk(Sample sample, Random random) {
        if (sample.chunks() < 2) {
            return null;
        }
        int chunk = random.nextInt(sample.chunks());
        return splice(sample.stored(), sample.chunkStart(chunk), new byte[0], sample.chunkEnd(chunk) - sample.chunkStart(chunk));
    }

    private static byte[] appendBytes(Sample sample, Random random) {
        byte[] extra = new byte[1 + random.nextInt(2 * sample.chunkBytes())];
        random.nextBytes(extra);
        return splice(sample.stored(), sample.stored().length, extra, 0);
    }

    /** The same position of an object with the same size, chunk size, even the same plaintext, but its own key. */
    private static byte[] chunkOfAnotherObject(Sample sample, Random random) {
        byte[] other;
        try {
            other = encrypt(sample.plain(), otherKey(random), ChunkedAeadFormat.newHeader(sample.chunkSize(), new SecureRandom()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int chunk = random.nextInt(sample.chunks());
        byte[] tampered = sample.stored().clone();
        System.arraycopy(other, sample.chunkStart(chunk), tampered, sample.chunkStart(chunk), sample.chunkEnd(chunk) - sample.chunkStart(chunk));
        return tampered;
    }

    private static byte[] headerOfAnotherObject(Sample sample, Random random) {
        byte[] tampered = sample.stored().clone();
        System.arraycopy(ChunkedAeadFormat.newHeader(sample.chunkSize(), new SecureRandom()).bytes(), 0, tampered, 0, HEADER);
        return tampered;
    }

    private static byte[] changeTheChunkSize(Sample sample, Random random) {
        byte[] tampered = sample.stored().clone();
        int other = CHUNK_SIZES[(Arrays.binarySearch(CHUNK_SIZES, sample.chunkSize()) + 1 + random.nextInt(CHUNK_SIZES.length - 1)) % CHUNK_SIZES.length];
        java.nio.ByteBuffer.wrap(tampered, 5, 4).putInt(other);
        return tampered;
    }

    // ---- helpers

    private static void assertFailsClosed(Sample sample, byte[] tampered) {
        assertFailsClosed(sample, tampered, sample.key());
    }

    /** Reads until the stream fails; it must fail, and all it gave before is the original plaintext's prefix. */
    private static void assertFailsClosed(Sample sample, byte[] tampered, byte[] key) {
        ByteArrayOutputStream released = new ByteArrayOutputStream();
        try (InputStream plain = ChunkedAeadFormat.decrypt(new ByteArrayInputStream(tampered), key)) {
            byte[] buffer = new byte[8192];
            for (int n; (n = plain.read(buffer)) >= 0; ) {
                released.write(buffer, 0, n);
            }
        } catch (DecryptionRefused expected) {
            byte[] prefix = released.toByteArray();
            assertThat(prefix.length).isLessThanOrEqualTo(sample.plain().length);
            assertThat(Arrays.equals(prefix, 0, prefix.length, sample.plain(), 0, prefix.length))
                    .as("plaintext released before the failure is authentic").isTrue();
            return;
        } catch (IOException e) {
            fail("expected DecryptionRefused, got " + e);
        }
        fail("a tampered object (" + tampered.length + " of " + sample.stored().length + " bytes) decrypted without error");
    }

    private static byte[] splice(byte[] bytes, int at, byte[] insert, int remove) {
        byte[] result = new byte[bytes.length + insert.length - remove];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(insert, 0, result, at, insert.length);
        System.arraycopy(bytes, at + remove, result, at + insert.length, bytes.length - at - remove);
        return result;
    }

    private static byte[] otherKey(Random random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return key;
    }

    private static byte[] encrypt(byte[] plain, byte[] key, ChunkedAeadFormat.Header header) throws IOException {
        try (InputStream in = ChunkedAeadFormat.encrypt(new ByteArrayInputStream(plain), key, header)) {
            return in.readAllBytes();
        }
    }

    private static byte[] decrypt(byte[] stored, byte[] key) throws IOException {
        try (InputStream in = ChunkedAeadFormat.decrypt(new ByteArrayInputStream(stored), key)) {
            return in.readAllBytes();
        }
    }
}
