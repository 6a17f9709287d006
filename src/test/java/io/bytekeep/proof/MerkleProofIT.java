package io.bytekeep.proof;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.bytekeep.proof.TestTimestampAuthority.Reply;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static io.bytekeep.vault.VaultMetaRoutesIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RFC3161 in Merkle batching mode with a real TSA in this process: uploads are batched by the schedule of
 * routes/custody-proofs.camel.yaml, and each proof verifies with openssl and docs/verify-proof.py.
 */
@DirtiesContext
class MerkleProofIT extends IntegrationTest {

    private static final Instant ENDED = Instant.parse("2023-05-06T07:08:09.123456Z");
    private static final TestTimestampAuthority TSA = new TestTimestampAuthority();
    private static final Path DIR = tempDir();
    private static final Path CA = caFile();

    @DynamicPropertySource
    static void merkleMode(DynamicPropertyRegistry registry) {
        TSA.start();
        registry.add("bytekeep.vault.hash-repository", () -> "RFC3161");
        registry.add("bytekeep.custody.proofs.mode", () -> "MERKLE");
        registry.add("bytekeep.custody.proofs.tsa-url", () -> TSA.url().toString());
        registry.add("bytekeep.custody.proofs.tsa-certificate", CA::toString);
        registry.add("bytekeep.custody.proofs.imprint-algorithm", () -> "SHA512");
        registry.add("bytekeep.custody.proofs.batch-interval-millis", () -> "300");
    }

    @Autowired
    CamelContext camel;

    @Autowired
    ProofBatches proofBatches;

    @AfterEach
    void tsaAnswers() {
        TSA.start();
        TSA.answering(Reply.GRANTED);
    }

    @Test
    void batchedProofsVerifyWithOpensslAndTheFoldScriptAndATamperedLeafDoesNot() throws IOException {
        ApiClient api = as("bytes");
        UUID job = createBoefjeMeta(api, "org-a", ENDED);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(uploadRaw(api, job, "file-" + i, ("content " + i).getBytes(), "text/plain", "bench/" + i));
        }
        assertThat(jdbc.queryForObject("select signing_provider_url from raw_file where id = ?", String.class, ids.get(0)))
                .isEqualTo(TSA.url().toString());

        for (int i = 0; i < ids.size(); i++) {
            UUID id = ids.get(i);
            JsonNode proof = await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/bytes/raw/" + id + "/proof"),
                    response -> response.status() == 200).json();
            assertThat(proof.get("mode").asText()).isEqualTo("MERKLE");
            assertThat(proof.get("secure_hash").asText()).startsWith("sha512:");
            assertThat(proof.get("ended_at").asText()).isEqualTo("1683356889.123456");
            assertThat(proof.get("imprint_algorithm").asText()).isEqualTo("SHA512");
            assertThat(proof.get("tsa_url").asText()).isEqualTo(TSA.url().toString());
            byte[] root = HexFormat.of().parseHex(proof.get("batch").get("root").asText());

            Path dir = Files.createDirectories(DIR.resolve(id.toString()));
            ProofFiles.assertVerified(ProofFiles.opensslVerify(proof, root, CA, dir));
            Path raw = ProofFiles.write(dir.resolve("raw.bin"), ("content " + i).getBytes());
            ProofFiles.assertVerified(ProofFiles.fold(proof.toString(), dir, "--raw", raw.toString()));
        }

        JsonNode proof = api.get("/bytes/raw/" + ids.get(3) + "/proof").json();
        ObjectNode otherLeaf = proof.deepCopy();
        otherLeaf.put("secure_hash", "sha512:" + "0".repeat(128));
        assertThat(ProofFiles.fold(otherLeaf.toString(), DIR).exitCode()).isEqualTo(1);
        if (proof.get("inclusion_proof").size() > 0) {
            ObjectNode otherSibling = proof.deepCopy();
            ((ArrayNode) otherSibling.get("inclusion_proof")).set(0, otherSibling.textNode("00".repeat(32)));
            assertThat(ProofFiles.fold(otherSibling.toString(), DIR).exitCode()).isEqualTo(1);
        }
        ObjectNode otherIndex = proof.deepCopy();
        otherIndex.put("leaf_index", proof.get("leaf_index").asInt() ^ 1);
        assertThat(ProofFiles.fold(otherIndex.toString(), DIR).exitCode()).isEqualTo(1);
        byte[] otherRoot = new byte[32];
        assertThat(ProofFiles.opensslVerify(proof, otherRoot, CA, DIR).exitCode()).isNotZero();
    }

    @Test
    void whileTheTsaIsDownOrAnswersGarbageHashesStayQueuedAndAreTimestampedWhenItAnswersAgain() throws IOException {
        ApiClient api = as("bytes");
        UUID job = createBoefjeMeta(api, "org-a", ENDED);
        TSA.stop();
        UUID id = uploadRaw(api, job, "during-outage", "kept".getBytes(), "text/plain");
        assertThat(firingsComplete(2)).isTrue();
        assertQueued(api, id);

        TSA.start();
        TSA.answering(Reply.GARBAGE);
        assertThat(firingsComplete(2)).isTrue();
        assertQueued(api, id);
        assertThat(count("proof_batch")).isZero();

        TSA.answering(Reply.GRANTED);
        JsonNode proof = await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/bytes/raw/" + id + "/proof"),
                response -> response.status() == 200).json();
        Path dir = Files.createDirectories(DIR.resolve(id.toString()));
        ProofFiles.assertVerified(ProofFiles.opensslVerify(proof, HexFormat.of().parseHex(proof.get("batch").get("root").asText()), CA, dir));
        ProofFiles.assertVerified(ProofFiles.fold(proof.toString(), dir));
    }

    @Test
    void concurrentBatchersNeverPutAHashIntoTwoBatches() throws Exception {
        ApiClient api = as("bytes");
        UUID job = createBoefjeMeta(api, "org-a", ENDED);
        TSA.stop();
        for (int i = 0; i < 20; i++) {
            uploadRaw(api, job, "queued-" + i, ("queued " + i).getBytes(), "text/plain", "queued/" + i);
        }
        TSA.start();
        // two more batchers beside the schedule's, as two more instances of a cluster would run them
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(proofBatches::timestampQueued);
            var second = pool.submit(proofBatches::timestampQueued);
            first.get(30, java.util.concurrent.TimeUnit.SECONDS);
            second.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdown();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> count("raw_file_proof where batch_id is null") == 0);

        assertThat(count("raw_file_proof")).isEqualTo(20);
        assertThat(jdbc.queryForObject("select sum(tree_size) from proof_batch", Long.class)).isEqualTo(20);
        assertThat(jdbc.queryForObject("select count(*) from proof_batch b where tree_size <> (select count(distinct leaf_index) "
                + "from raw_file_proof p where p.batch_id = b.id and p.leaf_index < b.tree_size)", Long.class)).isZero();
    }

    @Test
    void proofsAreForTheCallersOrganisationsOnly() {
        ApiClient api = as("bytes");
        UUID id = uploadRaw(api, createBoefjeMeta(api, "org-a", ENDED), "f", "x".getBytes(), "text/plain");
        await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/bytes/raw/" + id + "/proof").status() == 200);

        assertThat(as("alice").get("/bytes/raw/" + id + "/proof").status()).isEqualTo(200);
        assertProblem(as("bob").get("/bytes/raw/" + id + "/proof"), 404);
        assertProblem(api.get("/bytes/raw/" + UUID.randomUUID() + "/proof"), 404);
        assertProblem(anonymous().get("/bytes/raw/" + id + "/proof"), 401);
    }

    /** Waits until the batch schedule has completed n more firings (a firing that started before now may be one). */
    private boolean firingsComplete(int n) {
        return new NotifyBuilder(camel).fromRoute("proof-batch-schedule").whenDone(n).create().matches(20, java.util.concurrent.TimeUnit.SECONDS);
    }

    private void assertQueued(ApiClient api, UUID id) {
        ApiClient.Response response = api.get("/bytes/raw/" + id + "/proof");
        assertProblem(response, 409);
        assertThat(response.json().get("title").asText()).isEqualTo("Proof Pending");
        assertThat(jdbc.queryForObject("select count(*) from raw_file_proof where raw_file_id = ? and batch_id is null",
                Long.class, id)).isEqualTo(1);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("merkle-proof-it");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path caFile() {
        try {
            return TSA.writeCaCertificate(DIR.resolve("tsa-ca.pem"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
