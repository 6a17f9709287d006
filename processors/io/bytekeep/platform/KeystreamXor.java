package io.bytekeep.platform;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Applies a stream cipher's keystream to everything read through it, in place (encrypts or decrypts, the same
 * operation): each read hands out as many bytes as the underlying read gave.
 */
public final class KeystreamXor extends FilterInputStream {

    /** XORs the next {@code length} bytes of the keystream into {@code bytes} at {@code offset}. */
    @FunctionalInterface
    public interface Keystream {
        void apply(byte[] bytes, int offset, int length) throws IOException;
    }

    private final Keystream keystream;

    public KeystreamXor(InputStream in, Keystream keystream) {
        super(in);
        this.keystream = keystream;
    }

    @Override
    public int read() throws IOException {
        return SingleByteRead.of(this);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            keystream.apply(buffer, offset, n);
        }
        return n;
    }

    /** Skipped bytes still advance the keystream: they are read and dropped. */
    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        long skipped = 0;
        while (skipped < n) {
            int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
