package io.bytekeep.platform.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.platform.batching.GroupCommit;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes the events a request just committed before the request is answered, as Bytes publishes RawFileReceived
 * before it answers an upload (a client that reads the queue right after the answer finds the event), through the
 * same route as the relay ({@code direct:events-publish}, where an integrator's tap applies to both). A message the
 * broker did not take (its queue was deleted: RabbitMQ returns it, Qpid nacks it) is published once more, after the
 * queue is declared again (Bytes declares it before every publish). The events are in the outbox already: what the broker took is marked sent (its row
 * deleted, with {@code bytekeep.events.keep-sent} 0), the rest is handed to the relay at once. A broker that fails is left to the relay for {@link #PAUSE_AFTER_FAILURE}, so that
 * requests do not each wait for it. Never fails the request: its data is committed.
 * <p>
 * Concurrent requests share their publication ({@link GroupCommit}): the events of all requests that committed while
 * the previous publication waited for its confirms go to the broker as one batch, confirmed and marked sent together.
 */
public class EventsPublishedNow implements Processor, AutoCloseable {

    /** Most requests whose events share one publication. */
    static final int MAX_REQUESTS_PER_PUBLICATION = 256;

    static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(EventsPublishedNow.class);

    private static final String PUBLISH = "direct:events-publish";

    private final ProducerTemplate producer;
    private final Outbox outbox;
    private final Clock clock;
    private final GroupCommit<List<Outbox.Event>, Void> publications;
    private volatile Instant pausedUntil = Instant.MIN;

    /** @param linger how long a publication under load waits for more requests' events ({@link GroupCommit}) */
    public EventsPublishedNow(ProducerTemplate producer, Outbox outbox, Clock clock, Duration linger, MeterRegistry meters) {
        this.producer = producer;
        this.outbox = outbox;
        this.clock = clock;
        this.publications = new GroupCommit<>("events-now", MAX_REQUESTS_PER_PUBLICATION, linger, this::publishBatch, meters);
    }

    /** How long the relay leaves the events of a request alone: longer than a publish of them may take. */
    public static Duration relayGrace(Duration confirmTimeout) {
        return confirmTimeout.multipliedBy(2);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        List<Outbox.Event> events = exchange.getProperty(ExchangeProperties.COMMITTED_EVENTS, List.class);
        if (events == null || events.isEmpty()) {
            return;
        }
        try {
            publications.submit(events);
        } catch (Exception e) {
            // only while the service stops: the events are in the outbox, the relay sends them once relay_after passed
            LOG.warn("Events of a committed request were left to the outbox relay ({})", e.getMessage());
        }
    }

    private void publishBatch(List<GroupCommit.Pending<List<Outbox.Event>, Void>> batch) {
        List<Outbox.Event> events = new ArrayList<>();
        batch.forEach(pending -> events.addAll(pending.item()));
        publish(events);
        batch.forEach(pending -> pending.complete(null));
    }

    private void publish(List<Outbox.Event> events) {
        List<UUID> ids = events.stream().map(Outbox.Event::id).toList();
        List<UUID> sent = new ArrayList<>();
        if (!clock.instant().isBefore(pausedUntil)) {
            try {
                sent.addAll(published(events));
                List<Outbox.Event> returned = events.stream().filter(event -> !sent.contains(event.id())).toList();
                if (!returned.isEmpty()) {
                    sent.addAll(published(returned));
                }
            } catch (RuntimeException e) {
                pausedUntil = clock.instant().plus(PAUSE_AFTER_FAILURE);
                LOG.warn("Events of a committed request could not be published now ({}); the outbox relay sends them", e.getMessage());
            }
        }
        try {
            outbox.markSentByIds(sent);
            outbox.handOverToRelay(ids.stream().filter(id -> !sent.contains(id)).toList());
        } catch (RuntimeException e) {
            // the database went away after the commit: the answer stands; the relay sends the events once relay_after
            // has passed (a published one again: at least once)
            LOG.warn("Events of a committed request could not be marked ({}); the outbox relay sends them", e.getMessage());
        }
    }

    @Override
    public void close() throws InterruptedException {
        publications.close();
    }

    @SuppressWarnings("unchecked")
    private List<UUID> published(List<Outbox.Event> events) {
        List<Outbox.Event> taken = producer.requestBody(PUBLISH, events, List.class);
        return taken.stream().map(Outbox.Event::id).toList();
    }
}
