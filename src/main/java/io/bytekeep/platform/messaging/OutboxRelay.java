package io.bytekeep.platform.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bytekeep.vault.VaultStore;

/**
 * The database side of the outbox relay route: which events wait, which were confirmed by the broker, and a
 * quiet report while the broker is away (the route retries on every tick; the log says so once a minute).
 */
public class OutboxRelay {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration REPORT_EVERY = Duration.ofMinutes(1);

    private final VaultStore store;
    private final int batchSize;
    private final Clock clock;
    private volatile Instant lastReport = Instant.EPOCH;

    public OutboxRelay(VaultStore store, int batchSize, Clock clock) {
        this.store = store;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    public List<VaultStore.OutboxEvent> pending() {
        return store.pendingEvents(batchSize);
    }

    public void markSent(List<VaultStore.OutboxEvent> published) {
        store.markSent(published.stream().map(VaultStore.OutboxEvent::seq).toList());
        if (!Instant.EPOCH.equals(lastReport)) {
            LOG.info("Outbox relay: broker reachable again, events are flowing");
            lastReport = Instant.EPOCH;
        }
    }

    public void failed(Exchange exchange) {
        Instant now = clock.instant();
        if (now.isAfter(lastReport.plus(REPORT_EVERY))) {
            lastReport = now;
            Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            LOG.warn("Outbox relay: cannot publish ({}); {} events wait and will be sent when the broker is back",
                    cause == null ? "unknown" : cause.getMessage(), store.pendingEventCount());
        }
    }
}
