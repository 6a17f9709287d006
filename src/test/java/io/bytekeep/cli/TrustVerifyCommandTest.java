package io.bytekeep.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.bytekeep.trust.HashBins;
import io.bytekeep.trust.InMemoryTrustStateStore;
import io.bytekeep.trust.TargetInfo;
import io.bytekeep.trust.TestTrustKeys;
import io.bytekeep.trust.TrustRepository;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bytekeep trust verify} in-process, against metadata served over real HTTP (the JDK's server). */
class TrustVerifyCommandTest {

    private static final String PATH = "version/v1/diagnosis-keys/country/DE/date/2026-11-20/hour/5";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private HttpServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void serveTheMetadata() throws Exception {
        TrustRepository repository = new TrustRepository(new HashBins(32), TestTrustKeys.keys(),
                TrustRepository.Expiries.defaults(), Clock.systemUTC(), new InMemoryTrustStateStore());
        TrustRepository.Update update = repository.planAll(Map.of(PATH, TargetInfo.of(bytes("archive"), null)));
        update.files().forEach(file -> files.put("/tuf/" + file.name(), file.bytes()));
        repository.commit(update);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void verifiesTheFileAndRejectsAnother() throws Exception {
        Path root = Files.write(dir.resolve("root.json"), files.get("/tuf/1.root.json"));
        Path good = Files.write(dir.resolve("5"), bytes("archive"));
        Path bad = Files.write(dir.resolve("5.bad"), bytes("archivf"));
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/tuf/";

        assertThat(run(base, root, good)).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("verified: " + PATH).contains("role " + new HashBins(32).binFor(PATH));

        assertThat(run(base, root, bad)).isEqualTo(TrustVerifyCommand.REJECTED);
        assertThat(out.toString()).contains("rejected: " + PATH).contains("does not match");

        files.remove("/tuf/timestamp.json");
        assertThat(run(base, root, good)).isEqualTo(TrustVerifyCommand.REJECTED);
        assertThat(out.toString()).contains("timestamp.json is not published");

        assertThat(run(base, dir.resolve("missing.json"), good)).isEqualTo(TrustVerifyCommand.UNREADABLE);
    }

    @Test
    void jsonCarriesTheVerdictAndNothingElse() throws Exception {
        Path root = Files.write(dir.resolve("root.json"), files.get("/tuf/1.root.json"));
        Path good = Files.write(dir.resolve("5"), bytes("archive"));
        Path bad = Files.write(dir.resolve("5.bad"), bytes("archivf"));
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/tuf/";

        assertThat(run(base, root, good, "--json")).as(err.toString()).isZero();
        JsonNode verified = JSON.readTree(out.toString());
        assertThat(verified.get("verdict").asText()).isEqualTo("verified");
        assertThat(verified.get("verified").asBoolean()).isTrue();
        assertThat(verified.get("target").asText()).isEqualTo(PATH);
        assertThat(verified.get("length").asLong()).isEqualTo(7);
        assertThat(verified.get("sha256").asText()).isEqualTo(TargetInfo.of(bytes("archive"), null).sha256());
        assertThat(verified.get("role").asText()).isEqualTo(new HashBins(32).binFor(PATH));
        assertThat(verified.get("role_version").asInt()).isEqualTo(1);
        assertThat(verified.get("snapshot_version").asInt()).isEqualTo(1);
        assertThat(out.toString().strip().lines()).hasSize(1);

        out.getBuffer().setLength(0);
        assertThat(run(base, root, bad, "--json")).isEqualTo(TrustVerifyCommand.REJECTED);
        JsonNode rejected = JSON.readTree(out.toString());
        assertThat(rejected.get("verdict").asText()).isEqualTo("rejected");
        assertThat(rejected.get("verified").asBoolean()).isFalse();
        assertThat(rejected.get("target").asText()).isEqualTo(PATH);
        assertThat(rejected.get("reason").asText()).contains("does not match");

        out.getBuffer().setLength(0);
        assertThat(run(base, dir.resolve("missing.json"), good, "--json")).isEqualTo(TrustVerifyCommand.UNREADABLE);
        JsonNode unreadable = JSON.readTree(out.toString());
        assertThat(unreadable.get("error").asText()).startsWith("cannot verify " + PATH);
        assertThat(unreadable.get("exit_code").asInt()).isEqualTo(TrustVerifyCommand.UNREADABLE);
        assertThat(err.toString()).isEmpty();
    }

    private int run(String base, Path root, Path file, String... more) {
        List<String> args = new ArrayList<>(List.of("trust", "verify", "--metadata-url", base, "--root", root.toString(),
                "--target", PATH, "--file", file.toString()));
        args.addAll(List.of(more));
        return BytekeepCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args.toArray(String[]::new));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
