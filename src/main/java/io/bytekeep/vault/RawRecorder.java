package io.bytekeep.vault;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
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
        OrphanGuard.record(exchange, transactions, () -> {
            exchange.setProperty(EventsPublishedNow.EXCHANGE_PROPERTY,
                    store.recordRaws(stored, eventQueue, clock.instant().plus(relayGrace)));
            proofQueue.enqueue(stored);
        });
        Map<String, UUID> ids = new LinkedHashMap<>();
        raws.forEach(raw -> ids.put(raw.name(), raw.resultId()));
        exchange.getMessage().setBody(ids);
    }
}
