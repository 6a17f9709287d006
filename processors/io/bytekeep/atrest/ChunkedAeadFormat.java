package io.bytekeep.atrest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.bytekeep.platform.SingleByteRead;

/**
 * The stored form of ENVELOPE_AES_GCM: AES-256-GCM over fixed-size chunks, after the STREAM construction
 * (Hoang, Reyhanitabar, Rogaway, Vizár 2015) as Tink's streaming AEAD uses it. Layout (docs/VERIFY.md):
 * <pre>
 * header (16 bytes): magic "BKEG" | version 0x01 | chunk size (uint32, big-endian) | nonce prefix (7 random bytes)
 * chunk i:           AES-256-GCM(data key, nonce = prefix | i (uint32 BE) | last (0x00 or 0x01), aad = header)
 *                    = ciphertext of chunkSize plain bytes (the last chunk: 0..chunkSize) | 16-byte tag
 * </pre>
 * The counter in the nonce detects reordering, duplication and dropped chunks; the last flag detects truncation
 * at a chunk boundary and appended data; the header as AAD of every chunk detects header changes; the data key,
 * fresh per object, makes chunks of other objects fail. An empty plaintext is one empty last chunk.
 */
public final class ChunkedAeadFormat {

    static final byte[] MAGIC = {'B', 'K', 'E', 'G'};
    static final byte VERSION = 1;
    public static final int HEADER_BYTES = 16;
    static final int PREFIX_BYTES = 7;
    public static final int TAG_BYTES = 16;
    public static final int KEY_BYTES = 32;
    public static final int MIN_CHUNK = 1024;
    public static final int MAX_CHUNK = 16 * 1024 * 1024;

    private ChunkedAeadFormat() {
    }

    /** The 16 header bytes; they are every chunk's associated data. */
    public record Header(byte[] bytes) {

        public int chunkSize() {
            return ByteBuffer.wrap(bytes, 5, 4).getInt();
        }

        byte[] nonce(long counter, boolean last) {
            ByteBuffer nonce = ByteBuffer.allocate(12);
            nonce.put(bytes, HEADER_BYTES - PREFIX_BYTES, PREFIX_BYTES);
            nonce.putInt((int) counter);
            nonce.put((byte) (last ? 1 : 0));
            return nonce.array();
        }
    }

    public static Header newHeader(int chunkSize, SecureRandom random) {
        requireChunkSize(chunkSize);
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.put(MAGIC).put(VERSION).putInt(chunkSize);
        byte[] prefix = new byte[PREFIX_BYTES];
        random.nextBytes(prefix);
        header.put(prefix);
        return new Header(header.array());
    }

    public static void requireChunkSize(int chunkSize) {
        if (chunkSize < MIN_CHUNK || chunkSize > MAX_CHUNK) {
            throw new IllegalArgumentException("chunk size must be " + MIN_CHUNK + ".." + MAX_CHUNK + " bytes, was " + chunkSize);
        }
    }

    /** Stored bytes for {@code plainSize} plain bytes: the header, the plain bytes and one tag per chunk. */
    public static long storedSize(long plainSize, int chunkSize) {
        long chunks = Math.max(1, (plainSize + chunkSize - 1) / chunkSize);
        return HEADER_BYTES + plainSize + chunks * TAG_BYTES;
    }

    /** The stored form of {@code plain}, computed while it is read. The same header and key give the same bytes. */
    public static InputStream encrypt(InputStream plain, byte[] dataKey, Header header) {
        return encrypt(plain, dataKey, header, null);
    }

    /** As {@link #encrypt(InputStream, byte[], Header)}, with AES-GCM from {@code provider} (null: the JDK's choice). */
    public static InputStream encrypt(InputStream plain, byte[] dataKey, Header header, Provider provider) {
        return new Chunks(plain, dataKey, header, Cipher.ENCRYPT_MODE, provider);
    }

    /** The plain bytes of a stored form; every byte handed out is authenticated, a missing end fails at the end. */
    public static InputStream decrypt(InputStream stored, byte[] dataKey) throws IOException {
        return new Chunks(stored, dataKey, readHeader(stored.readNBytes(HEADER_BYTES)), Cipher.DECRYPT_MODE, null);
    }

    /** The header of a stored form from its first {@link #HEADER_BYTES} bytes, checked. */
    public static Header readHeader(byte[] header) throws DecryptionRefused {
        if (header.length < HEADER_BYTES || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new DecryptionRefused("not an ENVELOPE_AES_GCM object (no BKEG header)");
        }
        if (header[4] != VERSION) {
            throw new DecryptionRefused("unknown ENVELOPE_AES_GCM format version " + header[4]);
        }
        Header parsed = new Header(Arrays.copyOf(header, HEADER_BYTES));
        int chunkSize = parsed.chunkSize();
        if (chunkSize < MIN_CHUNK || chunkSize > MAX_CHUNK) {
            throw new DecryptionRefused("ENVELOPE_AES_GCM header with an impossible chunk size " + chunkSize);
        }
        return parsed;
    }

    /** How many chunks a stored form of {@code storedSize} bytes holds, refusing a size no stored form has. */
    public static long chunkCount(long storedSize, int chunkSize) throws DecryptionRefused {
        long body = storedSize - HEADER_BYTES;
        long stride = (long) chunkSize + TAG_BYTES;
        long chunks = (body + stride - 1) / stride;
        if (body < TAG_BYTES || body - (chunks - 1) * stride < TAG_BYTES) {
            throw new DecryptionRefused("no ENVELOPE_AES_GCM object is " + storedSize + " bytes long with chunks of " + chunkSize);
        }
        return chunks;
    }

    /** Where chunk {@code index} starts in the stored form. */
    public static long chunkOffset(long index, int chunkSize) {
        return HEADER_BYTES + index * ((long) chunkSize + TAG_BYTES);
    }

    /**
     * Opens chunks one at a time, in any order: a reader that fetches ranges of the stored form in parallel decrypts
     * each range where it arrives (one opener per thread; a {@link Cipher} is not thread-safe). The caller says which
     * chunk is the last; a wrong claim fails authentication, so a truncated or extended object is refused.
     */
    public static final class ChunkOpener {

        private final Header header;
        private final SecretKeySpec key;
        private final Cipher cipher;

        /** AES-GCM from {@code provider}; null: the JDK's choice. */
        public ChunkOpener(Header header, byte[] dataKey, Provider provider) {
            this.header = header;
            this.key = new SecretKeySpec(dataKey, "AES");
            this.cipher = newCipher(provider);
        }

        /** Decrypts chunk {@code index} ({@code length} stored bytes at {@code from}) into {@code out}; answers the plain length. */
        public int open(long index, boolean last, byte[] stored, int from, int length, byte[] out, int outOffset)
                throws DecryptionRefused {
            return crypt(cipher, Cipher.DECRYPT_MODE, key, header, index, last, stored, from, length, out, outOffset);
        }
    }

    private static Cipher newCipher(Provider provider) {
        try {
            return provider == null ? Cipher.getInstance("AES/GCM/NoPadding") : Cipher.getInstance("AES/GCM/NoPadding", provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int crypt(Cipher cipher, int mode, SecretKeySpec key, Header header, long counter, boolean last,
                             byte[] input, int from, int length, byte[] output, int outOffset) throws DecryptionRefused {
        if (mode == Cipher.DECRYPT_MODE && length < TAG_BYTES) {
            throw new DecryptionRefused("ENVELOPE_AES_GCM object truncated in chunk " + counter);
        }
        if (counter > 0xFFFF_FFFFL) {
            throw new DecryptionRefused("ENVELOPE_AES_GCM object with more than 2^32 chunks");
        }
        try {
            cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, header.nonce(counter, last)));
            cipher.updateAAD(header.bytes());
            return cipher.doFinal(input, from, length, output, outOffset);
        } catch (AEADBadTagException e) {
            throw new DecryptionRefused("ENVELOPE_AES_GCM chunk " + counter + " failed authentication "
                    + "(wrong key, or changed, reordered, truncated or extended bytes)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Either direction, chunk by chunk. A chunk is last when nothing follows it, so each read takes one byte more
     * than a chunk and carries that byte over to the next chunk.
     */
    /** The buffers' size before a content shows it needs a whole chunk. */
    private static final int FIRST_BUFFER_BYTES = 4 * 1024;

    private static final class Chunks extends InputStream {

        private final InputStream in;
        private final SecretKeySpec key;
        private final Header header;
        private final int mode;
        private final int inChunk;
        private byte[] input;
        private byte[] output;
        private final Cipher cipher;
        private int carried;
        private long counter;
        private boolean done;
        private int position;
        private int limit;

        Chunks(InputStream in, byte[] dataKey, Header header, int mode, Provider provider) {
            this.in = in;
            this.key = new SecretKeySpec(dataKey, "AES");
            this.header = header;
            this.mode = mode;
            int chunkSize = header.chunkSize();
            this.inChunk = mode == Cipher.ENCRYPT_MODE ? chunkSize : chunkSize + TAG_BYTES;
            // buffers grow to a chunk only when the content needs them: a 1 KiB file no longer allocates 128 KiB
            this.input = new byte[Math.min(inChunk + 1, FIRST_BUFFER_BYTES)];
            this.output = new byte[Math.min(chunkSize + TAG_BYTES, Math.max(HEADER_BYTES, FIRST_BUFFER_BYTES))];
            this.cipher = newCipher(provider);
            if (mode == Cipher.ENCRYPT_MODE) {
                System.arraycopy(header.bytes(), 0, output, 0, HEADER_BYTES);
                limit = HEADER_BYTES;
            }
        }

        @Override
        public int read() throws IOException {
            return SingleByteRead.of(this);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            while (position == limit) {
                if (done) {
                    return -1;
                }
                nextChunk();
            }
            int n = Math.min(length, limit - position);
            System.arraycopy(output, position, buffer, offset, n);
            position += n;
            return n;
        }

        private void nextChunk() throws IOException {
            int read = carried + in.readNBytes(input, carried, input.length - carried);
            // readNBytes fills the buffer unless the content ended: a full buffer smaller than a chunk may be continued
            while (read == input.length && input.length < inChunk + 1) {
                input = Arrays.copyOf(input, Math.min(inChunk + 1, input.length * 4));
                read += in.readNBytes(input, read, input.length - read);
            }
            boolean last = read <= inChunk;
            int length = last ? read : inChunk;
            int produced = mode == Cipher.ENCRYPT_MODE ? length + TAG_BYTES : Math.max(0, length - TAG_BYTES);
            if (output.length < produced) {
                output = new byte[produced];
            }
            limit = crypt(cipher, mode, key, header, counter, last, input, 0, length, output, 0);
            position = 0;
            counter++;
            if (last) {
                done = true;
            } else {
                input[0] = input[inChunk];
                carried = 1;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
