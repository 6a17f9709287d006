package io.bytekeep.platform;

import java.io.IOException;
import java.io.InputStream;

/** {@link InputStream#read()} of a stream whose work is done in its bulk read. */
public final class SingleByteRead {

    private SingleByteRead() {
    }

    /** The next byte of {@code stream} (0–255), read through its {@code read(byte[], int, int)}, or -1 at its end. */
    public static int of(InputStream stream) throws IOException {
        byte[] one = new byte[1];
        return stream.read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }
}
