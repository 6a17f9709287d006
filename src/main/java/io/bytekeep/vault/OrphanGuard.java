package io.bytekeep.vault;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * Guards an upload against orphan objects: every object written during the exchange is journaled, and
 * unless the database commit happened, the objects are deleted when the exchange ends.
 */
public class OrphanGuard implements Processor {

    static final String WRITTEN_KEYS = "bytekeep.writtenObjectKeys";
    private static final String COMMITTED = "bytekeep.rawCommitted";
    private static final Logger LOG = LoggerFactory.getLogger(OrphanGuard.class);

    private final S3Client s3;

    /** Where one object of the upload was written. */
    public record StoredObject(String bucket, String key) {
    }

    public OrphanGuard(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        List<StoredObject> written = new CopyOnWriteArrayList<>();
        exchange.setProperty(WRITTEN_KEYS, written);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                if (!Boolean.TRUE.equals(done.getProperty(COMMITTED, Boolean.class))) {
                    written.forEach(OrphanGuard.this::delete);
                }
            }
        });
    }

    public static void committed(Exchange exchange) {
        exchange.setProperty(COMMITTED, true);
    }

    @SuppressWarnings("unchecked")
    public static void journal(Exchange exchange, StoredObject object) {
        List<StoredObject> written = exchange.getProperty(WRITTEN_KEYS, List.class);
        if (written == null) {
            throw new IllegalStateException("the route stores objects without an orphanGuard step before");
        }
        written.add(object);
    }

    private void delete(StoredObject object) {
        try {
            s3.deleteObject(b -> b.bucket(object.bucket()).key(object.key()));
            LOG.info("Removed object {} of an upload that was not recorded", object);
        } catch (RuntimeException e) {
            LOG.error("Could not remove object {} of an upload that was not recorded; the orphan sweep removes it once it is older "
                    + "than bytekeep.orphan-sweep.min-age", object, e);
        }
    }
}
