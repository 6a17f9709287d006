package io.bytekeep.distribution;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExpiryPolicyTest {

    private final ExpiryPolicy policy = new ExpiryPolicy(ExpiryPolicy.CWA_EXPIRY_POLICY_MINUTES);

    /** Valid all of 2020-06-01: expires 2020-06-02T00:00Z. */
    private static DiagnosisKey dailyKeySubmittedAt(String submissionHour) {
        return TestKeys.key(1, TestKeys.hour(submissionHour));
    }

    @Test
    void distributableAtExactly120MinutesAfterExpiryButNotOneMinuteBefore() {
        DiagnosisKey key = dailyKeySubmittedAt("2020-06-02T05:00:00Z");
        Instant expiry = Instant.parse("2020-06-02T00:00:00Z");
        assertThat(policy.earliestDistribution(key)).isEqualTo(Instant.parse("2020-06-02T02:00:00Z"));
        assertThat(policy.isDistributableAt(key, expiry.plus(Duration.ofMinutes(120)))).isTrue();
        assertThat(policy.isDistributableAt(key, expiry.plus(Duration.ofMinutes(119)))).isFalse();
        assertThat(policy.isDistributableAt(key, expiry.plus(Duration.ofMinutes(120)).minusSeconds(1))).isFalse();
    }

    @Test
    void submittedExactly120MinutesAfterExpiryIsShiftedToTheNextHourSlot() {
        // 02:00 - 00:00 = 120 min <= 120: distribution = floor(00:00 + 120 min + 60 min) = 03:00
        assertThat(policy.distributionHour(dailyKeySubmittedAt("2020-06-02T02:00:00Z")))
                .isEqualTo(TestKeys.hour("2020-06-02T03:00:00Z"));
    }

    @Test
    void submittedMoreThan120MinutesAfterExpiryStaysInItsSubmissionHour() {
        assertThat(policy.distributionHour(dailyKeySubmittedAt("2020-06-02T03:00:00Z")))
                .isEqualTo(TestKeys.hour("2020-06-02T03:00:00Z"));
        assertThat(policy.distributionHour(dailyKeySubmittedAt("2020-06-02T09:00:00Z")))
                .isEqualTo(TestKeys.hour("2020-06-02T09:00:00Z"));
    }

    @Test
    void submittedBeforeOrShortlyAfterExpiryWaitsForExpiryPlusTwoHours() {
        assertThat(policy.distributionHour(dailyKeySubmittedAt("2020-06-01T15:00:00Z")))
                .isEqualTo(TestKeys.hour("2020-06-02T03:00:00Z"));
        assertThat(policy.distributionHour(dailyKeySubmittedAt("2020-06-02T01:00:00Z")))
                .isEqualTo(TestKeys.hour("2020-06-02T03:00:00Z"));
    }

    @Test
    void theRollingPeriodDefinesTheExpiry() {
        // period 143: expires 2020-06-01T23:50Z; submitted 01:00 (70 min later): floor(23:50 + 180 min) = 02:00
        DiagnosisKey shortKey = TestKeys.key(1, TestKeys.JUNE_FIRST_INTERVAL, 143, TestKeys.hour("2020-06-02T01:00:00Z"));
        assertThat(policy.distributionHour(shortKey)).isEqualTo(TestKeys.hour("2020-06-02T02:00:00Z"));
        // period 137: expires 22:50Z; submitted 01:00 (130 min later, > 120): stays at 01:00
        DiagnosisKey shorterKey = TestKeys.key(1, TestKeys.JUNE_FIRST_INTERVAL, 137, TestKeys.hour("2020-06-02T01:00:00Z"));
        assertThat(policy.distributionHour(shorterKey)).isEqualTo(TestKeys.hour("2020-06-02T01:00:00Z"));
    }

    @Test
    void everyDistributionHourStartsAfterTheEarliestDistribution() {
        Random random = new Random(4);
        for (int i = 0; i < 10_000; i++) {
            int start = TestKeys.JUNE_FIRST_INTERVAL + random.nextInt(2000);
            int period = 1 + random.nextInt(144);
            long submission = (start * 600L) / 3600 + random.nextInt(40) - 5;
            DiagnosisKey key = TestKeys.key(i, start, period, submission);
            long hour = policy.distributionHour(key);
            assertThat(policy.isDistributableAt(key, DistributionTimeSlots.startOf(hour))).as(key.toString()).isTrue();
            assertThat(hour).isGreaterThanOrEqualTo(submission);
        }
    }

    @Test
    void anEarlyKeyWaitsForItsExpiryALateOneGoesInItsSubmissionHour() {
        DiagnosisKey early = dailyKeySubmittedAt("2020-06-02T01:00:00Z");
        DiagnosisKey late = TestKeys.key(2, TestKeys.hour("2020-06-02T07:00:00Z"));
        assertThat(policy.distributionHour(early)).isEqualTo(TestKeys.hour("2020-06-02T03:00:00Z"));
        assertThat(policy.distributionHour(late)).isEqualTo(TestKeys.hour("2020-06-02T07:00:00Z"));
    }
}
