package io.bytekeep.platform.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;

import io.bytekeep.platform.SingleByteRead;

/** Base64 (RFC 4648, no line breaks) of another stream, encoded as it is read: one buffer, whatever the length. */
public final class Base64Stream extends InputStream {

    private static final int CHUNK = 3 * 16 * 1024;

    private final InputStream plain;
    private final byte[] chunk = new byte[CHUNK];
    private byte[] encoded = new byte[0];
    private int position;
    private boolean done;

    public Base64Stream(InputStream plain) {
        this.plain = plain;
    }

    @Override
    public int read() throws IOException {
        return SingleByteRead.of(this);
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position == encoded.length && !refill()) {
            return -1;
        }
        int n = Math.min(length, encoded.length - position);
        System.arraycopy(encoded, position, target, offset, n);
        position += n;
        return n;
    }

    /** Encodes the next whole chunk: a multiple of 3 bytes, so only the last one can carry padding. */
    private boolean refill() throws IOException {
        if (done) {
            return false;
        }
        int n = plain.readNBytes(chunk, 0, CHUNK);
        done = n < CHUNK;
        encoded = Base64.getEncoder().encode(n == CHUNK ? chunk : java.util.Arrays.copyOf(chunk, n));
        position = 0;
        return encoded.length > 0;
    }

    @Override
    public void close() throws IOException {
        plain.close();
    }
}
