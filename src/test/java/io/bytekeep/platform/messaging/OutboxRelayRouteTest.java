package io.bytekeep.platform.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/outbox-relay.camel.yaml with its route configuration outbox-relay-failures: a batch the broker does not take
 * stops the tick; the batches before it are marked sent, it and the ones after it wait, and the relay reports it.
 */
class OutboxRelayRouteTest {

    private final List<Outbox.Event> events = List.of(event(1), event(2), event(3));
    private final List<List<Outbox.Event>> published = new ArrayList<>();
    private final List<Outbox.Event> marked = new ArrayList<>();
    private final List<Throwable> reported = new ArrayList<>();

    @Test
    void aFailedBatchStopsTheTickAndIsReportedAndWhatCameBeforeItIsMarkedSent() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            Properties settings = new Properties();
            settings.setProperty("bytekeep.events.relay-interval-millis", "60000");
            settings.setProperty("bytekeep.events.relay-batch-size", "1");
            camel.getPropertiesComponent().setInitialProperties(settings);
            camel.getRegistry().bind("outboxRelay", new RecordingRelay());
            camel.getRegistry().bind("outboxPublisher", new SecondBatchFails());
            // the purge of the same file does not fire within the test (its first run is after a minute)
            camel.getRegistry().bind("sentEventPurge", new SentEventPurge(new Outbox(null, null, Clock.systemUTC(), true),
                    Duration.ofDays(1), Clock.systemUTC()));
            camel.getRegistry().bind("backgroundFailureLog", new io.bytekeep.platform.BackgroundFailureLog());
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    ResourceHelper.resolveMandatoryResource(camel, "file:routes/api-problems.camel.yaml"),
                    ResourceHelper.resolveMandatoryResource(camel, "file:routes/background-failures.camel.yaml"),
                    ResourceHelper.resolveMandatoryResource(camel, "file:routes/outbox-relay.camel.yaml"));
            NotifyBuilder ticked = new NotifyBuilder(camel).fromRoute("outbox-relay").whenDone(1).create();

            camel.start();

            assertThat(ticked.matches(10, TimeUnit.SECONDS)).as("the relay ticked").isTrue();
        }
        assertThat(published).as("no batch after the failed one").containsExactly(events.subList(0, 1), events.subList(1, 2));
        assertThat(marked).containsExactly(events.get(0));
        assertThat(reported).hasSize(1);
        assertThat(reported.get(0)).hasMessageContaining("broker away");
    }

    private static Outbox.Event event(long seq) {
        return new Outbox.Event(seq, UUID.randomUUID(), "raw_file_received", "{}");
    }

    /** The relay's database side: holds the lease, has the three events, records what the route does with them. */
    public final class RecordingRelay extends OutboxRelay {
        RecordingRelay() {
            super(new Outbox(null, null, Clock.systemUTC(), true), "test", 10, Duration.ofSeconds(10), Clock.systemUTC());
        }

        @Override
        public List<Outbox.Event> claim() {
            return events;
        }

        @Override
        public void markSent(List<Outbox.Event> taken) {
            marked.addAll(taken);
        }

        @Override
        public void failed(Exchange exchange) {
            reported.add(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        }
    }

    /** The broker side: takes the first batch, then is away. */
    public final class SecondBatchFails {
        public List<Outbox.Event> publish(List<Outbox.Event> batch) {
            published.add(batch);
            if (published.size() > 1) {
                throw new IllegalStateException("broker away");
            }
            return batch;
        }
    }
}
