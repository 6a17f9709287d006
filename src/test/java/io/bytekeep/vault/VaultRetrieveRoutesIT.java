package io.bytekeep.vault;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import static io.bytekeep.vault.VaultMetaRoutesIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Routes of routes/vault-retrieve.camel.yaml: bytes come back only when they still match their hash. */
class VaultRetrieveRoutesIT extends IntegrationTest {

    private static final Instant ENDED = Instant.parse("2023-05-06T07:08:09.123456Z");

    @Autowired
    S3Client s3;

    @Test
    void rawBytesComeBackAsOctetStream() {
        ApiClient api = as("bytes");
        UUID rawId = uploadRaw(api, createBoefjeMeta(api, "org-a", ENDED), "f", "hello".getBytes(), "text/plain");

        ApiClient.Response response = api.get("/bytes/raw/" + rawId);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/octet-stream");
        assertThat(response.text()).isEqualTo("hello");
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("camel"));
    }

    @Test
    void tamperedBytesAreNeverServed() {
        ApiClient api = as("bytes");
        UUID rawId = uploadRaw(api, createBoefjeMeta(api, "org-a", ENDED), "f", "original".getBytes(), "text/plain");
        String key = jdbc.queryForObject("select storage_key from raw_file where id = ?", String.class, rawId);
        s3.putObject(b -> b.bucket("bytekeep-test-raw").key(key), RequestBody.fromString("tampered"));

        Logger verifierLog = (Logger) LoggerFactory.getLogger(RawVerifier.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        verifierLog.addAppender(logged);
        ApiClient.Response response;
        try {
            response = api.get("/bytes/raw/" + rawId);
        } finally {
            verifierLog.detachAppender(logged);
        }
        assertProblem(response, 500);
        assertThat(response.text()).doesNotContain("tampered");
        assertThat(response.json().get("title").asText()).isEqualTo("Integrity Check Failed");
        // the fields a machine reads off the log line (structured logging writes the MDC into each JSON line)
        assertThat(logged.list).filteredOn(event -> event.getFormattedMessage().startsWith("Integrity failure: raw " + rawId))
                .singleElement().satisfies(event -> assertThat(event.getMDCPropertyMap())
                        .containsEntry("bytekeep.organization", "org-a").containsEntry("bytekeep.rawId", rawId.toString())
                        .containsEntry("camel.routeId", "raw-read")
                        .hasEntrySatisfying("camel.exchangeId", id -> assertThat(id).isNotBlank()));
    }

    @Test
    void aTamperedFileBreaksOffTheListingInsteadOfBeingListed() {
        ApiClient api = as("bytes");
        UUID job = createBoefjeMeta(api, "org-a", ENDED);
        uploadRaw(api, job, "good", "good".getBytes(), "a/good");
        UUID bad = uploadRaw(api, job, "bad", "bad".getBytes(), "a/bad");
        String key = jdbc.queryForObject("select storage_key from raw_file where id = ?", String.class, bad);
        s3.putObject(b -> b.bucket("bytekeep-test-raw").key(key), RequestBody.fromString("tampered"));

        // the answer is streamed: it breaks off before the bad file, never valid JSON, never its bytes
        String listing = "/bytes/raws?boefje_meta_id=" + job + "&limit=10";
        assertThatThrownBy(() -> api.get(listing).json()).isInstanceOfAny(AssertionError.class, IllegalStateException.class)
                .hasMessageNotContaining(java.util.Base64.getEncoder().encodeToString("tampered".getBytes()));
    }

    @Test
    void aListingThatWouldCarryAFileOverTheLimitIsAProblemBeforeItStarts() {
        ApiClient api = as("alice");
        UUID job = createBoefjeMeta(api, "org-a", ENDED);
        uploadRaw(api, job, "small", "small".getBytes(), "text/plain");
        byte[] large = new byte[1024 * 1024 + 1]; // the test configuration's max-listed-file-size is 1MB
        ApiClient.Response stored = api.post("/bytes/raw?name=large&mime_types=x/large&boefje_meta_id=" + job,
                "application/octet-stream", large);
        assertThat(stored.status()).as(stored.text()).isEqualTo(200);
        String largeId = stored.json().get("large").asText();

        ApiClient.Response listing = api.get("/bytes/raws?boefje_meta_id=" + job + "&limit=10");
        assertThat(listing.status()).isEqualTo(422);
        assertThat(listing.contentType()).startsWith("application/problem+json");
        assertThat(listing.json().get("detail").asText()).contains(largeId, "GET /bytes/raw/{id}");
        assertThat(api.get("/bytes/raw/" + largeId).body()).as("read alone").isEqualTo(large);
        assertThat(api.get("/bytes/raws?boefje_meta_id=" + job + "&mime_types=text/plain&limit=10").json()
                .get("files")).as("a listing without it").hasSize(1);
    }

    @Test
    void foreignAndUnknownRawsAre404() {
        ApiClient api = as("bytes");
        UUID rawId = uploadRaw(api, createBoefjeMeta(api, "org-a", ENDED), "f", "x".getBytes(), "text/plain");
        ApiClient bob = as("bob");

        assertProblem(bob.get("/bytes/raw/" + rawId), 404);
        assertProblem(bob.get("/bytes/raw/" + rawId + "/meta"), 404);
        assertProblem(api.get("/bytes/raw/" + UUID.randomUUID()), 404);
        assertProblem(api.get("/bytes/raw/not-a-uuid/meta"), 422);
        assertThat(as("alice").get("/bytes/raw/" + rawId).text()).isEqualTo("x");
    }

    @Test
    void listingsFilterByOrganisationJobMimeTypesAndNormalisation() {
        ApiClient api = as("bytes");
        UUID jobA = createBoefjeMeta(api, "org-a", ENDED);
        UUID jobB = createBoefjeMeta(api, "org-b", ENDED);
        UUID a1 = uploadRaw(api, jobA, "a1", "a1".getBytes(), "boefje/dns", "text/plain");
        UUID a2 = uploadRaw(api, jobA, "a2", "a2".getBytes(), "boefje/dns");
        UUID b1 = uploadRaw(api, jobB, "b1", "b1".getBytes(), "boefje/dns", "text/plain");

        // Bytes answers in the order the files were written (no ORDER BY; bytes/tests/integration/test_bytes_api.py
        // test_get_many_actual_raw_files asserts it), and with its default limit=1 the first one written
        assertThat(ids(api.get("/bytes/raw?organization=org-a&limit=10").json())).containsExactly(a1, a2);
        assertThat(ids(api.get("/bytes/raw?organization=org-a").json())).containsExactly(a1);
        assertThat(ids(api.get("/bytes/raw?organization=org-a&organization=org-b&limit=10").json())).containsExactly(a1, a2, b1);
        assertThat(ids(api.get("/bytes/raw?limit=5000").json())).containsExactly(a1, a2, b1);
        assertThat(ids(api.get("/bytes/raw?boefje_meta_id=" + jobB + "&limit=10").json())).containsExactly(b1);
        assertThat(ids(api.get("/bytes/raw?mime_types=boefje/dns&mime_types=text/plain&limit=10").json())).containsExactlyInAnyOrder(a1, b1);
        assertThat(ids(api.get("/bytes/raw?raw_ids=" + a2 + "&raw_ids=" + b1 + "&limit=10").json())).containsExactlyInAnyOrder(a2, b1);
        assertThat(api.get("/bytes/raw?limit=10").json()).hasSize(3);
        assertThat(api.get("/bytes/raw").json()).hasSize(1);
        assertThat(ids(api.get("/bytes/raw?normalized=false&limit=10").json())).hasSize(3);
        assertThat(ids(api.get("/bytes/raw?normalized=true&limit=10").json())).isEmpty();
        assertThat(ids(as("bob").get("/bytes/raw?limit=10").json())).containsExactly(b1);

        // a BoefjeOutput (bytes/bytes/api/router.py get_raws)
        JsonNode output = api.get("/bytes/raws?boefje_meta_id=" + jobA + "&limit=10").json();
        assertThat(output.get("status").asText()).isEqualTo("COMPLETED");
        JsonNode files = output.get("files");
        assertThat(files).hasSize(2);
        assertThat(files.get(0).get("tags")).hasSize(2);
        for (JsonNode file : files) {
            String expected = file.get("name").asText().equals(a1.toString()) ? "a1" : "a2";
            assertThat(new String(Base64.getDecoder().decode(file.get("content").asText()), StandardCharsets.UTF_8)).isEqualTo(expected);
        }

        JsonNode counts = api.get("/bytes/mime_types").json();
        assertThat(counts.get("boefje/dns").asLong()).isEqualTo(3);
        assertThat(counts.get("text/plain").asLong()).isEqualTo(2);
        assertThat(as("bob").get("/bytes/mime_types").json().get("boefje/dns").asLong()).isEqualTo(1);
        assertThat(api.get("/bytes/mime_types?boefje_meta_id=" + jobB).json()).hasSize(2);
        assertThat(api.get("/bytes/mime_types?mime_types=text/plain").json().get("boefje/dns").asLong()).isEqualTo(2);
        assertThat(api.get("/bytes/mime_types?normalized=true").json()).isEmpty();
        assertThat(api.get("/bytes/mime_types?normalized=false").json().get("boefje/dns").asLong()).isEqualTo(3);
    }

    @Test
    void mimeTypeCountsOfOrganisationsAreCountedAsFilesAreRecordedAndStreamedInOrder() throws Exception {
        ApiClient api = as("bytes");
        UUID jobA = createBoefjeMeta(api, "org-a", ENDED);
        UUID jobB = createBoefjeMeta(api, "org-b", ENDED);
        // more types than a page of counters (500), so the answer is written from several
        String[] many = java.util.stream.IntStream.range(0, 1_203).mapToObj(i -> "many/" + i).toArray(String[]::new);
        uploadRaw(api, jobA, "many", "many".getBytes(), many);
        // uploads at once: their files are recorded in shared transactions, and each counts once
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            java.util.List<java.util.concurrent.Future<UUID>> uploads = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                UUID job = i % 4 == 0 ? jobB : jobA;
                String name = "f" + i;
                uploads.add(pool.submit(() -> uploadRaw(api, job, name, name.getBytes(), "boefje/dns", "many/7", "own/" + name)));
            }
            // the same mime types under the same boefje meta again: Bytes keeps one file of them, and so one count
            uploads.add(pool.submit(() -> uploadRaw(api, jobA, "again", "again".getBytes(), "boefje/dns", "many/7", "own/f1")));
            for (java.util.concurrent.Future<UUID> upload : uploads) {
                upload.get();
            }
        } finally {
            pool.shutdownNow();
        }

        JsonNode orgA = api.get("/bytes/mime_types?organization=org-a").json();
        assertThat(orgA).hasSize(1_203 + 1 + 30);
        assertThat(orgA.get("many/7").asLong()).isEqualTo(31);
        assertThat(orgA.get("boefje/dns").asLong()).isEqualTo(30);
        assertThat(orgA.get("many/1202").asLong()).isEqualTo(1);
        java.util.List<String> names = new java.util.ArrayList<>();
        orgA.fieldNames().forEachRemaining(names::add);
        assertThat(names).isSorted();
        assertThat(orgA).as("the same counted from the files").isEqualTo(api.get("/bytes/mime_types?organization=org-a&normalized=false").json());

        JsonNode both = api.get("/bytes/mime_types?organization=org-a&organization=org-b").json();
        assertThat(both.get("many/7").asLong()).isEqualTo(41);
        assertThat(both.get("boefje/dns").asLong()).isEqualTo(40);
        assertThat(api.get("/bytes/mime_types").json()).as("all the caller's organisations").isEqualTo(both);
        assertThat(as("bob").get("/bytes/mime_types").json()).as("bob sees org-b")
                .isEqualTo(api.get("/bytes/mime_types?organization=org-b").json());
        assertThat(jdbc.queryForObject("select files from raw_mime_type_count where organization = 'org-b' and mime_type = 'many/7'",
                Long.class)).isEqualTo(10);
    }

    private static java.util.List<UUID> ids(JsonNode array) {
        java.util.List<UUID> ids = new java.util.ArrayList<>();
        array.forEach(node -> ids.add(UUID.fromString(node.get("id").asText())));
        return ids;
    }
}
