package io.bytekeep.distribution;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;

import io.bytekeep.support.IntegrationTest;

import static io.bytekeep.distribution.SubmissionFixtures.DLQ;
import static io.bytekeep.distribution.SubmissionFixtures.QUEUE;
import static io.bytekeep.distribution.SubmissionFixtures.depth;
import static io.bytekeep.distribution.SubmissionFixtures.jsonKey;
import static io.bytekeep.distribution.SubmissionFixtures.jsonPayload;
import static io.bytekeep.distribution.SubmissionFixtures.key;
import static io.bytekeep.distribution.SubmissionFixtures.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The queue intake of routes/distribution-intake.camel.yaml on the machine's RabbitMQ and PostgreSQL: stored and
 * acknowledged after the commit, poison to the dead-letter queue, a database failure back to the queue.
 */
class DiagnosisKeyQueueIntakeIT extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    DataSource dataSource;

    @Autowired
    CamelContext camel;

    @BeforeEach
    void noKeysNoMessages() {
        jdbc.execute("truncate table diagnosis_key");
        rabbitAdmin.purgeQueue(QUEUE, false);
        rabbitAdmin.purgeQueue(DLQ, false);
    }

    @Test
    void protobufAndJsonMessagesAreStoredAndAcknowledged() throws Exception {
        send(SubmissionReader.PROTOBUF, payload(3).build().toByteArray());
        send("application/json", JSON.writeValueAsBytes(jsonPayload(List.of(jsonKey(10), jsonKey(11)))));
        for (int i = 0; i < 20; i++) {
            send(SubmissionReader.PROTOBUF, payload(0).addKeys(key(100 + 2 * i)).addKeys(key(101 + 2 * i)).build().toByteArray());
        }

        await().atMost(PATIENCE).until(() -> count("diagnosis_key") == 45);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(depth(QUEUE).total()).as("acknowledged").isZero());
        assertThat(depth(QUEUE).consumers()).as("competing consumers").isEqualTo(2);
        assertThat(depth(DLQ).total()).isZero();
        assertThat(jdbc.queryForObject("select report_type from diagnosis_key where transmission_risk_level = 7 limit 1",
                String.class)).isEqualTo("SELF_REPORT");
    }

    @Test
    void aSubmissionAlreadyStoredIsAcknowledgedWithoutStoringTwice() {
        byte[] body = payload(3).build().toByteArray();
        send(SubmissionReader.PROTOBUF, body);
        send(SubmissionReader.PROTOBUF, body);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(depth(QUEUE).total()).isZero());
        assertThat(count("diagnosis_key")).isEqualTo(3);
        assertThat(depth(DLQ).total()).isZero();
    }

    @Test
    void poisonMessagesGoToTheDeadLetterQueueWithTheirReasonAndAreNotRedelivered() {
        byte[] unreadable = "{\"keys\": [".getBytes(StandardCharsets.UTF_8);
        byte[] invalid = payload(3).setKeys(1, key(2).setRollingPeriod(0)).build().toByteArray();
        byte[] tooMany = payload(15).build().toByteArray();
        send("application/json", unreadable);
        send(SubmissionReader.PROTOBUF, invalid);
        send(SubmissionReader.PROTOBUF, tooMany);
        send("text/plain", "keys, please".getBytes(StandardCharsets.UTF_8));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(depth(DLQ).ready()).isEqualTo(4));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(depth(QUEUE).total()).as("acknowledged on the queue").isZero());
        List<Message> dead = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            dead.add(rabbit.receive(DLQ, 5_000));
        }
        assertThat(dead).doesNotContainNull();
        Map<String, Message> byBody = new java.util.HashMap<>();
        dead.forEach(message -> byBody.put(new String(message.getBody(), StandardCharsets.ISO_8859_1), message));

        Message first = byBody.get(new String(unreadable, StandardCharsets.ISO_8859_1));
        assertThat(first.getMessageProperties().getContentType()).isEqualTo("application/json");
        assertThat(reason(first)).startsWith("400 Bad Request: not a JSON submission");
        assertThat(reason(byBody.get(new String(invalid, StandardCharsets.ISO_8859_1))))
                .startsWith("400 Invalid submission").contains("keys[1]: rolling period must be 1..144, was 0");
        assertThat(reason(byBody.get(new String(tooMany, StandardCharsets.ISO_8859_1)))).contains("at most 14 keys");
        assertThat(reason(byBody.get("keys, please"))).startsWith("415");

        assertThat(count("diagnosis_key")).isZero();
        assertThat(depth(QUEUE).total()).as("not redelivered").isZero();
        assertThat(depth(DLQ).total()).as("dead-lettered once each").isZero();
    }

    @Test
    void aMessageIsAcknowledgedOnlyAfterItsKeysAreCommitted() throws Exception {
        try (Connection locker = dataSource.getConnection()) {
            locker.setAutoCommit(false);
            // SHARE mode lets readers in but makes every insert wait until this transaction ends
            locker.createStatement().execute("lock table diagnosis_key in share mode");
            send(SubmissionReader.PROTOBUF, payload(2).build().toByteArray());

            await().atMost(PATIENCE).until(() -> jdbc.queryForObject("select count(*) from pg_stat_activity "
                    + "where wait_event_type = 'Lock' and query like 'insert into diagnosis_key%'", Long.class) == 1);
            assertThat(count("diagnosis_key")).isZero();
            assertThat(depth(QUEUE)).as("delivered, held unacknowledged while the commit cannot happen")
                    .extracting(SubmissionFixtures.QueueDepth::ready, SubmissionFixtures.QueueDepth::unacknowledged)
                    .containsExactly(0L, 1L);
            locker.commit();
        }
        await().atMost(PATIENCE).until(() -> count("diagnosis_key") == 2);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(depth(QUEUE).total()).isZero());
    }

    @Test
    void aDatabaseFailureSendsTheMessageBackToTheQueueUntilItCanBeStored() {
        NotifyBuilder redelivered = new NotifyBuilder(camel).fromRoute("diagnosis-key-intake").whenDone(3).create();
        jdbc.execute("alter table diagnosis_key rename to diagnosis_key_away");
        try {
            send(SubmissionReader.PROTOBUF, payload(2).build().toByteArray());
            assertThat(redelivered.matches(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .as("consumed again and again: given back to the queue, not dropped").isTrue();
            assertThat(depth(QUEUE).total()).as("still on the queue").isEqualTo(1);
            assertThat(depth(DLQ).total()).as("a passing failure is no poison").isZero();
        } finally {
            jdbc.execute("alter table diagnosis_key_away rename to diagnosis_key");
        }
        await().atMost(PATIENCE).until(() -> count("diagnosis_key") == 2);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(depth(QUEUE).total()).isZero());
    }

    private void send(String contentType, byte[] body) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType(contentType);
        properties.setMessageId(java.util.UUID.randomUUID().toString());
        rabbit.send("", QUEUE, new Message(body, properties));
    }

    private static String reason(Message message) {
        Object reason = message.getMessageProperties().getHeaders().get(SubmissionIntake.REASON_HEADER);
        assertThat(reason).as("header " + SubmissionIntake.REASON_HEADER).isNotNull();
        return reason.toString();
    }
}
