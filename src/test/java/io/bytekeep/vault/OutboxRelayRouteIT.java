package io.bytekeep.vault;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;

import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static io.bytekeep.vault.VaultMetaRoutesIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** routes/outbox-relay.camel.yaml and the faults around ingestion: broker down, object storage down. */
class OutboxRelayRouteIT extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant ENDED = Instant.parse("2022-01-01T00:00:00Z");

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    EmbeddedS3Server s3Server;

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

    private static void rabbitmqctl(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("rabbitmqctl " + command + ": " + output).isZero();
    }
}
