package io.bytekeep.distribution;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
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

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.ApplicationProcesses;
import io.bytekeep.support.TestServices;
import io.bytekeep.publication.ExportFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application killed (SIGKILL) in the middle of a distribution run: a separate process with the prod profile on
 * this machine's PostgreSQL and RabbitMQ, publishing to an S3 server in this JVM, which outlives the kill. After a
 * first run has published a tree, a second, larger run is started and the process killed while it puts its archives,
 * while it puts the TUF copies, or right after its timestamp.json (while the plain index files are put). What the
 * kill left is read by both kinds of readers: one that follows the index files by their plain keys finds every object
 * they name, and every archive verifies (openssl, cwa-hash); a TUF client (metadata from tuf/1.root.json, every file
 * by its copy dir/SHA256.name) verifies every file it reaches from the indexes it sees, and every archive the plain
 * indexes name verifies against that metadata too. Then the application is started again and a later run completes
 * the tree: every index names existing objects, the central index names every archive of every day that has keys,
 * every archive verifies, and every file of the tree, by its plain key, verifies against the TUF metadata. Slow (two
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
    private static final String CENTRAL_INDEX = "version/v1/diagnosis-keys/index.txt";
    private static final String TIMESTAMP = "tuf/timestamp.json";

    private static S3Client s3;
    private static ApplicationProcesses processes;

    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() {
        TestServices.ensureDatabase();
        processes = ApplicationProcesses.prod(TEST, "distribution-kill-it");
        s3 = processes.s3();
    }

    @AfterAll
    static void stopS3() {
        processes.close();
    }

    @BeforeEach
    void emptyKeysTrustAndBucket() throws Exception {
        emptyKeysAndTrust();
        if (s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(BUCKET))) {
            ExportTree.listing(s3, BUCKET).forEach(key -> s3.deleteObject(b -> b.bucket(BUCKET).key(key)));
        }
    }

    /** Also afterwards: the next test class in the same database must not distribute this test's thousand keys. */
    @AfterEach
    void killWhatIsLeft() throws Exception {
        processes.killAll();
        emptyKeysAndTrust();
    }

    private static void emptyKeysAndTrust() throws Exception {
        try (Connection db = DriverManager.getConnection(JDBC_URL, "postgres", "")) {
            var exists = db.createStatement().executeQuery("select to_regclass('diagnosis_key') is not null");
            exists.next();
            if (exists.getBoolean(1)) {
                // a new TUF repository for the new bucket: the state in the table is what was published last
                db.createStatement().execute("truncate table diagnosis_key, trust_metadata");
            }
        }
    }

    /** Where in the run the process is killed, told by what the bucket holds. */
    enum KillPoint {
        /** after the run put 30 files of the tree: archives (they go first, in parallel); no TUF file, no index yet */
        WHILE_ARCHIVES_ARE_PUT,
        /** after 30 TUF files (copies dir/SHA256.name first): every archive is there, no metadata, no index yet */
        WHILE_TUF_COPIES_ARE_PUT,
        /** once timestamp.json changed: the new metadata is published, the plain index files are being put */
        AFTER_TUF_TIMESTAMP_IS_PUT;

        boolean reached(List<String> before, byte[] timestampBefore) {
            return switch (this) {
                case WHILE_ARCHIVES_ARE_PUT -> treeFiles(ExportTree.listing(s3, BUCKET)) >= treeFiles(before) + 30;
                case WHILE_TUF_COPIES_ARE_PUT -> tufFiles(ExportTree.listing(s3, BUCKET)) >= tufFiles(before) + 30;
                case AFTER_TUF_TIMESTAMP_IS_PUT -> !Arrays.equals(ExportTree.object(s3, BUCKET, TIMESTAMP), timestampBefore);
            };
        }

        private static long treeFiles(List<String> keys) {
            return keys.stream().filter(ExportTree::isTreeFile).count();
        }

        private static long tufFiles(List<String> keys) {
            return keys.size() - treeFiles(keys);
        }
    }

    @ParameterizedTest
    @EnumSource(KillPoint.class)
    void killedMidRunLeavesEveryReaderAWholeTreeAndALaterRunCompletesIt(KillPoint killPoint) throws Exception {
        LocalDate firstDay = LocalDate.now(ZoneOffset.UTC).minusDays(2 + MORE_DAYS);
        int port = TestServices.freePort();
        Process first = start("first-" + killPoint, port);
        ApiClient admin = new ApiClient(port).login("operator", "prod-password");

        storeKeys(firstDay, 1);
        ApiClient.Response firstRun = admin.post("/distribution/runs", "application/json", new byte[0]);
        assertThat(firstRun.status()).as(firstRun.text()).isEqualTo(200);
        assertThat(firstRun.json().get("status").asText()).isEqualTo("completed");
        List<String> published = ExportTree.listing(s3, BUCKET);
        byte[] firstTimestamp = ExportTree.object(s3, BUCKET, TIMESTAMP);
        Set<String> firstArchives = centralIndex();

        // a larger run, killed at the kill point
        storeKeys(firstDay.plusDays(1), MORE_DAYS);
        CompletableFuture<ApiClient.Response> killedRun = CompletableFuture.supplyAsync(
                () -> admin.post("/distribution/runs", "application/json", new byte[0]));
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20))
                .failFast("the run ended before the kill", killedRun::isDone)
                .until(() -> killPoint.reached(published, firstTimestamp));
        ApplicationProcesses.kill(first);
        assertThat(killedRun).as("the kill fell inside the run: its caller got no answer")
                .failsWithin(30, TimeUnit.SECONDS);

        // a reader of the plain keys
        List<String> afterKill = ExportTree.listing(s3, BUCKET);
        assertThat(ExportTree.missingChildren(s3, BUCKET)).as("after the kill, index entries without their object").isEmpty();
        ArchiveSignatureCheck signatures = new ArchiveSignatureCheck(SIGNING_KEY, dir);
        int archivesAfterKill = assertEveryArchiveVerifies(signatures);
        Set<String> centralAfterKill = centralIndex();

        // a TUF client: every file it reaches from the indexes it sees verifies (copies dir/SHA256.name)
        ExportTree.TufView tuf = ExportTree.readAsTufClient(s3, BUCKET);
        assertThat(tuf.rejected).as("files a TUF client reaches but rejects after the kill").isEmpty();
        Set<String> tufCentral = new HashSet<>(ExportTree.named(CENTRAL_INDEX,
                new String(tuf.verified.get(CENTRAL_INDEX), StandardCharsets.UTF_8)));
        // a reader of the plain keys who checks what it downloads against the same metadata
        PlainAgainstTuf plain = plainFilesAgainst(tuf);
        assertThat(plain.rejectedArchives()).as("archives the plain indexes name that the TUF metadata rejects").isEmpty();
        assertThat(plain.laggingIndexes()).as("plain index files behind the TUF metadata have a verified copy")
                .allSatisfy(index -> assertThat(tuf.verified).containsKey(index));
        if (killPoint == KillPoint.AFTER_TUF_TIMESTAMP_IS_PUT) {
            // TUF clients see the new tree whole; plain readers the old one, or the new one
            assertThat(tufCentral).containsAll(expectedArchives(firstDay, 1 + MORE_DAYS));
            assertThat(centralAfterKill).isIn(firstArchives, tufCentral);
        } else {
            // before the new metadata both see the first run's tree, and the plain index files are the metadata's
            assertThat(tufCentral).isEqualTo(firstArchives);
            assertThat(centralAfterKill).isEqualTo(firstArchives);
            assertThat(plain.laggingIndexes()).isEmpty();
        }
        System.out.printf("[faults] distribution killed %s: %d objects after the first run, %d after the kill "
                + "(%d archives of the tree, all verified); no plain index named a missing object; the plain central "
                + "index names %d archives, the TUF one %d; a TUF client verified all %d files it reached; %d archives "
                + "the plain indexes name verified against it by their plain keys; %d plain index files were behind "
                + "the metadata (their copies verified)%n", killPoint, published.size(), afterKill.size(),
                archivesAfterKill, centralAfterKill.size(), tufCentral.size(), tuf.verified.size(),
                plain.verifiedArchives(), plain.laggingIndexes().size());

        start("restarted-" + killPoint, port);
        ApiClient.Response later = new ApiClient(port).login("operator", "prod-password")
                .post("/distribution/runs", "application/json", new byte[0]);
        assertThat(later.status()).as(later.text()).isEqualTo(200);
        assertThat(later.json().get("status").asText()).isEqualTo("completed");

        ExportTree.assertNoIndexNamesAMissingObject(s3, BUCKET);
        int archives = assertEveryArchiveVerifies(signatures);
        assertThat(centralIndex()).as("the central index names every archive of every day with keys")
                .containsAll(expectedArchives(firstDay, 1 + MORE_DAYS));
        ExportTree.TufView tufAfterRun = ExportTree.readAsTufClient(s3, BUCKET);
        assertThat(tufAfterRun.rejected).as("files a TUF client rejects after the later run").isEmpty();
        List<String> rejected = new ArrayList<>();
        int trusted = 0;
        for (String key : ExportTree.listing(s3, BUCKET)) {
            if (ExportTree.isTreeFile(key)) {
                String reason = tufAfterRun.rejects(key, object(key).asByteArray());
                if (reason == null) {
                    trusted++;
                } else {
                    rejected.add(key + ": " + reason);
                }
            }
        }
        assertThat(rejected).as("tree files (plain keys) the TUF metadata rejects").isEmpty();
        System.out.printf("[faults] %s, after the restart a run completed: %s; %d archives verified (openssl), %d "
                + "tree files verified against TUF from root version 1 (plain keys), %d reached by a TUF client%n",
                killPoint, later.text(), archives, trusted, tufAfterRun.verified.size());
    }

    /** Plain files checked against the TUF metadata a client sees: archives the plain indexes name, and the indexes. */
    record PlainAgainstTuf(int verifiedArchives, List<String> rejectedArchives, List<String> laggingIndexes) {
    }

    /**
     * Every object the plain index files name, and the index files themselves, fetched by plain key and checked
     * against the metadata of the TUF view: the archives named, and the index files that the metadata does not verify
     * (one run behind it).
     */
    private static PlainAgainstTuf plainFilesAgainst(ExportTree.TufView tuf) throws Exception {
        List<String> keys = ExportTree.listing(s3, BUCKET);
        Set<String> named = new HashSet<>();
        List<String> lagging = new ArrayList<>();
        for (String key : keys) {
            ResponseBytes<GetObjectResponse> object = ExportTree.isTreeFile(key) ? object(key) : null;
            if (object != null && !ExportFile.APPLICATION_ZIP.equals(object.response().contentType())) {
                byte[] content = object.asByteArray();
                named.addAll(ExportTree.named(key, new String(content, StandardCharsets.UTF_8)));
                if (tuf.rejects(key, content) != null) {
                    lagging.add(key);
                }
            }
        }
        int verified = 0;
        List<String> rejected = new ArrayList<>();
        for (String key : named) {
            if (keys.contains(key)) {
                ResponseBytes<GetObjectResponse> object = object(key);
                if (ExportFile.APPLICATION_ZIP.equals(object.response().contentType())) {
                    String reason = tuf.rejects(key, object.asByteArray());
                    if (reason == null) {
                        verified++;
                    } else {
                        rejected.add(key + ": " + reason);
                    }
                }
            }
        }
        return new PlainAgainstTuf(verified, rejected, lagging);
    }

    private static Set<String> centralIndex() {
        return new HashSet<>(new String(object(CENTRAL_INDEX).asByteArray(), StandardCharsets.UTF_8).lines().toList());
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
