package io.bytekeep.conformance;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import io.bytekeep.cli.BytekeepCli;
import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;
import io.bytekeep.support.ProdEnvironment;
import picocli.CommandLine;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bytekeep import-bytes} moves the Bytes deployment that Bytes' own code wrote (BytesFixture) into Bytekeep on
 * PostgreSQL, over real HTTP, from each of Bytes' raw repositories: the file repository and the S3 repository (bucket
 * per organisation and one bucket, on an S3 API server of "Bytes'" own), each with IDENTITY and NACL_SEALBOX. After
 * the import every meta and raw file answers through the Bytes API as Bytes answered (ids, secure_hash, links, mime
 * types, bytes); a changed or missing file is reported and not imported; a rerun creates nothing twice.
 */
class BytesImportIT extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BYTES_S3_ACCESS = "bytes-access";
    private static final String BYTES_S3_SECRET = "bytes-secret-0123456789";

    private static EmbeddedS3Server bytesS3;
    private static String dbUri;

    @TempDir
    Path dir;

    @Autowired
    S3Client s3;

    @Value("${bytekeep.storage.raw-bucket}")
    String rawBucket;

    private Path session;

    record Run(int exitCode, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out + " / " + err, e);
            }
        }
    }

    @BeforeAll
    static void bytesDeployment() throws Exception {
        dbUri = BytesFixture.restoreDatabase("bytes_import");
        bytesS3 = new EmbeddedS3Server(EmbeddedS3Server.Backend.TRANSIENT, null, 0, BYTES_S3_ACCESS, BYTES_S3_SECRET);
        bytesS3.start();
        try (S3Client client = ProdEnvironment.s3Client(bytesS3.endpoint(), BYTES_S3_ACCESS, BYTES_S3_SECRET)) {
            BytesFixture.uploadS3(client, "bytes-");
        }
    }

    @AfterAll
    static void stopBytesS3() {
        bytesS3.stop();
    }

    @BeforeEach
    void login() {
        session = dir.resolve("session");
        Run login = cli("login", "--server", "http://127.0.0.1:" + port, "--user", "bytes", "--password", "test-password-bytes");
        assertThat(login.exitCode()).as(login.err()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "file repository IDENTITY, file-identity, IDENTITY",
            "file repository NACL_SEALBOX, file-nacl, NACL_SEALBOX",
            "S3 bucket per organisation IDENTITY, bytes-identity-, IDENTITY",
            "S3 bucket per organisation NACL_SEALBOX, bytes-nacl-, NACL_SEALBOX",
            "S3 one bucket IDENTITY, bytes-identity, IDENTITY",
            "S3 one bucket NACL_SEALBOX, bytes-nacl, NACL_SEALBOX"})
    void everyMetaAndRawFileAnswersAsInBytes(String name, String repository, String middleware) throws Exception {
        long objectsBefore = rawObjects();

        Run run = importBytes(repository, middleware);

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        JsonNode summary = run.json();
        assertThat(summary.path("boefje_meta").path("created").asLong()).isEqualTo(5);
        assertThat(summary.path("raw_file").path("created").asLong()).isEqualTo(7);
        assertThat(summary.path("normalizer_meta").path("created").asLong()).isEqualTo(4);
        assertThat(summary.path("problems")).isEmpty();
        assertThat(summary.path("events_published").asBoolean()).isFalse();
        BytesFixture.assertAnswersAsInBytes(as("bytes"));
        assertThat(count("outbox_event")).as("no RawFileReceived without --publish-events").isZero();
        assertThat(rawObjects() - objectsBefore).as("one object per raw file").isEqualTo(7);
    }

    @Test
    void aRerunCreatesNothingTwice() throws Exception {
        Run first = importBytes("file-identity", "IDENTITY");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        long objects = rawObjects();
        Map<String, Long> rows = rowCounts();

        Run second = importBytes("file-identity", "IDENTITY");

        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        JsonNode summary = second.json();
        for (String kind : List.of("boefje_meta", "raw_file", "normalizer_meta")) {
            assertThat(summary.path(kind).path("created").asLong()).as(kind + " created").isZero();
            assertThat(summary.path(kind).path("present").asLong()).as(kind + " present")
                    .isEqualTo(summary.path(kind).path("total").asLong());
        }
        assertThat(rowCounts()).isEqualTo(rows);
        assertThat(rawObjects()).isEqualTo(objects);
        BytesFixture.assertAnswersAsInBytes(as("bytes"));
    }

    @Test
    void aChangedOrMissingFileIsReportedAndNotImportedUntilItIsBack() throws Exception {
        List<JsonNode> raws = BytesFixture.answers("raw_meta");
        JsonNode changed = raws.get(0);   // has a normalizer meta
        JsonNode missing = raws.get(6);   // has a normalizer meta
        Path dataDir = BytesFixture.copyDataDir("file-identity", dir.resolve("data"));
        Path changedFile = file(dataDir, changed);
        byte[] original = Files.readAllBytes(changedFile);
        byte[] tampered = original.clone();
        tampered[tampered.length / 2] ^= 1;
        Files.write(changedFile, tampered);
        Path missingFile = file(dataDir, missing);
        Path moved = Files.move(missingFile, dir.resolve("moved-away"));

        Run run = importBytes(dataDir, "IDENTITY", "--json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        JsonNode summary = run.json();
        assertThat(summary.path("raw_file").path("created").asLong()).isEqualTo(5);
        assertThat(summary.path("raw_file").path("not_moved").asLong()).isEqualTo(2);
        assertThat(summary.path("normalizer_meta").path("created").asLong()).isEqualTo(2);
        assertThat(summary.path("problem_counts")).isEqualTo(JSON.readTree("{\"hash_mismatch\": 1, \"missing\": 1, \"skipped\": 2}"));
        Map<UUID, JsonNode> problems = new LinkedHashMap<>();
        summary.path("problems").forEach(problem -> problems.put(UUID.fromString(problem.path("id").asText()), problem));
        assertThat(problems.get(BytesFixture.id(changed)).path("status").asText()).isEqualTo("hash_mismatch");
        assertThat(problems.get(BytesFixture.id(changed)).path("detail").asText()).contains(changed.path("secure_hash").asText());
        assertThat(problems.get(BytesFixture.id(missing)).path("status").asText()).isEqualTo("missing");
        assertThat(problems.get(BytesFixture.id(missing)).path("detail").asText()).contains(missingFile.toString());
        ApiClient api = as("bytes");
        assertThat(api.get("/bytes/raw/" + BytesFixture.id(changed) + "/meta").status()).isEqualTo(404);
        assertThat(api.get("/bytes/raw/" + BytesFixture.id(missing) + "/meta").status()).isEqualTo(404);
        assertThat(jdbc.queryForObject("select count(*) from raw_file where id in (?, ?)", Long.class,
                BytesFixture.id(changed), BytesFixture.id(missing))).isZero();

        Run human = importBytes(dataDir, "IDENTITY");
        assertThat(human.exitCode()).isEqualTo(1);
        assertThat(human.out()).contains("raw files:", "hash_mismatch", "missing", BytesFixture.id(changed).toString());

        Files.write(changedFile, original);
        Files.move(moved, missingFile);
        Run rerun = importBytes(dataDir, "IDENTITY", "--json");

        assertThat(rerun.exitCode()).as(rerun.out() + rerun.err()).isZero();
        assertThat(rerun.json().path("raw_file").path("created").asLong()).isEqualTo(2);
        assertThat(rerun.json().path("raw_file").path("present").asLong()).isEqualTo(5);
        BytesFixture.assertAnswersAsInBytes(as("bytes"));
    }

    @Test
    void aNaclBoxThatDoesNotOpenIsReported() throws Exception {
        JsonNode changed = BytesFixture.answers("raw_meta").get(3);
        Path dataDir = BytesFixture.copyDataDir("file-nacl", dir.resolve("data"));
        Path file = file(dataDir, changed);
        byte[] box = Files.readAllBytes(file);
        box[box.length - 1] ^= 1;
        Files.write(file, box);

        Run run = importBytes(dataDir, "NACL_SEALBOX", "--json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        JsonNode problem = run.json().path("problems").get(0);
        assertThat(problem.path("id").asText()).isEqualTo(changed.path("id").asText());
        assertThat(problem.path("status").asText()).isEqualTo("undecryptable");
        assertThat(problem.path("detail").asText()).contains(file.toString(), "authentication");
        assertThat(run.json().path("raw_file").path("created").asLong()).isEqualTo(6);
        try (var spooled = Files.list(dir.resolve("work"))) {
            assertThat(spooled).as("no spooled box is left behind").isEmpty();
        }
    }

    @Test
    void eventsArePublishedOnlyWhenAskedAndOnlyForFilesCreated() throws Exception {
        Run run = importBytes(BytesFixture.copyDataDir("file-identity", dir.resolve("data")), "IDENTITY", "--json",
                "--publish-events");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.json().path("events_published").asBoolean()).isTrue();
        List<String> payloads = jdbc.queryForList("select payload from outbox_event", String.class);
        assertThat(payloads).hasSize(7);
        List<String> announced = new ArrayList<>();
        for (String payload : payloads) {
            JsonNode event = JSON.readTree(payload);
            assertThat(event.path("event_id").asText()).isEqualTo("raw_file_received");
            announced.add(event.path("raw_data").path("id").asText());
            assertThat(event.path("raw_data").path("secure_hash").asText()).startsWith("sha");
        }
        assertThat(announced).containsExactlyInAnyOrderElementsOf(
                BytesFixture.answers("raw_meta").stream().map(raw -> raw.path("id").asText()).toList());

        Run rerun = importBytes(dir.resolve("data"), "IDENTITY", "--json", "--publish-events");
        assertThat(rerun.exitCode()).isZero();
        assertThat(count("outbox_event")).as("a rerun announces nothing again").isEqualTo(7);
    }

    /** Bytekeep may run on Bytes' own database with its tables in schema bytekeep: Bytes' tables are read from public. */
    @Test
    void bytesTablesAreReadFromPublicWhereBytekeepsSchemaComesFirst() throws Exception {
        String shared = BytesFixture.restoreDatabase("bytes_shared");
        String database = shared.substring(shared.lastIndexOf('/') + 1);
        BytesFixture.execute(database, "create schema bytekeep; "
                + "create table bytekeep.boefje_meta (like public.boefje_meta); create table bytekeep.raw_file (like public.raw_file); "
                + "create table bytekeep.normalizer_meta (like public.normalizer_meta); "
                + "create table bytekeep.signing_provider (like public.signing_provider)");
        Path dataDir = BytesFixture.copyDataDir("file-identity", dir.resolve("data"));

        Run run = cli("import-bytes", "--bytes-env", bytesEnv("IDENTITY").toString(), "--data-dir", dataDir.toString(),
                "--db-uri", shared + "?options=-c%20search_path%3Dbytekeep,public", "--json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.json().path("raw_file").path("created").asLong()).isEqualTo(7);
        BytesFixture.assertAnswersAsInBytes(as("bytes"));
    }

    @Test
    void aUserWithoutTheAdminRoleMovesNothing() throws Exception {
        Run login = cli("login", "--server", "http://127.0.0.1:" + port, "--user", "alice", "--password", "test-password-alice");
        assertThat(login.exitCode()).isZero();

        Run run = importBytes("file-identity", "IDENTITY");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.json().path("error").asText()).contains("403", "admin role");
        assertThat(count("boefje_meta")).isZero();
    }

    // ---- helpers

    private Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : List.of("boefje_meta", "raw_file", "raw_file_mime_type", "normalizer_meta", "outbox_event")) {
            counts.put(table, count(table));
        }
        return counts;
    }

    private long rawObjects() {
        return s3.listObjectsV2Paginator(b -> b.bucket(rawBucket).prefix("raw/org-")).contents().stream().count();
    }

    private static Path file(Path dataDir, JsonNode raw) {
        String id = raw.path("id").asText();
        return dataDir.resolve(raw.path("boefje_meta").path("organization").asText()).resolve(id.substring(0, 3)).resolve(id);
    }

    /** Imports from a repository of the fixture: a file layout (copied) or a bucket prefix of Bytes' S3 server. */
    private Run importBytes(String repository, String middleware) throws IOException {
        if (repository.startsWith("file-")) {
            return importBytes(BytesFixture.copyDataDir(repository, dir.resolve("data-" + repository)), middleware, "--json");
        }
        List<String> s3 = new ArrayList<>(List.of("--s3-endpoint", bytesS3.endpoint().toString()));
        if (repository.endsWith("-")) {
            s3.addAll(List.of("--s3-bucket-prefix", repository));
        } else {
            s3.addAll(List.of("--s3-bucket", repository, "--bucket-per-org", "false"));
        }
        s3.add("--json");
        return importBytes(null, middleware, s3.toArray(String[]::new));
    }

    private Run importBytes(Path dataDir, String middleware, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("import-bytes", "--bytes-env", bytesEnv(middleware).toString(), "--work-dir",
                dir.resolve("work").toString()));
        if (dataDir != null) {
            args.addAll(List.of("--data-dir", dataDir.toString()));
        }
        args.addAll(List.of(more));
        return cli(args.toArray(String[]::new));
    }

    /** Bytes' env file as an operator has it: database, middleware and keys, S3 credentials. */
    private Path bytesEnv(String middleware) throws IOException {
        List<String> lines = new ArrayList<>(List.of("# Bytes' settings", "BYTES_DB_URI=" + dbUri,
                "BYTES_ENCRYPTION_MIDDLEWARE=" + middleware, "AWS_ACCESS_KEY_ID=" + BYTES_S3_ACCESS,
                "AWS_SECRET_ACCESS_KEY=\"" + BYTES_S3_SECRET + "\""));
        BytesFixture.naclKeys().forEach((name, value) -> lines.add(name + "=" + value));
        Path file = dir.resolve("bytes-" + middleware + ".env");
        Files.write(file, lines);
        return file;
    }

    private Run cli(String... args) {
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
