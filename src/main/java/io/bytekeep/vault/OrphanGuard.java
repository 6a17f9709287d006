package io.bytekeep.vault;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * Guards an upload against orphan objects: every object written during the exchange is journaled and, when the
 * exchange ends, deleted if the database transaction failed before its commit. Objects of a committed transaction
 * stay, and so do those of a transaction whose commit itself failed: its outcome is unknown and a committed row may
 * refer to them, so the orphan sweep decides once they are older than {@code bytekeep.orphan-sweep.min-age}.
 */
public class OrphanGuard implements Processor {

    static final String WRITTEN_KEYS = "bytekeep.writtenObjectKeys";
    private static final String SHARED_OBJECTS = "bytekeep.sharedObjects";
    private static final String DISCARDED_KEYS = "bytekeep.discardedObjectKeys";
    private static final String COMMIT = "bytekeep.commit";
    private static final Logger LOG = LoggerFactory.getLogger(OrphanGuard.class);

    private final S3Client s3;

    /** Where one object of the upload was written. */
    public record StoredObject(String bucket, String key) {
    }

    /** An object the exchange shares with others (a pack): told at the end whether the exchange's rows may exist. */
    @FunctionalInterface
    public interface SharedObject {
        void settled(boolean mayBeRecorded);
    }

    /** How far the transaction that records the objects got. */
    private enum Commit {
        ATTEMPTED, DONE
    }

    public OrphanGuard(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        List<StoredObject> written = new CopyOnWriteArrayList<>();
        List<StoredObject> discarded = new CopyOnWriteArrayList<>();
        List<SharedObject> shared = new CopyOnWriteArrayList<>();
        exchange.setProperty(WRITTEN_KEYS, written);
        exchange.setProperty(DISCARDED_KEYS, discarded);
        exchange.setProperty(SHARED_OBJECTS, shared);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                Commit commit = done.getProperty(COMMIT, Commit.class);
                if (commit == Commit.ATTEMPTED) {
                    written.forEach(OrphanGuard::keep);
                } else if (commit == null) {
                    written.forEach(OrphanGuard.this::delete);
                } else {
                    discarded.forEach(OrphanGuard.this::delete);
                }
                shared.forEach(object -> object.settled(commit != null));
            }
        });
    }

    /**
     * Records what the exchange stored: runs {@code work} in one transaction and tells the guard how far it got. An
     * exception from the work deletes the objects; one from the commit itself keeps them (its outcome is unknown).
     */
    public static void record(Exchange exchange, TransactionTemplate transactions, Runnable work) {
        transactions.executeWithoutResult(status -> {
            work.run();
            exchange.setProperty(COMMIT, Commit.ATTEMPTED);
        });
        exchange.setProperty(COMMIT, Commit.DONE);
    }

    /** The objects' rows are committed (by a transaction the exchange did not run itself). */
    public static void committed(Exchange exchange) {
        exchange.setProperty(COMMIT, Commit.DONE);
    }

    /** The commit of the objects' rows was attempted and failed: its outcome is unknown, the objects are kept. */
    public static void commitAttempted(Exchange exchange) {
        exchange.setProperty(COMMIT, Commit.ATTEMPTED);
    }

    public static void journal(Exchange exchange, StoredObject object) {
        objects(exchange, WRITTEN_KEYS).add(object);
    }

    public static void journalShared(Exchange exchange, SharedObject object) {
        objects(exchange, SHARED_OBJECTS).add(object);
    }

    /** An object of the exchange that no row will record (its file was stored by a concurrent upload first). */
    public static void discard(Exchange exchange, StoredObject object) {
        objects(exchange, DISCARDED_KEYS).add(object);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> objects(Exchange exchange, String property) {
        List<T> objects = exchange.getProperty(property, List.class);
        if (objects == null) {
            throw new IllegalStateException("the route stores objects without an orphanGuard step before");
        }
        return objects;
    }

    private static void keep(StoredObject object) {
        LOG.warn("Kept object {} of an upload whose database commit failed: the outcome of the commit is unknown and a "
                + "committed row may refer to the object. The orphan sweep decides about raw/<organization>/<raw id> of the "
                + "raw bucket once it is older than bytekeep.orphan-sweep.min-age (quarantined if no raw_file row exists); "
                + "any other object stays until removed by hand if no row refers to it", object);
    }

    private void delete(StoredObject object) {
        try {
            s3.deleteObject(b -> b.bucket(object.bucket()).key(object.key()));
            LOG.info("Removed object {} of an upload that was not recorded", object);
        } catch (RuntimeException e) {
            LOG.error("Could not remove object {} of an upload that was not recorded; the orphan sweep quarantines it once "
                    + "it is older than bytekeep.orphan-sweep.min-age", object, e);
        }
    }
}
