package io.bytekeep.vault;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import software.amazon.awssdk.services.s3.S3Client;

import io.bytekeep.platform.ExchangeProperties;

/**
 * Guards an upload against orphan objects: every object written during the exchange is journaled and, when the
 * exchange ends, deleted if the database transaction failed before its commit. Objects of a committed transaction
 * stay, and so do those of a transaction whose commit itself failed: its outcome is unknown and a committed row may
 * refer to them, so the orphan sweep decides once they are older than {@code bytekeep.orphan-sweep.min-age}.
 */
public class OrphanGuard implements Processor {

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
        exchange.setProperty(ExchangeProperties.WRITTEN_OBJECTS, written);
        exchange.setProperty(ExchangeProperties.DISCARDED_OBJECTS, discarded);
        exchange.setProperty(ExchangeProperties.SHARED_OBJECTS, shared);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                Commit commit = done.getProperty(ExchangeProperties.COMMIT, Commit.class);
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

    /** The transaction's commit itself failed: whether it committed is unknown. */
    public static final class CommitOutcomeUnknown extends RuntimeException {
        CommitOutcomeUnknown(RuntimeException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** A step that commits the exchange's rows, in a transaction of its own or shared with other exchanges. */
    @FunctionalInterface
    public interface Recording<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Records what the exchange stored: runs {@code work} in one transaction and tells the guard how far it got. An
     * exception from the work deletes the objects; one from the commit itself keeps them (its outcome is unknown).
     */
    public static void record(Exchange exchange, TransactionTemplate transactions, Runnable work) {
        recorded(exchange, () -> inTransaction(transactions, () -> {
            work.run();
            return null;
        }));
    }

    /**
     * Tells the guard how far {@code recording} got: done when it returns, attempted when it throws
     * {@link CommitOutcomeUnknown} (rethrown as its cause), not committed on any other exception.
     */
    public static <T, E extends Exception> T recorded(Exchange exchange, Recording<T, E> recording) throws E {
        try {
            T result = recording.run();
            exchange.setProperty(ExchangeProperties.COMMIT, Commit.DONE);
            return result;
        } catch (CommitOutcomeUnknown unknown) {
            exchange.setProperty(ExchangeProperties.COMMIT, Commit.ATTEMPTED);
            throw (RuntimeException) unknown.getCause();
        }
    }

    /** Runs {@code work} in one transaction; a failure of the commit itself, after the work, is {@link CommitOutcomeUnknown}. */
    public static <T> T inTransaction(TransactionTemplate transactions, Supplier<T> work) {
        boolean[] workDone = {false};
        try {
            return transactions.execute(status -> {
                T result = work.get();
                workDone[0] = true;
                return result;
            });
        } catch (RuntimeException e) {
            if (workDone[0]) {
                throw new CommitOutcomeUnknown(e);
            }
            throw e;
        }
    }

    public static void journal(Exchange exchange, StoredObject object) {
        objects(exchange, ExchangeProperties.WRITTEN_OBJECTS).add(object);
    }

    public static void journalShared(Exchange exchange, SharedObject object) {
        objects(exchange, ExchangeProperties.SHARED_OBJECTS).add(object);
    }

    /** An object of the exchange that no row will record (its file was stored by a concurrent upload first). */
    public static void discard(Exchange exchange, StoredObject object) {
        objects(exchange, ExchangeProperties.DISCARDED_OBJECTS).add(object);
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
        removeUnrecorded(s3, object);
    }

    /** Deletes an object no row refers to (an upload's own, or a pack none of whose uploads was recorded). */
    static void removeUnrecorded(S3Client s3, StoredObject object) {
        try {
            s3.deleteObject(b -> b.bucket(object.bucket()).key(object.key()));
            LOG.info("Removed object {}: no upload that wrote it was recorded", object);
        } catch (RuntimeException e) {
            LOG.error("Could not remove object {}, which no upload that wrote it recorded; the orphan sweep quarantines it "
                    + "once it is older than bytekeep.orphan-sweep.min-age", object, e);
        }
    }
}
