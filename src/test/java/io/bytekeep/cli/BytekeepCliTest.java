package io.bytekeep.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.bytekeep.custody.CustodyKeys;
import io.bytekeep.custody.chain.CustodyChain;
import io.bytekeep.custody.chain.CustodyLink;
import io.bytekeep.custody.chain.InputHash;
import io.bytekeep.custody.chain.LinkSignatures;
import io.bytekeep.platform.web.ApiJson;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bytekeep custody verify} run in-process through picocli, on chain JSON in the API's dialect. */
class BytekeepCliTest {

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyPair custodian = CustodyKeys.generate("Ed25519");
    private final KeyPair station = CustodyKeys.generate("P-256");
    private final UUID caseId = UUID.randomUUID();
    private final List<CustodyLink> links = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    BytekeepCliTest() {
        String secureHash = "sha512:" + "cd".repeat(64);
        links.add(LinkSignatures.sign(caseId, new CustodyLink(0, "bytekeep", CustodyLink.INGEST, "",
                InputHash.of(secureHash, "alice", "s1"), CustodyLink.metadata(Map.of("secure_hash", secureHash,
                        "user_id", "alice", "session_id", "s1")), null), custodian.getPrivate()));
        for (int i = 1; i <= 2; i++) {
            links.add(LinkSignatures.sign(caseId, new CustodyLink(i, "station-a", CustodyLink.STEP,
                    links.get(i - 1).signature(), "sha256:" + String.valueOf(i).repeat(64), CustodyLink.metadata(Map.of()),
                    null), station.getPrivate()));
        }
    }

    @Test
    void aValidChainExitsZero() throws Exception {
        Path chain = writeChain(links);
        Path keys = Files.createDirectory(dir.resolve("keys"));
        Files.writeString(keys.resolve("bytekeep.pem"), CustodyKeys.toPem(custodian.getPublic()));
        Files.writeString(keys.resolve("station-a.pem"), CustodyKeys.toPem(station.getPublic()));

        int exit = run("custody", "verify", "--chain", chain.toString(), "--keys", keys.toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("valid: case " + caseId + ", 3 links");
    }

    @Test
    void aForgedLinkIsNamedAndExitsOne() throws Exception {
        CustodyLink original = links.get(1);
        links.set(1, new CustodyLink(1, original.stationId(), original.kind(), original.previousSignature(),
                "sha256:" + "f".repeat(64), original.metadata(), original.signature()));
        Path keys = dir.resolve("keys.json");
        Files.writeString(keys, new ApiJson().mapper().writeValueAsString(Map.of(
                "bytekeep", CustodyKeys.toPem(custodian.getPublic()), "station-a", CustodyKeys.toPem(station.getPublic()))));

        int exit = run("custody", "verify", "--chain", writeChain(links).toString(), "--keys", keys.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("first broken link 1:").contains("station 'station-a'");
    }

    @Test
    void jsonCarriesTheVerdictAndNothingElse() throws Exception {
        Path keys = Files.createDirectory(dir.resolve("keys"));
        Files.writeString(keys.resolve("bytekeep.pem"), CustodyKeys.toPem(custodian.getPublic()));
        Files.writeString(keys.resolve("station-a.pem"), CustodyKeys.toPem(station.getPublic()));

        assertThat(run("custody", "verify", "--chain", writeChain(links).toString(), "--keys", keys.toString(), "--json"))
                .isZero();
        JsonNode valid = JSON.readTree(out.toString());
        assertThat(valid.get("verdict").asText()).isEqualTo("valid");
        assertThat(valid.get("valid").asBoolean()).isTrue();
        assertThat(valid.get("case_id").asText()).isEqualTo(caseId.toString());
        assertThat(valid.get("links").asInt()).isEqualTo(3);
        assertThat(valid.has("first_broken_link")).isFalse();
        assertThat(out.toString().strip().lines()).hasSize(1);

        CustodyLink original = links.get(2);
        links.set(2, new CustodyLink(2, original.stationId(), original.kind(), original.previousSignature(),
                "sha256:" + "e".repeat(64), original.metadata(), original.signature()));
        out.getBuffer().setLength(0);
        assertThat(run("custody", "verify", "--chain", writeChain(links).toString(), "--keys", keys.toString(), "--json"))
                .isEqualTo(1);
        JsonNode broken = JSON.readTree(out.toString());
        assertThat(broken.get("verdict").asText()).isEqualTo("broken");
        assertThat(broken.get("valid").asBoolean()).isFalse();
        assertThat(broken.get("links").asInt()).isEqualTo(3);
        assertThat(broken.get("first_broken_link").get("index").asInt()).isEqualTo(2);
        assertThat(broken.get("first_broken_link").get("reason").asText()).contains("station 'station-a'");

        out.getBuffer().setLength(0);
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{not json");
        assertThat(run("custody", "verify", "--chain", garbage.toString(), "--keys", keys.toString(), "--json")).isEqualTo(2);
        JsonNode unreadable = JSON.readTree(out.toString());
        assertThat(unreadable.get("error").asText()).startsWith("cannot read the input");
        assertThat(unreadable.get("exit_code").asInt()).isEqualTo(2);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void unreadableInputExitsTwo() throws Exception {
        Path garbage = Files.writeString(dir.resolve("chain.json"), "{not json");

        assertThat(run("custody", "verify", "--chain", garbage.toString(), "--keys", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read the input");
        assertThat(run("custody", "verify", "--chain", "missing.json")).isEqualTo(2); // --keys missing: usage error
    }

    private Path writeChain(List<CustodyLink> chainLinks) throws Exception {
        Path file = dir.resolve("chain-" + UUID.randomUUID() + ".json");
        // what GET /custody/cases/{id}/chain answers: the API's JSON dialect, with fields the CLI does not need
        Map<String, Object> view = new java.util.LinkedHashMap<>(new ApiJson().mapper().convertValue(
                new CustodyChain(caseId, chainLinks.size(), chainLinks), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }));
        view.put("organization", "org-a");
        Files.write(file, new ApiJson().mapper().writeValueAsBytes(view));
        return file;
    }

    private int run(String... args) {
        CommandLine cli = BytekeepCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
