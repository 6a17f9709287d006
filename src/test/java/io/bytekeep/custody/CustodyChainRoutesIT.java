package io.bytekeep.custody;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import io.bytekeep.custody.chain.CustodyLink;
import io.bytekeep.custody.chain.LinkSignatures;
import io.bytekeep.custody.envelope.EnvelopeOpener;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;

/** routes/custody-chain.camel.yaml over real HTTP, PostgreSQL and S3: cases, envelopes, steps and verification. */
class CustodyChainRoutesIT extends IntegrationTest {

    private static final Instant ENDED = Instant.parse("2024-02-03T04:05:06Z");
    private static final Path KEYS = Path.of("src/test/resources/test-config/custody");

    @Autowired
    S3Client s3;

    @TempDir
    Path spool;

    @BeforeEach
    void emptyCustody() {
        jdbc.execute("truncate table custody_link, custody_case");
    }

    @Test
    void aCaseIsOpenedSealedExtendedByAStationAndVerified() throws Exception {
        ApiClient alice = as("alice");
        byte[] content = "scan output of example.org\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        UUID rawId = uploadRaw(alice, createBoefjeMeta(alice, "org-a", ENDED), "scan", content, "text/plain");

        ApiClient.Response opened = alice.postJson("/custody/cases",
                Map.of("raw_id", rawId.toString(), "session_id", "session-42", "recipients", List.of("station-a", "station-b")));
        assertThat(opened.status()).as(opened.text()).isEqualTo(201);
        JsonNode chain = opened.json();
        String caseId = chain.get("case_id").asText();
        assertThat(chain.get("user_id").asText()).isEqualTo("alice");
        assertThat(chain.get("links")).hasSize(1);
        JsonNode ingest = chain.get("links").get(0);
        assertThat(ingest.get("station_id").asText()).isEqualTo("bytekeep");
        assertThat(ingest.get("metadata").get("session_id").asText()).isEqualTo("session-42");
        String envelopeKey = jdbc.queryForObject("select envelope_key from custody_case where id = ?::uuid", String.class, caseId);
        assertThat(envelopeKey).startsWith("custody/org-a/" + caseId + "/");

        ApiClient.Response envelope = alice.get("/custody/cases/" + caseId + "/envelope");
        assertThat(envelope.status()).isEqualTo(200);
        assertThat(envelope.contentType()).startsWith("application/pkcs7-mime");
        assertThat(envelope.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("camel"));
        assertThat(open(envelope.body(), keyPair("station-a-encryption"))).isEqualTo(content);
        assertThat(open(envelope.body(), keyPair("station-b-encryption"))).isEqualTo(content);
        // what a recipient checks: the opened bytes and link 0's suffix hash to the signed secure_hash
        MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
        sha512.update(open(envelope.body(), keyPair("station-a-encryption")));
        sha512.update(ingest.get("metadata").get("secure_hash_suffix").asText().getBytes(StandardCharsets.UTF_8));
        assertThat("sha512:" + HexFormat.of().formatHex(sha512.digest()))
                .isEqualTo(ingest.get("metadata").get("secure_hash").asText());

        byte[] result = "{\"normalized\": true}".getBytes(StandardCharsets.UTF_8);
        CustodyLink step = step(caseId, 1, "station-a", ingest.get("signature").asText(), sha256(result),
                signingKey("station-a-signing"));
        ApiClient.Response appended = alice.postJson("/custody/cases/" + caseId + "/steps", stepBody(step, result));
        assertThat(appended.status()).as(appended.text()).isEqualTo(201);
        assertThat(appended.json().get("index").asInt()).isEqualTo(1);

        ApiClient.Response resultEnvelope = alice.get("/custody/cases/" + caseId + "/envelope?link=1");
        assertThat(resultEnvelope.status()).isEqualTo(200);
        assertThat(open(resultEnvelope.body(), keyPair("station-b-encryption"))).isEqualTo(result);

        JsonNode verdict = alice.get("/custody/cases/" + caseId + "/verify").json();
        assertThat(verdict.get("valid").asBoolean()).as(verdict.toString()).isTrue();
        assertThat(verdict.get("links").asInt()).isEqualTo(2);
        assertThat(offlineVerification(alice, caseId)).startsWith("valid: case " + caseId + ", 2 links");

        // station-b's key signs a step that claims to be station-a's: refused, nothing appended
        CustodyLink forged = step(caseId, 2, "station-a", step.signature(), sha256("forged".getBytes()),
                signingKey("station-b-signing"));
        ApiClient.Response refused = alice.postJson("/custody/cases/" + caseId + "/steps", stepBody(forged, null));
        assertProblem(refused, 422);
        assertThat(refused.json().get("detail").asText()).contains("station 'station-a'");
        assertThat(alice.get("/custody/cases/" + caseId + "/chain").json().get("links")).hasSize(2);

        // a link edited in the database: verify names it, and no step can follow it
        jdbc.update("update custody_link set result_hash = ? where case_id = ?::uuid and link_index = 1",
                "sha256:" + "00".repeat(32), caseId);
        verdict = alice.get("/custody/cases/" + caseId + "/verify").json();
        assertThat(verdict.get("valid").asBoolean()).isFalse();
        assertThat(verdict.get("first_broken_link").get("index").asInt()).isEqualTo(1);
        assertThat(verdict.get("first_broken_link").get("reason").asText()).contains("signature does not verify");
        assertThat(offlineVerification(alice, caseId)).contains("first broken link 1:");
        CustodyLink next = step(caseId, 2, "station-b", step.signature(), sha256("next".getBytes()),
                signingKey("station-b-signing"));
        assertProblem(alice.postJson("/custody/cases/" + caseId + "/steps", stepBody(next, null)), 409);
    }

    @Test
    void aStreamedExportResultIsSealedAndClosesTheCase() throws Exception {
        ApiClient alice = as("alice");
        UUID rawId = uploadRaw(alice, createBoefjeMeta(alice, "org-a", ENDED), "f", "x".getBytes(), "text/plain");
        JsonNode chain = alice.postJson("/custody/cases",
                Map.of("raw_id", rawId.toString(), "session_id", "s", "recipients", List.of("station-b"))).json();
        String caseId = chain.get("case_id").asText();
        byte[] report = "exported report\n".repeat(50_000).getBytes(StandardCharsets.UTF_8);
        CustodyLink export = LinkSignatures.sign(UUID.fromString(caseId), new CustodyLink(1, "station-b", CustodyLink.EXPORT,
                chain.get("links").get(0).get("signature").asText(), sha256(report),
                CustodyLink.metadata(Map.of("format", "text", "note", "a=b & c")), null), signingKey("station-b-signing"));
        String path = "/custody/cases/" + caseId + "/steps?station_id=station-b&kind=export"
                + "&result_hash=" + encode(export.resultHash()) + "&signature=" + encode(export.signature())
                + "&metadata=" + encode("format=text") + "&metadata=" + encode("note=a=b & c");

        ApiClient.Response mismatch = alice.postChunked(path, "application/octet-stream", "other bytes".getBytes());
        assertProblem(mismatch, 422);
        assertThat(mismatch.json().get("detail").asText()).contains("not to the signed result_hash");
        assertThat(count("custody_link")).isEqualTo(1);

        ApiClient.Response appended = alice.postChunked(path, "application/octet-stream", report);
        assertThat(appended.status()).as(appended.text()).isEqualTo(201);
        assertThat(open(alice.get("/custody/cases/" + caseId + "/envelope?link=1").body(), keyPair("station-b-encryption")))
                .isEqualTo(report);

        CustodyLink after = step(caseId, 2, "station-a", export.signature(), sha256("late".getBytes()),
                signingKey("station-a-signing"));
        assertProblem(alice.postJson("/custody/cases/" + caseId + "/steps", stepBody(after, null)), 409);
        assertThat(alice.get("/custody/cases/" + caseId + "/chain").json().get("closed").asBoolean()).isTrue();
        assertThat(alice.get("/custody/cases/" + caseId + "/verify").json().get("valid").asBoolean()).isTrue();
    }

    @Test
    void badRequestsAreProblems() {
        ApiClient alice = as("alice");
        UUID rawId = uploadRaw(alice, createBoefjeMeta(alice, "org-a", ENDED), "f", "x".getBytes(), "text/plain");

        assertProblem(anonymous().postJson("/custody/cases", Map.of()), 401);
        assertProblem(alice.postJson("/custody/cases", Map.of("raw_id", UUID.randomUUID().toString(), "session_id", "s",
                "recipients", List.of("station-a"))), 404);
        assertProblem(as("bob").postJson("/custody/cases", Map.of("raw_id", rawId.toString(), "session_id", "s",
                "recipients", List.of("station-a"))), 404);
        assertProblem(alice.postJson("/custody/cases", Map.of("raw_id", rawId.toString(), "session_id", "s",
                "recipients", List.of("mallory"))), 422);
        assertProblem(alice.postJson("/custody/cases", Map.of("raw_id", rawId.toString(), "session_id", "no spaces",
                "recipients", List.of("station-a"))), 422);
        assertProblem(alice.postJson("/custody/cases", Map.of("raw_id", rawId.toString(), "session_id", "s")), 422);

        String caseId = alice.postJson("/custody/cases", Map.of("raw_id", rawId.toString(), "session_id", "s",
                "recipients", List.of("station-a"))).json().get("case_id").asText();
        assertProblem(as("bob").get("/custody/cases/" + caseId + "/chain"), 404);
        assertProblem(as("bob").get("/custody/cases/" + caseId + "/envelope"), 404);
        assertProblem(alice.get("/custody/cases/" + caseId + "/envelope?link=0"), 404);
        assertProblem(alice.get("/custody/cases/not-a-uuid/verify"), 422);
        assertProblem(alice.postJson("/custody/cases/" + caseId + "/steps", Map.of("station_id", "station-a",
                "result_hash", "md5:abc", "signature", "AAAA")), 422);
        assertProblem(alice.post("/custody/cases/" + caseId + "/steps", "application/json", new byte[3 * 1024 * 1024]), 413);
        assertThat(count("custody_link")).isEqualTo(1);
    }

    /** bytekeep custody verify, in-process, on the chain and keys as the API exports them. */
    private String offlineVerification(ApiClient api, String caseId) throws Exception {
        ApiClient.Response parties = api.get("/custody/parties");
        assertThat(parties.json().fieldNames()).toIterable().containsExactly("bytekeep", "station-a", "station-b");
        Path keys = Files.write(spool.resolve("parties.json"), parties.body());
        Path chain = Files.write(spool.resolve("chain.json"), api.get("/custody/cases/" + caseId + "/chain").body());
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = io.bytekeep.cli.BytekeepCli.commandLine();
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.execute("custody", "verify", "--chain", chain.toString(), "--keys", keys.toString());
        return out.toString();
    }

    private static void assertProblem(ApiClient.Response response, int status) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asText()).isNotBlank();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Map<String, Object> stepBody(CustodyLink link, byte[] resultFile) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("station_id", link.stationId());
        body.put("kind", link.kind());
        body.put("result_hash", link.resultHash());
        body.put("metadata", link.metadata());
        body.put("signature", link.signature());
        if (resultFile != null) {
            body.put("result_file", Base64.getEncoder().encodeToString(resultFile));
        }
        return body;
    }

    private static CustodyLink step(String caseId, int index, String station, String previous, String resultHash,
                                    PrivateKey key) {
        return LinkSignatures.sign(UUID.fromString(caseId), new CustodyLink(index, station, CustodyLink.STEP, previous,
                resultHash, CustodyLink.metadata(Map.of("step", "normalize", "tool_version", "2.1")), null), key);
    }

    private byte[] open(byte[] envelope, KeyPair key) throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        new EnvelopeOpener(spool).open(new ByteArrayInputStream(envelope), key, plain);
        return plain.toByteArray();
    }

    private static KeyPair keyPair(String name) throws Exception {
        return new KeyPair(CustodyKeys.publicKey(Files.readString(KEYS.resolve(name + ".pub.pem"))),
                CustodyKeys.privateKey(Files.readString(KEYS.resolve(name + ".pem"))));
    }

    private static PrivateKey signingKey(String name) throws Exception {
        return CustodyKeys.privateKey(Files.readString(KEYS.resolve(name + ".pem")));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
