package io.bytekeep.platform.bytesenv;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

import io.bytekeep.atrest.AtRestKeysProperties;
import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.proof.ProofProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bytes' environment variables as Spring reads them at start-up: the operating-system environment of the process
 * (here a map in its place), config/application.yaml, and Bytekeep's validated settings bound from both. Bytes' own
 * test environment (bytes/.ci/.env.test) plus NaCl keys.
 */
@ExtendWith(OutputCaptureExtension.class)
class BytesEnvironmentTest {

    private static final String PRIVATE_KEY = "WAcHQFlfUrj0KZlfAAQJ4GWT+qZs2tbGrlbPrhk/iF0=";
    private static final String PUBLIC_KEY = "lxIzC+p49hvfGLMQ4m29+Q1tn7gMK5C7D/RMly5+om8=";

    @TempDir
    Path data;

    /** Only Bytekeep's settings, bound and validated as the application binds them; no servers. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({BytekeepProperties.class, AtRestKeysProperties.class, ProofProperties.class})
    static class Settings {
    }

    private Map<String, String> bytesEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>(BytesVariablesTest.ciEnvironment());
        environment.put("BYTES_DATA_DIR", data.toString());
        environment.put("BYTES_ENCRYPTION_MIDDLEWARE", "NACL_SEALBOX");
        environment.put("BYTES_PRIVATE_KEY_B64", PRIVATE_KEY);
        environment.put("BYTES_PUBLIC_KEY_B64", PUBLIC_KEY);
        return environment;
    }

    @Test
    void bytesEnvironmentBecomesBytekeepsSettings(CapturedOutput output) {
        try (ConfigurableApplicationContext app = start(bytesEnvironment())) {
            BytekeepProperties bytekeep = app.getBean(BytekeepProperties.class);
            assertThat(bytekeep.security().jwtSecret()).isEqualTo("3d54f6e4e65723aa678d17d8fd22aba5234136d3e44e5a77305dedaa8ce13f45");
            assertThat(bytekeep.security().tokenTtl()).isEqualTo(Duration.ofMinutes(1000));
            assertThat(bytekeep.security().users()).singleElement().satisfies(user -> {
                assertThat(user.username()).isEqualTo("test");
                assertThat(user.password()).isEqualTo("secret");
                assertThat(user.organizations()).containsExactly("*");
            });
            assertThat(bytekeep.dataDir()).isEqualTo(data.toAbsolutePath());
            assertThat(bytekeep.vault().metricsTtl()).isZero();
            assertThat(bytekeep.vault().encryption()).isEqualTo("NACL_SEALBOX");
            assertThat(bytekeep.vault().hashAlgorithm()).isEqualTo("SHA512");
            assertThat(bytekeep.embedded().amqp().enabled()).isFalse();
            assertThat(bytekeep.embedded().s3().enabled()).isTrue();
            AtRestKeysProperties keys = app.getBean(AtRestKeysProperties.class);
            assertThat(keys.sealbox().privateKeyB64()).isEqualTo(PRIVATE_KEY);
            assertThat(keys.sealbox().publicKeyB64()).isEqualTo(PUBLIC_KEY);

            Environment environment = app.getEnvironment();
            assertThat(environment.getProperty("spring.datasource.url"))
                    .isEqualTo("jdbc:postgresql://ci_bytes-db:5432/ci_bytes?currentSchema=bytekeep");
            assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("postgres");
            assertThat(environment.getProperty("spring.datasource.password")).isEqualTo("postgres");
            assertThat(environment.getProperty("spring.rabbitmq.host")).isEqualTo("ci_rabbitmq");
            assertThat(environment.getProperty("spring.rabbitmq.port")).isEqualTo("5672");
            assertThat(environment.getProperty("spring.rabbitmq.virtual-host")).isEqualTo("/kat");
            assertThat(environment.getProperty("spring.rabbitmq.username")).isEqualTo("guest");
        }
        assertThat(output).contains("Bytes' environment variables taken: BYTES_SECRET (BYTEKEEP_JWT_SECRET)")
                .contains("BYTES_FILE_PERMISSION=555 is not honoured")
                // names, never values
                .doesNotContain("3d54f6e4e65723aa678d17d8fd22aba5234136d3e44e5a77305dedaa8ce13f45")
                .doesNotContain(PRIVATE_KEY);
    }

    @Test
    void bytekeepsOwnSettingsWin() {
        Map<String, String> environment = bytesEnvironment();
        environment.put("BYTEKEEP_JWT_SECRET", "bytekeep-own-secret-0123456789abcdef0123");
        environment.put("BYTEKEEP_DB_URL", "jdbc:postgresql://bytekeep-db:5432/bytekeep");
        // Spring's own relaxed name of bytekeep.security.token-ttl
        environment.put("BYTEKEEP_SECURITY_TOKEN_TTL", "5m");
        try (ConfigurableApplicationContext app = start(environment, "--bytekeep.vault.metrics-ttl=7s")) {
            BytekeepProperties bytekeep = app.getBean(BytekeepProperties.class);
            assertThat(bytekeep.security().jwtSecret()).isEqualTo("bytekeep-own-secret-0123456789abcdef0123");
            assertThat(bytekeep.security().tokenTtl()).isEqualTo(Duration.ofMinutes(5));
            assertThat(bytekeep.vault().metricsTtl()).isEqualTo(Duration.ofSeconds(7));
            // no part of BYTES_DB_URI: not its user, not its schema
            assertThat(app.getEnvironment().getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://bytekeep-db:5432/bytekeep");
            assertThat(app.getEnvironment().getProperty("spring.datasource.username")).isEqualTo("bytekeep");
            // the rest still comes from Bytes' variables
            assertThat(bytekeep.security().users().get(0).username()).isEqualTo("test");
        }
    }

    @Test
    void withoutBytesVariablesNothingChanges() {
        Map<String, String> environment = Map.of("BYTEKEEP_DATA_DIR", data.toString(), "PATH", "/usr/bin");
        try (ConfigurableApplicationContext app = start(environment)) {
            assertThat(app.getEnvironment().getPropertySources().contains(BytesEnvironment.PROPERTY_SOURCE)).isFalse();
            assertThat(app.getEnvironment().getProperty("spring.datasource.url")).startsWith("jdbc:h2:file:");
            assertThat(app.getBean(BytekeepProperties.class).embedded().amqp().enabled()).isTrue();
        }
    }

    @Test
    void valuesBytekeepCannotTakeStopTheStartWithEveryReason(CapturedOutput output) {
        Map<String, String> environment = bytesEnvironment();
        environment.put("BYTES_EXT_HASH_REPOSITORY", "PASTEBIN");
        environment.put("BYTES_ACCESS_TOKEN_EXPIRE_MINUTES", "soon");
        environment.remove("BYTES_PUBLIC_KEY_B64");
        assertThatThrownBy(() -> start(environment).close())
                .isInstanceOfSatisfying(BytesEnvironment.BytesEnvironmentException.class, failure -> assertThat(failure.problems())
                        .containsExactlyInAnyOrder(
                                "BYTES_ACCESS_TOKEN_EXPIRE_MINUTES must be a positive number of minutes (up to 292 years), was 'soon'",
                                "BYTES_EXT_HASH_REPOSITORY=PASTEBIN is not supported: Bytekeep has no Pastebin hash repository; "
                                        + "use RFC3161 (with BYTES_RFC3161_PROVIDER and BYTES_RFC3161_CERT_FILE) or IN_MEMORY",
                                "BYTES_ENCRYPTION_MIDDLEWARE=NACL_SEALBOX requires private and public keys: set "
                                        + "BYTES_PRIVATE_KEY_B64 and BYTES_PUBLIC_KEY_B64"));
        assertThat(output).contains("APPLICATION FAILED TO START").contains("BYTES_EXT_HASH_REPOSITORY=PASTEBIN is not supported");
    }

    @Test
    void jsonLogsWhenBytesAsksForThem(CapturedOutput output) throws Exception {
        Map<String, String> environment = bytesEnvironment();
        environment.put("BYTES_LOGGING_FORMAT", "json");
        start(environment).close();
        String line = output.getOut().lines().filter(text -> text.contains("Bytes' environment variables taken"))
                .reduce((first, second) -> second).orElseThrow();
        JsonNode logged = new ObjectMapper().readTree(line);
        assertThat(logged.get("ecs").get("version").asText()).isNotEmpty();
        assertThat(logged.get("message").asText()).contains("BYTES_LOGGING_FORMAT (logging.structured.format.console)");
    }

    /** Starts the settings with {@code osEnvironment} in place of the process environment. */
    private static ConfigurableApplicationContext start(Map<String, String> osEnvironment, String... arguments) {
        SpringApplication application = new SpringApplication(Settings.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setEnvironment(new StandardEnvironment() {
            @Override
            public Map<String, Object> getSystemEnvironment() {
                return Map.copyOf(osEnvironment);
            }
        });
        return application.run(arguments);
    }
}
