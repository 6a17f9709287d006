package io.bytekeep.platform.security;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the operations that handle secrets (log-in, failed log-in, forged tokens, uploads, a storage outage that logs
 * a stack trace, key submissions with right and wrong tokens, the admin configuration) with io.bytekeep at DEBUG,
 * and greps everything the application printed for the configured secrets and the tokens it issued.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {"logging.level.io.bytekeep=DEBUG", "logging.level.org.apache.camel.component.platform.http=DEBUG"})
class NoSecretInLogsIT extends IntegrationTest {

    private static final List<String> CONFIGURED_SECRETS = List.of(
            "test-signing-key-0123456789abcdef0123456789abcdef",   // jwt-secret
            "test-password-bytes", "test-password-alice", "test-password-bob",
            "dGVzdC1rZWstMS0tLTAxMjM0NTY3ODlhYmNkZWYwMTI=",       // KEK
            "test-kek-1---0123456789abcdef012",                    // the KEK decoded
            "test-secret-0123456789",                               // S3 secret key
            "test-submission-token-0123456789");

    @Autowired
    EmbeddedS3Server s3Server;

    @Test
    void secretsAndIssuedTokensNeverReachTheLog(CapturedOutput output) {
        List<String> issued = new ArrayList<>();
        ApiClient alice = as("alice");
        ApiClient admin = as("bytes");
        issued.add(alice.token());
        issued.add(admin.token());
        assertThat(anonymous().token("alice", "test-password-bob").status()).isEqualTo(401);
        assertThat(anonymous().token("mallory", "test-password-alice").status()).isEqualTo(401);
        String forged = alice.token().substring(0, alice.token().lastIndexOf('.') + 1) + "AAAA";
        assertThat(alice.withToken(forged).get("/bytes/mime_types").status()).isEqualTo(401);

        UUID boefjeMetaId = createBoefjeMeta(alice, "org-a", Instant.parse("2026-03-01T10:00:00Z"));
        UUID rawId = uploadRaw(alice, boefjeMetaId, "f", "secret-free bytes".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertThat(alice.get("/bytes/raw/" + rawId).status()).isEqualTo(200);
        s3Server.stop();
        try {
            assertThat(alice.postJson("/bytes/raw?boefje_meta_id=" + boefjeMetaId,
                    Map.of("files", List.of(file("g", new byte[] {1}, "text/x")))).status()).isEqualTo(503);
        } finally {
            s3Server.start();
        }
        for (String token : List.of("test-submission-token-0123456789", "test-submission-token-0123456788")) {
            anonymous().send("POST", "/version/v1/diagnosis-keys",
                    Map.of("Content-Type", "application/json", "cwa-authorization", token), "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8));
        }
        ApiClient.Response config = admin.get("/admin/config");
        assertThat(config.status()).isEqualTo(200);

        String log = output.getAll();
        assertThat(log).as("the run logged something at DEBUG").contains("rejected with 401");
        for (String secret : CONFIGURED_SECRETS) {
            assertThat(log).as("log").doesNotContain(secret);
            assertThat(config.text()).as("/admin/config").doesNotContain(secret);
        }
        for (String token : issued) {
            assertThat(log).doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        }
        assertThat(log).doesNotContain("Bearer ey");
    }
}
