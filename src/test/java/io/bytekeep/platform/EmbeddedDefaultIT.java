package io.bytekeep.platform;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.TestServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default as `./mvnw spring-boot:run` starts it: no profile, H2, S3Proxy and Qpid Broker-J in the
 * JVM, secrets generated on first start. Walks the README's curl sequence over HTTP and reads the event from
 * the embedded broker.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "bytekeep.data-dir=target/embedded-default-it")
@DirtiesContext // its own context: closed after the class, so its servers do not outlive it
class EmbeddedDefaultIT {

    private static final Path DATA = Path.of("target", "embedded-default-it").toAbsolutePath();

    static {
        org.springframework.util.FileSystemUtils.deleteRecursively(DATA.toFile());
    }

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) {
        int s3Port = TestServices.freePort();
        int amqpPort = TestServices.freePort();
        int s3ExportsPort = TestServices.freePort();
        registry.add("bytekeep.embedded.s3.port", () -> s3Port);
        registry.add("bytekeep.embedded.s3-exports.port", () -> s3ExportsPort);
        registry.add("bytekeep.embedded.amqp.port", () -> amqpPort);
    }

    @LocalServerPort
    int port;

    @Value("${spring.datasource.url}")
    String databaseUrl;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void readmeWalkThroughOnEmbeddedDefaults() throws IOException {
        assertThat(databaseUrl).startsWith("jdbc:h2:file:");
        ApiClient api = new ApiClient(port).login("bytes", generatedPassword());

        UUID boefjeMetaId = UUID.randomUUID();
        Map<String, Object> meta = Map.of("id", boefjeMetaId.toString(), "started_at", "2021-12-31T23:59:50Z",
                "ended_at", "2022-01-01T00:00:00Z", "boefje", Map.of("id", "dns-records", "version", "1"),
                "input_ooi", "Hostname|internet|example.org", "arguments", Map.of(), "organization", "acme");
        assertThat(api.postJson("/bytes/boefje_meta", meta).status()).isEqualTo(201);

        ApiClient.Response uploaded = api.postJson("/bytes/raw?boefje_meta_id=" + boefjeMetaId, Map.of("files", List.of(
                Map.of("name", "dns", "content", "S0FUIGZvciBwcmVzaWRlbnQ=", "tags", List.of("boefje/dns-records")))));
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(200);
        String rawId = uploaded.json().get("dns").asText();

        assertThat(api.get("/bytes/raw/" + rawId).text()).isEqualTo("KAT for president");
        assertThat(api.get("/bytes/raw/" + rawId + "/meta").json().get("secure_hash").asText()).startsWith("sha512:bc4d1f0a71ba9bf2");
        assertThat(api.get("/metrics").text()).contains("bytes_database_raw_files_total{organization_id=\"acme\"} 1.0");
        assertThat(Files.list(DATA.resolve("s3").resolve("bytekeep-raw")).count()).isPositive();
        try (var objects = Files.walk(DATA.resolve("s3").resolve("bytekeep-raw"))) {
            assertThat(objects.filter(Files::isRegularFile).map(EmbeddedDefaultIT::text))
                    .as("encrypted at rest (ENVELOPE_AES_GCM with the generated KEK)").isNotEmpty().noneMatch(t -> t.contains("KAT for president"));
        }

        Message event = rabbit.receive("raw_file_received", 10_000);
        assertThat(event).as("RawFileReceived from the embedded broker").isNotNull();
        JsonNode body = new ObjectMapper().readTree(event.getBody());
        assertThat(body.get("raw_data").get("id").asText()).isEqualTo(rawId);
        assertThat(Instant.parse(body.get("created_at").asText())).isBeforeOrEqualTo(Instant.now());
    }

    /** The H2 settings the soaks measured (config/application.yaml says why), as the running database reports them. */
    @Test
    void theEmbeddedDatabaseRunsWithTheMeasuredStorageSettings() {
        List<Map.Entry<String, String>> settings = jdbc.query("select setting_name, setting_value"
                        + " from information_schema.settings where setting_name in ('AUTO_COMPACT_FILL_RATE', 'RETENTION_TIME')",
                (row, n) -> Map.entry(row.getString(1), row.getString(2)));
        assertThat(settings).containsExactlyInAnyOrder(Map.entry("AUTO_COMPACT_FILL_RATE", "80"),
                Map.entry("RETENTION_TIME", "5000"));
    }

    @Test
    void bytesTestFixtureDeletesRawFileReceivedWhetherItExistsOrNotAndEventsStillArrive() throws IOException {
        // bytes/tests/conftest.py, event_manager: channel.queue_delete("raw_file_received") before every test
        for (int fixture = 0; fixture < 2; fixture++) {
            rabbit.execute(channel -> {
                assertThat(channel.queueDelete("raw_file_received").getMessageCount()).isZero();
                assertThat(channel.isOpen()).as("delete-ok, as on RabbitMQ").isTrue();
                return null;
            });
        }
        ApiClient api = new ApiClient(port).login("bytes", generatedPassword());
        UUID boefjeMetaId = UUID.randomUUID();
        Map<String, Object> meta = Map.of("id", boefjeMetaId.toString(), "started_at", "2021-12-31T23:59:50Z",
                "ended_at", "2022-01-01T00:00:00Z", "boefje", Map.of("id", "dns-records", "version", "1"),
                "input_ooi", "Hostname|internet|example.org", "arguments", Map.of(), "organization", "fixture");
        assertThat(api.postJson("/bytes/boefje_meta", meta).status()).isEqualTo(201);
        ApiClient.Response uploaded = api.postJson("/bytes/raw?boefje_meta_id=" + boefjeMetaId, Map.of("files", List.of(
                Map.of("name", "dns", "content", "S0FUIGZvciBwcmVzaWRlbnQ=", "tags", List.of("boefje/dns-records")))));
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(200);

        Message event = rabbit.receive("raw_file_received", 10_000);
        assertThat(event).as("RawFileReceived in the queue declared again").isNotNull();
        assertThat(new ObjectMapper().readTree(event.getBody()).get("raw_data").get("id").asText())
                .isEqualTo(uploaded.json().get("dns").asText());
    }

    private static String text(Path file) {
        try {
            return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String generatedPassword() throws IOException {
        Properties secrets = new Properties();
        try (Reader reader = Files.newBufferedReader(DATA.resolve("generated-secrets.properties"))) {
            secrets.load(reader);
        }
        assertThat(secrets.getProperty("jwt-secret")).hasSizeGreaterThanOrEqualTo(64);
        return secrets.getProperty("password");
    }
}
