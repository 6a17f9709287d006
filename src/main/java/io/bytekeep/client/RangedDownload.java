package io.bytekeep.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The object behind a presigned GET URL as one stream, fetched as ranged GETs of {@code rangeSize} bytes with up to
 * {@code parallelism} ranges in flight ahead of the reader (bounded memory), so the transfer overlaps decryption.
 */
final class RangedDownload extends InputStream {

    private final URI url;
    private final long length;
    private final long rangeSize;
    private final ExecutorService pool;
    private final Deque<Future<byte[]>> ahead = new ArrayDeque<>();
    private final int parallelism;
    private long nextOffset;
    private InputStream current = InputStream.nullInputStream();

    RangedDownload(URI url, long length, long rangeSize, int parallelism) {
        this.url = url;
        this.length = length;
        this.rangeSize = rangeSize;
        this.parallelism = parallelism;
        this.pool = Executors.newFixedThreadPool(parallelism);
        fill();
    }

    private void fill() {
        while (ahead.size() < parallelism && nextOffset < length) {
            long from = nextOffset;
            long to = Math.min(length, from + rangeSize) - 1;
            nextOffset = to + 1;
            ahead.add(pool.submit(() -> PresignedTransfers.getRange(url, from, to)));
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        int n = current.read(buffer, offset, count);
        while (n < 0) {
            if (ahead.isEmpty()) {
                return -1;
            }
            current = new ByteArrayInputStream(next());
            fill();
            n = current.read(buffer, offset, count);
        }
        return n;
    }

    private byte[] next() throws IOException {
        try {
            return ahead.removeFirst().get();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        ahead.forEach(f -> f.cancel(true));
        pool.shutdownNow();
    }
}
