package io.bytekeep.conformance;

import static io.bytekeep.support.ApplicationProcesses.PASSWORD;
import static io.bytekeep.support.ApplicationProcesses.USERNAME;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.ProfileInstances;
import io.bytekeep.support.ProfileInstances.Instance;

/**
 * OpenKAT Bytes' behaviour as its own tests and clients see it, against Bytekeep as an operator runs it: the embedded
 * default and the prod profile (PostgreSQL, RabbitMQ, an S3 server), each a separate process. Every test names the
 * Bytes source it mirrors, at OpenKAT commit cae5e26 (minvws/nl-kat-coordination): its API tests
 * ({@code bytes/tests/integration/test_bytes_api.py}), their fixtures ({@code bytes/tests/loading.py}), the router
 * ({@code bytes/bytes/api/router.py}) and the clients of boefjes ({@code boefjes/boefjes/clients/bytes_client.py}),
 * rocky ({@code rocky/rocky/bytes_client.py}) and mula ({@code mula/scheduler/clients/http/external/bytes.py}).
 * Requests carry the bodies and headers those clients send; JSON bodies are written as pydantic's
 * {@code model_dump_json} writes them. Each test works in organisations of its own, so the instances are shared.
 */
class BytesApiConformanceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    // bytes/.ci/.env.test, the settings of Bytes' own test runs: BYTES_METRICS_TTL_SECONDS=0
    private static final ProfileInstances INSTANCES = new ProfileInstances("conformance",
            Map.of("bytekeep.vault.metrics-ttl", "0s"));

    @AfterAll
    static void stop() throws Exception {
        INSTANCES.close();
    }

    private static Instance instance(String profile) throws Exception {
        return INSTANCES.get(profile);
    }

    // ---- bytes/tests/loading.py, as model_dump_json writes it

    private static String organization() {
        return "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** get_boefje_meta(meta_id, boefje_id="kat_test.main", input_ooi="Hostname|internet|test.org"). */
    private static String boefjeMeta(UUID id, String organization, String inputOoi) {
        return "{\"id\":\"" + id + "\",\"started_at\":\"1000-10-10T10:10:10Z\",\"ended_at\":\"1000-10-10T10:10:11Z\","
                + "\"boefje\":{\"id\":\"kat_test.main\",\"version\":\"1\"},\"input_ooi\":" + (inputOoi == null ? "null" : "\"" + inputOoi + "\"")
                + ",\"arguments\":{\"domain\":\"test.org\"},\"organization\":\"" + organization + "\",\"runnable_hash\":null,\"environment\":null}";
    }

    /** get_normalizer_meta(raw_file_id): its raw_data is get_raw_data_meta, the boefje meta of get_boefje_meta(). */
    private static String normalizerMeta(UUID id, UUID rawId, UUID boefjeMetaId, String organization, String normalizerId) {
        return "{\"id\":\"" + id + "\",\"started_at\":\"1001-10-10T10:10:10Z\",\"ended_at\":\"1001-10-10T10:10:12Z\","
                + "\"raw_data\":{\"id\":\"" + rawId + "\",\"boefje_meta\":" + boefjeMeta(boefjeMetaId, organization, "Hostname|internet|test.org")
                + ",\"mime_types\":[{\"value\":\"boefje_id/test\"},{\"value\":\"text/plain\"}],\"secure_hash\":null,"
                + "\"signing_provider_url\":null,\"hash_retrieval_link\":null},\"normalizer\":{\"id\":\"" + normalizerId + "\",\"version\":null}}";
    }

    // ---- the clients' requests

    /** boefjes' save_boefje_meta / save_normalizer_meta and tests/client.py: {@code content=model_dump_json()}, no Content-Type. */
    private static ApiClient.Response postWithoutContentType(ApiClient api, String path, String json) {
        return api.send("POST", path, Map.of("Authorization", "Bearer " + api.token()), json.getBytes(StandardCharsets.UTF_8));
    }

    /** tests/client.py save_raw: {@code json={"files": [{"name": "raw", "content": b64, "tags": mime_types}]}}. */
    private static UUID saveRaw(ApiClient api, UUID boefjeMetaId, byte[] raw, String... mimeTypes) {
        ApiClient.Response response = api.postJson("/bytes/raw?boefje_meta_id=" + boefjeMetaId, Map.of("files", List.of(Map.of(
                "name", "raw", "content", Base64.getEncoder().encodeToString(raw), "tags", List.of(mimeTypes)))));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return UUID.fromString(response.json().get("raw").asText());
    }

    private static void saveBoefjeMeta(ApiClient api, UUID id, String organization, String inputOoi) {
        ApiClient.Response response = postWithoutContentType(api, "/bytes/boefje_meta", boefjeMeta(id, organization, inputOoi));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(node -> ids.add(node.get("id").asText()));
        return ids;
    }

    // ---- the tests

    /** test_bytes_api.py:17 test_login; bytes/bytes/api/root.py:58 login, bytes/bytes/auth.py:64 (PyJWT header, isoformat). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "prod"})
    void loginAnswersATokenAsBytesWritesIt(String profile) throws Exception {
        ApiClient.Response token = new ApiClient(instance(profile).port()).token(USERNAME, PASSWORD);
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.json().get("access_token").asText()).startsWith("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
        assertThat(token.json().get("token_type").asText()).isEqualTo("bearer");
        String expiresAt = token.json().get("expires_at").asText();
        assertThat(expiresAt).matches(Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00"));
        assertThat(OffsetDateTime.parse(expiresAt)).isAfter(OffsetDateTime.now());
    }

    /** test_bytes_api.py:23 test_metrics; bytes/bytes/api/metrics.py:40 (organisations with raw files, per organisation). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "prod"})
    void metricsCountTheOrganisationsWithRawFilesAndTheirFiles(String profile) throws Exception {
        ApiClient api = instance(profile).api();
        double before = organizationsTotal(api.get("/metrics").text());
        String test = organization();
        String test2 = organization();
        UUID meta = UUID.randomUUID();
        saveBoefjeMeta(api, meta, test, "Hostname|internet|test.org");
        saveRaw(api, meta, "test 123".getBytes());
        saveRaw(api, meta, "test 12334".getBytes(), "text/boefje");
        UUID meta2 = UUID.randomUUID();
        saveBoefjeMeta(api, meta2, test2, "Hostname|internet|test.org");
        saveRaw(api, meta2, "test 123".getBytes());

        ApiClient.Response metrics = api.get("/metrics");
        assertThat(metrics.contentType()).startsWith("text/plain");
        List<String> families = metrics.text().lines().filter(line -> line.startsWith("# TYPE")).toList();
        assertThat(families).containsExactly("# TYPE bytes_database_organizations_total gauge",
                "# TYPE bytes_database_raw_files_total gauge");
        assertThat(organizationsTotal(metrics.text())).isEqualTo(before + 2);
        assertThat(metrics.text()).contains("bytes_database_raw_files_total{organization_id=\"" + test + "\"} 2.0")
                .contains("bytes_database_raw_files_total{organization_id=\"" + test2 + "\"} 1.0");
    }

    private static double organizationsTotal(String metrics) {
        return metrics.lines().filter(line -> line.startsWith("bytes_database_organizations_total "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElseThrow();
    }

    /** test_bytes_api.py:74 test_get_mime_type_count; router.py:294 get_raw_count_per_mime_type. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "prod"})
    void mimeTypeCountsFollowTheFilters(String profile) throws Exception {
        ApiClient api = instance(profile).api();
        String test = organization();
        UUID meta = UUID.randomUUID();
        saveBoefjeMeta(api, meta, test, "Hostname|internet|test.org");
        saveRaw(api, meta, "test 123".getBytes(), "boefje");
        UUID rawId = saveRaw(api, meta, "test 12334".getBytes(), "text/boefje", "boefje");
        assertThat(postWithoutContentType(api, "/bytes/normalizer_meta",
                normalizerMeta(UUID.randomUUID(), rawId, meta, test, "kat_test.main")).status()).isEqualTo(201);

        assertThat(api.get("/bytes/mime_types?organization=" + test).json())
                .isEqualTo(JSON.readTree("{\"boefje\": 2, \"text/boefje\": 1}"));
        assertThat(api.get("/bytes/mime_types?organization=" + test + "&normalized=true").json())
                .isEqualTo(JSON.readTree("{\"boefje\": 1, \"text/boefje\": 1}"));
        assertThat(api.get("/bytes/mime_types?organization=" + test + "&normalized=false").json())
                .isEqualTo(JSON.readTree("{\"boefje\": 1}"));
    }

    /** test_bytes_api.py:93 test_boefje_meta; router.py:29 create_boefje_meta (the integrity error body), router.py:45 get_boefje_meta_by_id. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "prod"})
    void boefjeMetaReadsBackEqualAndADuplicateGetsBytesBody(String profile) throws Exception {
        ApiClient api = instance(profile).api();
        UUID id = UUID.randomUUID();
        String test = organization();
        String meta = boefjeMeta(id, test, "Hostname|internet|test.org");
        saveBoefjeMeta(api, id, test, "Hostname|internet|test.org");

        assertThat(api.get("/bytes/boefje_meta/" + id).json()).isEqualTo(JSON.readTree(meta));
        ApiClient.Response again = postWithoutContentType(api, "/bytes/boefje_meta", meta);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json()).isEqualTo(JSON.readTree(
                "{\"status\": \"failed\", \"message\": \"Integrity error: object might already exist\"}"));
        // router.py get_boefje_meta_by_id: HTTPException(404, detail=...)
        JsonNode missing = api.get("/bytes/boefje_meta/" + UUID.randomUUID()).json();
        assertThat(missing.get("detail").asText()).isNotBlank();
    }

    /**
     * test_bytes_api.py:109 test_filtered_boefje_meta; the clients' BoefjeMetaFilter (bytes/bytes/repositories/meta_repository.py:10)
     * sends input_ooi="*" unless set; sql_meta_repository.py:58 get_boefje_meta; router.py:60 (organization required).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "prod"})
    void boefjeMetaListingFiltersAndKeepsInsertionOrderOnEqualStartTimes(String profile) throws Exception {
        ApiClient api = instance(profile).api();
        String test = organization();
        UUID first = UUID.randomUUID();
        saveBoefjeMeta(api, first, test, "Hostname|internet|test.org");
        String query = "/bytes/boefje_meta?organization=" + test + "&boefje_id=kat_test.main&input_ooi=*&offset=0&descending=true";

        assertThat(ids(api.get(query + "&limit=1").json())).containsExactly(first.toString());
        UUID second = UUID.randomUUID();
        saveBoefjeMeta(api, second, test, "Network|internet");
        assertThat(ids(api.get(query + "&limit=2").json())).containsExactly(first.toString(), second.toString());
        assertThat(ids(api.get("/bytes/boefje_meta?organization=" + test + "&input_ooi=Network%7Cinternet&limit=2").json()))
                .containsExactly(second.toString());
        // mula's get_last_run_boefje_by_organisation_id sends no input_ooi: Bytes then filters input_ooi IS NULL
        UUID withoutOoi = UUID.randomUUID();
        saveBoefjeMeta(api, withoutOoi, test, null);
        assertThat(ids(api.get("/bytes/boefje_meta?organization=" + test + "&limit=1&descending=true").json()))
                .containsExactly(withoutOoi.toString());
        // mula's get_last_run_boefje(boefje_id, None, org) sends input_ooi= : FastAPI keeps "", which no meta has
        assertThat(api.get("/bytes/boefje_meta?organization=" + test + "&input_ooi=&limit=1").json()).isEmpty();
        // router.py:60 get_boefje_meta: organization is required
        assertThat(api.get("/bytes/boefje_meta?limit=1").status()).isEqualTo(422);
        // bytes/bytes/models.py:48 Job: started_at and ended_at are required
        String withoutTimes = boefjeMeta(UUID.randomUUID(), test, null).replace("\"1000-10-10T10:10:10Z\"", "null");
        assertThat(postWithoutContentType(api, "/bytes/boefje_meta", withoutTimes).status()).isEqualTo(422);
    }

    /** test_bytes_api.py:134 test_normalizer_meta, :155 test_filtered_normalizer_meta; router.py:93 create_normalizer_meta. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "prod"})
    void normalizerMetaReadsBackEqualAndPagesInInsertionOrder(String profile) throws Exception {
        ApiClient api = instance(profile).api();
        String test = organization();
        UUID meta = UUID.randomUUID();
        saveBoefjeMeta(api, meta, test, "Hostname|internet|test.org");
        UUID rawId = saveRaw(api, meta, "KAT for president".getBytes(), "boefje_id/test", "text/plain");
        UUID first = UUID.randomUUID();
        assertThat(postWithoutContentType(api, "/bytes/normalizer_meta", normalizerMeta(first, rawId, meta, test, "kat_test.main"))
                .status()).isEqualTo(201);

        JsonNode read = api.get("/bytes/normalizer_meta/" + first).json();
        JsonNode expected = JSON.readTree(normalizerMeta(first, rawId, meta, test, "kat_test.main"));
        for (String filled : List.of("secure_hash", "signing_provider_url", "hash_retrieval_link")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) expected.get("raw_data")).set(filled, read.get("raw_data").get(filled));
        }
        assertThat(read).isEqualTo(expected);
        assertThat(read.get("raw_data").get("secure_hash").asText()).startsWith("sha512:");

        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        postWithoutContentType(api, "/bytes/normalizer_meta", normalizerMeta(second, rawId, meta, test, "kat_test.main"));
        postWithoutContentType(api, "/bytes/normalizer_meta", normalizerMeta(third, rawId, meta, test, "third/normalizer"));
        String query = "/bytes/normalizer_meta?organization=" + test + "&normalizer_id=kat_test.main&limit=10";
        assertThat(ids(api.get(query).json())).containsExactly(first.toString(), second.toString());
        assertThat(ids(api.get(query + "&offset=1").json())).containsExactly(second.toString());
        // a normalizer meta of an unknown raw file: Bytes' foreign key, its integrity error (400)
        ApiClient.Response dangling = postWithoutContentType(api, "/bytes/normalizer_meta",
                normalizerMeta(UUID.randomUUID(), UUID.randomUUID(), meta, test, "kat_test.main"));
        assertThat(dangling.status()).isEqualTo(400);
        assertThat(dangling.json().get("status").asText()).isEqualTo("failed");
    }

    /**
     * test_bytes_api.py:219 test_raw and :236 test_raw_big, with their event_manager fixture (bytes/tests/conftest.py:108:
     * the queue deleted first): the bytes back, and a RawFileReceived naming the boefje meta in the queue as soon as the
     * upload is answered (Bytes publishes before it answers; the test reads the queue once, without waiting).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "prod"})
    void rawBytesComeBackAndTheirEventIsInTheQueueWhenTheUploadIsAnswered(String profile) throws Exception {
        Instance instance = instance(profile);
        ApiClient api = instance.api();
        UUID meta = UUID.randomUUID();
        saveBoefjeMeta(api, meta, organization(), "Hostname|internet|test.org");
        ConnectionFactory rabbit = new ConnectionFactory();
        rabbit.setHost("127.0.0.1");
        rabbit.setPort(instance.processes().amqpPort());
        String queue = instance.processes().rawFileReceivedQueue();
        try (Connection connection = rabbit.newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDelete(queue);
            byte[] big = "test 123".repeat(100_000).getBytes();
            UUID rawId = saveRaw(api, meta, big);

            ApiClient.Response read = api.get("/bytes/raw/" + rawId);
            assertThat(read.contentType()).startsWith("application/octet-stream");
            assertThat(read.body()).isEqualTo(big);
            List<JsonNode> events = new ArrayList<>();
            for (GetResponse message; (message = channel.basicGet(queue, true)) != null; ) {
                events.add(JSON.readTree(message.getBody()));
            }
            assertThat(events).anySatisfy(event -> {
                assertThat(event.get("event_id").asText()).isEqualTo("raw_file_received");
                assertThat(event.get("raw_data").get("id").asText()).isEqualTo(rawId.toString());
                assertThat(event.get("raw_data").get("boefje_meta").get("id").asText()).isEqualTo(meta.toString());
            });
        }
    }

    /** test_bytes_api.py:343 test_raw_mimes, :253 test_save_raw_with_one_mime_type: filters, order, Bytes' exact secure hashes. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "prod"})
    void rawListingsFilterByMimeTypesInInsertionOrderWithBytesHashes(String profile) throws Exception {
        ApiClient api = instance(profile).api();
        String test = organization();
        UUID meta = UUID.randomUUID();
        saveBoefjeMeta(api, meta, test, "Hostname|internet|test.org");
        UUID first = saveRaw(api, meta, "test 123456".getBytes(), "text/kat-test", "text/html");
        UUID second = saveRaw(api, meta, "second test 200".getBytes(), "text/kat-test", "text/status-code");

        String byMeta = "/bytes/raw?boefje_meta_id=" + meta + "&normalized=false";
        assertThat(api.get(byMeta + "&mime_types=text/kat-test&mime_types=text/html").json()).hasSize(1);
        assertThat(api.get(byMeta + "&mime_types=text/html").json().get(0).get("id").asText()).isEqualTo(first.toString());
        assertThat(api.get(byMeta + "&mime_types=bad/mime").json()).isEmpty();
        JsonNode listed = api.get("/bytes/raw?organization=" + test + "&boefje_meta_id=" + meta + "&mime_types=text/kat-test&limit=3").json();
        assertThat(ids(listed)).containsExactly(first.toString(), second.toString());
        assertThat(listed.get(0).get("secure_hash").asText()).isEqualTo("sha512:ce89137e70b5f8433e787293f0c01332c0ca405d355a7080a50630340f7"
                + "7bf5227561a01cba83272273513097d91f3bf9a8e8f17416fadfc1575028157cef2df");
        assertThat(listed.get(1).get("secure_hash").asText()).isEqualTo("sha512:0ae68528b2daf4d9fd494ee378b043be8646489dbe1e7d63bbf33560f58"
                + "d6c9b5abaa05387644c635f0c8a327a261e1435ad78de0cb30745d8bb05d76ddda612");
        // with Bytes' default limit=1, the first file written
        assertThat(ids(api.get("/bytes/raw?boefje_meta_id=" + meta).json())).containsExactly(first.toString());
    }

    /**
     * test_bytes_api.py:299 test_get_many_actual_raw_files; rocky/rocky/bytes_client.py:138 get_raws (limit=len(raw_ids)),
     * boefjes/boefjes/clients/bytes_client.py:151 get_raws (the BoefjeOutput's files); router.py:256 get_raws.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "prod"})
    void rawFilesComeAsABoefjeOutputForAnyLimit(String profile) throws Exception {
        ApiClient api = instance(profile).api();
        String test = organization();
        String test2 = organization();
        UUID meta = UUID.randomUUID();
        UUID meta3 = UUID.randomUUID();
        saveBoefjeMeta(api, meta, test, "Hostname|internet|test.org");
        saveBoefjeMeta(api, meta3, test2, "Hostname|internet|test.org");
        UUID firstId = saveRaw(api, meta, "test 123456".getBytes(), "text/kat-test", "text/html");
        UUID secondId = saveRaw(api, meta, "second test 200".getBytes(), "text/kat-test", "text/status-code");
        saveRaw(api, meta3, "third test 200".getBytes(), "text/kat-test", "text/test");

        assertThat(contents(api.get("/bytes/raws?raw_ids=" + firstId + "&limit=10").json())).containsExactly("test 123456");
        assertThat(contents(api.get("/bytes/raws?raw_ids=" + firstId + "&raw_ids=" + secondId + "&limit=10").json()))
                .containsExactly("test 123456", "second test 200");
        assertThat(contents(api.get("/bytes/raws?organization=" + test + "&organization=" + test2 + "&limit=10").json()))
                .containsExactly("test 123456", "second test 200", "third test 200");
        JsonNode manyIds = api.get("/bytes/raws?organization=" + test + "&raw_ids=" + firstId + "&limit=5000").json();
        assertThat(manyIds.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(manyIds.get("files").get(0).get("name").asText()).isEqualTo(firstId.toString());
        assertThat(manyIds.get("files").get(0).get("tags")).hasSize(2);
        // the intent of router.py get_raws: FAILED when the only file is the boefje's error output
        UUID failedJob = UUID.randomUUID();
        saveBoefjeMeta(api, failedJob, test, "Hostname|internet|test.org");
        saveRaw(api, failedJob, "Traceback: boom".getBytes(), "error/boefje");
        assertThat(api.get("/bytes/raws?boefje_meta_id=" + failedJob).json().get("status").asText()).isEqualTo("FAILED");
    }

    private static List<String> contents(JsonNode output) {
        List<String> contents = new ArrayList<>();
        output.get("files").forEach(file -> contents.add(new String(Base64.getDecoder().decode(file.get("content").asText()),
                StandardCharsets.UTF_8)));
        return contents;
    }

    /** test_bytes_api.py:415 test_save_multiple_raw_files, :402 test_cannot_overwrite_raw; boefjes' bytes_client.py:110 save_raws (no Content-Type). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "prod"})
    void aBoefjeOutputPostedWithoutContentTypeStoresEveryFile(String profile) throws Exception {
        ApiClient api = instance(profile).api();
        UUID meta = UUID.randomUUID();
        saveBoefjeMeta(api, meta, organization(), "Hostname|internet|test.org");
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("status", "COMPLETED");
        output.put("files", List.of(
                Map.of("name", "first", "content", Base64.getEncoder().encodeToString("first".getBytes()), "tags", List.of()),
                Map.of("name", "second", "content", Base64.getEncoder().encodeToString("second".getBytes()), "tags", List.of("mime", "type"))));
        ApiClient.Response saved = postWithoutContentType(api, "/bytes/raw?boefje_meta_id=" + meta, JSON.writeValueAsString(output));
        assertThat(saved.status()).as(saved.text()).isEqualTo(200);
        String first = saved.json().get("first").asText();
        String second = saved.json().get("second").asText();

        assertThat(api.get("/bytes/raw/" + first).text()).isEqualTo("first");
        assertThat(api.get("/bytes/raw/" + second).text()).isEqualTo("second");
        assertThat(api.get("/bytes/raw/" + first + "/meta").json().get("mime_types")).isEmpty();
        assertThat(api.get("/bytes/raw/" + second + "/meta").json().get("mime_types").findValuesAsText("value"))
                .containsExactlyInAnyOrder("mime", "type");
        // test_cannot_overwrite_raw: another file of the same job does not replace the first
        UUID other = saveRaw(api, meta, "321 test".getBytes(), "x/other");
        assertThat(other.toString()).isNotEqualTo(first);
        assertThat(api.get("/bytes/raw/" + first).text()).isEqualTo("first");
    }
}
