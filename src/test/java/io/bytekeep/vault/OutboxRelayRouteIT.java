package io.bytekeep.vault;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.platform.messaging.Outbox;
import io.bytekeep.platform.messaging.OutboxPublisher;
import io.bytekeep.platform.messaging.OutboxRelay;
import io.bytekeep.platform.messaging.SentEventPurge;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;
import io.bytekeep.support.MutableClock;

import static io.bytekeep.vault.VaultMetaRoutesIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * routes/outbox-relay.camel.yaml and the faults around ingestion: broker down, object storage down, the event queue
 * deleted, a message the broker cannot route; one relay at a time.
 */
class OutboxRelayRouteIT extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant ENDED = Instant.parse("2022-01-01T00:00:00Z");

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    EmbeddedS3Server s3Server;

    @Autowired
    OutboxPublisher publisher;

    @Autowired
    NamedParameterJdbcTemplate namedJdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    OutboxRelay contextRelay;

    @Autowired
    CamelContext camel;

    @Test
    void storedRawIsAnnouncedAsRawFileReceived() throws IOException {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        UUID rawId = uploadRaw(api, boefjeMetaId, "f", "KAT for president".getBytes(), "text/plain");

        Message message = rabbit.receive(EVENT_QUEUE, 10_000);
        assertThat(message).as("RawFileReceived on " + EVENT_QUEUE).isNotNull();
        assertThat(message.getMessageProperties().getMessageId()).isNotBlank();
        JsonNode event = JSON.readTree(message.getBody());
        assertThat(event.get("event_id").asText()).isEqualTo("raw_file_received");
        assertThat(event.get("organization").asText()).isEqualTo("org-a");
        assertThat(Instant.parse(event.get("created_at").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(event.get("raw_data").get("id").asText()).isEqualTo(rawId.toString());
        assertThat(event.get("raw_data").get("boefje_meta").get("id").asText()).isEqualTo(boefjeMetaId.toString());
        assertThat(event.get("raw_data").get("secure_hash").asText()).startsWith("sha512:bc4d1f0a");
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "select count(*) from outbox_event where sent_at is null", Long.class) == 0);
    }

    @Test
    void uploadsSucceedWhileTheBrokerIsDownAndAreAnnouncedWhenItReturns() throws Exception {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        rabbitmqctl("stop_app");
        UUID rawId;
        try {
            rawId = uploadRaw(api, boefjeMetaId, "f", "while down".getBytes(), "text/plain");
            assertThat(api.get("/bytes/raw/" + rawId).text()).isEqualTo("while down");
            assertThat(jdbc.queryForObject("select count(*) from outbox_event where sent_at is null", Long.class)).isEqualTo(1);
        } finally {
            rabbitmqctl("start_app");
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Message message = rabbit.receive(EVENT_QUEUE, 1_000);
            assertThat(message).isNotNull();
            assertThat(JSON.readTree(message.getBody()).get("raw_data").get("id").asText()).isEqualTo(rawId.toString());
        });
    }

    @Test
    void objectStorageDownIs503AndNothingIsRecorded() {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        s3Server.stop();
        try {
            ApiClient.Response response = api.postJson("/bytes/raw?boefje_meta_id=" + boefjeMetaId,
                    Map.of("files", java.util.List.of(file("f", "lost?".getBytes(), "text/plain"))));
            assertProblem(response, 503);
        } finally {
            s3Server.start();
        }
        assertThat(count("raw_file")).isZero();
        assertThat(count("outbox_event")).isZero();
        assertThat(uploadRaw(api, boefjeMetaId, "f", "after".getBytes(), "text/plain")).isNotNull();
    }

    @Test
    void aDeletedEventQueueIsDeclaredAgainBeforeThePublishAndTheEventArrives() throws IOException {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        rabbitAdmin().deleteQueue(EVENT_QUEUE);
        try {
            UUID rawId = uploadRaw(api, boefjeMetaId, "f", "queue gone".getBytes(), "text/plain");

            // receiving from a missing queue fails at once: wait until the relay declared it and published
            Message message = await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> rabbit.receive(EVENT_QUEUE, 1_000), received -> received != null);
            assertThat(JSON.readTree(message.getBody()).get("raw_data").get("id").asText()).isEqualTo(rawId.toString());
        } finally {
            rabbitAdmin().declareQueue(new Queue(EVENT_QUEUE));
        }
    }

    @Test
    void aMessageTheBrokerReturnsIsNotTakenAndOneItRoutesIs() {
        RabbitAdmin admin = rabbitAdmin();
        admin.declareExchange(new FanoutExchange("bytekeep.test.unbound", false, true));
        admin.declareExchange(new FanoutExchange("bytekeep.test.bound", false, true));
        Queue tap = admin.declareQueue();
        admin.declareBinding(BindingBuilder.bind(tap).to(new FanoutExchange("bytekeep.test.bound")));
        List<Outbox.Event> events = List.of(
                new Outbox.Event(1, UUID.randomUUID(), "anywhere", "{\"n\":1}"),
                new Outbox.Event(2, UUID.randomUUID(), "anywhere", "{\"n\":2}"));

        assertThat(publisher.copyTo(events, "bytekeep.test.unbound")).as("returned: no queue bound").isEmpty();
        assertThat(publisher.copyTo(events, "bytekeep.test.bound")).containsExactlyElementsOf(events);
        Message copy = rabbit.receive(tap.getName(), 5_000);
        assertThat(copy.getMessageProperties().getMessageId()).isEqualTo(events.get(0).id().toString());
    }

    @Test
    void aBatchArrivesInTheOrderOfTheOutbox() {
        String queue = "bytekeep_test_outbox_order";
        List<Outbox.Event> events = new java.util.ArrayList<>();
        for (int seq = 1; seq <= 500; seq++) {
            events.add(new Outbox.Event(seq, UUID.randomUUID(), queue, "{\"n\":" + seq + "}"));
        }
        try {
            assertThat(publisher.publish(events)).containsExactlyElementsOf(events);
            List<String> received = new java.util.ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                received.add(rabbit.receive(queue, 5_000).getMessageProperties().getMessageId());
            }
            assertThat(received).containsExactlyElementsOf(events.stream().map(event -> event.id().toString()).toList());
        } finally {
            rabbitAdmin().deleteQueue(queue);
        }
    }

    @Test
    void oneInstanceRelaysAtATimeUntilItsLeaseRunsOutOrItGivesItUp() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        Outbox outbox = new Outbox(namedJdbc, transactions, clock, true);
        // this context's own relay stays out of the way
        camel.getRouteController().stopRoute("outbox-relay");
        contextRelay.release();
        try {
            OutboxRelay first = new OutboxRelay(outbox, "first", 10, Duration.ofSeconds(10), clock);
            OutboxRelay second = new OutboxRelay(outbox, "second", 10, Duration.ofSeconds(10), clock);
            jdbc.update("insert into outbox_event (id, destination, payload, created_at) values (?, 'q', '{}', current_timestamp)",
                    UUID.randomUUID());

            assertThat(first.claim()).hasSize(1);
            assertThat(second.claim()).as("while the first holds the lease").isEmpty();
            clock.advance(Duration.ofSeconds(9));
            assertThat(first.claim()).as("renewed").hasSize(1);
            clock.advance(Duration.ofSeconds(9));
            assertThat(second.claim()).as("the renewed lease still runs").isEmpty();
            clock.advance(Duration.ofSeconds(2));
            assertThat(second.claim()).as("the first stopped renewing: taken over").hasSize(1);
            assertThat(first.claim()).isEmpty();
            second.release();
            assertThat(first.claim()).as("given up: taken at once").hasSize(1);
            first.release();
        } finally {
            camel.getRouteController().startRoute("outbox-relay");
        }
    }

    @Test
    void sentEventsLeaveTheOutboxOnceKeepSentHasPassedAndWaitingOnesStay() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        Outbox outbox = new Outbox(namedJdbc, transactions, clock, true);
        // this context's own relay would publish the test's events
        camel.getRouteController().stopRoute("outbox-relay");
        try {
            purgeKeepsWhatIsYoungOrWaiting(outbox, clock);
        } finally {
            camel.getRouteController().startRoute("outbox-relay");
        }
    }

    @Test
    void withKeepSentZeroSentEventsAreDeletedAtOnceAndWaitingOnesStay() throws Exception {
        Outbox outbox = new Outbox(namedJdbc, transactions, Clock.systemUTC(), false);
        camel.getRouteController().stopRoute("outbox-relay");
        try {
            List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
            for (UUID id : ids) {
                jdbc.update("insert into outbox_event (id, destination, payload, created_at) values (?, 'q', '{}', current_timestamp)", id);
            }
            long firstSeq = jdbc.queryForObject("select seq from outbox_event where id = ?", Long.class, ids.get(0));

            outbox.markSent(List.of(firstSeq));
            outbox.markSentByIds(List.of(ids.get(1)));

            assertThat(jdbc.queryForList("select id from outbox_event", UUID.class)).as("relayed, published by the request, waiting")
                    .containsExactly(ids.get(2));
            assertThat(outbox.pending(10)).extracting(Outbox.Event::id).containsExactly(ids.get(2));
        } finally {
            camel.getRouteController().startRoute("outbox-relay");
        }
    }

    private void purgeKeepsWhatIsYoungOrWaiting(Outbox outbox, MutableClock clock) {
        for (int i = 0; i < 3; i++) {
            jdbc.update("insert into outbox_event (id, destination, payload, created_at) values (?, 'q', '{}', current_timestamp)",
                    UUID.randomUUID());
        }
        List<Long> seqs = jdbc.queryForList("select seq from outbox_event order by seq", Long.class);
        outbox.markSent(seqs.subList(0, 1));
        clock.advance(Duration.ofHours(23));
        outbox.markSent(seqs.subList(1, 2));
        clock.advance(Duration.ofHours(2));

        assertThat(new SentEventPurge(outbox, Duration.ofDays(1), clock).purge()).isEqualTo(1);
        assertThat(jdbc.queryForList("select seq from outbox_event order by seq", Long.class))
                .as("sent 2 h ago and still waiting: kept").containsExactly(seqs.get(1), seqs.get(2));
    }

    private RabbitAdmin rabbitAdmin() {
        return new RabbitAdmin(rabbit);
    }

    private static void rabbitmqctl(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("rabbitmqctl " + command + ": " + output).isZero();
    }
}
