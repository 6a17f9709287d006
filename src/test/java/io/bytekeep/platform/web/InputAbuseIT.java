package io.bytekeep.platform.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input over real HTTP: oversized bodies and headers, deep and broken JSON, traversal and key injection in
 * ids and names, bomb-shaped key submissions. Each is refused with a 4xx (never a 500) and leaves nothing behind;
 * what the vault stores stays under raw/<organization>/<uuid>.
 */
class InputAbuseIT extends IntegrationTest {

    private static final Instant ENDED = Instant.parse("2026-03-01T10:00:00Z");
    /** A file's own object, or (small files) a pack: never anything from names or other user text. */
    private static final Pattern RAW_KEY = Pattern.compile(
            "(raw/org-a|packs/[0-9a-f]{2})/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String SUBMISSION_TOKEN = "test-submission-token-0123456789";

    @Autowired
    S3Client s3;

    @Test
    void oversizedBodiesAreRefusedBeforeTheyAreRead() {
        ApiClient api = as("alice");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        // well-formed JSON over the 8 MB stream limit of raw uploads (test config), declared and chunked
        byte[] big = ("{\"files\":[{\"name\":\"f\",\"tags\":[],\"content\":\"" + "A".repeat(9 * 1024 * 1024) + "\"}]}")
                .getBytes(StandardCharsets.US_ASCII);
        assertProblem(api.post("/bytes/raw?boefje_meta_id=" + boefjeMetaId, "application/json", big), 413);
        assertProblem(api.postChunked("/bytes/raw?boefje_meta_id=" + boefjeMetaId, "application/json", big), 413);
        // and over the 2 MB limit of the metadata bodies
        byte[] bigMeta = ("{\"id\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.US_ASCII);
        assertProblem(api.postChunked("/bytes/boefje_meta", "application/json", bigMeta), 413);
        assertThat(count("raw_file")).isZero();
    }

    @Test
    void deepJsonIsABadRequestNotAStackOverflow() {
        ApiClient api = as("alice");
        String deepArrays = "[".repeat(100_000) + "]".repeat(100_000);
        String deepObjects = "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000);
        for (String body : List.of(deepArrays, deepObjects)) {
            for (String path : List.of("/bytes/boefje_meta", "/bytes/normalizer_meta", "/bytes/raw?boefje_meta_id=" + UUID.randomUUID(), "/custody/cases")) {
                ApiClient.Response response = api.post(path, "application/json", body.getBytes(StandardCharsets.UTF_8));
                assertThat(response.status()).as(path + ": " + response.text()).isBetween(400, 422);
                assertThat(response.contentType()).startsWith("application/problem+json");
            }
            ApiClient.Response submission = submit("application/json", body.getBytes(StandardCharsets.UTF_8));
            // 64KB limit of the submission body: 413 or 400, both before any parsing recursion matters
            assertThat(submission.status()).as(submission.text()).isIn(400, 413);
        }
    }

    @Test
    void invalidUtf8InJsonIsRefused() {
        ApiClient api = as("alice");
        Map<String, Object> meta = boefjeMeta(UUID.randomUUID(), "org-a", ENDED);
        String json = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(meta).toString();
        byte[] bytes = json.replace("example.org\"", "example.orgXX\"").getBytes(StandardCharsets.UTF_8);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("XX");
        bytes[at] = (byte) 0xC3;      // a lead byte followed by
        bytes[at + 1] = (byte) 0x28;  // an ASCII byte: not UTF-8
        assertProblemIn(api.post("/bytes/boefje_meta", "application/json", bytes), 400, 422);
        byte[] lone = json.replace("example.org\"", "example.org\u0000\"").getBytes(StandardCharsets.UTF_8);
        lone[new String(lone, StandardCharsets.ISO_8859_1).indexOf('\u0000')] = (byte) 0xFF;
        assertProblemIn(api.post("/bytes/boefje_meta", "application/json", lone), 400, 422);
        assertThat(count("boefje_meta")).isZero();

        byte[] submission = "{\"keys\":[{\"key_data\":\"\u00ff\"}]}".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(submit("application/json", submission).status()).isEqualTo(400);
    }

    @Test
    void traversalAndKeyInjectionInIdsAreRefused() {
        ApiClient api = as("alice");
        List<String> hostile = List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fraw", "..", "%2e%2e", "x%00y", "%00",
                "raw%2Forg-b%2F" + UUID.randomUUID(), "a".repeat(5000), "%25", "'%20or%201=1--");
        List<String> templates = List.of("/bytes/raw/%s", "/bytes/raw/%s/meta", "/bytes/raw/%s/proof", "/bytes/boefje_meta/%s",
                "/bytes/normalizer_meta/%s", "/custody/cases/%s/chain", "/custody/cases/%s/envelope");
        List<String> failures = new ArrayList<>();
        for (String template : templates) {
            for (String id : hostile) {
                ApiClient.Response response = api.get(template.formatted(id));
                if (response.status() < 400 || response.status() >= 500) {
                    failures.add(template.formatted(id.length() > 40 ? id.substring(0, 40) + "..." : id) + " -> " + response.status());
                }
            }
        }
        for (String id : hostile) {
            ApiClient.Response upload = api.postJson("/bytes/raw?boefje_meta_id=" + id,
                    Map.of("files", List.of(file("x", new byte[] {1}, "text/plain"))));
            if (upload.status() < 400 || upload.status() >= 500) {
                failures.add("POST /bytes/raw?boefje_meta_id=" + id + " -> " + upload.status());
            }
        }
        assertThat(failures).isEmpty();
        assertThat(count("raw_file")).isZero();
    }

    @Test
    void namesAndTagsNeverReachTheObjectKey() {
        ApiClient api = as("alice");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        List<String> names = List.of("../../../etc/passwd", "..\\..\\windows", "raw/org-b/x", "/absolute", "a\u0000b",
                "%2e%2e%2f", "n".repeat(10_000), "\u202e\u0645", "");
        for (String name : names) {
            ApiClient.Response response = api.postJson("/bytes/raw?boefje_meta_id=" + boefjeMetaId,
                    Map.of("files", List.of(file(name, name.getBytes(StandardCharsets.UTF_8), "../../" + name, "text/plain"))));
            assertThat(response.status()).as(name.length() > 40 ? name.substring(0, 40) : name).isIn(200, 400, 413, 422);
        }
        List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket("bytekeep-test-raw")).contents().stream()
                .map(S3Object::key).toList();
        List<String> stored = jdbc.queryForList("select storage_key from raw_file", String.class);
        assertThat(stored).allSatisfy(key -> assertThat(key).matches(RAW_KEY));
        assertThat(keys).containsAll(stored);
        assertThat(keys).allSatisfy(key -> assertThat(key).doesNotContain("..").doesNotContain("\\").doesNotContain("%"));
    }

    @Test
    void oversizedAndCountlessHeadersAreRefusedAsProblems() throws IOException {
        // Tomcat refuses these before Spring's dispatcher; its error report valve is Bytekeep's (ProblemReportValve)
        ApiClient.Response longHeader = as("alice").send("GET", "/bytes/mime_types",
                Map.of("X-Padding", "p".repeat(64 * 1024)), null);
        assertProblemIn(longHeader, 400, 431);
        assertTomcatProblem(longHeader.status(), longHeader.text());
        StringBuilder many = new StringBuilder("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (int i = 0; i < 10_000; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        String[] response = rawRequest(many.append("\r\n").toString());
        assertThat(response[0]).matches("HTTP/1.1 4(00|31).*");
        assertThat(response[1]).containsPattern("(?im)^Content-Type: application/problem\\+json");
        assertTomcatProblem(Integer.parseInt(response[0].substring(9, 12)), response[2]);
        // the server still answers afterwards, the routes (platform-http) and health as before
        ApiClient.Response health = anonymous().get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.contentType()).startsWith("application/json");
        ApiClient.Response mimeTypes = as("alice").get("/bytes/mime_types");
        assertThat(mimeTypes.status()).as(mimeTypes.text()).isEqualTo(200);
        assertThat(mimeTypes.contentType()).startsWith("application/json");
        ApiClient.Response unauthenticated = anonymous().get("/bytes/mime_types");
        assertProblem(unauthenticated, 401);
    }

    @Test
    void multipartBodiesWithHugePartCountsAreNotParsed() {
        // servlet multipart parsing is off (spring.servlet.multipart.enabled=false): 10,000 parts are never split
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            body.append("--b\r\nContent-Disposition: form-data; name=\"p").append(i).append("\"\r\n\r\nx\r\n");
        }
        body.append("--b--\r\n");
        ApiClient api = as("alice");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        for (String path : List.of("/bytes/raw?boefje_meta_id=" + boefjeMetaId, "/bytes/boefje_meta", "/custody/cases")) {
            assertProblem(api.post(path, "multipart/form-data; boundary=b", body.toString().getBytes(StandardCharsets.US_ASCII)), 415);
        }
        assertThat(count("raw_file")).isZero();
    }

    @Test
    void bombShapedKeySubmissionsAreRefusedFast() {
        // the key table is not emptied between test classes: compare with what was there
        Long keysBefore = jdbc.queryForObject("select count(*) from diagnosis_key", Long.class);
        // a protobuf field 1 (keys) claiming 2 GB of nested message in a 10-byte body
        byte[] claimsHuge = {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0x0A, 0x01, 0x00, 0x00};
        long started = System.nanoTime();
        assertThat(submit("application/x-protobuf", claimsHuge).status()).isEqualTo(400);
        // 50 MB of zeros: refused on the declared length, before the body is read
        byte[] zeros = new byte[50 * 1024 * 1024];
        ApiClient.Response huge = anonymous().send("POST", "/version/v1/diagnosis-keys",
                Map.of("Content-Type", "application/x-protobuf", "cwa-authorization", SUBMISSION_TOKEN), zeros);
        assertThat(huge.status()).isEqualTo(413);
        // 20k empty keys in 40 KB: refused whole (too many keys, none complete)
        byte[] manyKeys = new byte[40_000];
        for (int i = 0; i < manyKeys.length; i += 2) {
            manyKeys[i] = 0x0A;
            manyKeys[i + 1] = 0x00;
        }
        assertThat(submit("application/x-protobuf", manyKeys).status()).isEqualTo(400);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(jdbc.queryForObject("select count(*) from diagnosis_key", Long.class)).isEqualTo(keysBefore);
    }

    private ApiClient.Response submit(String contentType, byte[] body) {
        return anonymous().send("POST", "/version/v1/diagnosis-keys",
                Map.of("Content-Type", contentType, "cwa-authorization", SUBMISSION_TOKEN), body);
    }

    /** The status line, the header block and the body of the answer to a request sent as it is on a new connection. */
    private String[] rawRequest(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closedEarly) {
                // the server may answer and close before it read every header
            }
            InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
            try {
                in.transferTo(read); // Connection: close
            } catch (java.net.SocketException reset) {
                // a reset after the answer, for the headers the server did not read
            }
            String answer = read.toString(StandardCharsets.UTF_8);
            int headEnd = answer.indexOf("\r\n\r\n");
            assertThat(headEnd).as(answer).isPositive();
            String head = answer.substring(0, headEnd);
            String body = answer.substring(headEnd + 4);
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new String[] {head.split("\r\n", 2)[0], head, body};
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    /** The RFC 9457 members Bytekeep answers everywhere, and nothing of Tomcat's HTML page. */
    private static void assertTomcatProblem(int status, String body) throws IOException {
        assertThat(body).doesNotContain("<html").doesNotContainIgnoringCase("tomcat");
        com.fasterxml.jackson.databind.JsonNode problem = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).startsWith("urn:bytekeep:problem:");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).contains("header");
    }

    private static void assertProblem(ApiClient.Response response, int status) {
        assertProblemIn(response, status, status);
    }

    private static void assertProblemIn(ApiClient.Response response, int low, int high) {
        assertThat(response.status()).as(response.text()).isBetween(low, high);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }
}
