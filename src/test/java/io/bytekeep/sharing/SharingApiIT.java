package io.bytekeep.sharing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import io.bytekeep.custody.ChunkedAeadFormat;
import io.bytekeep.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The sharing API over HTTP with a hand-made client: completing multipart uploads, scoped URLs, bad input. */
class SharingApiIT extends SharingTestSupport {

    private static final int CHUNK = 1024 * 1024;
    private final HttpClient http = HttpClient.newHttpClient();
    private final SecureRandom random = new SecureRandom();

    @Test
    void aPartMissingOnCompleteIsRefusedAndTheUploadStaysOpenUntilItIsThere() throws Exception {
        ApiClient alice = as("alice");
        byte[] privateKey = registerKey(alice);
        long size = 6L * 1024 * 1024;
        JsonNode plan = create(alice, privateKey, size);
        assertThat(plan.get("multipart").asBoolean()).isTrue();
        JsonNode parts = plan.get("parts");
        assertThat(parts).hasSize(2);
        String id = plan.get("id").asText();

        String etag1 = put(parts.get(0));
        ApiClient.Response missing = alice.postJson("/documents/" + id + "/complete",
                Map.of("parts", List.of(Map.of("number", 1, "etag", etag1))));
        assertThat(missing.status()).as(missing.text()).isEqualTo(422);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.json().get("detail").asText()).contains("part 2 of 2 is missing");

        ApiClient.Response notUploaded = alice.postJson("/documents/" + id + "/complete", Map.of("parts",
                List.of(Map.of("number", 1, "etag", etag1), Map.of("number", 2, "etag", "\"0123456789abcdef0123456789abcdef\""))));
        assertThat(notUploaded.status()).as(notUploaded.text()).isEqualTo(422);
        assertThat(as("alice").get("/documents/" + id).status()).isEqualTo(409);

        String etag2 = put(parts.get(1));
        ApiClient.Response completed = alice.postJson("/documents/" + id + "/complete", Map.of("parts",
                List.of(Map.of("number", 1, "etag", etag1), Map.of("number", 2, "etag", etag2))));
        assertThat(completed.status()).as(completed.text()).isEqualTo(200);
        assertThat(completed.json().get("status").asText()).isEqualTo("AVAILABLE");
        assertThat(alice.postJson("/documents/" + id + "/complete", Map.of("parts", List.of())).status()).isEqualTo(409);
    }

    @Test
    void aDownloadUrlIsScopedToItsObject() throws Exception {
        ApiClient alice = as("alice");
        byte[] privateKey = registerKey(alice);
        String first = uploadSmall(alice, privateKey);
        String second = uploadSmall(alice, privateKey);
        URI url = URI.create(alice.get("/documents/" + first).json().get("download").get("url").asText());
        assertThat(get(url)).isEqualTo(200);
        assertThat(get(URI.create(url.toString().replace(first, second)))).isEqualTo(403);
    }

    @Test
    void badDeclarationsAreRefusedWithProblems() throws Exception {
        ApiClient alice = as("alice");
        ApiClient.Response shortKey = alice.send("PUT", "/users/me/key", headers(alice),
                ("{\"public_key\":\"" + Base64.getEncoder().encodeToString(new byte[31]) + "\"}").getBytes());
        assertThat(shortKey.status()).isEqualTo(422);
        assertThat(shortKey.json().get("detail").asText()).contains("32 bytes");

        byte[] privateKey = registerKey(alice);
        Map<String, Object> request = declaration(privateKey, 1000);
        request.put("encrypted_size", 1000);
        ApiClient.Response wrongSize = alice.postJson("/documents", request);
        assertThat(wrongSize.status()).isEqualTo(422);
        assertThat(wrongSize.json().get("detail").asText()).startsWith("encrypted_size");
        assertThat(count("sharing_document")).isZero();
        assertThat(as("bob").get("/users/alice/key").json().get("public_key").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(DocumentKeyWrap.publicKey(privateKey)));
        assertThat(as("bob").get("/users/bob/key").status()).isEqualTo(404);
    }

    private byte[] registerKey(ApiClient api) throws Exception {
        byte[] privateKey = DocumentKeyWrap.newPrivateKey(random);
        ApiClient.Response registered = api.send("PUT", "/users/me/key", headers(api),
                ("{\"public_key\":\"" + Base64.getEncoder().encodeToString(DocumentKeyWrap.publicKey(privateKey)) + "\"}").getBytes());
        assertThat(registered.status()).as(registered.text()).isEqualTo(200);
        return privateKey;
    }

    private static Map<String, String> headers(ApiClient api) {
        return Map.of("Content-Type", "application/json", "Authorization", "Bearer " + api.token());
    }

    private Map<String, Object> declaration(byte[] privateKey, long size) {
        byte[] documentKey = new byte[32];
        random.nextBytes(documentKey);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", "doc.bin");
        request.put("size", size);
        request.put("sha256", HexFormat.of().formatHex(new byte[32]));
        request.put("chunk_size", CHUNK);
        request.put("encrypted_size", ChunkedAeadFormat.storedSize(size, CHUNK));
        request.put("wrapped_key", DocumentKeyWrap.wrap(documentKey, DocumentKeyWrap.publicKey(privateKey), random));
        return request;
    }

    private JsonNode create(ApiClient api, byte[] privateKey, long size) {
        ApiClient.Response created = api.postJson("/documents", declaration(privateKey, size));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json();
    }

    private String uploadSmall(ApiClient api, byte[] privateKey) throws Exception {
        JsonNode plan = create(api, privateKey, 10);
        assertThat(plan.get("multipart").asBoolean()).isFalse();
        put(plan.get("parts").get(0));
        String id = plan.get("id").asText();
        assertThat(api.postJson("/documents/" + id + "/complete", Map.of("parts", List.of())).status()).isEqualTo(200);
        return id;
    }

    private String put(JsonNode part) throws Exception {
        byte[] bytes = new byte[part.get("length").asInt()];
        random.nextBytes(bytes);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("ETag").orElseThrow();
    }

    private int get(URI url) throws Exception {
        return http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
