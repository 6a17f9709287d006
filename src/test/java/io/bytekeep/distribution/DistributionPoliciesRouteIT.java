package io.bytekeep.distribution;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import io.bytekeep.platform.storage.StorageConfiguration;
import io.bytekeep.support.IntegrationTest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policies as the distribution route applies them to stored keys (the test profile's shifting threshold is 5,
 * at most 12 keys per archive; the expiry policy is CWA's 120 minutes, retention 14 days). Exact expectations on
 * what lands in the export bucket and what stays in the database.
 */
class DistributionPoliciesRouteIT extends IntegrationTest {

    private static final String BUCKET = "bytekeep-test-exports";
    private static final String HOURS = "version/v1/diagnosis-keys/country/DE/date/";

    @Autowired
    ProducerTemplate producer;

    @Autowired
    @Qualifier("exportS3Client")
    S3Client exports;

    @Autowired
    DiagnosisKeyStore store;

    private final LocalDate date = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    private final long midnight = DistributionTimeSlots.firstHourOf(date);

    @BeforeEach
    void emptyDistribution() {
        jdbc.execute("truncate table diagnosis_key");
        StorageConfiguration.createIfMissing(exports, BUCKET);
        listing().forEach(key -> exports.deleteObject(b -> b.bucket(BUCKET).key(key)));
    }

    @Test
    void keysOfAnHourBelowTheThresholdAreShiftedToTheHourThatReachesIt() throws Exception {
        List<DiagnosisKey> keys = new ArrayList<>(TestKeys.keys(0, 3, midnight + 3));   // 3 keys at 03:00: held
        keys.addAll(TestKeys.keys(100, 1, midnight + 4));                               // 4 at 04:00: held
        keys.addAll(TestKeys.keys(200, 1, midnight + 7));                               // 5 at 07:00: released
        keys.addAll(TestKeys.keys(300, 4, midnight + 9));                               // 4 at 09:00: held back
        store.storeNew(new Submission(keys, true));

        run();

        assertThat(hourlyArchives()).containsExactly(HOURS + date + "/hour/7");
        assertThat(keyCount(HOURS + date + "/hour/7")).isEqualTo(5);
        assertThat(keyCount(HOURS + date)).as("the daily archive holds what the hours released").isEqualTo(5);
    }

    @Test
    void aKeySubmittedWithinTwoHoursOfItsExpiryWaitsForTheExpiryPolicy() throws Exception {
        // daily keys of the day before `date`, expired at midnight of `date`, submitted at 01:00 (within two hours)
        int rollingStart = Math.toIntExact((midnight - 24) * 6);
        List<DiagnosisKey> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            keys.add(TestKeys.key(i, rollingStart, 144, midnight + 1));
        }
        store.storeNew(new Submission(keys, true));

        run();

        // expiry 00:00 + 120 min, rounded as CWA does to the next full hour: the 03:00 archive, not 01:00
        assertThat(hourlyArchives()).containsExactly(HOURS + date + "/hour/3");
        assertThat(keyCount(HOURS + date + "/hour/3")).isEqualTo(5);
    }

    @Test
    void moreKeysThanABundleHoldsGoIntoFurtherBatches() throws Exception {
        store.storeNew(new Submission(TestKeys.keys(0, 13, midnight + 7), true));

        run();

        assertThat(hourlyArchives()).containsExactly(HOURS + date + "/hour/7", HOURS + date + "/hour/7/batch/2");
        var first = export(HOURS + date + "/hour/7");
        var second = export(HOURS + date + "/hour/7/batch/2");
        assertThat(List.of(first.getBatchNum(), first.getBatchSize(), first.getKeysCount())).containsExactly(1, 2, 12);
        assertThat(List.of(second.getBatchNum(), second.getBatchSize(), second.getKeysCount())).containsExactly(2, 2, 1);
        assertThat(keyCount(HOURS + date + "/batch/2")).as("the daily archive is batched the same way").isEqualTo(1);
    }

    @Test
    void retentionDeletesOldKeysAndTheExportsOfOldDates() throws Exception {
        LocalDate old = LocalDate.now(ZoneOffset.UTC).minusDays(20);
        store.storeNew(new Submission(List.of(TestKeys.key(1, DistributionTimeSlots.firstHourOf(old) + 3)), true));
        store.storeNew(new Submission(TestKeys.keys(100, 5, midnight + 7), true));
        String oldArchive = HOURS + old + "/hour/3";
        exports.putObject(b -> b.bucket(BUCKET).key(oldArchive), software.amazon.awssdk.core.sync.RequestBody.fromString("old"));

        run();

        assertThat(store.count()).as("the key of 20 days ago is deleted").isEqualTo(5);
        assertThat(listing()).doesNotContain(oldArchive).contains(HOURS + date + "/hour/7");
    }

    private void run() {
        Object summary = producer.requestBody("direct:distribution-run", (Object) null);
        assertThat(summary).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) summary).get("status")).as(String.valueOf(summary)).isEqualTo("completed");
    }

    private List<String> hourlyArchives() {
        return listing().stream().filter(key -> key.startsWith(HOURS) && key.matches(".*/hour/\\d+(/batch/\\d+)?")).sorted().toList();
    }

    private int keyCount(String objectKey) throws Exception {
        return export(objectKey).getKeysCount();
    }

    private io.bytekeep.distribution.proto.TemporaryExposureKeyExport export(String objectKey) throws Exception {
        byte[] zip = exports.getObjectAsBytes(b -> b.bucket(BUCKET).key(objectKey)).asByteArray();
        byte[] bin = Archives.unzip(zip).get(ArchiveZipper.EXPORT_BIN);
        if (bin == null) {
            throw new AssertionError("no export.bin in " + objectKey);
        }
        return ExportEncoder.decode(bin);
    }

    private List<String> listing() {
        return exports.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).toList();
    }
}
