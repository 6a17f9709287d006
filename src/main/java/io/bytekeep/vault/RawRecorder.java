package io.bytekeep.vault;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.platform.batching.GroupCommit;
import io.bytekeep.platform.logging.LogContext;
import io.bytekeep.platform.messaging.EventsPublishedNow;
import io.bytekeep.platform.messaging.Outbox;
import io.bytekeep.proof.ProofQueue;
import io.bytekeep.proof.ProofStore;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Records the stored raw files, their RawFileReceived events and (in Merkle batching mode) their queued proof hashes
 * in one transaction, then answers Bytes' {@code {name: raw id}}; the events it committed are left in an exchange
 * property for {@link EventsPublishedNow}. Runs after the bytes are in object storage, so no row ever lacks its bytes.
 * <p>
 * Concurrent uploads share their transaction ({@link GroupCommit}): one commit, so one forced write, for all the
 * uploads that arrived while the previous commit ran. When the shared transaction breaks a constraint (one upload
 * raced a concurrent upload of the same file), each upload of the batch is recorded alone, so that one upload's
 * failure is never another's. Each event keeps the trace context of its upload's request (W3C {@code traceparent}).
 */
public class RawRecorder implements Processor, AutoCloseable {

    /** Most uploads in one transaction: bounds its rows and the time a batch holds its connection. */
    static final int MAX_UPLOADS_PER_COMMIT = 256;
    private static final Logger LOG = LoggerFactory.getLogger(RawRecorder.class);

    private final RawStore store;
    private final ProofQueue proofQueue;
    private final TransactionTemplate transactions;
    private final String eventQueue;
    private final Duration relayGrace;
    private final Clock clock;
    private final Supplier<String> traceParent;
    private final GroupCommit<List<IncomingRaw>, List<Outbox.Event>> commits;

    /**
     * @param relayGrace how long the outbox relay leaves the new events to the request ({@link EventsPublishedNow})
     * @param linger     how long a transaction under load waits for more uploads ({@link GroupCommit})
     */
    public RawRecorder(RawStore store, ProofQueue proofQueue, TransactionTemplate transactions, String eventQueue,
                       Duration relayGrace, Duration linger, Clock clock, Supplier<String> traceParent, MeterRegistry meters) {
        this.store = store;
        this.proofQueue = proofQueue;
        this.transactions = transactions;
        this.eventQueue = eventQueue;
        this.relayGrace = relayGrace;
        this.clock = clock;
        this.traceParent = traceParent;
        this.commits = new GroupCommit<>("raw-records", MAX_UPLOADS_PER_COMMIT, linger, this::recordBatch, meters);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws Exception {
        List<IncomingRaw> raws = exchange.getIn().getMandatoryBody(List.class);
        List<IncomingRaw> stored = raws.stream().filter(raw -> !raw.isDuplicate()).toList();
        // taken here, on the request's thread: the group commit records the batch on another
        String trace = traceParent.get();
        stored.forEach(raw -> raw.traceparent(trace));
        try {
            record(exchange, stored);
        } catch (DuplicateKeyException raced) {
            // a concurrent upload of the same file (same job, same mime types) committed first: answer its id, as a
            // later upload would get it, and remove this one's object once the rest is recorded (a pack holds other
            // files too: its unused range stays, unreadable without the data key no row holds)
            for (IncomingRaw raw : stored) {
                store.findRawWithMimeTypes(raw.boefjeMeta().id(), raw.mimeTypes()).ifPresent(existing -> {
                    raw.existingId(existing);
                    if (raw.storedOffset() == null) {
                        OrphanGuard.discard(exchange, new OrphanGuard.StoredObject(raw.storageBucket(), raw.storageKey()));
                    }
                });
            }
            record(exchange, stored.stream().filter(raw -> !raw.isDuplicate()).toList());
        }
        Map<String, UUID> ids = new LinkedHashMap<>();
        raws.forEach(raw -> ids.put(raw.name(), raw.resultId()));
        if (LOG.isDebugEnabled()) {
            raws.forEach(RawRecorder::logRecorded);
        }
        exchange.getMessage().setBody(ids);
    }

    private static void logRecorded(IncomingRaw raw) {
        try (LogContext ignored = LogContext.raw(raw.boefjeMeta().organization(), raw.resultId())) {
            LOG.debug(raw.isDuplicate() ? "Raw file {} is already stored, for boefje meta {}"
                    : "Raw file {} recorded, for boefje meta {}", raw.resultId(), raw.boefjeMeta().id());
        }
    }

    private void record(Exchange exchange, List<IncomingRaw> stored) throws Exception {
        exchange.setProperty(ExchangeProperties.COMMITTED_EVENTS,
                OrphanGuard.recorded(exchange, () -> stored.isEmpty() ? List.<Outbox.Event>of() : commits.submit(stored)));
    }

    private void recordBatch(List<GroupCommit.Pending<List<IncomingRaw>, List<Outbox.Event>>> batch) {
        try {
            recordTogether(batch);
        } catch (DataIntegrityViolationException beforeCommit) {
            if (batch.size() == 1) {
                throw beforeCommit;
            }
            for (GroupCommit.Pending<List<IncomingRaw>, List<Outbox.Event>> alone : batch) {
                try {
                    recordTogether(List.of(alone));
                } catch (RuntimeException e) {
                    alone.fail(e);
                }
            }
        }
    }

    /** One transaction for the uploads of {@code batch}; a failure of the commit itself is {@link OrphanGuard.CommitOutcomeUnknown}. */
    private void recordTogether(List<GroupCommit.Pending<List<IncomingRaw>, List<Outbox.Event>>> batch) {
        List<IncomingRaw> all = new ArrayList<>();
        batch.forEach(pending -> all.addAll(pending.item()));
        List<Outbox.Event> events = OrphanGuard.inTransaction(transactions, () -> {
            List<Outbox.Event> committed = store.recordRaws(all, eventQueue, clock.instant().plus(relayGrace));
            proofQueue.enqueue(all.stream().map(raw -> new ProofStore.QueuedHash(raw.id(), raw.secureHash())).toList());
            return committed;
        });
        // recordRaws gives one event per announcing raw, in order
        int next = 0;
        for (GroupCommit.Pending<List<IncomingRaw>, List<Outbox.Event>> pending : batch) {
            List<Outbox.Event> own = new ArrayList<>();
            for (IncomingRaw raw : pending.item()) {
                if (raw.announce()) {
                    own.add(events.get(next++));
                }
            }
            pending.complete(own);
        }
    }

    @Override
    public void close() throws InterruptedException {
        commits.close();
    }
}
