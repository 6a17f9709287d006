package io.bytekeep.trust;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The command against metadata served over real HTTP (the JDK's server), as from the bucket's tuf/ folder. */
class TrustVerifyCommandTest {

    private static final String PATH = "version/v1/diagnosis-keys/country/DE/date/2026-11-20/hour/5";

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
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

        Result ok = run(base, root.toString(), PATH, good.toString());
        assertThat(ok.code).as(ok.err).isZero();
        assertThat(ok.out).contains("\"verified\":true").contains("\"role\":\"" + new HashBins(32).binFor(PATH) + "\"");

        Result rejected = run(base, root.toString(), PATH, bad.toString());
        assertThat(rejected.code).isEqualTo(1);
        assertThat(rejected.err).startsWith("REJECTED").contains("does not match");

        files.remove("/tuf/timestamp.json");
        assertThat(run(base, root.toString(), PATH, good.toString()).err).contains("timestamp.json is not published");
        assertThat(run(base).code).isEqualTo(2);
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TrustVerifyCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
