package io.bytekeep.distribution;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.support.ApiClient;
import io.bytekeep.support.ApplicationProcesses;
import io.bytekeep.support.ProdEnvironment;
import io.bytekeep.support.TestServices;
import io.bytekeep.trust.TrustVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application killed (SIGKILL) in the middle of a distribution run: a separate process with the prod profile on
 * this machine's PostgreSQL and RabbitMQ, publishing to an S3 server in this JVM, which outlives the kill. After a
 * first run has published a tree, a second, larger run is started and the process killed once it has put part of
 * its archives, or later, part of its TUF metadata. What the kill left is read as a reader reads it: no index names a missing object, every archive in the
 * bucket verifies. Then the application is started again and a later run completes the tree: every index names
 * existing objects, the central index names every archive of every day that has keys, every archive verifies
 * (openssl, cwa-hash), and every file of the tree verifies against the TUF metadata from root version 1. Slow (two
 * JVM start-ups): runs with {@code -Pfaults}.
 */
@Tag("faults")
class DistributionKillIT {

    private static final String TEST = "dist_kill";
    private static final String BUCKET = "bytekeep-dist-kill-exports";
    private static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/" + TestServices.DATABASE;
    private static final Path SIGNING_KEY = Path.of("src/test/resources/test-config/export-signing-key.pem");
    /** Never fires during the test: runs are started over HTTP, and nothing else publishes meanwhile. */
    private static final String NEVER = "0+0+0+1+1+?+2099";
    private static final int KEYS_PER_HOUR = 6;
    /** Days of keys the killed run adds to the first run's day: hundreds of files to put, so the kill falls inside. */
    private static final int MORE_DAYS = 6;

    private static EmbeddedS3Server s3Server;
    private static S3Client s3;
    private static ApplicationProcesses processes;

    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() {
        TestServices.ensureDatabase();
        s3Server = ProdEnvironment.s3Server();
        s3Server.start();
        s3 = ProdEnvironment.s3Client(s3Server.endpoint());
        processes = new ApplicationProcesses(TEST, "distribution-kill-it", s3Server.endpoint());
    }

    @AfterAll
    static void stopS3() {
        s3.close();
        s3Server.stop();
    }

    @BeforeEach
    void emptyKeysTrustAndBucket() throws Exception {
        try (Connection db = DriverManager.getConnection(JDBC_URL, "postgres", "")) {
            var exists = db.createStatement().executeQuery("select to_regclass('diagnosis_key') is not null");
            exists.next();
            if (exists.getBoolean(1)) {
                // a new TUF repository for the new bucket: the state in the table is what was published last
                db.createStatement().execute("truncate table diagnosis_key, trust_metadata");
            }
        }
        if (s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(BUCKET))) {
            ExportTree.listing(s3, BUCKET).forEach(key -> s3.deleteObject(b -> b.bucket(BUCKET).key(key)));
        }
    }

    @AfterEach
    void killWhatIsLeft() throws InterruptedException {
        processes.killAll();
    }

    /** Where in the run the process is killed, told by what the bucket holds. */
    enum KillPoint {
        /** after the run put 30 files of the tree: archives (they go first, in parallel), no index yet */
        WHILE_ARCHIVES_ARE_PUT,
        /** after 30 TUF files (copies dir/SHA256.name first): the tree is complete, its TUF metadata not yet */
        WHILE_TUF_METADATA_IS_PUT;

        boolean reached(List<String> before, List<String> now) {
            return this == WHILE_ARCHIVES_ARE_PUT ? now.size() >= before.size() + 30
                    : tufFiles(now) >= tufFiles(before) + 30;
        }

        private static long tufFiles(List<String> keys) {
            return keys.stream().filter(key -> !ExportTree.isTreeFile(key)).count();
        }
    }

    @ParameterizedTest
    @EnumSource(KillPoint.class)
    void killedMidRunLeavesNoHalfPublishedTreeAndALaterRunCompletesIt(KillPoint killPoint) throws Exception {
        LocalDate firstDay = LocalDate.now(ZoneOffset.UTC).minusDays(2 + MORE_DAYS);
        int port = TestServices.freePort();
        Process first = start("first-" + killPoint, port);
        ApiClient admin = new ApiClient(port).login("operator", "prod-password");

        storeKeys(firstDay, 1);
        ApiClient.Response firstRun = admin.post("/distribution/runs", "application/json", new byte[0]);
        assertThat(firstRun.status()).as(firstRun.text()).isEqualTo(200);
        assertThat(firstRun.json().get("status").asText()).isEqualTo("completed");
        List<String> published = ExportTree.listing(s3, BUCKET);

        // a larger run, killed at the kill point
        storeKeys(firstDay.plusDays(1), MORE_DAYS);
        CompletableFuture<ApiClient.Response> killedRun = CompletableFuture.supplyAsync(
                () -> admin.post("/distribution/runs", "application/json", new byte[0]));
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20))
                .failFast("the run ended before the kill", killedRun::isDone)
                .until(() -> killPoint.reached(published, ExportTree.listing(s3, BUCKET)));
        ApplicationProcesses.kill(first);
        assertThat(killedRun).as("the kill fell inside the run: its caller got no answer")
                .failsWithin(30, TimeUnit.SECONDS);

        List<String> afterKill = ExportTree.listing(s3, BUCKET);
        assertThat(ExportTree.missingChildren(s3, BUCKET)).as("after the kill, index entries without their object").isEmpty();
        ArchiveSignatureCheck signatures = new ArchiveSignatureCheck(SIGNING_KEY, dir);
        int archivesAfterKill = assertEveryArchiveVerifies(signatures);
        Set<String> centralAfterKill = centralIndex();
        if (killPoint == KillPoint.WHILE_TUF_METADATA_IS_PUT) {
            // the tree is put before its TUF metadata: it was complete when the kill came
            assertThat(centralAfterKill).containsAll(expectedArchives(firstDay, 1 + MORE_DAYS));
        }
        // not asserted: files the killed run put but did not get into the TUF metadata are rejected by a TUF client
        // until a later run publishes them (the old metadata stays consistent: timestamp.json is put last)
        Map<String, List<String>> tufAfterKill = tufVerdicts();
        System.out.printf("[faults] distribution killed %s: %d objects after the first run, %d after the kill "
                + "(%d archives of the tree, all verified; the central index names %d archives); no index named a "
                + "missing object; TUF: %d tree files verify, %d are rejected until the next run (e.g. %s)%n", killPoint,
                published.size(), afterKill.size(), archivesAfterKill, centralAfterKill.size(),
                tufAfterKill.get("verified").size(), tufAfterKill.get("rejected").size(),
                tufAfterKill.get("rejected").stream().findFirst().orElse("none"));

        start("restarted-" + killPoint, port);
        ApiClient.Response later = new ApiClient(port).login("operator", "prod-password")
                .post("/distribution/runs", "application/json", new byte[0]);
        assertThat(later.status()).as(later.text()).isEqualTo(200);
        assertThat(later.json().get("status").asText()).isEqualTo("completed");

        ExportTree.assertNoIndexNamesAMissingObject(s3, BUCKET);
        int archives = assertEveryArchiveVerifies(signatures);
        assertThat(centralIndex()).as("the central index names every archive of every day with keys")
                .containsAll(expectedArchives(firstDay, 1 + MORE_DAYS));
        Map<String, List<String>> tuf = tufVerdicts();
        assertThat(tuf.get("rejected")).as("tree files a TUF client rejects").isEmpty();
        int trusted = tuf.get("verified").size();
        System.out.printf("[faults] %s, after the restart a run completed: %s; %d archives verified (openssl), %d "
                + "tree files verified against TUF from root version 1%n", killPoint, later.text(), archives, trusted);
    }

    private static Set<String> centralIndex() {
        return new HashSet<>(new String(object("version/v1/diagnosis-keys/index.txt").asByteArray(),
                java.nio.charset.StandardCharsets.UTF_8).lines().toList());
    }

    /** Every archive of the tree in the bucket: signature (openssl), entries and cwa-hash; returns how many. */
    private static int assertEveryArchiveVerifies(ArchiveSignatureCheck signatures) throws Exception {
        int archives = 0;
        for (String key : ExportTree.listing(s3, BUCKET)) {
            if (!ExportTree.isTreeFile(key)) {
                continue;
            }
            ResponseBytes<GetObjectResponse> object = object(key);
            if (ExportFile.APPLICATION_ZIP.equals(object.response().contentType())) {
                signatures.assertPublished(key, object);
                archives++;
            }
        }
        assertThat(archives).isPositive();
        return archives;
    }

    /**
     * Every file of the tree as a TUF client checks it, trusting only tuf/1.root.json: the keys it verifies, and the
     * reasons of those it rejects.
     */
    private static Map<String, List<String>> tufVerdicts() throws Exception {
        byte[] root = object("tuf/1.root.json").asByteArray();
        TrustVerifier verifier = new TrustVerifier(Clock.systemUTC());
        Map<String, java.util.Optional<byte[]>> fetched = new java.util.HashMap<>();
        List<String> verified = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (String key : ExportTree.listing(s3, BUCKET)) {
            if (ExportTree.isTreeFile(key)) {
                byte[] file = object(key).asByteArray();
                try {
                    verifier.verify(root, name -> fetched.computeIfAbsent(name, n -> java.util.Optional.ofNullable(metadata(n))).orElse(null),
                            key, file.length, MessageDigest.getInstance("SHA-256").digest(file));
                    verified.add(key);
                } catch (TrustVerifier.Rejected e) {
                    rejected.add(key + ": " + e.getMessage());
                }
            }
        }
        return Map.of("verified", verified, "rejected", rejected);
    }

    private static byte[] metadata(String name) {
        try {
            return object("tuf/" + name).asByteArray();
        } catch (NoSuchKeyException absent) {
            return null;
        }
    }

    private static ResponseBytes<GetObjectResponse> object(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
    }

    /** The hourly and daily archives of both packages (DE and the EU package), one batch each. */
    private static List<String> expectedArchives(LocalDate from, int days) {
        ExportPaths paths = new ExportPaths("v1");
        List<String> archives = new ArrayList<>();
        for (String pkg : List.of("DE", "EUR")) {
            for (int day = 0; day < days; day++) {
                LocalDate date = from.plusDays(day);
                archives.add(paths.dailyArchive(pkg, date));
                long firstHour = DistributionTimeSlots.firstHourOf(date);
                for (int hour = 0; hour < 24; hour++) {
                    archives.add(paths.hourlyArchive(pkg, firstHour + hour));
                }
            }
        }
        return archives;
    }

    /** KEYS_PER_HOUR keys for every hour of the days, stored as the submission intake does. */
    private static void storeKeys(LocalDate from, int days) {
        SimpleDriverDataSource db = new SimpleDriverDataSource(new org.postgresql.Driver(), JDBC_URL, "postgres", "");
        DiagnosisKeyStore store = new DiagnosisKeyStore(new NamedParameterJdbcTemplate(db),
                new TransactionTemplate(new DataSourceTransactionManager(db)));
        List<DiagnosisKey> keys = new ArrayList<>();
        long firstHour = DistributionTimeSlots.firstHourOf(from);
        for (int hour = 0; hour < 24 * days; hour++) {
            keys.addAll(TestKeys.keys((firstHour + hour) * 100, KEYS_PER_HOUR, firstHour + hour));
        }
        store.storeNew(new Submission(keys, true));
    }

    private static Process start(String name, int port) throws Exception {
        return processes.start(name, port, Map.of(
                "BYTEKEEP_DISTRIBUTION_CRON", NEVER,
                "BYTEKEEP_TRUST_REFRESH_CRON", NEVER,
                // one cluster of its own in the Quartz tables
                "BYTEKEEP_SCHEDULER_NAME", "bytekeep_" + TEST,
                // 6 keys an hour are enough to publish an hour (CWA's threshold is 140)
                "bytekeep.distribution.shifting-policy-threshold", "5"));
    }
}
