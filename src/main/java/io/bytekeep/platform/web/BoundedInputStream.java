package io.bytekeep.platform.web;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import io.bytekeep.platform.Problem;

/** Fails with 413 as soon as more than {@code limit} bytes are read, whatever the request claimed. */
public final class BoundedInputStream extends FilterInputStream {

    private final long limit;
    private long count;

    public BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(long n) {
        count += n;
        if (count > limit) {
            throw Problem.payloadTooLarge("the body is larger than the limit of " + limit + " bytes");
        }
    }
}
