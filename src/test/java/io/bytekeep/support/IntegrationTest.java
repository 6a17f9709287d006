package io.bytekeep.support;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application as a deployment runs it, on PostgreSQL and RabbitMQ of this machine and an in-process S3
 * server, reached over real HTTP. Each test starts from empty tables and an empty event queue.
 */
@CamelSpringBootTest
// config/application.yaml (the operators' file) outranks classpath profiles; the test profile goes after it
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.additional-location=classpath:/test-config/")
@ActiveProfiles("test")
public abstract class IntegrationTest {

    protected static final String EVENT_QUEUE = "bytekeep_test_raw_file_received";

    static {
        TestServices.ensureDatabase();
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected RabbitAdmin rabbitAdmin;

    @BeforeEach
    void emptyVault() {
        jdbc.execute("truncate table " + String.join(", ", TestServices.VAULT_TABLES));
        rabbitAdmin.purgeQueue(EVENT_QUEUE, false);
    }

    protected ApiClient anonymous() {
        return new ApiClient(port);
    }

    protected ApiClient as(String user) {
        return new ApiClient(port).login(user, "test-password-" + user);
    }

    protected static Map<String, Object> boefjeMeta(UUID id, String organization, Instant endedAt) {
        return ApiClient.boefjeMeta(id, organization, endedAt);
    }

    protected UUID createBoefjeMeta(ApiClient api, String organization, Instant endedAt) {
        return api.createBoefjeMeta(organization, endedAt);
    }

    protected static Map<String, Object> file(String name, byte[] content, String... mimeTypes) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("name", name);
        file.put("content", Base64.getEncoder().encodeToString(content));
        file.put("tags", List.of(mimeTypes));
        return file;
    }

    protected UUID uploadRaw(ApiClient api, UUID boefjeMetaId, String name, byte[] content, String... mimeTypes) {
        ApiClient.Response response = api.postJson("/bytes/raw?boefje_meta_id=" + boefjeMetaId,
                Map.of("files", List.of(file(name, content, mimeTypes))));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return UUID.fromString(response.json().get(name).asText());
    }

    protected long count(String table) {
        Long n = jdbc.queryForObject("select count(*) from " + table, Long.class);
        return n == null ? 0 : n;
    }
}
