package io.bytekeep.platform.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database side of the outbox relay route: whether this instance relays (it holds the lease), which events wait,
 * which the broker took, and a quiet report while the broker is away (the route retries on every tick; the log says
 * so once a minute).
 */
public class OutboxRelay {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration REPORT_EVERY = Duration.ofMinutes(1);

    private final Outbox outbox;
    private final String holder;
    private final int eventsPerLook;
    private final Duration lease;
    private final Clock clock;
    private volatile boolean holding;
    /** While holding, the lease is written again only from here on (half its time left): an idle relay writes rarely. */
    private volatile Instant renewFrom = Instant.MIN;
    private volatile Instant lastReport = Instant.EPOCH;

    /** @param holder names this instance in the lease (unique per process) */
    public OutboxRelay(Outbox outbox, String holder, int eventsPerLook, Duration lease, Clock clock) {
        this.outbox = outbox;
        this.holder = holder;
        this.eventsPerLook = eventsPerLook;
        this.lease = lease;
        this.clock = clock;
    }

    /** The waiting events, oldest first (at most events-per-look), if this instance relays; empty while another does. */
    public List<Outbox.Event> claim() {
        Instant now = clock.instant();
        boolean held = holding && now.isBefore(renewFrom);
        if (!held) {
            held = outbox.lease(holder, lease);
            renewFrom = now.plus(lease.dividedBy(2));
        }
        if (held != holding) {
            holding = held;
            LOG.info(held ? "Outbox relay: this instance ({}) relays the events" : "Outbox relay: another instance relays the events; {} waits",
                    holder);
        }
        return held ? outbox.pending(eventsPerLook) : List.of();
    }

    /** Marks the events the broker confirmed (the rest wait for the next tick). */
    public void markSent(List<Outbox.Event> taken) {
        outbox.markSent(taken.stream().map(Outbox.Event::seq).toList());
        if (!Instant.EPOCH.equals(lastReport)) {
            LOG.info("Outbox relay: broker reachable again, events are flowing");
            lastReport = Instant.EPOCH;
        }
    }

    /** The step of the route configuration outbox-relay-failures: the events wait; the report never fails itself. */
    public void failed(Exchange exchange) {
        Instant now = clock.instant();
        if (now.isAfter(lastReport.plus(REPORT_EVERY))) {
            lastReport = now;
            Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            LOG.warn("Outbox relay: cannot publish ({}); {} events wait and will be sent when the broker is back",
                    cause == null ? "unknown" : cause.getMessage(), waiting());
        }
    }

    /** The number of waiting events, or "the" while the database does not answer (the failure may be its own). */
    private String waiting() {
        try {
            return String.valueOf(outbox.pendingCount());
        } catch (RuntimeException databaseAway) {
            return "the";
        }
    }

    /** Gives the lease up (on shutdown), so another instance relays without waiting for it to run out. */
    public void release() {
        if (holding) {
            holding = false;
            renewFrom = Instant.MIN;
            outbox.release(holder);
        }
    }
}
