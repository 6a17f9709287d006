package io.bytekeep.vault;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/vault-import.camel.yaml, the admin import API behind {@code bytekeep import-bytes}, over real HTTP on
 * PostgreSQL and S3: ids and proof fields kept, bytes checked against their secure_hash, reruns answered present,
 * differences answered conflict, and every bad request a problem with nothing written.
 */
class VaultImportRoutesIT extends IntegrationTest {

    static final Instant ENDED = Instant.parse("2025-11-14T10:00:03.654321Z");
    private static final String BUCKET = "bytekeep-test-raw";

    @Autowired
    S3Client s3;

    @Test
    void aRawFileKeepsItsIdAndProofFieldsAndAnswersPresentTheSecondTime() throws Exception {
        ApiClient admin = as("bytes");
        UUID meta = importedBoefjeMeta(admin, "org-a");
        UUID id = UUID.randomUUID();
        byte[] content = "example.org. 3600 IN A 192.0.2.1\n".getBytes(StandardCharsets.UTF_8);
        String hash = hash("sha224", content);

        ApiClient.Response created = importRaw(admin, id, meta, content, hash, "https://tsa.example.org/tsr", "link-1",
                "boefje/dns-records", "text/plain");

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().path("status").asText()).isEqualTo("created");
        JsonNode stored = admin.get("/bytes/raw/" + id + "/meta").json();
        assertThat(stored.path("secure_hash").asText()).isEqualTo(hash);
        assertThat(stored.path("signing_provider_url").asText()).isEqualTo("https://tsa.example.org/tsr");
        assertThat(stored.path("hash_retrieval_link").asText()).isEqualTo("link-1");
        assertThat(admin.get("/bytes/raw/" + id).body()).isEqualTo(content);
        assertThat(count("outbox_event")).isZero();
        List<String> objects = objects(id);
        assertThat(objects).singleElement().asString().startsWith("raw/org-a/" + id + ".");
        assertThat(jdbc.queryForObject("select encryption from raw_file where id = ?", String.class, id))
                .as("the deployment's middleware wrote it").isEqualTo("ENVELOPE_AES_GCM");

        ApiClient.Response again = importRaw(admin, id, meta, content, hash, "https://tsa.example.org/tsr", "link-1",
                "text/plain", "boefje/dns-records");

        assertThat(again.status()).as(again.text()).isEqualTo(200);
        assertThat(again.json().path("status").asText()).isEqualTo("present");
        assertThat(objects(id)).isEqualTo(objects);
        assertThat(count("raw_file")).isEqualTo(1);
    }

    @Test
    void bytesThatDoNotHashToTheirSecureHashAreRefusedAndLeaveNothing() throws Exception {
        ApiClient admin = as("bytes");
        UUID meta = importedBoefjeMeta(admin, "org-a");
        UUID id = UUID.randomUUID();
        String hashOfOther = hash("sha512", "other bytes".getBytes(StandardCharsets.UTF_8));

        ApiClient.Response response = importRaw(admin, id, meta, "these bytes".getBytes(StandardCharsets.UTF_8), hashOfOther,
                null, null);

        assertProblem(response, 422, "urn:bytekeep:problem:hash-mismatch");
        assertThat(response.json().path("detail").asText()).contains(hashOfOther, id.toString());
        assertThat(count("raw_file")).isZero();
        assertThat(objects(id)).isEmpty();
    }

    @Test
    void anIdThatIsThereWithOtherFieldsIsAConflictAndTheStoredFileStays() throws Exception {
        ApiClient admin = as("bytes");
        UUID meta = importedBoefjeMeta(admin, "org-a");
        UUID id = UUID.randomUUID();
        byte[] content = "kept".getBytes(StandardCharsets.UTF_8);
        assertThat(importRaw(admin, id, meta, content, hash("sha512", content), null, null, "text/plain").status()).isEqualTo(201);

        ApiClient.Response otherMimeTypes = importRaw(admin, id, meta, content, hash("sha512", content), null, null, "text/html");
        ApiClient.Response otherId = importRaw(admin, UUID.randomUUID(), meta, content, hash("sha512", content), null, null,
                "text/plain");

        assertProblem(otherMimeTypes, 409, "urn:bytekeep:problem:conflict");
        assertThat(otherMimeTypes.json().path("detail").asText()).contains("mime_types");
        assertProblem(otherId, 409, "urn:bytekeep:problem:conflict");
        assertThat(otherId.json().path("detail").asText()).contains(id.toString(), "same mime types");
        assertThat(count("raw_file")).isEqualTo(1);
        assertThat(objects(id)).hasSize(1);
        assertThat(admin.get("/bytes/raw/" + id).body()).isEqualTo(content);
    }

    @Test
    void theStatusOfRawFilesTellsPresentConflictAndAbsent() throws Exception {
        ApiClient admin = as("bytes");
        UUID meta = importedBoefjeMeta(admin, "org-a");
        UUID present = UUID.randomUUID();
        byte[] content = "x".getBytes(StandardCharsets.UTF_8);
        String hash = hash("sha512", content);
        assertThat(importRaw(admin, present, meta, content, hash, null, "link", "text/plain").status()).isEqualTo(201);
        UUID absent = UUID.randomUUID();

        JsonNode results = admin.postJson("/admin/import/raw/status", List.of(
                record(present, meta, hash, "link", "text/plain"),
                record(present, meta, hash, "another link", "text/plain"),
                record(absent, meta, hash, null, "text/html"),
                record(UUID.randomUUID(), meta, hash, null, "text/plain"))).json().path("results");

        assertThat(results.get(0).path("status").asText()).isEqualTo("present");
        assertThat(results.get(1).path("status").asText()).isEqualTo("conflict");
        assertThat(results.get(1).path("detail").asText()).contains("hash_retrieval_link");
        assertThat(results.get(2).path("status").asText()).isEqualTo("absent");
        assertThat(results.get(3).path("status").asText()).isEqualTo("conflict");
        assertThat(results.get(3).path("detail").asText()).contains(present.toString());
    }

    @Test
    void metasAreCreatedOncePresentWhenEqualAndConflictsOrRejectionsOtherwise() {
        ApiClient admin = as("bytes");
        Map<String, Object> meta = boefjeMeta(UUID.randomUUID(), "org-a", ENDED);
        Map<String, Object> changed = new LinkedHashMap<>(meta);
        changed.put("input_ooi", "Hostname|internet|other.example");
        Map<String, Object> badOrganization = boefjeMeta(UUID.randomUUID(), "org a/..", ENDED);

        JsonNode first = admin.postJson("/admin/import/boefje_meta", List.of(meta, badOrganization)).json().path("results");
        JsonNode second = admin.postJson("/admin/import/boefje_meta", List.of(meta)).json().path("results");
        JsonNode third = admin.postJson("/admin/import/boefje_meta", List.of(changed)).json().path("results");

        assertThat(first.get(0).path("status").asText()).isEqualTo("created");
        assertThat(first.get(1).path("status").asText()).isEqualTo("rejected");
        assertThat(first.get(1).path("detail").asText()).contains("organization");
        assertThat(second.get(0).path("status").asText()).isEqualTo("present");
        assertThat(third.get(0).path("status").asText()).isEqualTo("conflict");
        assertThat(admin.get("/bytes/boefje_meta/" + meta.get("id")).json().path("input_ooi").asText())
                .isEqualTo("Hostname|internet|example.org");
        assertThat(count("boefje_meta")).isEqualTo(1);

        UUID normalizerMeta = UUID.randomUUID();
        JsonNode normalizers = admin.postJson("/admin/import/normalizer_meta", List.of(Map.of("id", normalizerMeta.toString(),
                "raw_data", Map.of("id", UUID.randomUUID().toString()), "normalizer", Map.of("id", "kat_dns_normalize"),
                "started_at", "2025-11-14T10:01:00Z", "ended_at", "2025-11-14T10:01:02Z"))).json().path("results");
        assertThat(normalizers.get(0).path("status").asText()).isEqualTo("rejected");
        assertThat(normalizers.get(0).path("detail").asText()).contains("does not exist");
        assertThat(count("normalizer_meta")).isZero();
    }

    @Test
    void badRequestsAreProblemsAndWriteNothing() throws Exception {
        ApiClient admin = as("bytes");
        UUID meta = importedBoefjeMeta(admin, "org-a");
        byte[] content = "x".getBytes(StandardCharsets.UTF_8);
        String hash = hash("sha512", content);
        List<String> objectsBefore = rawObjects();

        assertProblem(as("alice").post("/admin/import/raw?id=" + UUID.randomUUID() + "&boefje_meta_id=" + meta
                + "&secure_hash=" + hash, "application/octet-stream", content), 403, "urn:bytekeep:problem:forbidden");
        assertProblem(anonymous().post("/admin/import/raw", "application/octet-stream", content), 401,
                "urn:bytekeep:problem:unauthorized");
        assertProblem(admin.post("/admin/import/raw?boefje_meta_id=" + meta + "&secure_hash=" + hash,
                "application/octet-stream", content), 422, "urn:bytekeep:problem:unprocessable-entity");
        assertProblem(admin.post("/admin/import/raw?id=" + UUID.randomUUID() + "&boefje_meta_id=" + meta + "&secure_hash=md5:00",
                "application/octet-stream", content), 422, "urn:bytekeep:problem:unprocessable-entity");
        assertProblem(admin.post("/admin/import/raw?id=" + UUID.randomUUID() + "&boefje_meta_id=" + UUID.randomUUID()
                + "&secure_hash=" + hash, "application/octet-stream", content), 404, "urn:bytekeep:problem:not-found");
        assertProblem(admin.post("/admin/import/raw?id=" + UUID.randomUUID() + "&boefje_meta_id=" + meta + "&secure_hash=" + hash
                + "&hash_retrieval_link=" + "l".repeat(2049), "application/octet-stream", content), 422,
                "urn:bytekeep:problem:unprocessable-entity");
        // over bytekeep.vault.max-stream-size (8MB in the tests), declared and not declared
        byte[] tooLarge = new byte[8 * 1024 * 1024 + 1];
        String path = "/admin/import/raw?id=" + UUID.randomUUID() + "&boefje_meta_id=" + meta + "&secure_hash=" + hash;
        assertProblem(admin.post(path, "application/octet-stream", tooLarge), 413, "urn:bytekeep:problem:payload-too-large");
        assertProblem(admin.postChunked(path, "application/octet-stream", tooLarge), 413, "urn:bytekeep:problem:payload-too-large");

        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i <= BytesImport.MAX_BATCH; i++) {
            tooMany.add(boefjeMeta(UUID.randomUUID(), "org-a", ENDED));
        }
        assertProblem(admin.postJson("/admin/import/boefje_meta", tooMany), 422, "urn:bytekeep:problem:unprocessable-entity");
        assertProblem(admin.postJson("/admin/import/boefje_meta", Map.of("id", UUID.randomUUID().toString())), 422,
                "urn:bytekeep:problem:unprocessable-entity");
        assertProblem(admin.postJson("/admin/import/boefje_meta", List.of(Map.of("organization", "org-a"))), 422,
                "urn:bytekeep:problem:unprocessable-entity");
        assertProblem(admin.post("/admin/import/boefje_meta", "text/plain", "[]".getBytes(StandardCharsets.UTF_8)), 415,
                "urn:bytekeep:problem:unsupported-media-type");

        assertThat(count("raw_file")).isZero();
        assertThat(count("boefje_meta")).isEqualTo(1);
        assertThat(rawObjects()).isEqualTo(objectsBefore);
    }

    @Test
    void anEventIsPutInTheOutboxOnlyWhenAsked() throws Exception {
        ApiClient admin = as("bytes");
        UUID meta = importedBoefjeMeta(admin, "org-a");
        byte[] content = "announced".getBytes(StandardCharsets.UTF_8);
        UUID id = UUID.randomUUID();

        ApiClient.Response response = admin.post("/admin/import/raw?id=" + id + "&boefje_meta_id=" + meta + "&secure_hash="
                + hash("sha512", content) + "&publish_event=true", "application/octet-stream", content);

        assertThat(response.status()).as(response.text()).isEqualTo(201);
        assertThat(jdbc.queryForList("select payload from outbox_event", String.class)).singleElement().asString()
                .contains("raw_file_received", id.toString());
    }

    // ---- helpers

    private UUID importedBoefjeMeta(ApiClient admin, String organization) {
        UUID id = UUID.randomUUID();
        ApiClient.Response response = admin.postJson("/admin/import/boefje_meta", List.of(boefjeMeta(id, organization, ENDED)));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().path("results").get(0).path("status").asText()).isEqualTo("created");
        return id;
    }

    static ApiClient.Response importRaw(ApiClient api, UUID id, UUID meta, byte[] content, String secureHash,
                                        String signingProviderUrl, String link, String... mimeTypes) {
        StringBuilder path = new StringBuilder("/admin/import/raw?id=" + id + "&boefje_meta_id=" + meta + "&secure_hash="
                + encode(secureHash));
        for (String mimeType : mimeTypes) {
            path.append("&mime_types=").append(encode(mimeType));
        }
        if (signingProviderUrl != null) {
            path.append("&signing_provider_url=").append(encode(signingProviderUrl));
        }
        if (link != null) {
            path.append("&hash_retrieval_link=").append(encode(link));
        }
        return api.post(path.toString(), "application/octet-stream", content);
    }

    private static Map<String, Object> record(UUID id, UUID meta, String hash, String link, String... mimeTypes) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", id.toString());
        record.put("boefje_meta_id", meta.toString());
        record.put("mime_types", List.of(mimeTypes));
        record.put("secure_hash", hash);
        record.put("signing_provider_url", null);
        record.put("hash_retrieval_link", link);
        return record;
    }

    /** Bytes' hash_data: the bytes, then str(ended_at.timestamp()). */
    static String hash(String algorithm, byte[] content) throws IOException {
        return new ProofHasher(algorithm).hash(new ByteArrayInputStream(content), ENDED);
    }

    private List<String> rawObjects() {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("raw/")).contents().stream().map(o -> o.key()).toList();
    }

    private List<String> objects(UUID id) {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("raw/org-a/" + id)).contents().stream()
                .map(o -> o.key()).toList();
    }

    private static void assertProblem(ApiClient.Response response, int status, String type) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("type").asText()).isEqualTo(type);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
