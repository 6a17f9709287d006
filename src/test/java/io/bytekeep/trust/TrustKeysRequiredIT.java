package io.bytekeep.trust;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

import io.bytekeep.BytekeepApplication;
import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.support.ProdEnvironment;
import io.bytekeep.support.TestServices;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The prod profile never invents TUF keys: without one the start fails naming its environment variable. */
class TrustKeysRequiredIT {

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
    void refusesToStartWithoutTheTimestampKey() {
        Map<String, Object> environment = ProdEnvironment.of("trust_keys_it", externalS3.endpoint(), "target/trust-keys-it");
        environment.remove("BYTEKEEP_TRUST_TIMESTAMP_KEY");
        assertThatThrownBy(() -> new SpringApplicationBuilder(BytekeepApplication.class).profiles("prod")
                .properties(environment).run().close())
                .hasStackTraceContaining("needs a timestamp key")
                .hasStackTraceContaining("BYTEKEEP_TRUST_TIMESTAMP_KEY");
    }
}
