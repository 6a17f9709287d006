package io.bytekeep.vault;

import java.io.IOException;
import java.io.InputStream;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Prepares the object-store write of one raw file: the key comes from validated ids only
 * ({@code raw/<organization>/<raw id>}, for an imported file {@code raw/<organization>/<raw id>.<attempt id>}), never
 * from names or other user text. The bucket is the configured raw
 * bucket unless a route step before chose another one in the exchange property {@value #BUCKET} (an integrator's
 * routing, see docs/INTEGRATING.md); the bucket is recorded with the file, so it is read back from there.
 */
public class ObjectKeys implements Processor {

    public static final String RAW = "bytekeep.raw";
    public static final String BUCKET = "bytekeep.rawBucket";

    private final String defaultBucket;

    public ObjectKeys(String defaultBucket) {
        this.defaultBucket = defaultBucket;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        IncomingRaw raw = exchange.getIn().getMandatoryBody(IncomingRaw.class);
        String key = "raw/" + raw.boefjeMeta().organization() + "/" + raw.objectName();
        String bucket = exchange.getProperty(BUCKET, defaultBucket, String.class);
        raw.storedAt(bucket, key);
        OrphanGuard.journal(exchange, new OrphanGuard.StoredObject(bucket, key));
        InputStream stream = raw.stored().open();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    stream.close();
                } catch (IOException ignored) {
                    // nothing left to release
                }
            }
        });
        exchange.setProperty(RAW, raw);
        exchange.getIn().setHeader("CamelAwsS3OverrideBucketName", bucket);
        exchange.getIn().setHeader("CamelAwsS3Key", key);
        exchange.getIn().setHeader("CamelAwsS3ContentLength", raw.stored().size());
        exchange.getIn().setHeader("CamelAwsS3ContentType", "application/octet-stream");
        exchange.getIn().setBody(stream);
    }
}
