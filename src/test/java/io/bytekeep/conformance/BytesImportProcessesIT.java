package io.bytekeep.conformance;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.bytekeep.cli.BytekeepCli;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.ApplicationProcesses;
import io.bytekeep.support.TestServices;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code bytekeep import-bytes} into Bytekeep as operators run it, as separate processes: the embedded default (its
 * H2 database held by the running instance, so the import can only go through its API) and the prod profile
 * (PostgreSQL, RabbitMQ, S3). The Bytes deployment that Bytes' own code wrote answers through the Bytes API as Bytes
 * answered; and an import of a larger deployment killed with SIGKILL halfway and run again ends in the same state as
 * one that ran through: every file once, with its bytes, and no events.
 */
class BytesImportProcessesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RAWS = 600;

    @TempDir
    Path dir;

    private ApplicationProcesses processes;

    @AfterEach
    void stop() throws Exception {
        if (processes != null) {
            processes.killAll();
            processes.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "prod"})
    void bytesDeploymentMovesAndAKilledImportResumesToTheSameEnd(String profile) throws Exception {
        int port = start(profile);
        Path session = dir.resolve("session");
        assertThat(cli(session, "login", "--server", "http://127.0.0.1:" + port, "--user", ApplicationProcesses.USERNAME,
                "--password", ApplicationProcesses.PASSWORD).exitCode()).isZero();
        ApiClient api = new ApiClient(port).login(ApplicationProcesses.USERNAME, ApplicationProcesses.PASSWORD);

        // the deployment Bytes' own code wrote, NACL_SEALBOX in its file repository
        String fixtureDb = BytesFixture.restoreDatabase("import_" + profile);
        Path naclEnv = env("nacl.env", fixtureDb, "NACL_SEALBOX");
        Run fixture = cli(session, "import-bytes", "--bytes-env", naclEnv.toString(), "--data-dir",
                BytesFixture.copyDataDir("file-nacl", dir.resolve("fixture")).toString(), "--work-dir",
                dir.resolve("work").toString(), "--json");
        assertThat(fixture.exitCode()).as(fixture.out() + fixture.err()).isZero();
        BytesFixture.assertAnswersAsInBytes(api);

        // a larger one, imported by a process that is killed halfway
        Path dataDir = dir.resolve("generated");
        Map<UUID, byte[]> contents = BytesFixture.seedGenerated("import_kill_" + profile, dataDir, RAWS);
        Path env = env("generated.env", "postgresql://postgres@127.0.0.1:5432/" + TestServices.DATABASE + "_import_kill_" + profile,
                "IDENTITY");
        Process killed = importProcess(session, env, dataDir, "killed");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                .failFast("the import ended before it could be killed", () -> !killed.isAlive())
                .until(() -> rawIds(api).size() >= 50);
        ApplicationProcesses.kill(killed);
        int movedBeforeKill = rawIds(api).size();
        assertThat(movedBeforeKill).as("killed halfway").isBetween(50, RAWS - 1);

        Process rerun = importProcess(session, env, dataDir, "rerun");
        assertThat(rerun.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String rerunOut = Files.readString(dir.resolve("rerun.out"));
        assertThat(rerun.exitValue()).as(rerunOut + Files.readString(dir.resolve("rerun.err"))).isZero();
        JsonNode summary = JSON.readTree(rerunOut);
        JsonNode raws = summary.path("raw_file");
        assertThat(raws.path("created").asLong() + raws.path("present").asLong()).isEqualTo(RAWS);
        assertThat(raws.path("present").asLong()).as("what the killed run moved is not moved again")
                .isGreaterThanOrEqualTo(movedBeforeKill);
        assertThat(summary.path("problems")).isEmpty();

        List<String> ids = rawIds(api);
        assertThat(ids).hasSize(RAWS).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(asStrings(contents.keySet()));
        for (Map.Entry<UUID, byte[]> raw : contents.entrySet()) {
            ApiClient.Response bytes = api.get("/bytes/raw/" + raw.getKey());
            assertThat(bytes.status()).as(bytes.text()).isEqualTo(200);
            assertThat(bytes.body()).as("bytes of " + raw.getKey()).isEqualTo(raw.getValue());
        }
        assertThat(api.get("/bytes/normalizer_meta?organization=kill-org&limit=10000").json()).hasSize(RAWS / 4);
        assertThat(queuedEvents()).as("no RawFileReceived events without --publish-events").isZero();

        Run again = cli(session, "import-bytes", "--bytes-env", env.toString(), "--data-dir", dataDir.toString(), "--json");
        assertThat(again.exitCode()).isZero();
        assertThat(again.json().path("raw_file").path("present").asLong()).isEqualTo(RAWS);
        assertThat(rawIds(api)).hasSize(RAWS);
    }

    // ---- helpers

    private int start(String profile) throws Exception {
        int port = TestServices.freePort();
        if (profile.equals("embedded")) {
            processes = ApplicationProcesses.embedded("import_bytes", "import-bytes-embedded");
        } else {
            TestServices.emptyVault();
            processes = ApplicationProcesses.prod("import_bytes", "import-bytes-prod");
            ConnectionFactory rabbit = new ConnectionFactory();
            rabbit.setHost("127.0.0.1");
            try (var connection = rabbit.newConnection(); Channel channel = connection.createChannel()) {
                channel.queueDeclare(processes.rawFileReceivedQueue(), true, false, false, null);
                channel.queuePurge(processes.rawFileReceivedQueue());
            }
        }
        processes.start(profile, port, Map.of());
        return port;
    }

    private static List<String> rawIds(ApiClient api) {
        List<String> ids = new ArrayList<>();
        BytesFixture.ok(api.get("/bytes/raw?organization=kill-org&limit=100000")).forEach(raw -> ids.add(raw.path("id").asText()));
        return ids;
    }

    /** RawFileReceived events waiting in the instance's broker (a queue that was never declared has none). */
    private long queuedEvents() throws Exception {
        ConnectionFactory rabbit = new ConnectionFactory();
        rabbit.setHost("127.0.0.1");
        rabbit.setPort(processes.amqpPort());
        try (var connection = rabbit.newConnection(); Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(processes.rawFileReceivedQueue()).getMessageCount();
        } catch (IOException notDeclared) {
            return 0;
        }
    }

    /** bin/bytekeep's main class in a JVM of its own, so that it can be killed. */
    private Process importProcess(Path session, Path env, Path dataDir, String name) throws IOException {
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), BytekeepCli.class.getName(), "import-bytes", "--config-dir",
                session.toString(), "--bytes-env", env.toString(), "--data-dir", dataDir.toString(), "--parallel", "2", "--json");
        return new ProcessBuilder(command).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    private Path env(String name, String dbUri, String middleware) throws IOException {
        List<String> lines = new ArrayList<>(List.of("BYTES_DB_URI=" + dbUri, "BYTES_ENCRYPTION_MIDDLEWARE=" + middleware));
        BytesFixture.naclKeys().forEach((key, value) -> lines.add(key + "=" + value));
        return Files.write(dir.resolve(name), lines);
    }

    private static Set<String> asStrings(Set<UUID> ids) {
        Set<String> strings = new HashSet<>();
        ids.forEach(id -> strings.add(id.toString()));
        return strings;
    }

    private record Run(int exitCode, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    private static Run cli(Path session, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = BytekeepCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config-dir", session.toString()));
        return new Run(commandLine.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }
}
