package io.bytekeep.platform.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes outbox events to RabbitMQ as a batch and tells which ones the broker took: all messages of the batch are
 * sent, then the confirms are awaited together (one round trip per batch, not per message). A message counts only
 * when the broker confirmed it and did not return it: every publish is mandatory, so a message for a queue that does
 * not exist comes back instead of being confirmed and dropped. Each destination queue is declared (durable, as Bytes
 * declares it) before its first batch and again after a message for it came back (someone deleted it); Bytes
 * declares before every publish, which costs a round trip each. Uses a connection of its own with correlated confirms
 * and returns.
 */
public class OutboxPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);

    private final CachingConnectionFactory connections;
    private final RabbitTemplate template;
    private final RabbitAdmin admin;
    private final Duration confirmTimeout;
    private final Set<String> declared = ConcurrentHashMap.newKeySet();

    /** @param connections with {@code CORRELATED} publisher confirms and publisher returns; closed with this */
    public OutboxPublisher(CachingConnectionFactory connections, Duration confirmTimeout) {
        this.connections = connections;
        this.template = new RabbitTemplate(connections);
        this.template.setMandatory(true);
        // a returned message is read from its CorrelationData, completed only after the return; the callback must exist
        this.template.setReturnsCallback(returned -> LOG.debug("Outbox: returned {}", returned.getReplyText()));
        this.admin = new RabbitAdmin(template);
        this.confirmTimeout = confirmTimeout;
    }

    /** Publishes each event to its destination queue; returns the events the broker took, in order. */
    public List<Outbox.Event> publish(List<Outbox.Event> events) {
        events.stream().map(Outbox.Event::destination).distinct().filter(declared::add).forEach(this::declare);
        return confirmed(events, "");
    }

    /**
     * Publishes a copy of each event to another exchange (a route's tap, docs/INTEGRATING.md); returns the events the
     * broker took there, so that an event counts as sent only when every publish of it was confirmed.
     */
    public List<Outbox.Event> copyTo(List<Outbox.Event> events, String exchange) {
        return confirmed(events, exchange);
    }

    private List<Outbox.Event> confirmed(List<Outbox.Event> events, String exchange) {
        // one channel for the batch: RabbitMQ keeps the order of messages only within a channel
        return template.invoke(channel -> {
            Map<Outbox.Event, CorrelationData> sent = new LinkedHashMap<>();
            for (Outbox.Event event : events) {
                // unique per publish (the event's id is its message_id): a late confirm of an earlier try is not this one's
                CorrelationData correlation = new CorrelationData();
                channel.send(exchange, event.destination(), message(event), correlation);
                sent.put(event, correlation);
            }
            return taken(sent, exchange);
        });
    }

    private List<Outbox.Event> taken(Map<Outbox.Event, CorrelationData> sent, String exchange) {
        long deadline = System.nanoTime() + confirmTimeout.toNanos();
        List<Outbox.Event> taken = new ArrayList<>();
        for (Map.Entry<Outbox.Event, CorrelationData> publish : sent.entrySet()) {
            Outbox.Event event = publish.getKey();
            CorrelationData correlation = publish.getValue();
            CorrelationData.Confirm confirm = await(correlation, deadline);
            if (confirm == null) {
                LOG.warn("Outbox: no confirm for event {} within {}; it stays in the outbox", event.id(), confirmTimeout);
            } else if (!confirm.isAck()) {
                if (exchange.isEmpty()) {
                    // Qpid Broker-J (the embedded default) nacks where RabbitMQ returns: the queue may be gone
                    declared.remove(event.destination());
                }
                LOG.warn("Outbox: the broker refused event {} ({}); it stays in the outbox", event.id(), confirm.getReason());
            } else if (correlation.getReturned() != null) {
                if (exchange.isEmpty()) {
                    declared.remove(event.destination());
                }
                LOG.warn("Outbox: event {} for {} '{}' was returned ({}); it stays in the outbox until it can be routed",
                        event.id(), exchange.isEmpty() ? "queue" : "exchange", exchange.isEmpty() ? event.destination() : exchange,
                        correlation.getReturned().getReplyText());
            } else {
                taken.add(event);
            }
        }
        return taken;
    }

    private static CorrelationData.Confirm await(CorrelationData correlation, long deadline) {
        try {
            return correlation.getFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void declare(String queue) {
        Queue durable = QueueBuilder.durable(queue).build();
        try {
            admin.declareQueue(durable);
        } catch (AmqpException existsWithOtherArguments) {
            // an operator's own declaration (other arguments) wins; a missing queue still shows as a returned message
            LOG.debug("Outbox: could not declare queue {}: {}", queue, existsWithOtherArguments.getMessage());
        }
    }

    private static Message message(Outbox.Event event) {
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(event.id().toString());
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        if (event.traceparent() != null) {
            properties.setHeader(TraceParent.HEADER, event.traceparent());
        }
        return new Message(event.payload().getBytes(StandardCharsets.UTF_8), properties);
    }

    @Override
    public void close() {
        connections.destroy();
    }
}
