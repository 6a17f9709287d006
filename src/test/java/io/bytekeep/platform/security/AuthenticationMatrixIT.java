package io.bytekeep.platform.security;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of the OpenAPI document, as the running application publishes it, against missing, expired and
 * forged tokens, a non-admin token on admin operations, and the ids of another organisation. The list comes from
 * the document at test time, so a new endpoint is covered without touching this test; a new path with an id must
 * be given a resource here (the test fails and names it otherwise).
 */
class AuthenticationMatrixIT extends IntegrationTest {

    private static final String TEST_JWT_SECRET = "test-signing-key-0123456789abcdef0123456789abcdef";
    private static final Instant ENDED = Instant.parse("2026-03-01T10:00:00Z");
    /** Operations a caller reaches without a bearer token, by design. */
    private static final List<String> OPEN = List.of("GET /health", "POST /token");
    /** Authenticated by the submission token (cwa-authorization), not a bearer token: its own check below. */
    private static final String KEY_SUBMISSION = "POST /version/v1/diagnosis-keys";

    record Operation(String method, String path, boolean adminOnly) {
        String key() {
            return method + " " + path;
        }

        String with(String id) {
            return path.replaceAll("\\{[^}]+}", id);
        }
    }

    private List<Operation> operations;

    @BeforeEach
    void readTheOpenApiDocument() {
        ApiClient.Response document = as("bytes").get("/openapi.json");
        assertThat(document.status()).as(document.text()).isEqualTo(200);
        operations = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.json().get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(method -> {
                String text = method.getValue().path("summary").asText("") + " " + method.getValue().path("description").asText("");
                operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                        text.toLowerCase(Locale.ROOT).contains("admin role")));
            });
        }
        // the document lists every REST file of routes/: a sanity floor so an empty document cannot pass
        assertThat(operations).hasSizeGreaterThan(30);
    }

    @Test
    void everyOperationRefusesMissingExpiredAndForgedTokens() throws Exception {
        String valid = as("alice").token();
        Map<String, String> badTokens = new LinkedHashMap<>();
        badTokens.put("expired", hs256("alice", Instant.now().minusSeconds(60), TEST_JWT_SECRET));
        badTokens.put("wrong key", hs256("alice", Instant.now().plusSeconds(600), "another-key-0123456789abcdef0123456789abcdef"));
        badTokens.put("alg none", unsigned("bytes", Instant.now().plusSeconds(600)));
        badTokens.put("tampered payload", tamperedSubject(valid, "bytes"));
        badTokens.put("garbage", "not.a.jwt");

        List<String> checked = new ArrayList<>();
        for (Operation operation : operations) {
            if (OPEN.contains(operation.key()) || operation.key().equals(KEY_SUBMISSION)) {
                continue;
            }
            String path = operation.with(UUID.randomUUID().toString());
            assertUnauthorized(operation, "missing token", send(operation, path, Map.of()));
            for (Map.Entry<String, String> bad : badTokens.entrySet()) {
                assertUnauthorized(operation, bad.getKey(), send(operation, path, Map.of("Authorization", "Bearer " + bad.getValue())));
            }
            checked.add(operation.key());
        }
        assertThat(checked).contains("GET /bytes/raw/{id}", "POST /bytes/raw", "GET /admin/config", "POST /distribution/runs");
    }

    @Test
    void adminOperationsRefuseATokenWithoutTheAdminRole() {
        String alice = as("alice").token();
        List<Operation> admin = operations.stream().filter(Operation::adminOnly).toList();
        assertThat(admin).extracting(Operation::key)
                .contains("GET /admin/routes", "POST /admin/keks/rewrap", "POST /distribution/runs", "POST /admin/trust/rotate-root");
        for (Operation operation : admin) {
            ApiClient.Response response = send(operation, operation.with("raw-upload"), Map.of("Authorization", "Bearer " + alice));
            assertThat(response.status()).as(operation.key() + ": " + response.text()).isEqualTo(403);
            assertThat(response.contentType()).as(operation.key()).startsWith("application/problem+json");
        }
    }

    @Test
    void idsOfAnotherOrganisationAreNotFound() {
        ApiClient alice = as("alice");
        UUID boefjeMetaId = createBoefjeMeta(alice, "org-a", ENDED);
        UUID rawId = uploadRaw(alice, boefjeMetaId, "scan", "org-a only".getBytes(StandardCharsets.UTF_8), "text/plain");
        JsonNode rawMeta = alice.get("/bytes/raw/" + rawId + "/meta").json();
        UUID normalizerMetaId = UUID.randomUUID();
        assertThat(alice.postJson("/bytes/normalizer_meta", Map.of("id", normalizerMetaId.toString(),
                "started_at", ENDED.plusSeconds(5).toString(), "ended_at", ENDED.plusSeconds(6).toString(),
                "raw_data", rawMeta, "normalizer", Map.of("id", "kat_dns_normalize", "version", "2"))).status()).isEqualTo(201);
        ApiClient.Response opened = alice.postJson("/custody/cases",
                Map.of("raw_id", rawId.toString(), "session_id", "s-1", "recipients", List.of("station-a")));
        assertThat(opened.status()).as(opened.text()).isEqualTo(201);
        String caseId = opened.json().get("case_id").asText();
        String documentId = declareDocument(alice);
        // alice's DELETE succeeds: it gets a document of its own, so the operations after it still find theirs
        String documentToDelete = declareDocument(alice);

        Map<String, Function<Operation, String>> resources = Map.of(
                "/bytes/raw/", op -> rawId.toString(),
                "/bytes/boefje_meta/", op -> boefjeMetaId.toString(),
                "/bytes/normalizer_meta/", op -> normalizerMetaId.toString(),
                "/custody/cases/", op -> caseId,
                "/documents/", op -> op.key().equals("DELETE /documents/{id}") ? documentToDelete : documentId);
        ApiClient bob = as("bob");
        List<String> checked = new ArrayList<>();
        for (Operation operation : operations) {
            // public keys are a directory every user reads (GET /users/{name}/key), by design (docs/SHARING.md)
            if (!operation.path().contains("{") || operation.adminOnly() || operation.path().startsWith("/users/")) {
                continue;
            }
            String id = resources.entrySet().stream().filter(r -> operation.path().startsWith(r.getKey()))
                    .map(r -> r.getValue().apply(operation)).findFirst()
                    .orElseThrow(() -> new AssertionError(operation.key() + " has an id: give it a resource of org-a in this test"));
            // the stranger first, while the resource exists (the owner's DELETE removes it)
            ApiClient.Response asStranger = send(operation, operation.with(id), Map.of("Authorization", "Bearer " + bob.token()));
            ApiClient.Response asOwner = send(operation, operation.with(id), Map.of("Authorization", "Bearer " + alice.token()));
            assertThat(asStranger.status()).as(operation.key() + " as bob: " + asStranger.text()).isEqualTo(404);
            assertThat(asStranger.contentType()).startsWith("application/problem+json");
            // the owner is answered otherwise for the same id: the 404 comes from the organisation, not the id
            assertThat(asOwner.status() + " " + asOwner.text()).as(operation.key() + " as alice")
                    .isNotEqualTo(asStranger.status() + " " + asStranger.text());
            checked.add(operation.key());
        }
        assertThat(checked).contains("GET /bytes/raw/{id}", "GET /bytes/raw/{id}/meta", "GET /bytes/boefje_meta/{id}",
                "GET /custody/cases/{id}/chain", "GET /documents/{id}", "POST /documents/{id}/shares", "DELETE /documents/{id}");
    }

    /** A shared document of alice's, declared (not uploaded): enough for its id to exist. */
    private static String declareDocument(ApiClient alice) {
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[] privateKey = io.bytekeep.sharing.DocumentKeyWrap.newPrivateKey(random);
        byte[] publicKey = io.bytekeep.sharing.DocumentKeyWrap.publicKey(privateKey);
        ApiClient.Response registered = alice.send("PUT", "/users/me/key", Map.of("Content-Type", "application/json",
                "Authorization", "Bearer " + alice.token()), ("{\"public_key\":\"" + java.util.Base64.getEncoder().encodeToString(publicKey)
                + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(registered.status()).as(registered.text()).isEqualTo(200);
        byte[] documentKey = new byte[32];
        random.nextBytes(documentKey);
        Map<String, Object> declaration = new LinkedHashMap<>();
        declaration.put("name", "evidence.bin");
        declaration.put("size", 10);
        declaration.put("sha256", "0".repeat(64));
        declaration.put("chunk_size", 65536);
        declaration.put("encrypted_size", io.bytekeep.atrest.ChunkedAeadFormat.storedSize(10, 65536));
        declaration.put("wrapped_key", io.bytekeep.sharing.DocumentKeyWrap.wrap(documentKey, publicKey, random));
        ApiClient.Response created = alice.postJson("/documents", declaration);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    @Test
    void keySubmissionNeedsTheSubmissionToken() {
        ApiClient.Response missing = anonymous().send("POST", "/version/v1/diagnosis-keys",
                Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8));
        ApiClient.Response wrong = anonymous().send("POST", "/version/v1/diagnosis-keys",
                Map.of("Content-Type", "application/json", "cwa-authorization", "test-submission-token-0123456788"), "{}".getBytes(StandardCharsets.UTF_8));
        ApiClient.Response bearer = anonymous().send("POST", "/version/v1/diagnosis-keys",
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + as("bytes").token()), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(missing.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(bearer.status()).isEqualTo(401);
        assertThat(List.of(missing, wrong, bearer)).allSatisfy(r -> assertThat(r.contentType()).startsWith("application/problem+json"));
    }

    private ApiClient.Response send(Operation operation, String path, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        byte[] body = null;
        if (!operation.method().equals("GET") && !operation.method().equals("DELETE")) {
            all.put("Content-Type", "application/json");
            body = "{}".getBytes(StandardCharsets.UTF_8);
        }
        return anonymous().send(operation.method(), path, all, body);
    }

    private static void assertUnauthorized(Operation operation, String why, ApiClient.Response response) {
        assertThat(response.status()).as(operation.key() + " with " + why + ": " + response.text()).isEqualTo(401);
        assertThat(response.contentType()).as(operation.key() + " with " + why).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(401);
    }

    private static String hs256(String subject, Instant expiry, String secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject(subject).issueTime(Date.from(expiry.minusSeconds(3600))).expirationTime(Date.from(expiry)).build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static String unsigned(String subject, Instant expiry) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"" + subject + "\",\"exp\":" + expiry.getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** A real token of one user with the payload rewritten to name another; the signature is left as it was. */
    private static String tamperedSubject(String token, String subject) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replaceFirst("\"sub\":\"[^\"]+\"", "\"sub\":\"" + subject + "\"");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }
}
