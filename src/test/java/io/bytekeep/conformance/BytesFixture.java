package io.bytekeep.conformance;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.TestServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Bytes deployment that Bytes' own code wrote into src/test/resources/bytes-import/ (src/test/bytes-fixture/
 * README.md): its database restored into a PostgreSQL database of the test's own, its file repositories, its S3
 * objects, its NaCl keys, and what Bytes' API answers for each of its metas and raw files.
 */
final class BytesFixture {

    static final Path DIR = Path.of("src/test/resources/bytes-import");
    private static final ObjectMapper JSON = new ObjectMapper();

    private BytesFixture() {
    }

    /** A database {@code <test database>_<suffix>} with Bytes' tables and rows (dropped first if it exists); its BYTES_DB_URI. */
    static String restoreDatabase(String suffix) throws IOException, SQLException {
        String database = TestServices.DATABASE + "_" + suffix;
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
            statement.execute("create database " + database);
        }
        execute(database, Files.readString(DIR.resolve("bytes.sql"), StandardCharsets.UTF_8));
        return "postgresql://postgres@127.0.0.1:5432/" + database;
    }

    /**
     * A larger Bytes deployment of {@code raws} raw files (IDENTITY, file repository under {@code dataDir}) in Bytes'
     * schema: the fixture's database emptied, then rows as Bytes' SQLMetaDataRepository writes them (ten raw files
     * per boefje meta, a normalizer meta on every fourth), secure_hash by Bytes' hash_data (Bytekeep's ProofHasher,
     * tested against Bytes' own vectors). Answers the bytes of every raw file by id; its BYTES_DB_URI is
     * {@link #restoreDatabase}'s.
     */
    static Map<UUID, byte[]> seedGenerated(String suffix, Path dataDir, int raws) throws Exception {
        restoreDatabase(suffix);
        String database = TestServices.DATABASE + "_" + suffix;
        Map<UUID, byte[]> contents = new LinkedHashMap<>();
        java.util.Random random = new java.util.Random(raws);
        io.bytekeep.vault.ProofHasher sha512 = new io.bytekeep.vault.ProofHasher("sha512");
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "")) {
            connection.createStatement().execute("truncate normalizer_meta, raw_file, boefje_meta, signing_provider cascade");
            connection.setAutoCommit(false);
            var metas = connection.prepareStatement("insert into boefje_meta (id, boefje_id, boefje_version, organization, "
                    + "arguments, started_at, ended_at, input_ooi, environment) values (?, 'kill-test', '1', 'kill-org', "
                    + "?::json, ?, ?, ?, 'null')");
            var files = connection.prepareStatement("insert into raw_file (id, secure_hash, hash_retrieval_link, boefje_meta_id, "
                    + "mime_types) values (?, ?, ?, ?, ?)");
            var normalizers = connection.prepareStatement("insert into normalizer_meta (id, normalizer_id, normalizer_version, "
                    + "started_at, ended_at, raw_file_id) values (?, 'kat_kill_normalize', '1', ?, ?, ?)");
            UUID meta = null;
            Instant ended = null;
            for (int i = 0; i < raws; i++) {
                if (i % 10 == 0) {
                    meta = UUID.randomUUID();
                    Instant started = Instant.parse("2025-11-14T10:00:00Z").plusSeconds(i).plusNanos(1000L * random.nextInt(1_000_000));
                    ended = started.plusMillis(1 + random.nextInt(5000));
                    metas.setObject(1, meta);
                    metas.setString(2, "{\"n\": " + i + "}");
                    metas.setObject(3, started.atOffset(java.time.ZoneOffset.UTC));
                    metas.setObject(4, ended.atOffset(java.time.ZoneOffset.UTC));
                    metas.setString(5, "Hostname|internet|h" + i + ".example");
                    metas.executeUpdate();
                }
                UUID id = UUID.randomUUID();
                byte[] content = new byte[1 + random.nextInt(4096)];
                random.nextBytes(content);
                contents.put(id, content);
                Path file = dataDir.resolve("kill-org").resolve(id.toString().substring(0, 3)).resolve(id.toString());
                Files.createDirectories(file.getParent());
                Files.write(file, content);
                files.setObject(1, id);
                files.setString(2, sha512.hash(new java.io.ByteArrayInputStream(content), ended));
                files.setString(3, UUID.randomUUID().toString());
                files.setObject(4, meta);
                files.setArray(5, connection.createArrayOf("varchar", new String[] {"boefje/kill-test", "n/" + (i % 10)}));
                files.executeUpdate();
                if (i % 4 == 0) {
                    normalizers.setObject(1, UUID.randomUUID());
                    normalizers.setObject(2, ended.plusSeconds(1).atOffset(java.time.ZoneOffset.UTC));
                    normalizers.setObject(3, ended.plusSeconds(2).atOffset(java.time.ZoneOffset.UTC));
                    normalizers.setObject(4, id);
                    normalizers.executeUpdate();
                }
            }
            connection.commit();
        }
        return contents;
    }

    /** Runs SQL on a database of the test's PostgreSQL. */
    static void execute(String database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A copy of a data directory of Bytes' FileRawRepository (file-identity or file-nacl) under {@code target}. */
    static Path copyDataDir(String layout, Path target) throws IOException {
        Path source = DIR.resolve(layout);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }

    /** Puts the objects Bytes' S3RawRepository wrote into the buckets whose names start with {@code bucketPrefix}. */
    static void uploadS3(S3Client s3, String bucketPrefix) throws IOException {
        try (Stream<Path> buckets = Files.list(DIR.resolve("s3"))) {
            for (Path bucket : buckets.filter(b -> b.getFileName().toString().startsWith(bucketPrefix)).toList()) {
                String name = bucket.getFileName().toString();
                s3.createBucket(b -> b.bucket(name));
                try (Stream<Path> objects = Files.walk(bucket)) {
                    for (Path object : objects.filter(Files::isRegularFile).toList()) {
                        String key = bucket.relativize(object).toString().replace('\\', '/');
                        s3.putObject(b -> b.bucket(name).key(key), RequestBody.fromFile(object));
                    }
                }
            }
        }
    }

    /** Bytes' NaCl keys, as BYTES_PRIVATE_KEY_B64 and BYTES_PUBLIC_KEY_B64. */
    static Map<String, String> naclKeys() throws IOException {
        Properties keys = new Properties();
        try (Reader reader = Files.newBufferedReader(DIR.resolve("keys.properties"))) {
            keys.load(reader);
        }
        Map<String, String> map = new LinkedHashMap<>();
        keys.stringPropertyNames().forEach(name -> map.put(name, keys.getProperty(name)));
        return map;
    }

    /** What Bytes' API answered: {"boefje_meta": [...], "raw_meta": [...], "normalizer_meta": [...]}. */
    static JsonNode answers() throws IOException {
        return JSON.readTree(DIR.resolve("api.json").toFile());
    }

    static List<JsonNode> answers(String kind) throws IOException {
        return iterate(answers().path(kind).elements());
    }

    /** The bytes of a raw file (the IDENTITY file repository holds them as they are). */
    static byte[] plain(JsonNode rawMeta) throws IOException {
        String id = rawMeta.path("id").asText();
        return Files.readAllBytes(DIR.resolve("file-identity").resolve(rawMeta.path("boefje_meta").path("organization").asText())
                .resolve(id.substring(0, 3)).resolve(id));
    }

    static UUID id(JsonNode meta) {
        return UUID.fromString(meta.path("id").asText());
    }

    /** Every boefje meta, raw file (its meta and its bytes) and normalizer meta of the fixture answers as Bytes answered. */
    static void assertAnswersAsInBytes(ApiClient api) throws IOException {
        for (JsonNode meta : answers("boefje_meta")) {
            assertSameAnswer("boefje_meta", meta, ok(api.get("/bytes/boefje_meta/" + meta.path("id").asText())));
        }
        for (JsonNode raw : answers("raw_meta")) {
            String id = raw.path("id").asText();
            assertSameAnswer("raw_meta " + id, raw, ok(api.get("/bytes/raw/" + id + "/meta")));
            ApiClient.Response bytes = api.get("/bytes/raw/" + id);
            assertThat(bytes.status()).as(bytes.text()).isEqualTo(200);
            assertThat(bytes.body()).as("bytes of " + id).isEqualTo(plain(raw));
        }
        for (JsonNode meta : answers("normalizer_meta")) {
            assertSameAnswer("normalizer_meta", meta, ok(api.get("/bytes/normalizer_meta/" + meta.path("id").asText())));
        }
    }

    static JsonNode ok(ApiClient.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /**
     * Bytekeep's answer carries what Bytes' answer carries: the same fields with the same values, where times are the
     * same instants (Bytes writes microseconds, Bytekeep what the instant needs) and mime_types the same set (Bytes
     * answers a set, in no fixed order).
     */
    static void assertSameAnswer(String path, JsonNode bytes, JsonNode bytekeep) {
        if (bytes.isObject()) {
            assertThat(bytekeep.isObject()).as(path + " is an object in " + bytekeep).isTrue();
            Set<String> names = new HashSet<>();
            bytes.fieldNames().forEachRemaining(names::add);
            Set<String> bytekeepNames = new HashSet<>();
            bytekeep.fieldNames().forEachRemaining(bytekeepNames::add);
            assertThat(bytekeepNames).as(path + " fields").isEqualTo(names);
            for (String name : names) {
                if (name.equals("mime_types")) {
                    assertThat(new HashSet<>(iterate(bytekeep.get(name).elements())))
                            .as(path + ".mime_types").isEqualTo(new HashSet<>(iterate(bytes.get(name).elements())));
                } else {
                    assertSameAnswer(path + "." + name, bytes.get(name), bytekeep.get(name));
                }
            }
        } else if (bytes.isArray()) {
            assertThat(bytekeep.size()).as(path + " length").isEqualTo(bytes.size());
            for (int i = 0; i < bytes.size(); i++) {
                assertSameAnswer(path + "[" + i + "]", bytes.get(i), bytekeep.get(i));
            }
        } else if (bytes.isTextual() && instant(bytes.asText()) != null) {
            assertThat(instant(bytekeep.asText())).as(path).isEqualTo(instant(bytes.asText()));
        } else {
            assertThat(bytekeep).as(path).isEqualTo(bytes);
        }
    }

    private static Instant instant(String text) {
        if (text.length() < 20 || text.charAt(10) != 'T') {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notATime) {
            return null;
        }
    }

    private static <T> List<T> iterate(Iterator<T> iterator) {
        List<T> list = new java.util.ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }
}
