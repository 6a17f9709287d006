package io.bytekeep.distribution;

import java.io.ByteArrayInputStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

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
 * The policies as the distribution route applies them to stored keys (the test profile's shifting threshold is 5;
 * the expiry policy is CWA's 120 minutes). Exact expectations on what lands in the export bucket.
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

    private void run() {
        Object summary = producer.requestBody("direct:distribution-run", (Object) null);
        assertThat(summary).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) summary).get("status")).as(String.valueOf(summary)).isEqualTo("completed");
    }

    private List<String> hourlyArchives() {
        return listing().stream().filter(key -> key.startsWith(HOURS) && key.matches(".*/hour/\\d+")).sorted().toList();
    }

    private int keyCount(String objectKey) throws Exception {
        byte[] zip = exports.getObjectAsBytes(b -> b.bucket(BUCKET).key(objectKey)).asByteArray();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (entry.getName().equals(ArchiveZipper.EXPORT_BIN)) {
                    return ExportEncoder.decode(in.readAllBytes()).getKeysCount();
                }
            }
        }
        throw new AssertionError("no export.bin in " + objectKey);
    }

    private List<String> listing() {
        return exports.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).toList();
    }
}
