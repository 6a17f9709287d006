package io.bytekeep.vault;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import io.bytekeep.platform.ContentSource;
import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.platform.SingleByteRead;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes one raw file's stored bytes as an object of its own; the body stays the {@link IncomingRaw}. The key comes
 * from validated ids only ({@code raw/<organization>/<raw id>}, for an imported file
 * {@code raw/<organization>/<raw id>.<attempt id>}), never from names or other user text. The bucket is the
 * configured raw bucket unless a route step before chose another one in the exchange property {@value ExchangeProperties#RAW_BUCKET} (an
 * integrator's routing, see docs/INTEGRATING.md); the bucket is recorded with the file, so it is read back from there.
 * The key is journaled with the orphan guard before the write, so a failed upload removes what it wrote.
 *
 * <p>A stored form larger than {@code multipartThreshold} is written as a multipart upload (S3 and the embedded S3
 * server take at most 5 GB in one PUT): its parts are the consecutive {@code partSize} pieces of the one stream, sent
 * one after the other, so nothing is held in memory; a failed part aborts the upload.
 */
public class RawObjectPut implements Processor {

    private static final String OCTET_STREAM = "application/octet-stream";

    private final S3Client s3;
    private final String defaultBucket;
    private final long multipartThreshold;
    private final long partSize;

    public RawObjectPut(S3Client s3, String defaultBucket, long multipartThreshold, long partSize) {
        this.s3 = s3;
        this.defaultBucket = defaultBucket;
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        IncomingRaw raw = exchange.getIn().getMandatoryBody(IncomingRaw.class);
        String bucket = place(exchange, raw);
        ContentSource stored = raw.stored();
        OneReadAtATime body = new OneReadAtATime(stored);
        try {
            if (stored.size() > multipartThreshold) {
                putInParts(bucket, raw.storageKey(), body.open(), stored.size());
            } else {
                s3.putObject(put -> put.bucket(bucket).key(raw.storageKey()).contentType(OCTET_STREAM).contentLength(stored.size()),
                        RequestBody.fromContentProvider(body::open, stored.size(), OCTET_STREAM));
            }
        } finally {
            body.close();
        }
    }

    private void putInParts(String bucket, String key, InputStream stored, long size) {
        MultipartWrite.write(s3, bucket, key, create -> create.contentType(OCTET_STREAM), size, partSize,
                (uploadId, number, offset, length) -> s3.uploadPart(
                        b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number).contentLength(length),
                        RequestBody.fromContentProvider(new PartOfStream(stored, length)::open, length, OCTET_STREAM)).eTag());
    }

    /**
     * The next {@code length} bytes of a stream, as a part's request body: read once (the stream goes on where it
     * stopped, so a retried part cannot be sent again and fails as a storage failure), not closing the stream.
     */
    private static final class PartOfStream extends FilterInputStream {
        private long left;
        private boolean opened;

        PartOfStream(InputStream stream, long length) {
            super(stream);
            this.left = length;
        }

        InputStream open() {
            if (opened) {
                throw SdkClientException.builder().message("a part of a stream is sent once and cannot be sent again").build();
            }
            opened = true;
            return this;
        }

        @Override
        public int read() throws IOException {
            return SingleByteRead.of(this);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, left));
            left -= skipped;
            return skipped;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // the stream goes on with the next part; the put closes it
        }
    }

    /** Chooses bucket and key, records them with the file and journals them; answers the bucket. */
    String place(Exchange exchange, IncomingRaw raw) {
        String key = "raw/" + raw.boefjeMeta().organization() + "/" + raw.objectName();
        String bucket = exchange.getProperty(ExchangeProperties.RAW_BUCKET, defaultBucket, String.class);
        OrphanGuard.journal(exchange, new OrphanGuard.StoredObject(bucket, key));
        raw.storedAt(bucket, key);
        return bucket;
    }

    /**
     * The SDK opens the body again for a retry: a stored form on disk or in memory is read again from its start; a
     * request body streamed straight to storage (its stored form encrypted on the way or not) cannot be, and that
     * retry fails as the storage failure it is (answered 503, nothing stored), not as a server error.
     */
    private static final class OneReadAtATime {
        private final ContentSource source;
        private InputStream current;
        private int opened;

        OneReadAtATime(ContentSource source) {
            this.source = source;
        }

        InputStream open() {
            try {
                close();
                current = source.open();
                opened++;
                return current;
            } catch (IOException failed) {
                throw new UncheckedIOException(failed);
            } catch (IllegalStateException readOnce) {
                if (opened == 0) {
                    throw readOnce;
                }
                throw SdkClientException.builder().message("the request body was streamed to storage once and cannot be sent again")
                        .cause(readOnce).build();
            }
        }

        void close() throws IOException {
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }
}
