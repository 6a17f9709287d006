package io.bytekeep.platform.messaging;

import java.time.Clock;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.vault.VaultStore;

@Configuration(proxyBeanMethods = false)
public class MessagingConfiguration {

    /** Declared by Spring's RabbitAdmin when the first connection opens; durable, as Bytes declares it. */
    @Bean
    Queue rawFileReceivedQueue(BytekeepProperties properties) {
        return QueueBuilder.durable(properties.events().rawFileReceivedQueue()).build();
    }

    @Bean
    OutboxRelay outboxRelay(VaultStore store, BytekeepProperties properties, Clock clock) {
        return new OutboxRelay(store, properties.events().relayBatchSize(), clock);
    }
}
