package io.bytekeep.trust;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.context.TestPropertySource;

import io.bytekeep.cli.BytekeepCli;
import io.bytekeep.distribution.DiagnosisKey;
import io.bytekeep.distribution.DiagnosisKeyStore;
import io.bytekeep.distribution.DistributionTimeSlots;
import io.bytekeep.distribution.Submission;
import io.bytekeep.distribution.TestKeys;
import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.platform.storage.StorageConfiguration;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/trust-publish.camel.yaml after a distribution run, checked by an independent TUF client: tuf-js
 * (src/test/tuf-client) fetches the metadata and the archives anonymously over HTTP from the embedded export S3
 * server (public-read objects) and verifies an hourly and a daily archive; it rejects a tampered archive and an
 * expired timestamp. POST /trust/verify checks downloaded files the same way.
 */
@TestPropertySource(properties = {"bytekeep.trust.enabled=true", "bytekeep.distribution.public-read=true",
        "bytekeep.trust.keep-superseded=0s"})
class TrustPublishIT extends IntegrationTest {

    private static final String BUCKET = "bytekeep-test-exports";
    private static final Path CLIENT = Path.of("src/test/tuf-client");

    @Autowired
    ProducerTemplate producer;

    @Autowired
    @Qualifier("exportS3Client")
    S3Client exports;

    @Autowired
    @Qualifier("embeddedS3ExportsServer")
    EmbeddedS3Server exportsServer;

    @Autowired
    DiagnosisKeyStore store;

    @Autowired
    TrustPublisher publisher;

    @TempDir
    Path dir;

    private final LocalDate date = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    private final long five = DistributionTimeSlots.firstHourOf(date) + 5;
    private final String hourly = "version/v1/diagnosis-keys/country/DE/date/" + date + "/hour/5";
    private final String daily = "version/v1/diagnosis-keys/country/DE/date/" + date;

    /** tuf-js from package-lock.json, installed once (CI runs the same before the build). */
    @BeforeAll
    static void tufClientInstalled() throws Exception {
        if (!Files.isDirectory(CLIENT.resolve("node_modules/tuf-js"))) {
            Outcome install = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", CLIENT.toString()));
            assertThat(install.exitCode()).as("npm ci: %s", install.stderr()).isZero();
        }
    }

    @BeforeEach
    void emptyDistributionAndTrust() {
        jdbc.execute("truncate table diagnosis_key");
        jdbc.execute("truncate table trust_metadata");
        exportsServer.start();
        StorageConfiguration.createIfMissing(exports, BUCKET);
        listing().forEach(key -> exports.deleteObject(b -> b.bucket(BUCKET).key(key)));
        // a new repository state: the publisher's memory follows the table
        publisher.repository().plan(Map.of(), List.of());
    }

    @Test
    void aTufClientVerifiesHourlyAndDailyArchivesAndRejectsTamperingAndAnExpiredTimestamp() throws Exception {
        storeKeys();
        assertThat(run()).containsEntry("status", "completed");

        Path root = Files.write(dir.resolve("root.json"), object("tuf/1.root.json"));
        assertThat(jdbc.queryForObject("select content from trust_metadata where name = '1.root'", byte[].class))
                .isEqualTo(Files.readAllBytes(root));
        assertThat(object("tuf/root.json")).isEqualTo(Files.readAllBytes(root));

        Outcome hour = client(root, hourly);
        assertThat(hour.exitCode()).as(hour.stderr()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("out/5"))).isEqualTo(object(hourly));
        Outcome day = client(root, daily);
        assertThat(day.exitCode()).as(day.stderr()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("out/" + date))).isEqualTo(object(daily));
        Outcome index = client(root, "version/v1/diagnosis-keys/index.txt");
        assertThat(index.exitCode()).as(index.stderr()).isZero();
        // the configuration documents are targets like the archives
        Outcome configuration = client(root, "version/v2/app_config_android");
        assertThat(configuration.exitCode()).as(configuration.stderr()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("out/app_config_android"))).isEqualTo(object("version/v2/app_config_android"));
        // Bytekeep's own command line over the same HTTP
        StringWriter said = new StringWriter();
        int cli = BytekeepCli.commandLine().setOut(new PrintWriter(said, true))
                .execute("trust", "verify", "--metadata-url", bucketUrl() + "/tuf/", "--root", root.toString(),
                        "--target", daily, "--file", dir.resolve("out/" + date).toString());
        assertThat(cli).as(said.toString()).isZero();

        // a second run with the same keys signs nothing: the same timestamp
        byte[] timestamp = object("tuf/timestamp.json");
        assertThat(run()).containsEntry("status", "completed");
        assertThat(object("tuf/timestamp.json")).isEqualTo(timestamp);

        // the archive a TUF client downloads (dir/SHA256.name), changed in the bucket
        String sha256 = publisher.repository().target(hourly).sha256();
        String hashedKey = TrustPublisher.hashedKey(hourly, sha256);
        byte[] genuine = object(hashedKey);
        byte[] tampered = genuine.clone();
        tampered[tampered.length / 2] ^= 1;
        put(hashedKey, tampered);
        Outcome rejected = client(root, hourly);
        assertThat(rejected.exitCode()).as(rejected.stdout()).isEqualTo(1);
        assertThat(rejected.stderr()).contains("REJECTED").contains("hash");
        put(hashedKey, genuine);
        assertThat(client(root, hourly).exitCode()).isZero();

        // a timestamp signed with the timestamp key, but expired
        Metadata current = Metadata.parse(timestamp);
        Map<String, Object> expired = new LinkedHashMap<>(current.signed());
        expired.put("version", current.version() + 1);
        expired.put("expires", Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        put("tuf/timestamp.json", Metadata.sign(expired, List.of(TestTrustKeys.signer("timestamp"))).bytes());
        Outcome stale = client(root, daily);
        assertThat(stale.exitCode()).as(stale.stdout()).isEqualTo(1);
        assertThat(stale.stderr()).contains("REJECTED").containsIgnoringCase("expired");

        // the refresh puts the repository's own timestamp back
        producer.requestBody("direct:trust-refresh", (Object) null);
        assertThat(object("tuf/timestamp.json")).isEqualTo(timestamp);
        assertThat(client(root, daily).exitCode()).isZero();
    }

    @Test
    void newKeysReSignOnlyTheirBinsAndVerifyEndpointChecksDownloads() {
        storeKeys();
        assertThat(run()).containsEntry("status", "completed");
        Metadata firstSnapshot = publisher.repository().metadata(TrustRepository.SNAPSHOT);
        byte[] archive = object(hourly);

        ApiClient.Response verified = as("alice").post("/trust/verify?path=" + hourly, "application/octet-stream", archive);
        assertThat(verified.status()).as(verified.text()).isEqualTo(200);
        assertThat(verified.json().get("verified").asBoolean()).isTrue();
        assertThat(verified.json().get("role").asText()).isEqualTo(new HashBins(32).binFor(hourly));
        byte[] tampered = archive.clone();
        tampered[0] ^= 1;
        ApiClient.Response rejected = as("alice").post("/trust/verify?path=" + hourly, "application/octet-stream", tampered);
        assertThat(rejected.status()).as(rejected.text()).isEqualTo(422);
        assertThat(rejected.contentType()).startsWith("application/problem+json");
        assertThat(rejected.text()).contains("does not match");
        assertThat(anonymous().post("/trust/verify?path=" + hourly, "application/octet-stream", archive).status())
                .isEqualTo(401);

        // keys of a new hour: its hourly archive, the hour listing, the day, the indexes change; other bins stay
        String centralIndex = "version/v1/diagnosis-keys/index.txt";
        String oldIndexCopy = TrustPublisher.hashedKey(centralIndex, publisher.repository().target(centralIndex).sha256());
        assertThat(listing()).contains(oldIndexCopy, "tuf/1.snapshot.json");
        store.storeNew(new Submission(TestKeys.keys(200, 6, five + 2), true));
        assertThat(run()).containsEntry("status", "completed");
        // superseded (keep-superseded is 0s here): the old snapshot and the old copy of the changed index are gone
        String newIndexCopy = TrustPublisher.hashedKey(centralIndex, publisher.repository().target(centralIndex).sha256());
        assertThat(listing()).doesNotContain(oldIndexCopy, "tuf/1.snapshot.json")
                .contains(newIndexCopy, "tuf/2.snapshot.json", "tuf/1.root.json", "tuf/1.targets.json");
        Metadata secondSnapshot = publisher.repository().metadata(TrustRepository.SNAPSHOT);
        assertThat(secondSnapshot.version()).isEqualTo(firstSnapshot.version() + 1);
        Map<?, ?> before = (Map<?, ?>) firstSnapshot.signed().get("meta");
        Map<?, ?> after = (Map<?, ?>) secondSnapshot.signed().get("meta");
        List<Object> changed = new ArrayList<>();
        after.forEach((name, meta) -> {
            if (!meta.equals(before.get(name))) {
                changed.add(name);
            }
        });
        assertThat(changed).isNotEmpty().hasSizeLessThan(16).doesNotContain("bins.json", "targets.json");
        String hour7 = "version/v1/diagnosis-keys/country/DE/date/" + date + "/hour/7";
        assertThat(changed).contains(new HashBins(32).binFor(hour7) + ".json");
        ApiClient.Response newHour = as("alice").post("/trust/verify?path=" + hour7, "application/octet-stream", object(hour7));
        assertThat(newHour.status()).as(newHour.text()).isEqualTo(200);
    }

    /** The embedded export bucket is in memory: after a restart the next run must publish the metadata again. */
    @Test
    void anEmptiedBucketGetsTheMetadataAndTargetCopiesAgain() throws Exception {
        storeKeys();
        assertThat(run()).containsEntry("status", "completed");
        Path root = Files.write(dir.resolve("root.json"), object("tuf/1.root.json"));
        int versions = publisher.repository().metadata(TrustRepository.SNAPSHOT).version();
        listing().forEach(key -> exports.deleteObject(b -> b.bucket(BUCKET).key(key)));

        assertThat(run()).containsEntry("status", "completed");
        assertThat(publisher.repository().metadata(TrustRepository.SNAPSHOT).version()).isEqualTo(versions);
        Outcome day = client(root, daily);
        assertThat(day.exitCode()).as(day.stderr()).isZero();
    }

    /**
     * A bucket that lost the TUF copies and metadata but kept the tree: the next run keeps every archive (its length and
     * SHA-256 read from the bucket's {@code sha256} metadata, nothing made again) and copies each to its TUF name in
     * the bucket. An archive put before objects said their SHA-256 is put once more.
     */
    @Test
    void lostTufCopiesAreCopiedFromTheArchivesTheBucketKeeps() throws Exception {
        storeKeys();
        assertThat(run()).containsEntry("status", "completed");
        Path root = Files.write(dir.resolve("root.json"), object("tuf/1.root.json"));
        listing().stream().filter(key -> key.startsWith("tuf/") || key.matches("(.*/)?[0-9a-f]{64}\\.[^/]+"))
                .forEach(key -> exports.deleteObject(b -> b.bucket(BUCKET).key(key)));
        byte[] hourlyZip = object(hourly);
        String cwaHash = exports.headObject(b -> b.bucket(BUCKET).key(hourly)).metadata().get("cwa-hash");
        exports.putObject(b -> b.bucket(BUCKET).key(hourly).contentType("application/zip").metadata(Map.of("cwa-hash", cwaHash))
                .acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromBytes(hourlyZip));

        assertThat(run()).containsEntry("status", "completed").containsEntry("uploaded", 1);
        assertThat(exports.headObject(b -> b.bucket(BUCKET).key(hourly)).metadata())
                .containsEntry("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(hourlyZip)));
        for (String target : List.of(hourly, daily)) {
            Outcome verified = client(root, target);
            assertThat(verified.exitCode()).as(verified.stderr()).isZero();
        }
    }

    /**
     * A publication is committed before it is put: one the database refuses puts nothing (before, its metadata was in
     * the bucket and the next run signed the same version numbers with other content). One that was committed but
     * not all put is completed by the next run, not by the refresh, which has no target files to send.
     */
    @Test
    void aPublicationIsCommittedBeforeItIsPut() throws Exception {
        storeKeys();
        assertThat(run()).containsEntry("status", "completed");
        Path root = Files.write(dir.resolve("root.json"), object("tuf/1.root.json"));
        byte[] timestamp = object("tuf/timestamp.json");

        store.storeNew(new Submission(TestKeys.keys(200, 6, five + 2), true));
        jdbc.execute("create function bytekeep_test_refuse() returns trigger language plpgsql as "
                + "$$ begin raise exception 'refused by the test'; end $$");
        jdbc.execute("create trigger bytekeep_test_refuse before insert or update or delete on trust_metadata "
                + "for each statement execute function bytekeep_test_refuse()");
        try {
            assertThat(run()).doesNotContainEntry("status", "completed");
        } finally {
            jdbc.execute("drop trigger bytekeep_test_refuse on trust_metadata");
            jdbc.execute("drop function bytekeep_test_refuse()");
        }
        assertThat(new String(object("tuf/timestamp.json"), StandardCharsets.UTF_8))
                .as("the bucket's timestamp.json after a refused commit").isEqualTo(new String(timestamp, StandardCharsets.UTF_8));
        assertThat(publisher.repository().metadata(TrustRepository.TIMESTAMP).bytes()).isEqualTo(timestamp);

        // committed, then cut short: the bucket lacks the new timestamp and a target copy
        assertThat(run()).containsEntry("status", "completed");
        byte[] committed = object("tuf/timestamp.json");
        assertThat(Metadata.parse(committed).version()).isEqualTo(Metadata.parse(timestamp).version() + 1);
        String hour7 = "version/v1/diagnosis-keys/country/DE/date/" + date + "/hour/7";
        String copy = TrustPublisher.hashedKey(hour7, publisher.repository().target(hour7).sha256());
        exports.deleteObject(b -> b.bucket(BUCKET).key(copy));
        put("tuf/timestamp.json", timestamp);
        producer.requestBody("direct:trust-refresh", (Object) null);
        assertThat(object("tuf/timestamp.json")).as("the refresh leaves the bucket to the run").isEqualTo(timestamp);

        assertThat(run()).containsEntry("status", "completed");
        assertThat(object("tuf/timestamp.json")).isEqualTo(committed);
        assertThat(listing()).contains(copy);
        Outcome hour = client(root, hour7);
        assertThat(hour.exitCode()).as(hour.stderr()).isZero();
    }

    @Test
    void rootRotationNeedsTheAdminRoleAndClientsFollowIt() throws Exception {
        storeKeys();
        assertThat(run()).containsEntry("status", "completed");
        Path root = Files.write(dir.resolve("root.json"), object("tuf/1.root.json"));
        assertThat(as("alice").post("/admin/trust/rotate-root", "application/json", new byte[0]).status()).isEqualTo(403);
        ApiClient.Response rotated = as("bytes").post("/admin/trust/rotate-root", "application/json", new byte[0]);
        assertThat(rotated.status()).as(rotated.text()).isEqualTo(200);
        assertThat(rotated.json().get("root").asInt()).isEqualTo(2);
        assertThat(object("tuf/2.root.json")).isEqualTo(object("tuf/root.json"));
        // a client that trusts root 1 updates to root 2 (signed by the root key of 1) and verifies
        Outcome day = client(root, daily);
        assertThat(day.exitCode()).as(day.stderr()).isZero();
    }

    private void storeKeys() {
        List<DiagnosisKey> keys = new ArrayList<>(TestKeys.keys(0, 6, five));
        keys.addAll(TestKeys.keys(100, 6, five + 1));
        store.storeNew(new Submission(keys, true));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> run() {
        return new LinkedHashMap<>((Map<String, Object>) producer.requestBody("direct:distribution-run", (Object) null));
    }

    private List<String> listing() {
        return exports.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).toList();
    }

    private byte[] object(String key) {
        return exports.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    private void put(String key, byte[] content) {
        exports.putObject(b -> b.bucket(BUCKET).key(key).acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromBytes(content));
    }

    /** tuf-js over anonymous HTTP: metadata from <bucket>/tuf/, targets from <bucket>/. */
    private Outcome client(Path root, String target) throws Exception {
        return run(List.of("node", CLIENT.resolve("verify-download.mjs").toString(), bucketUrl() + "/tuf/",
                bucketUrl() + "/", root.toString(), target, dir.resolve("out").toString()));
    }

    private String bucketUrl() {
        return exportsServer.endpoint().toString().replaceAll("/$", "") + "/" + BUCKET;
    }

    record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tuf-client", ".out");
        Path err = Files.createTempFile("tuf-client", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Outcome(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
