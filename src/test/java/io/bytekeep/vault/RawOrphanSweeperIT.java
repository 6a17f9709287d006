package io.bytekeep.vault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * routes/vault-orphan-sweep.camel.yaml: raw objects without a row go to quarantine/ once old enough, come back when
 * their row appears, and are deleted after the quarantine period; everything else stays. The sweeps run with their
 * clock ahead instead of waiting.
 */
class RawOrphanSweeperIT extends IntegrationTest {

    private static final String BUCKET = "bytekeep-test-raw";
    private static final Duration MIN_AGE = Duration.ofMinutes(15);
    private static final Duration QUARANTINE_PERIOD = Duration.ofDays(7);
    private static final long MIB = 1024 * 1024;

    @Autowired
    S3Client s3;

    @Autowired
    CamelContext camel;

    @Autowired
    MeterRegistry meters;

    @Autowired
    TransactionTemplate transactions;

    private final SimpleMeterRegistry sweepMeters = new SimpleMeterRegistry();

    /** Objects of earlier tests stay in the bucket while their rows are truncated: they would be orphans too. */
    @BeforeEach
    void emptyRawBucket() {
        // the filesystem backend removes emptied directories itself and retries deleting a full one for 10 s
        keys().forEach(key -> s3.deleteObject(b -> b.bucket(BUCKET).key(key)));
        s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().forEach(upload -> s3.abortMultipartUpload(b -> b
                .bucket(BUCKET).key(upload.key()).uploadId(upload.uploadId())));
    }

    @Test
    void objectsWithoutARowAreQuarantinedOnceOldEnough() {
        ApiClient api = as("alice");
        UUID stored = uploadRaw(api, createBoefjeMeta(api, "org-a", Instant.parse("2026-03-01T10:00:00Z")), "f", "kept".getBytes(), "text/plain");
        String orphan = "raw/org-a/" + UUID.randomUUID();
        byte[] orphanBytes = putOrphan(orphan, 4096);
        // packs whose uploads were never recorded (the process was killed before their commit), as stored now and before
        String orphanPack = RawPacker.packKey(UUID.randomUUID());
        putOrphan(orphanPack, 2048);
        String earlierOrphanPack = RawPacker.PACKS + UUID.randomUUID();
        putOrphan(earlierOrphanPack, 1024);
        String notAPack = RawPacker.PACKS + "notes.txt";
        UUID misfiled = UUID.randomUUID();
        String notAPackShard = RawPacker.PACKS + (misfiled.toString().startsWith("00") ? "01/" : "00/") + misfiled;
        String notARawKey = "raw/org-a/notes.txt";
        String notCanonical = "raw/org-a/" + UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        String custody = "custody/org-a/" + UUID.randomUUID() + "/input.cms";
        for (String key : List.of(notARawKey, notCanonical, custody, notAPack, notAPackShard)) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("x"));
        }

        // too young: nothing is touched
        assertThat(sweeper(MIN_AGE, Clock.systemUTC()).sweep()).isEqualTo(new RawOrphanSweeper.Sweep(0, 0, 0));
        // old enough (the clock a minute ahead): only the orphan moves
        RawOrphanSweeper.Sweep sweep = sweeper(Duration.ofSeconds(30), in(Duration.ofMinutes(1))).sweep();

        assertThat(sweep).isEqualTo(new RawOrphanSweeper.Sweep(3, 0, 0));
        assertThat(keys()).containsExactlyInAnyOrder("quarantine/" + orphan, "quarantine/" + orphanPack,
                "quarantine/" + earlierOrphanPack, notARawKey, notCanonical, custody, notAPack, notAPackShard, storageKey(stored));
        assertThat(storageKey(stored)).matches("packs/([0-9a-f]{2})/\\1[0-9a-f-]{34}");
        assertThat(bytes("quarantine/" + orphan)).isEqualTo(orphanBytes);
        assertKeepsContentTypeAndMetadata("quarantine/" + orphan);
        assertThat(api.get("/bytes/raw/" + stored).text()).isEqualTo("kept");
        assertThat(sweepMeters.get("bytekeep.orphan.quarantined").counter().count()).isEqualTo(3);
        assertThat(camel.getRouteController().getRouteStatus("raw-orphan-sweep").isStarted()).isTrue();
        // the application's sweeper counts into the application's registry
        assertThat(List.of("bytekeep.orphan.quarantined", "bytekeep.orphan.restored", "bytekeep.orphan.deleted"))
                .allSatisfy(counter -> assertThat(meters.find(counter).counter()).isNotNull());
    }

    /**
     * A pack under a key of {@link PackIntents} whose files were never recorded (its process died between the PUT and
     * the commit) is found through its intent row though the sweep's listing never reaches packs/; the row of a key
     * never written is dropped, and a recorded pack's row went with its files' commit.
     */
    @Test
    void aPackIsFoundThroughItsIntentRowWithoutTheListing() {
        ApiClient api = as("alice");
        UUID stored = uploadRaw(api, createBoefjeMeta(api, "org-a", Instant.parse("2026-03-01T10:00:00Z")), "f", "kept".getBytes(), "text/plain");
        PackIntents intents = new PackIntents(jdbc, transactions, BUCKET, Duration.ofMinutes(5), Clock.systemUTC());
        String orphanPack = intents.next(BUCKET);
        byte[] orphanBytes = putOrphan(orphanPack, 2048);
        String neverWritten = intents.next(BUCKET);
        // a whole listing slice of keys that sort before packs/
        for (int i = 0; i < 1000; i++) {
            String key = "raw/org-a/notes-%04d.txt".formatted(i);
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("x"));
        }
        assertThat(intentKeys()).contains(orphanPack, neverWritten).doesNotContain(storageKey(stored));

        assertThat(sweeper(MIN_AGE, Clock.systemUTC(), 1000).sweep()).isEqualTo(new RawOrphanSweeper.Sweep(0, 0, 0));
        assertThat(intentKeys()).contains(orphanPack, neverWritten);
        RawOrphanSweeper.Sweep sweep = sweeper(Duration.ofSeconds(30), in(Duration.ofMinutes(1)), 1000).sweep();

        assertThat(sweep).isEqualTo(new RawOrphanSweeper.Sweep(1, 0, 0));
        assertThat(bytes("quarantine/" + orphanPack)).isEqualTo(orphanBytes);
        assertThat(keys()).doesNotContain(orphanPack, neverWritten).contains(storageKey(stored));
        assertThat(intentKeys()).isEmpty();
        assertThat(api.get("/bytes/raw/" + stored).text()).isEqualTo("kept");
    }

    /** An intent row whose pack is younger than the minimum age stays, though the row itself is older. */
    @Test
    void anIntentRowOfAYoungPackStays() {
        PackIntents intents = new PackIntents(jdbc, transactions, BUCKET, Duration.ofMinutes(5), Clock.systemUTC());
        String pack = intents.next(BUCKET);
        jdbc.update("update raw_object_intent set created_at = ? where storage_key = ?",
                VaultRows.timestamp(Instant.now().minus(Duration.ofHours(1))), pack);
        putOrphan(pack, 1024);

        assertThat(sweeper(MIN_AGE, Clock.systemUTC()).sweep()).isEqualTo(new RawOrphanSweeper.Sweep(0, 0, 0));

        assertThat(keys()).contains(pack);
        assertThat(intentKeys()).contains(pack);
    }

    @Test
    void aQuarantinedObjectWhoseRowAppearsIsRestored() {
        ApiClient api = as("alice");
        byte[] content = "recorded after all".getBytes();
        UUID rawId = uploadRaw(api, createBoefjeMeta(api, "org-a", Instant.parse("2026-03-01T10:00:00Z")), "f", content, "text/plain");
        String key = storageKey(rawId);
        // as a sweep leaves it that ran while the row was missing (a database restored from a backup brings it back)
        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey(key).destinationBucket(BUCKET).destinationKey("quarantine/" + key));
        s3.deleteObject(b -> b.bucket(BUCKET).key(key));
        assertThat(api.get("/bytes/raw/" + rawId).status()).isNotEqualTo(200);

        RawOrphanSweeper.Sweep sweep = sweeper(MIN_AGE, in(Duration.ofMinutes(1))).sweep();

        assertThat(sweep).isEqualTo(new RawOrphanSweeper.Sweep(0, 1, 0));
        assertThat(keys()).containsExactly(key);
        ApiClient.Response read = api.get("/bytes/raw/" + rawId);
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(content);
        assertThat(sweepMeters.get("bytekeep.orphan.restored").counter().count()).isEqualTo(1);
    }

    /**
     * An imported raw id can have objects of several attempts (raw/org/id.attempt): a crashed one is an orphan, the
     * one its row records is not, and an old quarantined attempt never goes back over the recorded one.
     */
    @Test
    void onlyTheObjectItsRowRecordsKeepsAnImportedRawFile() throws Exception {
        ApiClient admin = as("bytes");
        UUID meta = UUID.randomUUID();
        assertThat(admin.postJson("/admin/import/boefje_meta", List.of(boefjeMeta(meta, "org-a", VaultImportRoutesIT.ENDED)))
                .status()).isEqualTo(200);
        UUID rawId = UUID.randomUUID();
        byte[] content = "imported".getBytes();
        ApiClient.Response imported = VaultImportRoutesIT.importRaw(admin, rawId, meta, content,
                VaultImportRoutesIT.hash("sha512", content), null, null, "text/plain");
        assertThat(imported.status()).as(imported.text()).isEqualTo(201);
        String recorded = jdbc.queryForObject("select storage_key from raw_file where id = ?", String.class, rawId);
        String crashedAttempt = "raw/org-a/" + rawId + "." + UUID.randomUUID();
        putOrphan(crashedAttempt, 100);
        String oldAttempt = "quarantine/raw/org-a/" + rawId + "." + UUID.randomUUID();
        putOrphan(oldAttempt, 200);
        String notAnAttempt = "raw/org-a/" + rawId + ".notes";
        s3.putObject(b -> b.bucket(BUCKET).key(notAnAttempt), RequestBody.fromString("x"));

        RawOrphanSweeper.Sweep sweep = sweeper(MIN_AGE, in(Duration.ofMinutes(30))).sweep();

        assertThat(sweep).isEqualTo(new RawOrphanSweeper.Sweep(1, 0, 0));
        assertThat(keys()).containsExactlyInAnyOrder(recorded, "quarantine/" + crashedAttempt, oldAttempt, notAnAttempt);
        assertThat(admin.get("/bytes/raw/" + rawId).body()).isEqualTo(content);

        RawOrphanSweeper.Sweep later = sweeper(MIN_AGE, in(QUARANTINE_PERIOD.plusDays(1))).sweep();

        assertThat(later).isEqualTo(new RawOrphanSweeper.Sweep(0, 0, 2));
        assertThat(keys()).containsExactlyInAnyOrder(recorded, notAnAttempt);
        assertThat(admin.get("/bytes/raw/" + rawId).body()).isEqualTo(content);
    }

    @Test
    void aQuarantinedObjectIsDeletedOnceOlderThanTheQuarantinePeriod() {
        String quarantined = "quarantine/raw/org-a/" + UUID.randomUUID();
        String notARawKey = "quarantine/raw/org-a/notes.txt";
        putOrphan(quarantined, 100);
        s3.putObject(b -> b.bucket(BUCKET).key(notARawKey), RequestBody.fromString("x"));

        // younger than the quarantine period: it stays
        assertThat(sweeper(MIN_AGE, in(QUARANTINE_PERIOD.minusDays(1))).sweep()).isEqualTo(new RawOrphanSweeper.Sweep(0, 0, 0));
        assertThat(keys()).containsExactlyInAnyOrder(quarantined, notARawKey);

        // older: it is deleted, the key that names no raw file stays
        assertThat(sweeper(MIN_AGE, in(QUARANTINE_PERIOD.plusDays(1))).sweep()).isEqualTo(new RawOrphanSweeper.Sweep(0, 0, 1));
        assertThat(keys()).containsExactly(notARawKey);
        assertThat(sweepMeters.get("bytekeep.orphan.deleted").counter().count()).isEqualTo(1);
    }

    @Test
    void aSweepListsAtMostItsShareAndTheNextGoesOnFromThere() {
        List<String> orphans = putRawOrphans(8);
        RawOrphanSweeper sweeper = new RawOrphanSweeper(s3, s3Limits(), jdbc, BUCKET, MIN_AGE, QUARANTINE_PERIOD, 3,
                in(Duration.ofHours(1)), sweepMeters);

        List<Integer> quarantined = new ArrayList<>();
        while (keys().stream().anyMatch(orphans::contains)) {
            assertThat(quarantined).as("sweeps so far").hasSizeLessThan(8);
            quarantined.add(sweeper.sweep().quarantined());
        }
        assertThat(quarantined).as("quarantined by each sweep").hasSizeGreaterThanOrEqualTo(3).allMatch(n -> n <= 3);
        assertThat(quarantined.stream().mapToInt(Integer::intValue).sum()).isEqualTo(8);
        assertThat(keys()).containsExactlyInAnyOrderElementsOf(orphans.stream().map(orphan -> "quarantine/" + orphan).toList());

        // before the position: found once the sweeps have been through quarantine/raw/ and start again at raw/
        String first = "raw/org-0/" + UUID.randomUUID();
        putOrphan(first, 10);
        List<Integer> untilFound = new ArrayList<>();
        while (!keys().contains("quarantine/" + first)) {
            assertThat(untilFound).as("sweeps so far").hasSizeLessThan(8);
            untilFound.add(sweeper.sweep().quarantined());
        }
        assertThat(untilFound).as("sweeps through quarantine/raw/ first").hasSizeGreaterThan(1).endsWith(1);
        assertThat(keys()).doesNotContain(first);
    }

    @Test
    void aRestartedSweepGoesOnWhereTheLastStopped() {
        List<String> inKeyOrder = putRawOrphans(6).stream().sorted().toList();
        // all too young: the sweep lists the first three and leaves them
        assertThat(sweeper(MIN_AGE, Clock.systemUTC(), 3).sweep()).isEqualTo(RawOrphanSweeper.Sweep.NOTHING);

        // a new process, later: it goes on after the third key, where the last one stopped
        assertThat(sweeper(MIN_AGE, in(Duration.ofHours(1)), 3).sweep().quarantined()).isEqualTo(3);
        assertThat(keys()).containsExactlyInAnyOrderElementsOf(List.of(inKeyOrder.get(0), inKeyOrder.get(1),
                inKeyOrder.get(2), "quarantine/" + inKeyOrder.get(3), "quarantine/" + inKeyOrder.get(4),
                "quarantine/" + inKeyOrder.get(5)));

        // a place under a prefix the listing no longer has starts the round again
        jdbc.update("update listing_position set prefix = 'retired/', after_key = 'retired/x' where name = ?",
                "orphan-sweep:" + BUCKET);
        assertThat(sweeper(MIN_AGE, in(Duration.ofHours(1)), 3).sweep().quarantined()).isEqualTo(3);
        assertThat(keys()).containsExactlyInAnyOrderElementsOf(inKeyOrder.stream().map(key -> "quarantine/" + key).toList());
    }

    @Test
    void anObjectOverTheSingleCopyLimitIsCopiedInParts() {
        String orphan = "raw/org-a/" + UUID.randomUUID();
        byte[] content = putOrphan(orphan, (int) (12 * MIB));
        ObjectCopier inParts = new ObjectCopier(s3, 5 * MIB, 5 * MIB);

        RawOrphanSweeper.Sweep sweep = new RawOrphanSweeper(s3, inParts, jdbc, BUCKET, MIN_AGE, QUARANTINE_PERIOD, 100_000,
                in(Duration.ofHours(1)), sweepMeters).sweep();

        assertThat(sweep).isEqualTo(new RawOrphanSweeper.Sweep(1, 0, 0));
        assertThat(keys()).containsExactly("quarantine/" + orphan);
        assertThat(bytes("quarantine/" + orphan)).isEqualTo(content);
        assertKeepsContentTypeAndMetadata("quarantine/" + orphan);
        // 5 + 5 + 2 MiB: S3's ETag of a multipart object ends in the number of its parts
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("quarantine/" + orphan)).eTag()).endsWith("-3\"");
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
    }

    @Test
    void aMultipartCopyThatFailsIsAborted() {
        String source = "raw/org-a/" + UUID.randomUUID();
        putOrphan(source, (int) (6 * MIB));
        ObjectCopier inParts = new ObjectCopier(s3, 5 * MIB, 5 * MIB);

        // the source is shorter than the copy takes it to be: after the first part, the ranges reach beyond its end
        assertThatThrownBy(() -> inParts.copy(BUCKET, source, "quarantine/" + source, 12 * MIB))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(416));

        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
        assertThat(keys()).containsExactly(source);
    }

    private RawOrphanSweeper sweeper(Duration minAge, Clock clock) {
        return sweeper(minAge, clock, 100_000);
    }

    private RawOrphanSweeper sweeper(Duration minAge, Clock clock, int maxObjectsPerSweep) {
        return new RawOrphanSweeper(s3, s3Limits(), jdbc, BUCKET, minAge, QUARANTINE_PERIOD, maxObjectsPerSweep, clock,
                sweepMeters);
    }

    private List<String> intentKeys() {
        return jdbc.queryForList("select storage_key from raw_object_intent where bucket = ?", String.class, BUCKET);
    }

    private ObjectCopier s3Limits() {
        return new ObjectCopier(s3, ObjectCopier.S3_SINGLE_COPY_LIMIT, ObjectCopier.DEFAULT_PART_SIZE);
    }

    private String storageKey(UUID rawId) {
        return jdbc.queryForObject("select storage_key from raw_file where id = ?", String.class, rawId);
    }

    private static Clock in(Duration ahead) {
        return Clock.offset(Clock.systemUTC(), ahead);
    }

    /** Objects of 10 bytes under raw/org-a/ without rows; answers their keys. */
    private List<String> putRawOrphans(int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add("raw/org-a/" + UUID.randomUUID());
            putOrphan(keys.get(i), 10);
        }
        return keys;
    }

    /** An object as an upload writes it, with a content type and user metadata; answers its bytes. */
    private byte[] putOrphan(String key, int size) {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        s3.putObject(b -> b.bucket(BUCKET).key(key).contentType("application/x-bytekeep-test")
                .metadata(Map.of("wrapped-key", "k1")), RequestBody.fromBytes(content));
        return content;
    }

    private void assertKeepsContentTypeAndMetadata(String key) {
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(key));
        assertThat(head.contentType()).isEqualTo("application/x-bytekeep-test");
        assertThat(head.metadata()).containsEntry("wrapped-key", "k1");
    }

    private byte[] bytes(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    /** The keys in the bucket; the filesystem backend lists directories as keys ending in /. */
    private List<String> keys() {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key)
                .filter(key -> !key.endsWith("/")).toList();
    }
}
