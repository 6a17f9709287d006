package io.bytekeep.vault;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import static io.bytekeep.vault.VaultMetaRoutesIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Routes of routes/vault-ingest.camel.yaml: uploads end as an S3 object, a row and an event, or as nothing. */
class VaultIngestRoutesIT extends IntegrationTest {

    private static final Instant ENDED = Instant.parse("2022-01-01T00:00:00Z");
    private static final String BYTES_VECTOR =
            "sha512:bc4d1f0a71ba9bf2ab2b7520322f8e969c48d5ae99e84b4a60b850f61ce5b1e95e13f3ef6c43680fb03960f98799a92770e30591253784cc3213b194a73ea21d";

    @Autowired
    S3Client s3;

    @Test
    void uploadStoresBytesHashRowAndEvent() {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);

        UUID rawId = uploadRaw(api, boefjeMetaId, "dns", "KAT for president".getBytes(StandardCharsets.UTF_8), "boefje/dns-records", "text/plain");

        JsonNode meta = api.get("/bytes/raw/" + rawId + "/meta").json();
        assertThat(meta.get("secure_hash").asText()).isEqualTo(BYTES_VECTOR);
        assertThat(meta.get("hash_retrieval_link").asText()).isNotBlank();
        assertThat(meta.get("boefje_meta").get("id").asText()).isEqualTo(boefjeMetaId.toString());
        assertThat(meta.get("mime_types").findValuesAsText("value")).containsExactly("boefje/dns-records", "text/plain");

        // a small file: a range of a pack object (RawPacker), its offset in the row
        String key = jdbc.queryForObject("select storage_key from raw_file where id = ?", String.class, rawId);
        long offset = jdbc.queryForObject("select stored_offset from raw_file where id = ?", Long.class, rawId);
        long storedSize = jdbc.queryForObject("select stored_size_bytes from raw_file where id = ?", Long.class, rawId);
        assertThat(key).startsWith("packs/");
        ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket("bytekeep-test-raw").key(key)
                .range("bytes=" + offset + "-" + (offset + storedSize - 1)));
        // encrypted at rest with the default middleware, ENVELOPE_AES_GCM: header, ciphertext, one 16-byte tag
        assertThat(object.asByteArray()).hasSize(16 + 17 + 16).startsWith("BKEG".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(object.asByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain("KAT for president");
        assertThat(jdbc.queryForObject("select encryption from raw_file where id = ?", String.class, rawId)).isEqualTo("ENVELOPE_AES_GCM");
        assertThat(count("outbox_event")).isEqualTo(1);
    }

    @Test
    void rawIdsGrowWithTimeAndPacksSpreadOverTheirShards() {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        List<UUID> uploaded = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            uploaded.add(uploadRaw(api, boefjeMetaId, "f" + i, ("file " + i).getBytes(StandardCharsets.UTF_8), "x/" + i));
            // the next one in a later millisecond: ids of one millisecond are in random order
            long answered = System.currentTimeMillis();
            await().until(() -> System.currentTimeMillis() > answered);
        }

        // the database's own order of the ids is the order they were stored in (what keeps its indexes growing at the end)
        assertThat(jdbc.queryForList("select id from raw_file where boefje_meta_id = ? order by id", UUID.class, boefjeMetaId))
                .containsExactlyElementsOf(uploaded);
        assertThat(uploaded).allSatisfy(id -> assertThat(id.version()).isEqualTo(7));
        // one upload after the other: eight packs, whose shards (packs/<xx>/) are not all the same
        List<String> keys = jdbc.queryForList("select storage_key from raw_file where boefje_meta_id = ?", String.class, boefjeMetaId);
        assertThat(keys).doesNotHaveDuplicates();
        assertThat(keys.stream().map(key -> key.substring(0, "packs/xx/".length())).distinct().count()).isGreaterThan(1);
    }

    @Test
    void sameMimeTypesForTheSameJobAnswerTheExistingId() {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        UUID first = uploadRaw(api, boefjeMetaId, "a", "one".getBytes(), "x/1", "x/2");
        UUID second = uploadRaw(api, boefjeMetaId, "b", "two".getBytes(), "x/2", "x/1");
        UUID other = uploadRaw(api, boefjeMetaId, "c", "three".getBytes(), "x/1");

        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(count("raw_file")).isEqualTo(2);
        assertThat(api.get("/bytes/raw/" + first).text()).isEqualTo("one");
    }

    @Test
    void severalFilesInOneRequestAreStoredTogether() {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        ApiClient.Response response = api.postJson("/bytes/raw?boefje_meta_id=" + boefjeMetaId, Map.of("files", List.of(
                file("first", "1".getBytes(), "a/a"), file("second", "2".getBytes(), "b/b"), file("third", new byte[0]))));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().size()).isEqualTo(3);
        assertThat(api.get("/bytes/raw/" + response.json().get("second").asText()).text()).isEqualTo("2");
        assertThat(count("raw_file")).isEqualTo(3);
        assertThat(count("outbox_event")).isEqualTo(3);
    }

    @Test
    void invalidUploadsAreRejectedWholeAndLeaveNothing() {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        String path = "/bytes/raw?boefje_meta_id=" + boefjeMetaId;
        int objectsBefore = objectCount();

        assertProblem(api.postJson(path, Map.of("files", List.of(file("a", "1".getBytes(), "x/1", "x/2"),
                file("b", "2".getBytes(), "x/2", "x/1")))), 400);
        assertProblem(api.postJson(path, Map.of("files", List.of(Map.of("name", "a", "content", "%%% not base64")))), 422);
        assertProblem(api.postJson(path, Map.of("files", List.of(Map.of("content", "AA==")))), 422);
        assertProblem(api.postJson("/bytes/raw?boefje_meta_id=" + UUID.randomUUID(), Map.of("files", List.of(file("a", "1".getBytes())))), 404);
        assertProblem(api.postJson("/bytes/raw?boefje_meta_id=not-a-uuid", Map.of("files", List.of())), 422);
        assertProblem(api.postJson("/bytes/raw", Map.of("files", List.of())), 422);
        assertProblem(api.post(path, "application/xml", "<files/>".getBytes()), 415);
        assertProblem(as("bob").postJson(path, Map.of("files", List.of(file("a", "1".getBytes())))), 404);

        assertThat(count("raw_file")).isZero();
        assertThat(count("outbox_event")).isZero();
        assertThat(objectCount()).isEqualTo(objectsBefore);
    }

    @Test
    void aJsonFileLargerThanWhatIsKeptInMemoryIsStoredAndReadBackIntact() throws Exception {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        byte[] content = new byte[RawUploadReader.IN_MEMORY_BYTES + 300_000];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(content);
        String unpadded = java.util.Base64.getEncoder().withoutPadding().encodeToString(content);
        ApiClient.Response response = api.postJson("/bytes/raw?boefje_meta_id=" + boefjeMetaId, Map.of("files",
                List.of(Map.of("tags", List.of("x/large"), "content", unpadded, "name", "large"))));
        assertThat(response.status()).as(response.text()).isEqualTo(200);

        ApiClient.Response read = api.get("/bytes/raw/" + response.json().get("large").asText());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(content);
        // the upload's and the verified read's spool files (encrypted) go with their exchanges, just after the answer
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (var spool = java.nio.file.Files.list(java.nio.file.Path.of("target", "test-data", "spool"))) {
                assertThat(spool.map(path -> path.getFileName().toString())
                        .filter(name -> name.startsWith("upload-") || name.startsWith("read-")))
                        .as("the spool files went with the exchanges").isEmpty();
            }
        });
    }

    private int objectCount() {
        return s3.listObjectsV2Paginator(b -> b.bucket("bytekeep-test-raw")).contents().stream().mapToInt(o -> 1).sum();
    }

    @Test
    void aFileAboveTheMultipartThresholdIsStoredInPartsAndReadBackIntact() throws Exception {
        // test config: multipart-threshold 7MB, part-size 5MB (a deployment: 5GB, S3's largest PUT, and 64MB)
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        byte[] content = new byte[7 * 1024 * 1024 + 123];
        new java.util.Random(11).nextBytes(content);

        // streamed with its length (hashed and encrypted on the way, one read), and chunked (spooled first)
        for (boolean chunked : new boolean[] {false, true}) {
            String name = chunked ? "chunked" : "streamed";
            String path = "/bytes/raw?boefje_meta_id=" + boefjeMetaId + "&name=" + name + "&mime_types=x/" + name;
            ApiClient.Response response = chunked
                    ? api.postChunked(path, "application/octet-stream", content)
                    : api.post(path, "application/octet-stream", content);

            assertThat(response.status()).as(response.text()).isEqualTo(200);
            UUID rawId = UUID.fromString(response.json().get(name).asText());
            assertThat(api.get("/bytes/raw/" + rawId).body()).isEqualTo(content);
            assertThat(api.get("/bytes/raw/" + rawId + "/meta").json().get("secure_hash").asText()).isEqualTo(proofHash(content, ENDED));
            String key = jdbc.queryForObject("select storage_key from raw_file where id = ?", String.class, rawId);
            assertThat(key).isEqualTo("raw/org-a/" + rawId);
            // S3's ETag of a multipart object: the MD5 of the parts' MD5s and the number of parts (5 MB + the rest)
            assertThat(s3.headObject(b -> b.bucket("bytekeep-test-raw").key(key)).eTag()).endsWith("-2\"");
            assertThat(openRawMultipartUploads()).extracting(MultipartUpload::key).doesNotContain(key);
        }
    }

    @Test
    void aStreamedFileCutOffAfterItsFirstPartLeavesNoObjectNoPartsAndNoRow() throws Exception {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        int objectsBefore = objectCount();
        List<String> openBefore = openRawMultipartUploads().stream().map(MultipartUpload::uploadId).toList();
        byte[] declared = new byte[7 * 1024 * 1024];
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            String head = "POST /bytes/raw?boefje_meta_id=" + boefjeMetaId + "&name=cut&mime_types=x/cut HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nAuthorization: Bearer " + api.token() + "\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + declared.length + "\r\n\r\n";
            java.io.OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            // the first part (5 MB) and some of the second arrive, then the client is gone
            out.write(declared, 0, 6 * 1024 * 1024);
            out.flush();
            // the write has begun (its multipart upload is open) before the client goes; what it sent is delivered
            await().atMost(Duration.ofSeconds(30)).until(() -> openRawMultipartUploads().stream()
                    .anyMatch(upload -> !openBefore.contains(upload.uploadId())));
        }
        // the upload fails on its second part: the multipart upload is aborted, its first part with it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(openRawMultipartUploads())
                .extracting(MultipartUpload::uploadId).containsExactlyInAnyOrderElementsOf(openBefore));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(objectCount()).isEqualTo(objectsBefore));
        assertThat(jdbc.queryForObject("select count(*) from raw_file where boefje_meta_id = ?", Long.class, boefjeMetaId)).isZero();
        assertThat(count("outbox_event")).isZero();
    }

    private List<MultipartUpload> openRawMultipartUploads() {
        return s3.listMultipartUploads(b -> b.bucket("bytekeep-test-raw")).uploads().stream()
                .filter(upload -> upload.key().startsWith("raw/")).toList();
    }

    @Test
    void streamedFilesAboveTheLimitAre413AndLeaveNothing() {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        int objectsBefore = objectCount();
        String path = "/bytes/raw?boefje_meta_id=" + boefjeMetaId + "&name=big&mime_types=x/big";

        assertProblem(api.post(path, "application/octet-stream", new byte[9 * 1024 * 1024]), 413);
        assertProblem(api.postChunked(path, "application/octet-stream", new byte[9 * 1024 * 1024]), 413);
        assertThat(count("raw_file")).isZero();
        assertThat(objectCount()).isEqualTo(objectsBefore);
    }

    @Test
    void aClientThatSendsItsWholeBodyBeforeReadingStillGetsIts413() throws Exception {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        byte[] body = new byte[9 * 1024 * 1024];
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String head = "POST /bytes/raw?boefje_meta_id=" + boefjeMetaId + "&name=big&mime_types=x/big HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nAuthorization: Bearer " + api.token() + "\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\n\r\n";
            // the whole body goes out before a byte of the answer is read: had the server closed over the unread
            // rest at once, the kernel's reset would have wiped the 413 out of this socket's receive buffer
            java.io.OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();

            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).isEqualTo("HTTP/1.1 413 ");
        }
        assertThat(count("raw_file")).isZero();
    }

    @Test
    void aDatabaseFailureAfterTheObjectsWereWrittenRemovesThem() {
        java.util.Set<String> packsBefore = packs();
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "doomed", ENDED);
        jdbc.execute("alter table raw_file add constraint test_reject_doomed check (organization <> 'doomed')");
        try {
            ApiClient.Response response = api.postJson("/bytes/raw?boefje_meta_id=" + boefjeMetaId, Map.of("files", List.of(
                    file("one", "1".getBytes(), "a/1"), file("two", "2".getBytes(), "a/2"))));
            assertProblem(response, 500);
        } finally {
            jdbc.execute("alter table raw_file drop constraint test_reject_doomed");
        }
        assertThat(count("raw_file")).isZero();
        assertThat(count("outbox_event")).isZero();
        // the objects (here: packs) are removed when the exchange completes, which may be just after the answer was sent
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(packs()).isSubsetOf(packsBefore));
    }

    @Test
    void headersFromTheQueryCannotRedirectTheObjectKey() {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        ApiClient.Response response = api.postJson("/bytes/raw?boefje_meta_id=" + boefjeMetaId
                + "&CamelAwsS3Key=evil&CamelAwsS3BucketName=elsewhere", Map.of("files", List.of(file("a", "1".getBytes()))));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        UUID rawId = UUID.fromString(response.json().get("a").asText());
        String key = jdbc.queryForObject("select storage_key from raw_file where id = ?", String.class, rawId);
        assertThat(key).startsWith("packs/");
        assertThat(s3.listObjectsV2(b -> b.bucket("bytekeep-test-raw")).contents())
                .extracting(o -> o.key()).contains(key).doesNotContain("evil");
    }

    @Test
    void streamedUploadStoresOneFile() throws Exception {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        byte[] content = new byte[5 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(content);

        ApiClient.Response response = api.post("/bytes/raw?boefje_meta_id=" + boefjeMetaId + "&name=scan.pcap"
                + "&mime_types=application/vnd.tcpdump.pcap&mime_types=boefje/pcap", "application/octet-stream",
                content);

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        UUID rawId = UUID.fromString(response.json().get("scan.pcap").asText());
        assertThat(api.get("/bytes/raw/" + rawId).body()).isEqualTo(content);
        JsonNode meta = api.get("/bytes/raw/" + rawId + "/meta").json();
        assertThat(meta.get("mime_types").findValuesAsText("value"))
                .containsExactly("application/vnd.tcpdump.pcap", "boefje/pcap");
        // hashed on its way to storage, in the one read of the body: the same proof hash as hashing it apart
        assertThat(meta.get("secure_hash").asText()).isEqualTo(proofHash(content, ENDED));

        // without a declared length (chunked), the body is spooled first and hashed before storage: the same hash
        ApiClient.Response chunked = api.postChunked("/bytes/raw?boefje_meta_id=" + boefjeMetaId + "&name=again"
                + "&mime_types=x/again", "application/octet-stream", content);
        assertThat(chunked.status()).as(chunked.text()).isEqualTo(200);
        UUID again = UUID.fromString(chunked.json().get("again").asText());
        assertThat(api.get("/bytes/raw/" + again + "/meta").json().get("secure_hash").asText())
                .isEqualTo(proofHash(content, ENDED));
        assertThat(api.get("/bytes/raw/" + again).body()).isEqualTo(content);
    }

    private static String proofHash(byte[] content, Instant endedAt) throws Exception {
        java.security.MessageDigest sha512 = java.security.MessageDigest.getInstance("SHA-512");
        sha512.update(content);
        sha512.update(PythonFloatText.ofTimestamp(endedAt).getBytes(StandardCharsets.UTF_8));
        return "sha512:" + java.util.HexFormat.of().formatHex(sha512.digest());
    }

    /** A streamed body that stops before its declared length is the client's fault: 400, and nothing is stored. */
    @Test
    void aStreamedBodyCutShortIs400AndLeavesNothing() throws Exception {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        int objectsBefore = objectCount();
        io.bytekeep.support.SlowClient upload = io.bytekeep.support.SlowClient.streamedUpload(port, api.token(),
                boefjeMetaId, "cut", 3 * 1024 * 1024);
        try {
            upload.send(1024 * 1024);
            upload.endBody();
            assertThat(upload.awaitStatus()).isEqualTo(400);
        } finally {
            upload.close();
        }
        assertThat(count("raw_file")).isZero();
        assertThat(count("outbox_event")).isZero();
        assertThat(objectCount()).as("no object of the part that came").isEqualTo(objectsBefore);
    }

    /** The same file uploaded 20 times at once: every answer is the one id, one row, one object (issue 17). */
    @Test
    void concurrentIdenticalUploadsAnswerTheOneStoredId() throws Exception {
        java.util.Set<String> packsBefore = packs();
        ApiClient api = as("bytes");
        // an organisation of its own: the test S3 server keeps its objects across runs (target/test-data/s3)
        String organization = "race-" + UUID.randomUUID().toString().substring(0, 8);
        UUID boefjeMetaId = createBoefjeMeta(api, organization, Instant.parse("2022-01-01T00:00:00Z"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<ApiClient.Response>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            answers.add(pool.submit(() -> {
                start.await();
                return api.postJson("/bytes/raw?boefje_meta_id=" + boefjeMetaId,
                        Map.of("files", List.of(file("out", "same bytes".getBytes(), "boefje/race"))));
            }));
        }
        start.countDown();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (java.util.concurrent.Future<ApiClient.Response> answer : answers) {
            ApiClient.Response response = answer.get();
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            ids.add(response.json().get("out").asText());
        }
        pool.shutdown();

        assertThat(ids).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from raw_file where boefje_meta_id = ?", Long.class, boefjeMetaId)).isEqualTo(1);
        // the losers' bytes went into packs: a pack that holds only losers' bytes is removed, the winner's stays
        String stored = jdbc.queryForObject("select storage_key from raw_file where boefje_meta_id = ?", String.class, boefjeMetaId);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            java.util.Set<String> added = new java.util.HashSet<>(packs());
            added.removeAll(packsBefore);
            assertThat(added).contains(stored);
            assertThat(added).allSatisfy(pack -> assertThat(jdbc.queryForObject(
                    "select count(*) from raw_file where storage_key = ?", Long.class, pack)).as(pack).isPositive());
        });
    }

    /**
     * Concurrent uploads share one transaction (RawRecorder's group commit): one upload the database refuses fails
     * alone, and the uploads that shared its batch are each stored with their object, row and event (issue 18).
     */
    @Test
    void oneRefusedUploadAmongConcurrentOnesFailsAlone() throws Exception {
        java.util.Set<String> packsBefore = packs();
        ApiClient api = as("bytes");
        String organization = "crowd-" + UUID.randomUUID().toString().substring(0, 8);
        UUID fine = createBoefjeMeta(api, organization, ENDED);
        UUID doomed = createBoefjeMeta(api, "doomed", ENDED);
        jdbc.execute("alter table raw_file add constraint test_reject_doomed check (organization <> 'doomed')");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        Map<UUID, String> stored = new java.util.HashMap<>();
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<ApiClient.Response>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 24; i++) {
                UUID job = i % 8 == 3 ? doomed : fine;
                String mime = "crowd/" + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return api.postJson("/bytes/raw?boefje_meta_id=" + job, Map.of("files", List.of(file("f", mime.getBytes(), mime))));
                }));
            }
            start.countDown();
            for (int i = 0; i < answers.size(); i++) {
                ApiClient.Response response = answers.get(i).get();
                assertThat(response.status()).as(i + ": " + response.text()).isEqualTo(i % 8 == 3 ? 500 : 200);
                if (response.status() == 200) {
                    stored.put(UUID.fromString(response.json().get("f").asText()), "crowd/" + i);
                }
            }
        } finally {
            pool.shutdown();
            jdbc.execute("alter table raw_file drop constraint test_reject_doomed");
        }
        assertThat(jdbc.queryForObject("select count(*) from raw_file where organization = ?", Long.class, organization)).isEqualTo(21);
        assertThat(jdbc.queryForObject("select count(*) from raw_file where organization = 'doomed'", Long.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from outbox_event where payload like ?", Long.class, "%" + organization + "%"))
                .isEqualTo(21);
        stored.forEach((id, content) -> assertThat(api.get("/bytes/raw/" + id).body()).isEqualTo(content.getBytes()));
        // a pack that held only refused files is removed; the others are each some row's
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            java.util.Set<String> added = new java.util.HashSet<>(packs());
            added.removeAll(packsBefore);
            assertThat(added).allSatisfy(pack -> assertThat(jdbc.queryForObject(
                    "select count(*) from raw_file where storage_key = ?", Long.class, pack)).as(pack).isPositive());
        });
    }

    private java.util.Set<String> packs() {
        java.util.Set<String> keys = new java.util.HashSet<>();
        s3.listObjectsV2Paginator(b -> b.bucket("bytekeep-test-raw").prefix(RawPacker.PACKS)).contents()
                .forEach(object -> keys.add(object.key()));
        return keys;
    }
}
