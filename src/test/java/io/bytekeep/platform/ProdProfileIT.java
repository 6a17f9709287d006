package io.bytekeep.platform;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.bytekeep.BytekeepApplication;
import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.ProdEnvironment;
import io.bytekeep.support.TestServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The prod profile as an operator starts it: settings only from the environment, PostgreSQL and RabbitMQ of the
 * machine, an S3 endpoint that is not embedded, no generated secrets.
 */
class ProdProfileIT {

    private static EmbeddedS3Server externalS3;

    @BeforeAll
    static void startAnS3Endpoint() {
        TestServices.ensureDatabase();
        externalS3 = new EmbeddedS3Server(EmbeddedS3Server.Backend.TRANSIENT, null, 0, "prod-access", "prod-secret-0123456789");
        externalS3.start();
    }

    @AfterAll
    static void stopTheS3Endpoint() {
        externalS3.stop();
    }

    @Test
    void startsFromTheEnvironmentAndServes() {
        try (ConfigurableApplicationContext app = start(environment())) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            assertThat(app.getEnvironment().getProperty("spring.datasource.url")).startsWith("jdbc:postgresql:");
            assertThat(app.containsBean("embeddedS3Server")).isFalse();
            assertThat(app.containsBean("embeddedAmqpBroker")).isFalse();
            assertThat(Path.of("target/prod-it/generated-secrets.properties")).doesNotExist();

            ApiClient.Response health = new ApiClient(port).get("/health");
            assertThat(health.json().get("healthy").asBoolean()).as(health.text()).isTrue();
            ApiClient api = new ApiClient(port).login("operator", "prod-password");
            assertThat(api.get("/bytes/mime_types").status()).isEqualTo(200);
        }
    }

    @Test
    void refusesToStartWithoutItsSecrets() {
        Map<String, Object> environment = environment();
        environment.remove("BYTEKEEP_JWT_SECRET");
        assertThatThrownBy(() -> start(environment).close())
                .hasStackTraceContaining("bytekeep.security.jwtSecret")
                .hasStackTraceContaining("BYTEKEEP_JWT_SECRET");
    }

    @Test
    void refusesToStartWithoutAKeyEncryptionKey() {
        Map<String, Object> environment = environment();
        environment.remove("BYTEKEEP_KEK_B64");
        assertThatThrownBy(() -> start(environment).close())
                .hasStackTraceContaining("ENVELOPE_AES_GCM")
                .hasStackTraceContaining("BYTEKEEP_KEK_B64");
    }

    private static ConfigurableApplicationContext start(Map<String, Object> environment) {
        return new SpringApplicationBuilder(BytekeepApplication.class).profiles("prod").properties(environment).run();
    }

    private static Map<String, Object> environment() {
        return ProdEnvironment.of("prod_it", externalS3.endpoint(), "target/prod-it");
    }
}
