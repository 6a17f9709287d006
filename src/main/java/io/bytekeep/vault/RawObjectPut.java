package io.bytekeep.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import io.bytekeep.platform.ContentSource;
import io.bytekeep.platform.ExchangeProperties;
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
 */
public class RawObjectPut implements Processor {

    private final S3Client s3;
    private final String defaultBucket;

    public RawObjectPut(S3Client s3, String defaultBucket) {
        this.s3 = s3;
        this.defaultBucket = defaultBucket;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        IncomingRaw raw = exchange.getIn().getMandatoryBody(IncomingRaw.class);
        String bucket = place(exchange, raw);
        ContentSource stored = raw.stored();
        OneReadAtATime body = new OneReadAtATime(stored);
        try {
            s3.putObject(put -> put.bucket(bucket).key(raw.storageKey()).contentType("application/octet-stream")
                    .contentLength(stored.size()), RequestBody.fromContentProvider(body::open, stored.size(), "application/octet-stream"));
        } finally {
            body.close();
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
