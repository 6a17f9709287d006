package io.bytekeep.proof;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static io.bytekeep.vault.VaultMetaRoutesIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** The default IN_MEMORY repository witnesses nothing: a file stored with it has no proof to show, and says why. */
class ProofWithoutWitnessIT extends IntegrationTest {

    @Test
    void aFileStoredWithInMemoryHasNoProofOfExistence() {
        ApiClient api = as("bytes");
        UUID id = uploadRaw(api, createBoefjeMeta(api, "org-a", Instant.parse("2023-01-01T00:00:00Z")), "f", "x".getBytes(), "text/plain");

        ApiClient.Response response = api.get("/bytes/raw/" + id + "/proof");
        assertProblem(response, 404);
        assertThat(response.json().get("detail").asText()).contains("IN_MEMORY");
        assertThat(count("raw_file_proof")).isZero();
    }

    /** A file moved from Bytes keeps the link its PASTEBIN repository gave (bytekeep import-bytes): shown, not parsed. */
    @Test
    void aFileWitnessedByAnotherServiceShowsItsLinkAndAnUnreadableTokenIsAnIntegrityFailure() {
        ApiClient api = as("bytes");
        UUID pasted = uploadRaw(api, createBoefjeMeta(api, "org-a", Instant.parse("2023-01-01T00:00:00Z")), "f", "x".getBytes(), "text/plain");
        jdbc.update("update raw_file set signing_provider_url = 'https://pastebin.com', hash_retrieval_link = "
                + "'https://pastebin.com/raw/k3Fz9q' where id = ?", pasted);

        ApiClient.Response response = api.get("/bytes/raw/" + pasted + "/proof");
        assertProblem(response, 404);
        assertThat(response.json().get("detail").asText()).contains("https://pastebin.com").contains("hash_retrieval_link");

        UUID broken = uploadRaw(api, createBoefjeMeta(api, "org-a", Instant.parse("2023-01-01T00:00:00Z")), "g", "y".getBytes(), "text/plain");
        jdbc.update("update raw_file set signing_provider_url = 'https://tsa.example.org', hash_retrieval_link = 'AAAA' where id = ?", broken);
        assertProblem(api.get("/bytes/raw/" + broken + "/proof"), 500);
    }
}
