package io.bytekeep.vault;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.custody.proof.ProofQueue;
import io.bytekeep.platform.messaging.EventsPublishedNow;

/**
 * Records the stored raw files, their RawFileReceived events and (in Merkle batching mode) their queued proof hashes
 * in one transaction, then answers Bytes' {@code {name: raw id}}; the events it committed are left in an exchange
 * property for {@link EventsPublishedNow}. Runs after the bytes are in object storage, so no
 * row ever lacks its bytes.
 */
public class RawRecorder implements Processor {

    private final VaultStore store;
    private final ProofQueue proofQueue;
    private final TransactionTemplate transactions;
    private final String eventQueue;
    private final Duration relayGrace;
    private final Clock clock;

    /** @param relayGrace how long the outbox relay leaves the new events to the request ({@link EventsPublishedNow}) */
    public RawRecorder(VaultStore store, ProofQueue proofQueue, TransactionTemplate transactions, String eventQueue,
                       Duration relayGrace, Clock clock) {
        this.store = store;
        this.proofQueue = proofQueue;
        this.transactions = transactions;
        this.eventQueue = eventQueue;
        this.relayGrace = relayGrace;
        this.clock = clock;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws Exception {
        List<IncomingRaw> raws = exchange.getIn().getMandatoryBody(List.class);
        List<IncomingRaw> stored = raws.stream().filter(raw -> !raw.isDuplicate()).toList();
        try {
            record(exchange, stored);
        } catch (DuplicateKeyException raced) {
            // a concurrent upload of the same file (same job, same mime types) committed first: answer its id, as a
            // later upload would get it, and remove this one's object once the rest is recorded
            for (IncomingRaw raw : stored) {
                store.findRawWithMimeTypes(raw.boefjeMeta().id(), raw.mimeTypes()).ifPresent(existing -> {
                    raw.existingId(existing);
                    OrphanGuard.discard(exchange, new OrphanGuard.StoredObject(raw.storageBucket(), raw.storageKey()));
                });
            }
            record(exchange, stored.stream().filter(raw -> !raw.isDuplicate()).toList());
        }
        Map<String, UUID> ids = new LinkedHashMap<>();
        raws.forEach(raw -> ids.put(raw.name(), raw.resultId()));
        exchange.getMessage().setBody(ids);
    }

    private void record(Exchange exchange, List<IncomingRaw> stored) {
        OrphanGuard.record(exchange, transactions, () -> {
            exchange.setProperty(EventsPublishedNow.EXCHANGE_PROPERTY,
                    store.recordRaws(stored, eventQueue, clock.instant().plus(relayGrace)));
            proofQueue.enqueue(stored);
        });
    }
}
