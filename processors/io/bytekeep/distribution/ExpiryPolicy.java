package io.bytekeep.distribution;

import java.time.Instant;

/**
 * The expiry policy of the CWA server (seed 004): a key may be distributed only once it has been expired for at
 * least {@code expiryPolicyMinutes} (CWA default 120).
 * <p>
 * Seed 004 says: "diagnosis keys must not be distributed before two hours after the end of the key's expiration
 * window (calculated by adding the rolling period of the key to its start interval number)" and "a distribution
 * timestamp is calculated, which is either the submission timestamp, or, if the submission timestamp is within two
 * hours after the expiry date, the expiry date plus two hours".
 * <p>
 * The arithmetic, all in UTC, as the CWA server's {@code KeySharingPoliciesChecker} does it:
 * <pre>
 *   expiry     = (rollingStartIntervalNumber + rollingPeriod) * 600 s       (end of the key's validity)
 *   submission = submissionTimestamp * 3600 s                               (CWA stores the hour, floored)
 *   if submission - expiry &lt;= expiryPolicyMinutes * 60 s                    (also when submitted before expiry)
 *       distribution hour = floor_to_hour(expiry + expiryPolicyMinutes + 60 min)
 *   else
 *       distribution hour = submission hour (= submissionTimestamp)
 * </pre>
 * The "+ 60 min, then floor" is CWA's rounding up to a whole hour slot: it always yields the first hour slot that
 * starts strictly after {@code expiry + expiryPolicyMinutes} (when that instant is itself on the hour, the next
 * hour). Either way every key's distribution hour starts later than {@code expiry + expiryPolicyMinutes}, so
 * {@link #isDistributableAt(DiagnosisKey, Instant)} holds at the start of {@link #distributionHour(DiagnosisKey)}.
 * Since submission is a whole hour and expiry a whole 10 minutes, their difference is a whole number of minutes and
 * CWA's {@code Duration.toMinutes()} comparison is exactly the comparison in seconds used here.
 * <p>
 * Example with the default 120 minutes: a key valid on 2020-06-01 (rolling start at 00:00, period 144) expires
 * 2020-06-02T00:00Z. Submitted in the hour 2020-06-02T02:00Z (difference exactly 120 min) it goes to the hour
 * floor(02:00 + 60 min) = 2020-06-02T03:00Z; submitted in the hour 03:00Z (180 min) it stays in 03:00Z; submitted
 * in the hour 01:00Z it also goes to 03:00Z.
 */
public final class ExpiryPolicy {

    /** CWA's {@code expiry-policy-minutes}. */
    public static final long CWA_EXPIRY_POLICY_MINUTES = 120;

    private final long expiryPolicyMinutes;

    /** @param expiryPolicyMinutes how long a key must have been expired before it is distributed, {@code >= 0} */
    public ExpiryPolicy(long expiryPolicyMinutes) {
        if (expiryPolicyMinutes < 0) {
            throw new IllegalArgumentException("expiryPolicyMinutes must be >= 0, was " + expiryPolicyMinutes);
        }
        this.expiryPolicyMinutes = expiryPolicyMinutes;
    }

    /** The hour slot (hours since the epoch) whose archive the key goes into; see the class comment. */
    public long distributionHour(DiagnosisKey key) {
        long expiry = key.rollingPeriodEndEpochSecond();
        long submission = key.submissionTimestamp() * DistributionTimeSlots.HOUR_SECONDS;
        long policySeconds = expiryPolicyMinutes * 60;
        if (submission - expiry <= policySeconds) {
            return Math.floorDiv(expiry + policySeconds + DistributionTimeSlots.HOUR_SECONDS,
                    DistributionTimeSlots.HOUR_SECONDS);
        }
        return key.submissionTimestamp();
    }

    /** The earliest instant the key may be published: its expiry plus {@code expiryPolicyMinutes}. */
    public Instant earliestDistribution(DiagnosisKey key) {
        return Instant.ofEpochSecond(key.rollingPeriodEndEpochSecond() + expiryPolicyMinutes * 60);
    }

    /** True when at least {@code expiryPolicyMinutes} have passed at {@code at} since the key expired. */
    public boolean isDistributableAt(DiagnosisKey key, Instant at) {
        return !at.isBefore(earliestDistribution(key));
    }
}
