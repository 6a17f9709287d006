package io.bytekeep.proof;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.bytekeep.proof.TestTimestampAuthority.Reply;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static io.bytekeep.vault.VaultMetaRoutesIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC3161 with one TSA request per file, as Bytes does it: the token is the raw file's hash_retrieval_link. */
@DirtiesContext
class SingleFileProofIT extends IntegrationTest {

    private static final Instant ENDED = Instant.parse("2023-05-06T07:08:09Z");
    private static final TestTimestampAuthority TSA = new TestTimestampAuthority();
    private static Path dir;

    @DynamicPropertySource
    static void singleFileMode(DynamicPropertyRegistry registry) throws IOException {
        TSA.start();
        dir = Files.createTempDirectory("single-file-proof-it");
        Path ca = TSA.writeCaCertificate(dir.resolve("tsa-ca.pem"));
        registry.add("bytekeep.vault.hash-repository", () -> "RFC3161");
        registry.add("bytekeep.custody.proofs.mode", () -> "SINGLE");
        registry.add("bytekeep.custody.proofs.tsa-url", () -> TSA.url().toString());
        registry.add("bytekeep.custody.proofs.tsa-certificate", ca::toString);
    }

    @AfterEach
    void tsaAnswers() {
        TSA.start();
        TSA.answering(Reply.GRANTED);
    }

    @Test
    void theStoredTokenVerifiesWithOpensslOverTheSecureHashString() {
        ApiClient api = as("bytes");
        UUID id = uploadRaw(api, createBoefjeMeta(api, "org-a", ENDED), "f", "hello".getBytes(), "text/plain");

        Map<String, Object> row = jdbc.queryForMap("select secure_hash, hash_retrieval_link, signing_provider_url from raw_file where id = ?", id);
        assertThat(row.get("signing_provider_url")).isEqualTo(TSA.url().toString());
        JsonNode meta = api.get("/bytes/raw/" + id + "/meta").json();
        assertThat(meta.get("hash_retrieval_link").asText()).isEqualTo(row.get("hash_retrieval_link"));
        assertThat(count("raw_file_proof")).isZero();

        JsonNode proof = api.get("/bytes/raw/" + id + "/proof").json();
        assertThat(proof.get("mode").asText()).isEqualTo("SINGLE");
        assertThat(proof.get("timestamp_token").asText()).isEqualTo(row.get("hash_retrieval_link"));
        byte[] secureHash = ((String) row.get("secure_hash")).getBytes(StandardCharsets.UTF_8);
        ProofFiles.assertVerified(ProofFiles.opensslVerify(proof, secureHash, dir.resolve("tsa-ca.pem"), dir));
        ProofFiles.assertVerified(ProofFiles.fold(proof.toString(), dir, "--raw",
                ProofFiles.write(dir.resolve("raw.bin"), "hello".getBytes()).toString()));
        assertThat(ProofFiles.opensslVerify(proof, "sha512:other".getBytes(), dir.resolve("tsa-ca.pem"), dir).exitCode()).isNotZero();
    }

    @Test
    void anUploadFailsWith503AndStoresNothingWhileTheTsaAnswersGarbageOrIsDown() {
        ApiClient api = as("bytes");
        UUID job = createBoefjeMeta(api, "org-a", ENDED);
        Map<String, Object> body = Map.of("files", List.of(file("f", "x".getBytes(), "text/plain")));

        TSA.answering(Reply.GARBAGE);
        ApiClient.Response garbage = api.postJson("/bytes/raw?boefje_meta_id=" + job, body);
        assertProblem(garbage, 503);
        assertThat(garbage.json().get("detail").asText()).contains("could not be timestamped");
        TSA.stop();
        assertProblem(api.postJson("/bytes/raw?boefje_meta_id=" + job, body), 503);
        assertThat(count("raw_file")).isZero();

        TSA.start();
        TSA.answering(Reply.GRANTED);
        assertThat(api.postJson("/bytes/raw?boefje_meta_id=" + job, body).status()).isEqualTo(200);
        assertThat(Base64.getDecoder().decode(jdbc.queryForObject("select hash_retrieval_link from raw_file", String.class))).isNotEmpty();
    }
}
