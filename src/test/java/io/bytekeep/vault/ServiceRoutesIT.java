package io.bytekeep.vault;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import org.junit.jupiter.api.Test;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static io.bytekeep.vault.VaultMetaRoutesIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Routes of routes/service.camel.yaml and the authentication every other route starts with. */
class ServiceRoutesIT extends IntegrationTest {

    private static final String[] PROTECTED_GETS = {
            "/metrics", "/bytes/boefje_meta/" + UUID.randomUUID(), "/bytes/boefje_meta", "/bytes/normalizer_meta/" + UUID.randomUUID(),
            "/bytes/normalizer_meta", "/bytes/raw/" + UUID.randomUUID(), "/bytes/raw/" + UUID.randomUUID() + "/meta", "/bytes/raw",
            "/bytes/raws", "/bytes/mime_types", "/openapi.json", "/actuator/prometheus", "/actuator/info"};
    private static final java.util.Set<String> OPEN = java.util.Set.of("GET /health", "POST /token");

    @Test
    void healthNeedsNoTokenAndReportsDependencies() {
        ApiClient.Response response = anonymous().get("/health");
        assertThat(response.status()).isEqualTo(200);
        JsonNode health = response.json();
        assertThat(health.get("service").asText()).isEqualTo("bytekeep");
        assertThat(health.get("healthy").asBoolean()).isTrue();
        assertThat(health.has("version")).isTrue();
        assertThat(health.has("additional")).isTrue();
        assertThat(health.get("results").findValuesAsText("service")).contains("db", "s3", "rabbit");
        assertThat(anonymous().get("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void tokenIsAnHs256JwtWithExpiry() throws Exception {
        ApiClient.Response response = anonymous().token("bytes", "test-password-bytes");
        assertThat(response.status()).isEqualTo(200);
        JsonNode token = response.json();
        assertThat(token.get("token_type").asText()).isEqualTo("bearer");
        Instant expiresAt = Instant.parse(token.get("expires_at").asText());
        assertThat(expiresAt).isBetween(Instant.now().plusSeconds(14 * 60), Instant.now().plusSeconds(16 * 60));
        SignedJWT jwt = SignedJWT.parse(token.get("access_token").asText());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("bytes");
    }

    @Test
    void badCredentialsAre401WithBearerChallenge() {
        for (ApiClient.Response response : new ApiClient.Response[] {
                anonymous().token("bytes", "wrong"), anonymous().token("nobody", "test-password-bytes")}) {
            assertProblem(response, 401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
        assertProblem(anonymous().post("/token", "application/json", "{}".getBytes()), 415);
    }

    @Test
    void everyEndpointButHealthRejectsMissingExpiredAndForgedTokens() throws Exception {
        String expired = sign("test-signing-key-0123456789abcdef0123456789abcdef", "bytes", Instant.now().minusSeconds(5));
        String wrongKey = sign("another-signing-key-0123456789abcdef0123456789", "bytes", Instant.now().plusSeconds(600));
        String unknownUser = sign("test-signing-key-0123456789abcdef0123456789abcdef", "mallory", Instant.now().plusSeconds(600));
        String unsigned = new PlainJWT(new JWTClaimsSet.Builder().subject("bytes")
                .expirationTime(java.util.Date.from(Instant.now().plusSeconds(600))).build()).serialize();
        ApiClient api = anonymous();
        for (String path : PROTECTED_GETS) {
            assertThat(api.get(path).status()).as("no token on " + path).isEqualTo(401);
            for (String token : new String[] {expired, wrongKey, unknownUser, unsigned, "garbage"}) {
                ApiClient.Response response = api.withToken(token).get(path);
                assertThat(response.status()).as(token + " on " + path).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            }
        }
        for (String path : new String[] {"/bytes/boefje_meta", "/bytes/normalizer_meta", "/bytes/raw?boefje_meta_id=" + UUID.randomUUID()}) {
            assertProblem(api.postJson(path, Map.of()), 401);
        }
        assertThat(count("boefje_meta")).isZero();
    }

    @Test
    void everyOperationOfTheOpenApiDocumentButHealthAndTokenRequiresAToken() {
        JsonNode paths = as("bytes").get("/openapi.json").json().get("paths");
        assertThat(paths.size()).isGreaterThanOrEqualTo(12);
        java.util.List<String> checked = new java.util.ArrayList<>();
        paths.fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            String operation = method.toUpperCase() + " " + path.getKey();
            String concrete = path.getKey().replaceAll("\\{[a-z_]+\\}", UUID.randomUUID().toString());
            ApiClient.Response response = anonymous().send(method.toUpperCase(), concrete,
                    Map.of("Content-Type", "application/json"), method.equals("get") ? null : "{}".getBytes());
            if (OPEN.contains(operation)) {
                assertThat(response.status()).as(operation).isNotEqualTo(401);
            } else {
                assertProblem(response, 401);
            }
            checked.add(operation);
        }));
        assertThat(checked).contains("POST /bytes/raw", "GET /bytes/raws", "GET /openapi.json", "GET /health");
    }

    @Test
    void metricsCountOrganisationsAndRawFilesPerOrganisation() {
        ApiClient api = as("bytes");
        UUID jobA = createBoefjeMeta(api, "org-a", Instant.parse("2022-01-01T00:00:00Z"));
        createBoefjeMeta(api, "org-b", Instant.parse("2022-01-01T00:00:00Z"));
        uploadRaw(api, jobA, "1", "1".getBytes(), "a/1");
        uploadRaw(api, jobA, "2", "2".getBytes(), "a/2");

        ApiClient.Response response = api.get("/metrics");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/plain");
        // bytes/bytes/api/metrics.py: organisations are those with raw files
        assertThat(response.text())
                .contains("bytes_database_organizations_total 1.0")
                .contains("bytes_database_raw_files_total{organization_id=\"org-a\"} 2.0")
                .doesNotContain("organization_id=\"org-b\"");
        assertThat(as("bob").get("/metrics").text()).contains("bytes_database_organizations_total 0.0")
                .doesNotContain("org-a");
    }

    /**
     * A login form is small: one declared larger is refused with 413 before it is read (a 60 MB form ran the heap out).
     * A chunked one is still read by the REST consumer before the route runs (issue 17, "nothing read beyond what is
     * allowed", is not done).
     */
    @Test
    void aLargeDeclaredLoginFormIsRefused() {
        byte[] form = ("username=bytes&password=" + "x".repeat(1024 * 1024)).getBytes();
        assertProblem(anonymous().post("/token", "application/x-www-form-urlencoded", form), 413);
    }

    /** Password guessing at /token is slowed: 429 with Retry-After past the free failures (issue 17). */
    @Test
    void guessingPasswordsIsThrottled() {
        for (int i = 0; i <= 5; i++) {
            assertProblem(anonymous().token("mallory-guesses", "guess-" + i), 401);
        }
        ApiClient.Response throttled = anonymous().token("mallory-guesses", "guess-6");
        assertProblem(throttled, 429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("1");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> anonymous().token("mallory-guesses", "guess-7").status() == 401);
    }

    private static String sign(String key, String subject, Instant expiry) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject(subject).expirationTime(java.util.Date.from(expiry)).build());
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }
}
