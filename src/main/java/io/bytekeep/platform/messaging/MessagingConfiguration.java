package io.bytekeep.platform.messaging;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.apache.camel.ProducerTemplate;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitConnectionFactoryBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.amqp.CachingConnectionFactoryConfigurer;
import org.springframework.boot.autoconfigure.amqp.RabbitConnectionFactoryBeanConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.metrics.BacklogGauges;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

@Configuration(proxyBeanMethods = false)
public class MessagingConfiguration {

    /** Declared by Spring's RabbitAdmin when the first connection opens; durable, as Bytes declares it. */
    @Bean
    Queue rawFileReceivedQueue(BytekeepProperties properties) {
        return QueueBuilder.durable(properties.events().rawFileReceivedQueue()).build();
    }

    /** With tracing off (or in tests without it) there is no current span, and events carry no trace context. */
    @Bean
    TraceParent traceParent(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new TraceParent(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    @Bean
    Outbox outbox(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock,
                  BytekeepProperties properties) {
        return new Outbox(jdbc, transactions, clock, !properties.events().keepSent().isZero());
    }

    /**
     * {@code bytekeep_outbox_pending} and {@code bytekeep_outbox_oldest_age_seconds}: events not yet confirmed by the
     * broker (ops/prometheus alerts when the oldest keeps ageing: the relay is behind or the broker away).
     */
    @Bean
    MeterBinder outboxBacklogMetrics(NamedParameterJdbcTemplate jdbc, Clock clock) {
        return registry -> BacklogGauges.register(registry, "bytekeep.outbox", "events for the broker", jdbc,
                "select seq from outbox_event where sent_at is null order by seq limit :cap",
                "select created_at from outbox_event where sent_at is null order by seq limit 1",
                Duration.ofSeconds(10), clock);
    }

    @Bean(destroyMethod = "release")
    OutboxRelay outboxRelay(Outbox outbox, BytekeepProperties properties, Clock clock) {
        String holder = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        BytekeepProperties.Events events = properties.events();
        return new OutboxRelay(outbox, holder, events.relayEventsPerLook(), events.relayLease(), clock);
    }

    @Bean(destroyMethod = "close")
    EventsPublishedNow eventsPublishedNow(ProducerTemplate producer, Outbox outbox, Clock clock, BytekeepProperties properties,
                                          MeterRegistry meters) {
        // its only caller is the Vault's upload (vault-ingest), whose batches linger alike
        return new EventsPublishedNow(producer, outbox, clock, properties.vault().batchLinger(), meters);
    }

    @Bean
    SentEventPurge sentEventPurge(Outbox outbox, BytekeepProperties properties, Clock clock) {
        return new SentEventPurge(outbox, properties.events().keepSent(), clock);
    }

    /**
     * A connection of its own, configured like the application's ({@code spring.rabbitmq.*}) but with correlated
     * confirms and returns, which the batch publishing needs (the Camel endpoints keep simple confirms). Not a bean of
     * type ConnectionFactory, which would replace Spring Boot's.
     */
    @Bean(destroyMethod = "close")
    @DependsOn("rabbitConnectionFactory")
    OutboxPublisher outboxPublisher(RabbitConnectionFactoryBeanConfigurer rabbit, CachingConnectionFactoryConfigurer caching,
                                    BytekeepProperties properties) throws Exception {
        RabbitConnectionFactoryBean client = new RabbitConnectionFactoryBean();
        rabbit.configure(client);
        client.afterPropertiesSet();
        CachingConnectionFactory connections = new CachingConnectionFactory(client.getObject());
        caching.configure(connections);
        connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        connections.setPublisherReturns(true);
        connections.setConnectionNameStrategy(factory -> "bytekeep-outbox");
        return new OutboxPublisher(connections, properties.events().relayConfirmTimeout());
    }
}
