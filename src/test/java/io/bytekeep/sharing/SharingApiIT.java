package io.bytekeep.sharing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;

import io.bytekeep.atrest.ChunkedAeadFormat;
import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.support.ApiClient;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sharing API over HTTP with a hand-made client: completing multipart uploads, scoped URLs, bad input, deleting
 * (also while S3 is down), organisations.
 */
class SharingApiIT extends SharingTestSupport {

    private static final int CHUNK = 1024 * 1024;
    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    EmbeddedS3Server s3Server;

    @Autowired
    RabbitTemplate rabbit;
    private final SecureRandom random = new SecureRandom();

    /** Whatever a failed test left behind: the S3 server is never left stopped. */
    @AfterEach
    void objectStorageRuns() {
        s3Server.start();
    }

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

    /**
     * Issue 17: a declared size of 10^15 bytes was accepted (10 000 presigned parts of 100 GB, which S3 refuses), and a
     * size near Long.MAX_VALUE overflowed the stored-size check, so a matching negative encrypted_size passed it.
     */
    @Test
    void aDeclarationOverTheMaximumDocumentSizeIsA413AndWritesNothing() throws Exception {
        ApiClient alice = as("alice");
        byte[] privateKey = registerKey(alice);
        long max = 5L * 1024 * 1024 * 1024 * 1024; // bytekeep.sharing.max-document-size: 5TB (5 TiB, S3's largest object)
        List<String> uploadsBefore = uploadIds();

        Map<String, Object> petabyte = declaration(privateKey, 1_000_000_000_000_000L);
        Map<String, Object> overflowing = declaration(privateKey, Long.MAX_VALUE);
        // the plaintext fits, its ciphertext (header and tags) does not
        Map<String, Object> ciphertextTooLarge = declaration(privateKey, max - 1);
        for (Map<String, Object> request : List.of(petabyte, overflowing, ciphertextTooLarge)) {
            ApiClient.Response refused = alice.postJson("/documents", request);
            assertThat(refused.status()).as(refused.text()).isEqualTo(413);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("detail").asText()).contains("bytekeep.sharing.max-document-size")
                    .contains(String.valueOf(max));
        }
        // an encrypted_size of its own over the maximum: refused as too large too, not only as inconsistent
        Map<String, Object> declaredLarger = declaration(privateKey, 10);
        declaredLarger.put("encrypted_size", max + 1);
        assertThat(alice.postJson("/documents", declaredLarger).status()).isEqualTo(413);

        assertThat(count("sharing_document") + count("sharing_grant")).isZero();
        assertThat(uploadIds()).isEqualTo(uploadsBefore);

        // the largest document whose ciphertext fits is accepted: 10 000 parts, each within S3's 5 GB
        long largestPlain = max - (ChunkedAeadFormat.storedSize(max, CHUNK) - max);
        while (ChunkedAeadFormat.storedSize(largestPlain + 1, CHUNK) <= max) {
            largestPlain++;
        }
        JsonNode largest = create(alice, privateKey, largestPlain);
        assertThat(largest.get("parts")).hasSize(10_000);
        assertThat(largest.get("part_size").asLong()).isLessThanOrEqualTo(5L * 1024 * 1024 * 1024);
        String id = largest.get("id").asText();
        assertThat(alice.send("DELETE", "/documents/" + id, Map.of("Authorization", "Bearer " + alice.token()), null)
                .status()).isEqualTo(200);
        assertThat(uploadsOf(id)).isEmpty();
    }

    @Test
    void deletingAnUnfinishedMultipartUploadAbortsItAndRemovesTheDocument() throws Exception {
        ApiClient alice = as("alice");
        byte[] privateKey = registerKey(alice);
        JsonNode plan = create(alice, privateKey, 6L * 1024 * 1024);
        String id = plan.get("id").asText();
        put(plan.get("parts").get(0));
        assertThat(uploadsOf(id)).hasSize(1);
        assertThat(s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents()).anyMatch(o -> o.key().contains(id));

        ApiClient.Response stranger = as("bob").send("DELETE", "/documents/" + id, Map.of("Authorization", "Bearer " + as("bob").token()), null);
        assertThat(stranger.status()).isEqualTo(404);
        assertThat(stranger.contentType()).startsWith("application/problem+json");
        assertThat(uploadsOf(id)).hasSize(1);

        ApiClient.Response deleted = alice.send("DELETE", "/documents/" + id, Map.of("Authorization", "Bearer " + alice.token()), null);
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        assertThat(deleted.json().get("document_id").asText()).isEqualTo(id);
        assertThat(deleted.json().get("action").asText()).isEqualTo("deleted");
        // the parts are gone with the upload: ListMultipartUploads has none, and no key of S3Proxy's mentions the
        // document (it keeps an open upload's parts as .mpus-<upload id>-documents/<id>-<n> objects)
        assertThat(uploadsOf(id)).isEmpty();
        assertThat(s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents()).noneMatch(o -> o.key().contains(id));
        assertThat(count("sharing_document") + count("sharing_grant")).isZero();
        assertThat(alice.get("/documents/" + id).status()).isEqualTo(404);
        assertThat(alice.send("DELETE", "/documents/" + id, Map.of("Authorization", "Bearer " + alice.token()), null).status())
                .isEqualTo(404);

        assertThat(jdbc.queryForList("select action || ' ' || actor from sharing_audit where document_id = ?::uuid", String.class, id))
                .containsExactly("DOCUMENT_DELETED alice");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Message event = rabbit.receive(AUDIT_QUEUE);
            assertThat(event).isNotNull();
            assertThat(new String(event.getBody(), StandardCharsets.UTF_8))
                    .contains("\"action\":\"DOCUMENT_DELETED\"", "\"actor\":\"alice\"", id);
        });
    }

    @Test
    void aDeletionObjectStorageDoesNotConfirmIsA503AndKeepsTheDocument() throws Exception {
        ApiClient alice = as("alice");
        byte[] privateKey = registerKey(alice);
        String id = uploadSmall(alice, privateKey);
        Map<String, String> auth = Map.of("Authorization", "Bearer " + alice.token());

        s3Server.stop();
        ApiClient.Response refused = alice.send("DELETE", "/documents/" + id, auth, null);
        assertThat(refused.status()).as(refused.text()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asText()).contains("the document is kept");
        assertThat(alice.get("/documents/" + id + "?download=false").status()).isEqualTo(200);
        assertThat(count("sharing_grant")).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from sharing_audit where action = 'DOCUMENT_DELETED'", Long.class)).isZero();

        s3Server.start();
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("documents/" + id)).contentLength()).isPositive();
        ApiClient.Response deleted = alice.send("DELETE", "/documents/" + id, auth, null);
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("documents/" + id)).contents()).isEmpty();
        assertThat(count("sharing_document")).isZero();
    }

    @Test
    void aDocumentBelongsToAnOrganisationOfItsOwnerAndIsSharedWithinIt() throws Exception {
        ApiClient alice = as("alice");
        byte[] privateKey = registerKey(alice);
        registerKey(as("carol"));
        registerKey(as("bob"));

        Map<String, Object> foreign = declaration(privateKey, 10);
        foreign.put("organization", "org-b");
        ApiClient.Response notHers = alice.postJson("/documents", foreign);
        assertThat(notHers.status()).as(notHers.text()).isEqualTo(403);
        assertThat(notHers.contentType()).startsWith("application/problem+json");
        assertThat(notHers.json().get("detail").asText()).contains("not a member of org-b");
        assertThat(count("sharing_document")).isZero();

        String inOrgA = uploadSmall(alice, privateKey);
        assertThat(alice.get("/documents/" + inOrgA).json().get("organization").asText()).isEqualTo("org-a");
        Map<String, Object> shared = declaration(privateKey, 10);
        shared.put("organization", "shared");
        JsonNode plan = alice.postJson("/documents", shared).json();
        put(plan.get("parts").get(0));
        String inShared = plan.get("id").asText();
        assertThat(alice.postJson("/documents/" + inShared + "/complete", Map.of("parts", List.of())).json()
                .get("organization").asText()).isEqualTo("shared");

        // carol is of org-a only, bob of org-b only
        assertThat(grant(alice, inOrgA, "carol").status()).isEqualTo(201);
        ApiClient.Response outside = grant(alice, inShared, "carol");
        assertThat(outside.status()).as(outside.text()).isEqualTo(403);
        assertThat(outside.contentType()).startsWith("application/problem+json");
        assertThat(outside.json().get("detail").asText()).contains("carol is not a member of organisation shared");
        assertThat(grant(alice, inOrgA, "bob").status()).isEqualTo(403);
        // the system user is of every organisation
        registerKey(as("bytes"));
        assertThat(grant(alice, inShared, "bytes").status()).isEqualTo(201);
        assertThat(jdbc.queryForList("select username from sharing_grant where username <> 'alice' order by username", String.class))
                .containsExactly("bytes", "carol");
        assertThat(jdbc.queryForObject("select count(*) from sharing_audit where action = 'SHARE_GRANTED'", Long.class)).isEqualTo(2);
    }

    private ApiClient.Response grant(ApiClient owner, String id, String user) {
        return owner.postJson("/documents/" + id + "/shares", Map.of("user", user,
                "wrapped_key", DocumentKeyWrap.wrap(new byte[32], DocumentKeyWrap.publicKey(DocumentKeyWrap.newPrivateKey(random)), random)));
    }

    /** The ids of every open multipart upload in the documents bucket (the bucket outlives each test's rows). */
    private List<String> uploadIds() {
        return s3.listMultipartUploadsPaginator(b -> b.bucket(BUCKET)).uploads().stream().map(MultipartUpload::uploadId).toList();
    }

    private List<MultipartUpload> uploadsOf(String id) {
        return s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix("documents/" + id)).uploads();
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
