package io.bytekeep.vault;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Routes of routes/vault-meta.camel.yaml over HTTP: boefje meta and normalizer meta as Bytes serves them. */
public class VaultMetaRoutesIT extends IntegrationTest {

    private static final Instant ENDED = Instant.parse("2022-01-01T00:00:00Z");

    @Test
    void boefjeMetaIsStoredOnceAndReadBackAsWritten() throws Exception {
        ApiClient api = as("bytes");
        UUID id = UUID.randomUUID();
        Map<String, Object> meta = boefjeMeta(id, "org-a", ENDED);

        ApiClient.Response created = api.postJson("/bytes/boefje_meta", meta);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("status").asText()).isEqualTo("success");

        // Bytes' body for a duplicate (bytes/bytes/api/router.py create_boefje_meta), problem+json when asked for
        ApiClient.Response again = api.postJson("/bytes/boefje_meta", meta);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.contentType()).startsWith("application/json");
        assertThat(again.text()).isEqualTo("{\"status\":\"failed\",\"message\":\"Integrity error: object might already exist\"}");
        ApiClient.Response asProblem = api.send("POST", "/bytes/boefje_meta", Map.of("Authorization", "Bearer " + api.token(),
                "Content-Type", "application/json", "Accept", "application/problem+json"), new ObjectMapper().writeValueAsBytes(meta));
        assertProblem(asProblem, 400);

        JsonNode read = api.get("/bytes/boefje_meta/" + id).json();
        assertThat(read.get("id").asText()).isEqualTo(id.toString());
        assertThat(read.get("boefje").get("id").asText()).isEqualTo("dns-records");
        assertThat(read.get("boefje").get("version").asText()).isEqualTo("1.2");
        assertThat(read.get("input_ooi").asText()).isEqualTo("Hostname|internet|example.org");
        assertThat(read.get("arguments").get("domain").asText()).isEqualTo("example.org");
        assertThat(read.get("organization").asText()).isEqualTo("org-a");
        assertThat(read.get("runnable_hash").asText()).isEqualTo("a1b2c3");
        assertThat(read.get("environment").get("TIMEOUT").asText()).isEqualTo("30");
        assertThat(Instant.parse(read.get("ended_at").asText())).isEqualTo(ENDED);
        assertThat(Instant.parse(read.get("started_at").asText())).isEqualTo(ENDED.minusSeconds(10));
        assertThat(count("boefje_meta")).isEqualTo(1);
    }

    @Test
    void unknownBoefjeMetaIs404() {
        ApiClient.Response response = as("bytes").get("/bytes/boefje_meta/" + UUID.randomUUID());
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("title").asText()).isEqualTo("Not Found");
    }

    @Test
    void listingFiltersOrdersAndPages() {
        ApiClient api = as("bytes");
        UUID first = createBoefjeMeta(api, "org-a", ENDED);
        UUID second = createBoefjeMeta(api, "org-a", ENDED.plusSeconds(60));
        UUID other = createBoefjeMeta(api, "org-b", ENDED.plusSeconds(120));

        assertThat(ids(api.get("/bytes/boefje_meta?organization=org-a&limit=10&input_ooi=*").json())).containsExactly(second, first);
        assertThat(ids(api.get("/bytes/boefje_meta?organization=org-a&limit=10&descending=false&input_ooi=*").json())).containsExactly(first, second);
        assertThat(ids(api.get("/bytes/boefje_meta?organization=org-a&input_ooi=*").json())).containsExactly(second);
        assertThat(ids(api.get("/bytes/boefje_meta?organization=org-a&limit=1&offset=1&input_ooi=*").json())).containsExactly(first);
        assertThat(ids(api.get("/bytes/boefje_meta?organization=org-a&organization=org-b&boefje_id=dns-records&limit=10&input_ooi=*").json()))
                .containsExactly(other, second, first);
        assertThat(ids(api.get("/bytes/boefje_meta?organization=org-a&boefje_id=nmap&limit=10&input_ooi=*").json())).isEmpty();
        assertThat(ids(api.get("/bytes/boefje_meta?organization=org-a&input_ooi=Hostname%7Cinternet%7Cexample.org&limit=10").json()))
                .hasSize(2);
        // bytes/bytes/database/sql_meta_repository.py get_boefje_meta: "*" is any input OOI, none at all only metas without one
        assertThat(ids(api.get("/bytes/boefje_meta?organization=org-a&input_ooi=*&limit=10").json())).containsExactly(second, first);
        assertThat(ids(api.get("/bytes/boefje_meta?organization=org-a&limit=10&input_ooi=").json())).isEmpty();
        assertThat(api.get("/bytes/boefje_meta?organization=org-a&limit=many").status()).isEqualTo(422);
        // bytes/bytes/api/router.py get_boefje_meta: organization is a required parameter
        assertThat(api.get("/bytes/boefje_meta?limit=10").status()).isEqualTo(422);
    }

    @Test
    void tokensSeeOnlyTheirOrganisations() {
        UUID ofA = createBoefjeMeta(as("alice"), "org-a", ENDED);
        UUID ofB = createBoefjeMeta(as("bob"), "org-b", ENDED);
        ApiClient alice = as("alice");

        assertThat(alice.get("/bytes/boefje_meta/" + ofA).status()).isEqualTo(200);
        assertThat(alice.get("/bytes/boefje_meta/" + ofB).status()).isEqualTo(404);
        assertThat(ids(alice.get("/bytes/boefje_meta?organization=org-a&organization=org-b&input_ooi=*&limit=10").json())).containsExactly(ofA);
        assertThat(ids(alice.get("/bytes/boefje_meta?organization=org-b&input_ooi=*&limit=10").json())).isEmpty();
        assertThat(alice.postJson("/bytes/boefje_meta", boefjeMeta(UUID.randomUUID(), "org-b", ENDED)).status()).isEqualTo(404);
        assertThat(count("boefje_meta")).isEqualTo(2);
    }

    @Test
    void badMetadataIsRejectedWithProblemsAndNothingIsWritten() {
        ApiClient api = as("bytes");
        Map<String, Object> naive = new java.util.HashMap<>(boefjeMeta(UUID.randomUUID(), "org-a", ENDED));
        naive.put("ended_at", "2022-01-01T00:00:00");
        Map<String, Object> badOrganisation = new java.util.HashMap<>(boefjeMeta(UUID.randomUUID(), "org a/../x", ENDED));
        Map<String, Object> noBoefje = new java.util.HashMap<>(boefjeMeta(UUID.randomUUID(), "org-a", ENDED));
        noBoefje.remove("boefje");

        assertProblem(api.postJson("/bytes/boefje_meta", naive), 422);
        assertProblem(api.postJson("/bytes/boefje_meta", badOrganisation), 422);
        assertProblem(api.postJson("/bytes/boefje_meta", noBoefje), 422);
        assertProblem(api.post("/bytes/boefje_meta", "application/json", "{\"id\": ".getBytes()), 422);
        assertProblem(api.post("/bytes/boefje_meta", "text/plain", "{}".getBytes()), 415);
        assertProblem(api.post("/bytes/boefje_meta", "application/json", new byte[3 * 1024 * 1024]), 413);
        assertThat(count("boefje_meta")).isZero();
    }

    @Test
    void normalizerMetaRefersToAVisibleRawFile() {
        ApiClient api = as("bytes");
        UUID boefjeMetaId = createBoefjeMeta(api, "org-a", ENDED);
        UUID rawId = uploadRaw(api, boefjeMetaId, "out", "data".getBytes(), "boefje/dns-records");
        JsonNode rawMeta = api.get("/bytes/raw/" + rawId + "/meta").json();
        UUID id = UUID.randomUUID();
        Map<String, Object> normalizerMeta = Map.of(
                "id", id.toString(),
                "started_at", ENDED.plusSeconds(5).toString(),
                "ended_at", ENDED.plusSeconds(6).toString(),
                "raw_data", rawMeta,
                "normalizer", Map.of("id", "kat_dns_normalize", "version", "2"));

        assertThat(api.postJson("/bytes/normalizer_meta", normalizerMeta).status()).isEqualTo(201);
        assertThat(api.postJson("/bytes/normalizer_meta", normalizerMeta).status()).isEqualTo(400);

        JsonNode read = api.get("/bytes/normalizer_meta/" + id).json();
        assertThat(read.get("normalizer").get("id").asText()).isEqualTo("kat_dns_normalize");
        assertThat(read.get("raw_data").get("id").asText()).isEqualTo(rawId.toString());
        assertThat(read.get("raw_data").get("boefje_meta").get("id").asText()).isEqualTo(boefjeMetaId.toString());
        assertThat(read.get("raw_data").get("mime_types").get(0).get("value").asText()).isEqualTo("boefje/dns-records");

        assertThat(api.get("/bytes/normalizer_meta?organization=org-a&normalizer_id=kat_dns_normalize&limit=5").json()).hasSize(1);
        assertThat(api.get("/bytes/normalizer_meta?organization=org-a&raw_id=" + rawId + "&limit=5").json()).hasSize(1);
        assertThat(api.get("/bytes/normalizer_meta?organization=org-a&raw_id=" + UUID.randomUUID() + "&limit=5").json()).isEmpty();
        assertThat(api.get("/bytes/normalizer_meta?limit=5").status()).isEqualTo(422);
        assertThat(as("bob").get("/bytes/normalizer_meta/" + id).status()).isEqualTo(404);
        assertThat(as("bob").get("/bytes/normalizer_meta?organization=org-a&limit=5").json()).isEmpty();

        Map<String, Object> dangling = Map.of("id", UUID.randomUUID().toString(), "started_at", ENDED.toString(),
                "ended_at", ENDED.toString(), "raw_data", Map.of("id", UUID.randomUUID().toString()), "normalizer", Map.of("id", "x"));
        // Bytes' foreign key: 400 with its integrity body, also for a raw file of an organisation the caller cannot see
        assertThat(api.postJson("/bytes/normalizer_meta", dangling).status()).isEqualTo(400);
        Map<String, Object> foreign = new java.util.HashMap<>(normalizerMeta);
        foreign.put("id", UUID.randomUUID().toString());
        assertThat(as("bob").postJson("/bytes/normalizer_meta", foreign).json().get("status").asText()).isEqualTo("failed");
        assertThat(count("normalizer_meta")).isEqualTo(1);
    }

    private static List<UUID> ids(JsonNode array) {
        List<UUID> ids = new java.util.ArrayList<>();
        array.forEach(node -> ids.add(UUID.fromString(node.get("id").asText())));
        return ids;
    }

    public static void assertProblem(ApiClient.Response response, int status) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(problem.get("type").asText()).startsWith("urn:bytekeep:problem:");
    }
}
