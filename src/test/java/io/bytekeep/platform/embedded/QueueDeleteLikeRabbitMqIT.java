package io.bytekeep.platform.embedded;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code queue.delete} of a queue that does not exist, with the RabbitMQ Java client, on the embedded broker (Qpid
 * Broker-J, as the embedded default configures it for its raw-file-received queue) and on the machine's RabbitMQ:
 * the same assertions hold on both. Bytes' own test fixture ({@code bytes/tests/conftest.py}, event_manager) deletes
 * {@code raw_file_received} before every test, whether it exists or not.
 */
class QueueDeleteLikeRabbitMqIT {

    /** The queue the embedded broker treats as RabbitMQ does; unique, since RabbitMQ's default virtual host is shared. */
    private static final String QUEUE = "bytekeep_it_raw_file_received_" + UUID.randomUUID();

    @TempDir
    static Path work;

    private static EmbeddedAmqpBroker embedded;

    @BeforeAll
    static void startTheEmbeddedBroker() {
        embedded = new EmbeddedAmqpBroker(work, 0, "bytekeep", "bytekeep-pw", List.of(QUEUE));
        embedded.start();
    }

    @AfterAll
    static void stopTheEmbeddedBroker() {
        embedded.stop();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "rabbitmq"})
    void deletingAMissingQueueAnswersDeleteOkWithNoMessagesAndTheChannelStaysOpen(String broker) throws Exception {
        try (Connection connection = connect(broker); Channel channel = connection.createChannel()) {
            channel.queueDeclare(QUEUE, true, false, false, null);
            channel.confirmSelect();
            for (int i = 0; i < 2; i++) {
                channel.basicPublish("", QUEUE, MessageProperties.PERSISTENT_TEXT_PLAIN, "event".getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(10_000);
            assertThat(channel.queueDelete(QUEUE).getMessageCount()).as("an existing queue").isEqualTo(2);

            AMQP.Queue.DeleteOk missing = channel.queueDelete(QUEUE);

            assertThat(missing.getMessageCount()).isZero();
            assertThat(channel.isOpen()).isTrue();
            assertThat(channel.queueDelete(QUEUE).getMessageCount()).as("and again").isZero();
            // the queue is gone and the channel works: a mandatory message to it comes back unroutable
            AtomicReference<Return> returned = new AtomicReference<>();
            channel.addReturnListener(returned::set);
            channel.basicPublish("", QUEUE, true, MessageProperties.PERSISTENT_TEXT_PLAIN, "lost?".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirms(10_000); // RabbitMQ then acks the returned message, Qpid nacks it
            // Qpid's nack can overtake its return (OutboxPublisher re-publishes on either)
            await().atMost(Duration.ofSeconds(10)).until(() -> returned.get() != null);
            assertThat(returned.get().getReplyCode()).isEqualTo(312); // NO_ROUTE
            assertThat(channel.isOpen()).isTrue();
        }
    }

    @Test
    void onTheEmbeddedBrokerAPassiveDeclareCreatesTheMissingQueueWhereRabbitMqAnswers404() throws Exception {
        try (Connection connection = connect("embedded"); Channel channel = connection.createChannel()) {
            channel.queueDelete(QUEUE);
            assertThat(channel.queueDeclarePassive(QUEUE).getMessageCount()).isZero();
            assertThat(channel.queueDelete(QUEUE).getMessageCount()).isZero();
        }
    }

    @Test
    void onTheEmbeddedBrokerAnyOtherMissingQueueStillGetsQpids404() throws Exception {
        try (Connection connection = connect("embedded")) {
            Channel channel = connection.createChannel();
            assertThatThrownBy(() -> channel.queueDelete("bytekeep_it_unknown_" + UUID.randomUUID()))
                    .hasRootCauseInstanceOf(ShutdownSignalException.class)
                    .rootCause().hasMessageContaining("reply-code=404");
            assertThat(channel.isOpen()).isFalse();
        }
    }

    private static Connection connect(String broker) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        if (broker.equals("embedded")) {
            factory.setPort(embedded.port());
            factory.setUsername("bytekeep");
            factory.setPassword("bytekeep-pw");
        } else {
            factory.setPort(5672);
            factory.setUsername("guest");
            factory.setPassword("guest");
        }
        return factory.newConnection("bytekeep-" + QueueDeleteLikeRabbitMqIT.class.getSimpleName());
    }
}
