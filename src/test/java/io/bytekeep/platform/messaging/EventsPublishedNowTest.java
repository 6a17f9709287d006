package io.bytekeep.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.bytekeep.platform.ExchangeProperties;

/** The events of a committed request: published and marked, or left to the relay; never a failed answer. */
class EventsPublishedNowTest {

    private final List<UUID> marked = new ArrayList<>();
    private final List<UUID> handedOver = new ArrayList<>();
    private boolean databaseDown;

    private final Outbox outbox = new Outbox(null, null, Clock.systemUTC(), true) {
        @Override
        public void markSentByIds(Collection<UUID> ids) {
            failIfDown();
            marked.addAll(ids);
        }

        @Override
        public void handOverToRelay(Collection<UUID> ids) {
            failIfDown();
            handedOver.addAll(ids);
        }
    };

    private void failIfDown() {
        if (databaseDown) {
            throw new DataAccessResourceFailureException("database away");
        }
    }

    @Test
    void whatTheBrokerTookIsMarkedAndTheRestHandedToTheRelay() throws Exception {
        Outbox.Event taken = event();
        Outbox.Event refused = event();
        try (CamelContext camel = publishing(taken)) {
            process(camel, List.of(taken, refused));
        }
        assertThat(marked).containsExactly(taken.id());
        assertThat(handedOver).containsExactly(refused.id());
    }

    @Test
    void aDatabaseGoneAfterTheCommitDoesNotFailTheRequest() throws Exception {
        Outbox.Event event = event();
        databaseDown = true;
        try (CamelContext camel = publishing(event)) {
            Exchange exchange = process(camel, List.of(event));
            assertThat(exchange.getException()).isNull();
        }
        assertThat(marked).isEmpty();
    }

    private static Outbox.Event event() {
        return new Outbox.Event(0, UUID.randomUUID(), "raw_file_received", "{}");
    }

    /** A broker stand-in behind the real route name: it takes only {@code accepted}. */
    private static CamelContext publishing(Outbox.Event accepted) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:events-publish").process(e -> e.getMessage().setBody(
                        e.getIn().getBody(List.class).stream().filter(accepted::equals).toList()));
            }
        });
        camel.start();
        return camel;
    }

    private Exchange process(CamelContext camel, List<Outbox.Event> events) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(ExchangeProperties.COMMITTED_EVENTS, events);
        try (EventsPublishedNow publisher = new EventsPublishedNow(camel.createProducerTemplate(), outbox, Clock.systemUTC(),
                Duration.ZERO, new SimpleMeterRegistry())) {
            publisher.process(exchange);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return exchange;
    }
}
