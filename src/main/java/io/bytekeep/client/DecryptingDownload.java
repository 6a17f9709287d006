package io.bytekeep.client;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.bytekeep.atrest.ChunkedAeadFormat.ChunkOpener;
import io.bytekeep.atrest.ChunkedAeadFormat.Header;
import io.bytekeep.atrest.ChunkedAeadFormat;
import io.bytekeep.atrest.DecryptionRefused;

/**
 * The plain bytes of an ENVELOPE_AES_GCM object behind a presigned GET URL, block by block. The object is fetched as
 * ranged GETs of whole chunks, up to {@code parallelism} ranges ahead of the reader (bounded memory), and each range is
 * decrypted by the thread that fetched it: transfer and decryption of later ranges overlap hashing and writing of
 * the current one, on every core (bench/results/sharing-*.md).
 */
final class DecryptingDownload implements AutoCloseable {

    private final URI url;
    private final Header header;
    private final long storedSize;
    private final long chunks;
    private final long chunksPerRange;
    private final ExecutorService pool;
    private final ThreadLocal<ChunkOpener> openers;
    private final Deque<Future<byte[]>> ahead = new ArrayDeque<>();
    private final int parallelism;
    private long nextChunk;

    /** Reads the header at once; {@code storedSize} is the object's length as the server recorded it. */
    DecryptingDownload(URI url, long storedSize, byte[] documentKey, long rangeSize, int parallelism) throws ClientException, DecryptionRefused {
        this.url = url;
        this.storedSize = storedSize;
        this.header = ChunkedAeadFormat.readHeader(PresignedTransfers.getRange(url, 0, ChunkedAeadFormat.HEADER_BYTES - 1));
        int chunkSize = header.chunkSize();
        this.chunks = ChunkedAeadFormat.chunkCount(storedSize, chunkSize);
        this.chunksPerRange = Math.max(1, rangeSize / (chunkSize + (long) ChunkedAeadFormat.TAG_BYTES));
        this.parallelism = parallelism;
        this.openers = ThreadLocal.withInitial(() -> new ChunkOpener(header, documentKey, BulkCrypto.provider()));
        this.pool = Executors.newFixedThreadPool(parallelism, runnable -> {
            Thread thread = new Thread(runnable, "bytekeep-download");
            thread.setDaemon(true);
            return thread;
        });
        fill();
    }

    private void fill() {
        while (ahead.size() < parallelism && nextChunk < chunks) {
            long first = nextChunk;
            long end = Math.min(chunks, first + chunksPerRange);
            nextChunk = end;
            ahead.add(pool.submit(() -> fetchAndOpen(first, end)));
        }
    }

    /** Chunks {@code first} (inclusive) to {@code end} (exclusive), fetched in one GET and decrypted. */
    private byte[] fetchAndOpen(long first, long end) throws ClientException, DecryptionRefused {
        int chunkSize = header.chunkSize();
        long from = ChunkedAeadFormat.chunkOffset(first, chunkSize);
        long to = (end == chunks ? storedSize : ChunkedAeadFormat.chunkOffset(end, chunkSize)) - 1;
        byte[] stored = PresignedTransfers.getRange(url, from, to);
        byte[] plain = new byte[Math.toIntExact((end - first) * chunkSize)];
        ChunkOpener opener = openers.get();
        int read = 0;
        int written = 0;
        for (long index = first; index < end; index++) {
            int length = Math.min(chunkSize + ChunkedAeadFormat.TAG_BYTES, stored.length - read);
            written += opener.open(index, index == chunks - 1, stored, read, length, plain, written);
            read += length;
        }
        return written == plain.length ? plain : Arrays.copyOf(plain, written);
    }

    /** The next plain bytes in order (at most one range), or null at the end. */
    byte[] nextBlock() throws IOException {
        if (ahead.isEmpty()) {
            return null;
        }
        byte[] block = next();
        fill();
        return block;
    }

    private byte[] next() throws IOException {
        try {
            return ahead.removeFirst().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DecryptionRefused refused) {
                throw refused;
            }
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
