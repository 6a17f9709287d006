package io.bytekeep.platform.bytesenv;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.context.support.StandardServletEnvironment;
import software.amazon.awssdk.services.s3.S3Client;

import io.bytekeep.BytekeepApplication;
import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.ApplicationProcesses;
import io.bytekeep.support.ProdEnvironment;
import io.bytekeep.support.TestServices;
import io.bytekeep.vault.RawPacker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator swaps the Bytes container for Bytekeep and keeps the env file: Bytekeep started as a process of its own
 * with nothing but Bytes' environment variables (bytes/.ci/.env.test, pointed at this machine's PostgreSQL and
 * RabbitMQ, plus Bytes' data directory and NaCl keys), on a database that holds Bytes' tables as Bytes' own alembic
 * migrations leave them (src/test/resources/bytes/bytes-schema.sql) with rows in them. Bytekeep keeps its tables in the
 * schema bytekeep of that database and never touches Bytes'.
 */
class BytesEnvironmentIT {

    private static final Path DIRECTORY = Path.of("target", "bytes-environment-it");
    private static final String VIRTUAL_HOST = "/" + TestServices.DATABASE;
    /** A Bytes deployment's rows, ids as Bytes made them. */
    private static final UUID BYTES_BOEFJE_META = UUID.fromString("8f3a1c6e-0b7d-4c52-9e1f-2a6d5b4c3e21");
    private static final UUID BYTES_RAW_FILE = UUID.fromString("5b6e2b8e-9c1d-4f3a-8e7b-1d2c3b4a5f60");
    private static final UUID BYTES_NORMALIZER_META = UUID.fromString("c4d5e6f7-1a2b-4c3d-8e9f-0a1b2c3d4e5f");
    private static final String[] BYTES_TABLES = {"alembic_version", "signing_provider", "boefje_meta", "raw_file", "normalizer_meta"};

    private static String database;
    private static String bytesTablesBefore;
    private static Process bytekeep;
    private static int port;

    @BeforeAll
    static void bytekeepInPlaceOfBytes() throws Exception {
        database = TestServices.freshDatabase("bytes");
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(Files.readString(Path.of("src/test/resources/bytes/bytes-schema.sql")));
            statement.execute("insert into public.signing_provider (url) values ('https://freetsa.org/tsr')");
            statement.execute("insert into public.boefje_meta (id, boefje_id, boefje_version, organization, arguments, "
                    + "started_at, ended_at, input_ooi, environment, runnable_hash) values ('" + BYTES_BOEFJE_META
                    + "', 'dns-records', '1', 'acme', '{\"domain\": \"example.org\"}', '2025-11-14 10:00:00+00', "
                    + "'2025-11-14 10:00:05+00', 'Hostname|internet|example.org', '{}', 'a1b2')");
            statement.execute("insert into public.raw_file (id, secure_hash, hash_retrieval_link, boefje_meta_id, mime_types, "
                    + "signing_provider_id) values ('" + BYTES_RAW_FILE + "', 'sha512:00', 'token', '" + BYTES_BOEFJE_META
                    + "', '{boefje/dns-records}', 1)");
            statement.execute("insert into public.normalizer_meta (id, normalizer_id, normalizer_version, started_at, ended_at, "
                    + "raw_file_id) values ('" + BYTES_NORMALIZER_META + "', 'kat_dns_normalize', '1', '2025-11-14 10:01:00+00', "
                    + "'2025-11-14 10:01:01+00', '" + BYTES_RAW_FILE + "')");
        }
        bytesTablesBefore = bytesTables();
        rabbitmqctl("add_vhost", VIRTUAL_HOST);
        rabbitmqctl("set_permissions", "-p", VIRTUAL_HOST, "guest", ".*", ".*", ".*");

        FileSystemUtils.deleteRecursively(DIRECTORY);
        Files.createDirectories(DIRECTORY.resolve("data"));
        port = TestServices.freePort();
        List<String> command = ApplicationProcesses.javaCommand();
        // this machine's free ports, as arguments: the environment is Bytes' alone
        command.addAll(List.of("--server.port=" + port, "--bytekeep.embedded.s3.port=" + TestServices.freePort(),
                "--bytekeep.embedded.s3-exports.port=" + TestServices.freePort(), "--bytekeep.routes.reload-enabled=false"));
        bytekeep = ApplicationProcesses.launch(command, bytesEnvironment(), DIRECTORY.resolve("bytekeep.log").toFile(), port,
                process -> bytekeep = process);
    }

    /** bytes/.ci/.env.test with this machine's hosts (trust authentication: the password is not checked). */
    private static Map<String, String> bytesEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>(BytesVariablesTest.ciEnvironment());
        environment.put("QUEUE_URI", "amqp://guest:guest@127.0.0.1:5672/%2F" + TestServices.DATABASE);
        environment.put("BYTES_DB_URI", "postgresql://postgres:postgres@127.0.0.1:5432/" + database);
        environment.put("BYTES_DATA_DIR", DIRECTORY.resolve("data").toAbsolutePath().toString());
        environment.put("BYTES_ENCRYPTION_MIDDLEWARE", "NACL_SEALBOX");
        environment.put("BYTES_PRIVATE_KEY_B64", "WAcHQFlfUrj0KZlfAAQJ4GWT+qZs2tbGrlbPrhk/iF0=");
        environment.put("BYTES_PUBLIC_KEY_B64", "lxIzC+p49hvfGLMQ4m29+Q1tn7gMK5C7D/RMly5+om8=");
        return environment;
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (bytekeep != null) {
            bytekeep.destroy();
            if (!bytekeep.waitFor(60, TimeUnit.SECONDS)) {
                ApplicationProcesses.kill(bytekeep);
            }
        }
    }

    @Test
    void bytesCredentialsGiveATokenOfBytesLifetime() throws Exception {
        ApiClient api = new ApiClient(port);
        assertThat(api.token("test", "wrong").status()).isEqualTo(401);

        Instant before = Instant.now();
        ApiClient.Response token = api.token("test", "secret");
        assertThat(token.status()).as(token.text()).isEqualTo(200);
        // BYTES_ACCESS_TOKEN_EXPIRE_MINUTES=1000
        Instant expiresAt = OffsetDateTime.parse(token.json().get("expires_at").asText()).toInstant();
        assertThat(expiresAt).isBetween(before.plus(Duration.ofMinutes(1000)), Instant.now().plus(Duration.ofMinutes(1000)));
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.json().get("access_token").asText().split("\\.")[1]));
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(60_000);
        assertThat(claims.get("sub").asText()).isEqualTo("test");
    }

    @Test
    void aRawFileIsStoredInBytekeepsSchemaEncryptedWithBytesKeysAndAnnouncedOnBytesQueue() throws Exception {
        ApiClient api = new ApiClient(port).login("test", "secret");
        byte[] content = "dig +short example.org: 93.184.215.14".getBytes(StandardCharsets.UTF_8);
        String rawId = storeRawFile(api, content);

        assertThat(api.get("/bytes/raw/" + rawId).body()).isEqualTo(content);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            ResultSet row = statement.executeQuery("select encryption from bytekeep.raw_file where id = '" + rawId + "'");
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("NACL_SEALBOX");
        }
        // the embedded S3 server keeps it in Bytes' data directory, sealed (a small file: in a pack)
        String pack;
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            ResultSet row = statement.executeQuery("select storage_key from bytekeep.raw_file where id = '" + rawId + "'");
            assertThat(row.next()).isTrue();
            pack = row.getString(1);
        }
        String packName = pack.substring(pack.lastIndexOf('/') + 1);
        try (Stream<Path> files = Files.walk(DIRECTORY.resolve("data").resolve("s3"))) {
            Path object = files.filter(path -> path.getFileName().toString().equals(packName)).findFirst().orElseThrow();
            assertThat(new String(Files.readAllBytes(object), StandardCharsets.ISO_8859_1))
                    .doesNotContain(new String(content, StandardCharsets.ISO_8859_1));
            assertThat(Files.size(object)).isGreaterThan(content.length);
        }

        // RawFileReceived on raw_file_received in QUEUE_URI's virtual host (%2F<name> = "/<name>")
        CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
        connections.setVirtualHost(VIRTUAL_HOST);
        try {
            RabbitTemplate rabbit = new RabbitTemplate(connections);
            List<String> events = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                Message message = rabbit.receive("raw_file_received", 1000);
                if (message != null) {
                    events.add(new String(message.getBody(), StandardCharsets.UTF_8));
                }
                return events.stream().anyMatch(event -> event.contains(rawId));
            });
        } finally {
            connections.destroy();
        }
    }

    /**
     * Bytes kept its files in S3 (S3_BUCKET_PREFIX, boto3's AWS_* for endpoint and keys): Bytekeep then writes to that
     * S3 service, into its own bucket, and leaves Bytes' buckets alone. In this JVM, with the environment in place of
     * the process's.
     */
    @Test
    void withBytesS3StorageTheRawFilesGoToThatS3Service() throws Exception {
        EmbeddedS3Server s3 = ProdEnvironment.s3Server();
        s3.start();
        Map<String, String> environment = bytesEnvironment();
        environment.put("BYTES_DB_URI", "postgresql://postgres@127.0.0.1:5432/" + TestServices.freshDatabase("bytes_s3"));
        Path data = Files.createDirectories(DIRECTORY.resolve("s3-data"));
        environment.put("BYTES_DATA_DIR", data.toAbsolutePath().toString());
        environment.put("S3_BUCKET_PREFIX", "OpenKAT-");
        environment.put("AWS_ENDPOINT_URL", s3.endpoint().toString());
        environment.put("AWS_ACCESS_KEY_ID", ProdEnvironment.S3_ACCESS_KEY);
        environment.put("AWS_SECRET_ACCESS_KEY", ProdEnvironment.S3_SECRET_KEY);
        SpringApplication application = new SpringApplication(BytekeepApplication.class);
        application.setEnvironment(new StandardServletEnvironment() {
            @Override
            public Map<String, Object> getSystemEnvironment() {
                return Map.copyOf(environment);
            }
        });
        try (S3Client client = ProdEnvironment.s3Client(s3.endpoint());
             ConfigurableApplicationContext app = application.run("--server.port=0", "--bytekeep.embedded.s3-exports.port=0",
                     "--bytekeep.routes.reload-enabled=false")) {
            assertThat(app.containsBean("embeddedS3Server")).isFalse();
            ApiClient api = new ApiClient(((WebServerApplicationContext) app).getWebServer().getPort()).login("test", "secret");
            String rawId = storeRawFile(api, "dig +short example.org".getBytes(StandardCharsets.UTF_8));

            // a small file: in a pack of Bytekeep's bucket on that S3 service
            assertThat(client.listObjectsV2(request -> request.bucket("bytekeep-raw")).contents())
                    .anySatisfy(object -> assertThat(object.key()).startsWith(RawPacker.PACKS));
            assertThat(api.get("/bytes/raw/" + rawId).body()).isEqualTo("dig +short example.org".getBytes(StandardCharsets.UTF_8));
            assertThat(client.listBuckets().buckets()).noneMatch(bucket -> bucket.name().startsWith("OpenKAT"));
            assertThat(data.resolve("s3")).doesNotExist();
        } finally {
            s3.stop();
        }
    }

    @Test
    void bytesTablesStayAsTheyWereAndBytekeepsAreInTheirOwnSchema() throws Exception {
        ApiClient api = new ApiClient(port).login("test", "secret");
        // Bytes' rows are not Bytekeep's until bytekeep import-bytes moves them
        assertThat(api.get("/bytes/boefje_meta/" + BYTES_BOEFJE_META).status()).isEqualTo(404);

        assertThat(bytesTables()).isEqualTo(bytesTablesBefore);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            assertThat(strings(statement, "select table_name from information_schema.tables where table_schema = 'public' "
                    + "order by table_name")).containsExactly("alembic_version", "boefje_meta", "normalizer_meta", "raw_file",
                    "signing_provider");
            assertThat(strings(statement, "select table_name from information_schema.tables where table_schema = 'bytekeep'"))
                    .contains("flyway_schema_history", "boefje_meta", "raw_file", "normalizer_meta", "outbox_event");
        }
        assertThat(Files.readString(DIRECTORY.resolve("bytekeep.log")))
                .contains("Bytes' environment variables taken: BYTES_SECRET (BYTEKEEP_JWT_SECRET)")
                .doesNotContain("3d54f6e4e65723aa678d17d8fd22aba5234136d3e44e5a77305dedaa8ce13f45")
                .doesNotContain("WAcHQFlfUrj0KZlfAAQJ4GWT");
    }

    /** One boefje meta of organisation acme and one raw file of it, through the Bytes API; the raw file's id. */
    private static String storeRawFile(ApiClient api, byte[] content) {
        UUID boefjeMeta = UUID.randomUUID();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("id", boefjeMeta.toString());
        meta.put("started_at", "2025-11-14T11:00:00+00:00");
        meta.put("ended_at", "2025-11-14T11:00:05+00:00");
        meta.put("boefje", Map.of("id", "dns-records", "version", "1"));
        meta.put("input_ooi", "Hostname|internet|example.org");
        meta.put("arguments", Map.of());
        meta.put("organization", "acme");
        assertThat(api.postJson("/bytes/boefje_meta", meta).status()).isEqualTo(201);
        ApiClient.Response stored = api.postJson("/bytes/raw?boefje_meta_id=" + boefjeMeta, Map.of("files", List.of(
                Map.of("name", "dns", "content", Base64.getEncoder().encodeToString(content), "tags", List.of("boefje/dns-records")))));
        assertThat(stored.status()).as(stored.text()).isEqualTo(200);
        return stored.json().get("dns").asText();
    }

    /** Bytes' tables in full: their columns, indexes, constraints, rows and the sequence. */
    private static String bytesTables() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            List<String> state = new ArrayList<>();
            state.addAll(strings(statement, "select concat_ws(' ', table_name, column_name, data_type, character_maximum_length, "
                    + "is_nullable, column_default) from information_schema.columns where table_schema = 'public' "
                    + "order by table_name, ordinal_position"));
            state.addAll(strings(statement, "select indexdef from pg_indexes where schemaname = 'public' order by indexname"));
            state.addAll(strings(statement, "select conname || ' ' || pg_get_constraintdef(oid) from pg_constraint "
                    + "where connamespace = 'public'::regnamespace order by conname"));
            for (String table : BYTES_TABLES) {
                state.addAll(strings(statement, "select t::text from public." + table + " t order by 1"));
            }
            state.addAll(strings(statement, "select last_value || ' ' || is_called from public.signing_provider_id_seq"));
            assertThat(state).contains("raw_file id uuid NO", "(1dde0213e9fe)");
            return String.join("\n", state);
        }
    }

    private static List<String> strings(Statement statement, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
    }

    private static void rabbitmqctl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
        // add_vhost answers an error when the virtual host is there from an earlier run; set_permissions must succeed
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        if (arguments[0].equals("set_permissions")) {
            assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
        }
    }
}
