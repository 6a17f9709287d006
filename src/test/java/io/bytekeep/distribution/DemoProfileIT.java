package io.bytekeep.distribution;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

import io.bytekeep.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The testdata (= demo) profile fills the key table on start with valid keys for every hour of the past days. */
@ActiveProfiles(value = "testdata", inheritProfiles = true)
@TestPropertySource(properties = {"bytekeep.demo.keys-per-hour=3", "bytekeep.demo.days=2"})
@DirtiesContext // its own context: closed after the class
class DemoProfileIT extends IntegrationTest {

    @Autowired
    DiagnosisKeyStore store;

    @Autowired
    DemoKeys demoKeys;

    @Test
    void everyHourOfThePastDaysHasValidKeys() {
        // keys of other tests (and of earlier runs: the table outlives them) would make the start add none; the
        // generation on an empty table is what this checks
        jdbc.execute("truncate table diagnosis_key");
        demoKeys.run(null);
        long now = DistributionTimeSlots.hourOf(Instant.now());
        List<DiagnosisKeyStore.StoredKey> keys = store.submittedSince(now - 48);

        assertThat(keys).hasSize(2 * 24 * 3);
        assertThat(keys.stream().map(k -> k.key().submissionTimestamp()).distinct()).hasSize(48);
        DiagnosisKeyValidator validator = new DiagnosisKeyValidator(java.time.Clock.systemUTC());
        assertThat(keys).allSatisfy(k -> assertThat(validator.violations(k.key())).isEmpty());
    }

    @Test
    void aStartFillsTheHoursThatHaveNoKeysAndLeavesTheOthers() {
        jdbc.execute("truncate table diagnosis_key");
        demoKeys.run(null);
        long now = DistributionTimeSlots.hourOf(Instant.now());
        List<DiagnosisKeyStore.StoredKey> complete = store.submittedSince(now - 48);
        // as if a first start had been cut short: only some hours kept their keys
        jdbc.update("delete from diagnosis_key where submission_timestamp < ? or mod(submission_timestamp, 5) = 0", now - 43);
        assertThat(store.hoursWithKeysSince(now - 48)).hasSizeBetween(30, 40);

        demoKeys.run(null);
        List<DiagnosisKeyStore.StoredKey> refilled = store.submittedSince(now - 48);
        assertThat(refilled).hasSize(2 * 24 * 3);
        // each hour's keys depend on the seed and the hour only: the same keys as the first time
        assertThat(refilled).extracting(k -> HexFormat.of().formatHex(k.key().keyData()))
                .containsExactlyInAnyOrderElementsOf(complete.stream()
                        .map(k -> HexFormat.of().formatHex(k.key().keyData())).toList());

        demoKeys.run(null);
        assertThat(store.submittedSince(now - 48)).hasSize(2 * 24 * 3);
    }
}
