package io.bytekeep.vault;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

import io.bytekeep.platform.ContentSource;
import io.bytekeep.platform.Problem;
import io.bytekeep.platform.SingleByteRead;

/**
 * A request body of a declared length read once, from the connection straight into storage: no spool file, no
 * second read. Its proof hash is taken on the way ({@link #digestOnTheWay(MessageDigest)}), and it is whole only
 * once exactly its declared length went through ({@link #readWhole()}); a body that ends early fails the read.
 */
public final class StreamedBody implements ContentSource {

    private final InputStream body;
    private final long size;
    private boolean opened;
    private MessageDigest digest;
    private long read;

    public StreamedBody(InputStream body, long size) {
        this.body = body;
        this.size = size;
    }

    /** Every byte read from here on also goes into {@code digest}; call before the body is opened. */
    public void digestOnTheWay(MessageDigest digest) {
        if (opened) {
            throw new IllegalStateException("the body is already being read; its hash would miss bytes");
        }
        this.digest = digest;
    }

    /** The digest given to {@link #digestOnTheWay(MessageDigest)}, with what was read so far. */
    public MessageDigest digest() {
        return digest;
    }

    /** Whether all {@link #size()} bytes were read. */
    public boolean readWhole() {
        return read == size;
    }

    @Override
    public InputStream open() {
        if (opened) {
            throw new IllegalStateException("a streamed request body is read once");
        }
        opened = true;
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return SingleByteRead.of(this);
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                long left = size - read;
                if (left == 0) {
                    return -1;
                }
                int n;
                try {
                    n = body.read(buffer, offset, (int) Math.min(length, left));
                } catch (IOException failed) {
                    throw failed.getCause() instanceof Problem ? failed : cutShort(failed);
                }
                if (n < 0) {
                    throw cutShort(null);
                }
                if (digest != null) {
                    digest.update(buffer, offset, n);
                }
                read += n;
                return n;
            }
        };
    }

    /**
     * The client's body ended or broke before its declared length: the client's fault, a 400 (the problem in the
     * cause chain), not a failure of the storage the bytes were on their way to.
     */
    private EOFException cutShort(IOException failure) {
        String detail = "the request body ended after " + read + " of its " + size + " bytes";
        EOFException early = new EOFException(detail);
        early.initCause(new Problem(400, "Bad Request", detail, failure));
        return early;
    }

    @Override
    public long size() {
        return size;
    }
}
