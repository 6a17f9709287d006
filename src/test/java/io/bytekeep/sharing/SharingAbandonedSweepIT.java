package io.bytekeep.sharing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;

import io.bytekeep.atrest.ChunkedAeadFormat;
import io.bytekeep.platform.storage.ListingPosition;
import io.bytekeep.support.ApiClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * routes/sharing-abandoned-sweep.camel.yaml against the S3 API (S3Proxy): uploads nobody completed within
 * bytekeep.sharing.abandoned-after lose their multipart upload (ListMultipartUploads shows none), their partial
 * object and their document, with an audit event; young uploads and finished documents stay.
 */
class SharingAbandonedSweepIT extends SharingTestSupport {

    private static final int CHUNK = 1024 * 1024;
    private static final long MULTIPART = 6L * 1024 * 1024;

    @Autowired
    AbandonedUploadSweeper sweeper;

    @Autowired
    SharingStore store;

    @Autowired
    DocumentObjects objects;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    CamelContext camel;

    @Autowired
    MeterRegistry meters;

    private final SimpleMeterRegistry sweepMeters = new SimpleMeterRegistry();

    private final HttpClient http = HttpClient.newHttpClient();
    private final SecureRandom random = new SecureRandom();

    /** Objects and uploads of earlier tests stay in the bucket while their rows are truncated: they would be swept too. */
    @BeforeEach
    void emptyDocumentsBucket() {
        s3.listMultipartUploadsPaginator(b -> b.bucket(BUCKET)).uploads()
                .forEach(u -> s3.abortMultipartUpload(b -> b.bucket(BUCKET).key(u.key()).uploadId(u.uploadId())));
        s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents()
                .forEach(object -> s3.deleteObject(b -> b.bucket(BUCKET).key(object.key())));
    }

    @Test
    void abandonedUploadsLoseTheirPartsAndDocumentsYoungOnesAndFinishedOnesStay() throws Exception {
        ApiClient alice = as("alice");
        byte[] privateKey = registerKey(alice);
        // abandoned: a multipart upload with one of two parts, and a single PUT that was never completed
        JsonNode abandonedMultipart = create(alice, privateKey, MULTIPART);
        put(abandonedMultipart.get("parts").get(0));
        JsonNode abandonedSingle = create(alice, privateKey, 10);
        put(abandonedSingle.get("parts").get(0));
        // old too, but finished
        JsonNode finished = completed(alice, privateKey);
        // young: under way
        JsonNode young = create(alice, privateKey, MULTIPART);
        String youngEtag1 = put(young.get("parts").get(0));
        String abandonedMultipartId = abandonedMultipart.get("id").asText();
        String abandonedSingleId = abandonedSingle.get("id").asText();
        String finishedId = finished.get("id").asText();
        String youngId = young.get("id").asText();
        backdate(Duration.ofHours(25), abandonedMultipartId, abandonedSingleId, finishedId);
        assertThat(uploadKeys()).containsExactlyInAnyOrder("documents/" + abandonedMultipartId, "documents/" + youngId);
        // the events so far (the finished document's DOCUMENT_UPLOADED) are relayed first, then dropped: only the sweep's count
        await().atMost(Duration.ofSeconds(20)).until(() ->
                jdbc.queryForObject("select count(*) from outbox_event where sent_at is null", Long.class) == 0);
        rabbitAdmin.purgeQueue(AUDIT_QUEUE, false);

        // the application's sweeper (abandoned-after 24h) and clock
        assertThat(sweeper.sweep()).isEqualTo(new AbandonedUploadSweeper.Swept(2, 0, 0));

        assertThat(uploadKeys()).containsExactly("documents/" + youngId);
        assertThat(objectKeys()).containsExactly("documents/" + finishedId);
        // nothing at all is stored of the abandoned ones: S3Proxy keeps parts as objects of their own, gone too
        assertThat(allKeys()).noneMatch(key -> key.contains(abandonedMultipartId) || key.contains(abandonedSingleId));
        assertThat(allKeys()).anyMatch(key -> key.startsWith(".mpus-") && key.contains(youngId));
        assertThat(jdbc.queryForList("select id::text from sharing_document", String.class))
                .containsExactlyInAnyOrder(finishedId, youngId);
        assertThat(jdbc.queryForList("select document_id::text from sharing_grant", String.class))
                .containsExactlyInAnyOrder(finishedId, youngId);
        assertThat(jdbc.queryForList("select document_id::text || ' ' || actor || ' ' || subject from sharing_audit "
                + "where action = 'UPLOAD_ABANDONED'", String.class))
                .containsExactlyInAnyOrder(abandonedMultipartId + " bytekeep alice", abandonedSingleId + " bytekeep alice");
        List<String> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Message message = rabbit.receive(AUDIT_QUEUE);
            if (message != null) {
                events.add(new String(message.getBody(), StandardCharsets.UTF_8));
            }
            assertThat(events).hasSize(2);
        });
        assertThat(events).allSatisfy(event -> assertThat(event).contains("\"action\":\"UPLOAD_ABANDONED\"", "\"actor\":\"bytekeep\""));

        // the owner of an abandoned upload is told it is gone; the young upload goes on and completes
        assertThat(alice.postJson("/documents/" + abandonedMultipartId + "/complete", Map.of("parts", List.of())).status())
                .isEqualTo(404);
        String youngEtag2 = put(young.get("parts").get(1));
        ApiClient.Response completed = complete(alice, young, List.of(Map.of("number", 1, "etag", youngEtag1),
                Map.of("number", 2, "etag", youngEtag2)));
        assertThat(completed.status()).as(completed.text()).isEqualTo(200);
        assertThat(uploadKeys()).isEmpty();
        assertThat(alice.get("/documents/" + finishedId).status()).isEqualTo(200);

        // nothing left to do
        assertThat(sweeper.sweep()).isEqualTo(new AbandonedUploadSweeper.Swept(0, 0, 0));
        assertThat(camel.getRouteController().getRouteStatus("sharing-abandoned-sweep").isStarted()).isTrue();
    }

    @Test
    void whatS3HoldsWithoutADocumentGoesOnceOldEnough() throws Exception {
        ApiClient alice = as("alice");
        byte[] privateKey = registerKey(alice);
        JsonNode finished = completed(alice, privateKey);
        String finishedKey = "documents/" + finished.get("id").asText();
        // a declaration whose row was never written, and a PUT to the URL of a document deleted meanwhile
        String uploadWithoutDocument = "documents/" + UUID.randomUUID();
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(uploadWithoutDocument)).uploadId();
        s3.uploadPart(b -> b.bucket(BUCKET).key(uploadWithoutDocument).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(new byte[1024]));
        String objectWithoutDocument = "documents/" + UUID.randomUUID();
        String notADocumentKey = "documents/README";
        for (String key : List.of(objectWithoutDocument, notADocumentKey)) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("x"));
        }

        // too young: nothing is touched
        assertThat(sweeper.sweep()).isEqualTo(new AbandonedUploadSweeper.Swept(0, 0, 0));
        assertThat(uploadKeys()).containsExactly(uploadWithoutDocument);
        // a day and an hour later
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(25));
        assertThat(sweeper(later, 100_000).sweep()).isEqualTo(new AbandonedUploadSweeper.Swept(0, 1, 1));

        assertThat(uploadKeys()).isEmpty();
        assertThat(objectKeys()).containsExactlyInAnyOrder(finishedKey, notADocumentKey);
        assertThat(alice.get("/documents/" + finished.get("id").asText()).status()).isEqualTo(200);
    }

    /**
     * Issue 17: the upload URL of a document stays valid after the document was deleted; what is PUT through it has
     * no document. It goes once the URL has expired (upload-url-ttl, 1h), so it cannot be written again after it.
     */
    @Test
    void anObjectWrittenThroughTheUrlOfADeletedDocumentGoesOnceTheUrlHasExpired() throws Exception {
        ApiClient alice = as("alice");
        byte[] privateKey = registerKey(alice);
        JsonNode live = completed(alice, privateKey);
        String liveKey = "documents/" + live.get("id").asText();
        JsonNode deleted = create(alice, privateKey, 10);
        String deletedId = deleted.get("id").asText();
        assertThat(alice.send("DELETE", "/documents/" + deletedId, Map.of("Authorization", "Bearer " + alice.token()), null)
                .status()).isEqualTo(200);
        put(deleted.get("parts").get(0));
        assertThat(objectKeys()).containsExactlyInAnyOrder(liveKey, "documents/" + deletedId);

        // while the URL is valid the object stays (deleting it then would not keep it away)
        assertThat(sweeper.sweep()).isEqualTo(new AbandonedUploadSweeper.Swept(0, 0, 0));
        assertThat(sweeper(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(61)), 100_000).sweep())
                .isEqualTo(new AbandonedUploadSweeper.Swept(0, 0, 1));

        assertThat(objectKeys()).containsExactly(liveKey);
        assertThat(alice.get("/documents/" + live.get("id").asText()).status()).isEqualTo(200);
        assertThat(sweepMeters.get("bytekeep.sharing.orphan.deleted").counter().count()).isEqualTo(1);
        // the application's sweeper counts into the application's registry
        assertThat(List.of("bytekeep.sharing.orphan.deleted", "bytekeep.sharing.orphan.aborted"))
                .allSatisfy(counter -> assertThat(meters.find(counter).counter()).isNotNull());
    }

    /**
     * A sweep lists at most its share of the bucket and the next goes on after it: keys that are no document's, listed
     * first, cannot hold the sweep up, and a bucket of any size is never listed at once.
     */
    @Test
    void aSweepListsAtMostItsShareOfTheBucketAndTheNextGoesOnFromThere() throws Exception {
        ApiClient alice = as("alice");
        JsonNode live = create(alice, registerKey(alice), 10);
        put(live.get("parts").get(0));
        complete(alice, live, List.of());
        // before every document key ('-' sorts before the digits and letters of a UUID)
        List<String> notDocuments = List.of("documents/-a", "documents/-b", "documents/-c");
        for (String key : notDocuments) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("x"));
        }
        List<String> orphans = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String key = "documents/" + UUID.randomUUID();
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("ciphertext"));
            orphans.add(key);
        }
        AbandonedUploadSweeper sweeper = sweeper(Clock.offset(Clock.systemUTC(), Duration.ofHours(2)), 3);

        List<Integer> deleted = new ArrayList<>();
        while (objectKeys().stream().anyMatch(orphans::contains)) {
            assertThat(deleted).as("sweeps so far").hasSizeLessThan(10);
            deleted.add(sweeper.sweep().objects());
        }
        assertThat(deleted).as("deleted by each sweep").hasSizeGreaterThanOrEqualTo(3).allMatch(n -> n <= 3);
        assertThat(deleted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(8);
        assertThat(objectKeys()).containsExactlyInAnyOrder("documents/-a", "documents/-b", "documents/-c",
                "documents/" + live.get("id").asText());
        assertThat(sweepMeters.get("bytekeep.sharing.orphan.deleted").counter().count()).isEqualTo(8);
    }

    private AbandonedUploadSweeper sweeper(Clock clock, int maxObjectsPerSweep) {
        return new AbandonedUploadSweeper(store, objects, Duration.ofHours(24), Duration.ofHours(1), maxObjectsPerSweep,
                new ListingPosition(jdbc, "abandoned-upload-sweep:test", clock), clock, sweepMeters);
    }

    private void backdate(Duration age, String... ids) {
        for (String id : ids) {
            jdbc.update("update sharing_document set created_at = created_at - make_interval(secs => ?) where id = ?::uuid",
                    (double) age.toSeconds(), id);
        }
    }

    private List<String> uploadKeys() {
        return s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().stream().map(MultipartUpload::key).toList();
    }

    /** The objects under documents/ (S3Proxy's filesystem backend also lists the folder itself). */
    private List<String> objectKeys() {
        return allKeys().stream().filter(key -> key.startsWith("documents/") && !key.equals("documents/")).toList();
    }

    /** Every key S3 lists, S3Proxy's own records of open multipart uploads and their parts (.mpus-...) included. */
    private List<String> allKeys() {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).toList();
    }

    private byte[] registerKey(ApiClient api) {
        byte[] privateKey = DocumentKeyWrap.newPrivateKey(random);
        ApiClient.Response registered = api.send("PUT", "/users/me/key", Map.of("Content-Type", "application/json",
                "Authorization", "Bearer " + api.token()), ("{\"public_key\":\""
                + Base64.getEncoder().encodeToString(DocumentKeyWrap.publicKey(privateKey)) + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(registered.status()).as(registered.text()).isEqualTo(200);
        return privateKey;
    }

    /** A document of 10 bytes, uploaded and completed. */
    private JsonNode completed(ApiClient owner, byte[] privateKey) throws Exception {
        JsonNode document = create(owner, privateKey, 10);
        put(document.get("parts").get(0));
        complete(owner, document, List.of());
        return document;
    }

    private JsonNode create(ApiClient api, byte[] privateKey, long size) {
        byte[] documentKey = new byte[32];
        random.nextBytes(documentKey);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", "doc.bin");
        request.put("size", size);
        request.put("sha256", "0".repeat(64));
        request.put("chunk_size", CHUNK);
        request.put("encrypted_size", ChunkedAeadFormat.storedSize(size, CHUNK));
        request.put("wrapped_key", DocumentKeyWrap.wrap(documentKey, DocumentKeyWrap.publicKey(privateKey), random));
        ApiClient.Response created = api.postJson("/documents", request);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json();
    }

    private ApiClient.Response complete(ApiClient api, JsonNode plan, List<Map<String, Object>> parts) {
        return api.postJson("/documents/" + plan.get("id").asText() + "/complete", Map.of("parts", parts));
    }

    private String put(JsonNode part) throws Exception {
        byte[] bytes = new byte[part.get("length").asInt()];
        random.nextBytes(bytes);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("ETag").orElseThrow();
    }
}
