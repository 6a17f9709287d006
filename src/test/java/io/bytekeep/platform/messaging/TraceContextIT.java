package io.bytekeep.platform.messaging;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.test.context.TestPropertySource;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;
import io.bytekeep.vault.RawRecorder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace of an upload's HTTP request (W3C trace context, Micrometer tracing on OpenTelemetry; spans exported
 * nowhere) reaches the routes that store the file, their log lines, and the header of its RawFileReceived message,
 * also when the outbox relay sends the event later: a consumer joins the request's trace.
 */
@AutoConfigureObservability // Spring Boot turns tracing off in tests otherwise
@TestPropertySource(properties = "management.tracing.sampling.probability=1.0")
class TraceContextIT extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String RELAYED_QUEUE = "bytekeep_test_traced";

    @Autowired
    RabbitTemplate rabbit;

    private final Logger recorderLog = (Logger) LoggerFactory.getLogger(RawRecorder.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Level level;

    @BeforeEach
    void listen() {
        level = recorderLog.getLevel();
        recorderLog.setLevel(Level.DEBUG);
        logged.start();
        recorderLog.addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        recorderLog.detachAppender(logged);
        recorderLog.setLevel(level);
    }

    @Test
    void anUploadJoinsTheCallersTraceInItsRouteLogLinesAndItsEvent() throws Exception {
        String traceId = hex(16);
        String callerSpan = hex(8);
        UUID rawId = upload(Map.of("traceparent", "00-" + traceId + "-" + callerSpan + "-01"));

        String traceparent = eventOf(rawId).getMessageProperties().getHeader(TraceParent.HEADER);
        assertThat(traceparent).matches("00-" + traceId + "-[0-9a-f]{16}-01");
        assertThat(traceparent.split("-")[2]).as("the service's own span, a child of the caller's").isNotEqualTo(callerSpan);
        assertThat(recordedLine(rawId).getMDCPropertyMap()).containsEntry("traceId", traceId)
                .containsEntry("camel.routeId", "raw-store-all").containsEntry("bytekeep.organization", "org-a")
                .containsEntry("bytekeep.rawId", rawId.toString()).containsKey("spanId");
    }

    @Test
    void anUploadWithoutATraceStartsOneThatItsLogLinesAndItsEventShare() throws Exception {
        UUID rawId = upload(Map.of());

        String traceparent = eventOf(rawId).getMessageProperties().getHeader(TraceParent.HEADER);
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        assertThat(recordedLine(rawId).getMDCPropertyMap()).containsEntry("traceId", traceparent.split("-")[1]);
    }

    @Test
    void anEventTheRelaySendsLaterCarriesTheTraceOfItsRequest() {
        String traceparent = "00-" + hex(16) + "-" + hex(8) + "-01";
        UUID id = UUID.randomUUID();
        rabbitAdmin.declareQueue(QueueBuilder.durable(RELAYED_QUEUE).build());
        rabbitAdmin.purgeQueue(RELAYED_QUEUE, false);
        jdbc.update("insert into outbox_event (id, destination, payload, traceparent, created_at) values (?, ?, '{}', ?, ?)",
                id, RELAYED_QUEUE, traceparent, Timestamp.from(Instant.now()));

        Message relayed = rabbit.receive(RELAYED_QUEUE, 30_000);
        assertThat(relayed).as("the relay sent the event").isNotNull();
        assertThat(relayed.getMessageProperties().getMessageId()).isEqualTo(id.toString());
        assertThat((String) relayed.getMessageProperties().getHeader(TraceParent.HEADER)).isEqualTo(traceparent);
    }

    /**
     * Every span sampled, and still no exemplar in the OpenMetrics scrape: a Prometheus older than 2.43 would drop the
     * whole scrape for one on a timer's {@code _count} (MetricsConfiguration).
     */
    @Test
    void theScrapeCarriesNoExemplarsUnlessAskedFor() throws Exception {
        upload(Map.of("traceparent", "00-" + hex(16) + "-" + hex(8) + "-01"));
        ApiClient.Response scrape = as("bytes").send("GET", "/actuator/prometheus", Map.of("Authorization",
                "Bearer " + as("bytes").token(), "Accept", "application/openmetrics-text; version=1.0.0"), null);
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.text()).contains("http_server_requests_seconds_count").doesNotContain("trace_id=");
    }

    private UUID upload(Map<String, String> traceHeaders) throws Exception {
        ApiClient bytes = as("bytes");
        UUID boefjeMeta = createBoefjeMeta(bytes, "org-a", Instant.now());
        Map<String, String> headers = new HashMap<>(traceHeaders);
        headers.put("Content-Type", "application/json");
        headers.put("Authorization", "Bearer " + bytes.token());
        byte[] body = JSON.writeValueAsBytes(Map.of("files", List.of(file("traced", "trace me".getBytes(StandardCharsets.UTF_8),
                "text/plain"))));
        ApiClient.Response stored = bytes.send("POST", "/bytes/raw?boefje_meta_id=" + boefjeMeta, headers, body);
        assertThat(stored.status()).as(stored.text()).isEqualTo(200);
        return UUID.fromString(stored.json().get("traced").asText());
    }

    /** The RawFileReceived message of the raw file (published before the upload answered). */
    private Message eventOf(UUID rawId) throws Exception {
        for (Message message = rabbit.receive(EVENT_QUEUE, 10_000); message != null;
             message = rabbit.receive(EVENT_QUEUE, 10_000)) {
            if (JSON.readTree(message.getBody()).toString().contains(rawId.toString())) {
                return message;
            }
        }
        throw new AssertionError("no RawFileReceived for " + rawId + " on " + EVENT_QUEUE);
    }

    private ILoggingEvent recordedLine(UUID rawId) {
        return logged.list.stream().filter(event -> event.getFormattedMessage().equals("Raw file " + rawId + " recorded, "
                        + "for boefje meta " + event.getArgumentArray()[1]))
                .findFirst().orElseThrow(() -> new AssertionError("no log line of " + rawId + " in " + logged.list));
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
