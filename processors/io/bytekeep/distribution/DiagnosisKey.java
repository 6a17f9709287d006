package io.bytekeep.distribution;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.Set;

/**
 * One temporary exposure key as the server keeps it (the CWA server's {@code DiagnosisKey}).
 * Construction copies but does not validate: {@link DiagnosisKeyValidator} says what is wrong with a key.
 *
 * @param keyData                    the key, 16 random bytes
 * @param rollingStartIntervalNumber start of the key's validity, in 10-minute intervals since the epoch (UTC)
 * @param rollingPeriod              validity in 10-minute intervals, 1..144
 * @param transmissionRiskLevel      1..8
 * @param reportType                 how the diagnosis was established
 * @param daysSinceOnsetOfSymptoms   -14..4000
 * @param originCountry              ISO 3166 alpha-2 code of the country the key was submitted in
 * @param visitedCountries           ISO 3166 alpha-2 codes the user visited
 * @param submissionTimestamp        arrival at the server in whole hours since the epoch (UTC), floored, as CWA stores it
 */
public record DiagnosisKey(
        byte[] keyData,
        int rollingStartIntervalNumber,
        int rollingPeriod,
        int transmissionRiskLevel,
        ReportType reportType,
        int daysSinceOnsetOfSymptoms,
        String originCountry,
        Set<String> visitedCountries,
        long submissionTimestamp) {

    /** Length of {@link #keyData()} in bytes. */
    public static final int KEY_LENGTH = 16;

    /**
     * Unsigned lexicographic order of key data, the order of the keys in every export; compares the key bytes in
     * place (a run sorts millions of keys, and {@link #keyData()} copies).
     */
    public static final Comparator<DiagnosisKey> BY_KEY_DATA = (a, b) -> Arrays.compareUnsigned(a.keyData, b.keyData);

    public DiagnosisKey {
        keyData = Objects.requireNonNull(keyData, "keyData").clone();
        Objects.requireNonNull(reportType, "reportType");
        Objects.requireNonNull(originCountry, "originCountry");
        visitedCountries = Set.copyOf(Objects.requireNonNull(visitedCountries, "visitedCountries"));
    }

    /** A copy of the key bytes. */
    @Override
    public byte[] keyData() {
        return keyData.clone();
    }

    /** Start of the key's validity in seconds since the epoch. */
    public long rollingStartEpochSecond() {
        return rollingStartIntervalNumber * DistributionTimeSlots.TEN_MINUTES_SECONDS;
    }

    /** End of the key's validity ("expiry") in seconds since the epoch: start plus rolling period. */
    public long rollingPeriodEndEpochSecond() {
        return ((long) rollingStartIntervalNumber + rollingPeriod) * DistributionTimeSlots.TEN_MINUTES_SECONDS;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DiagnosisKey that
                && Arrays.equals(keyData, that.keyData)
                && rollingStartIntervalNumber == that.rollingStartIntervalNumber
                && rollingPeriod == that.rollingPeriod
                && transmissionRiskLevel == that.transmissionRiskLevel
                && reportType == that.reportType
                && daysSinceOnsetOfSymptoms == that.daysSinceOnsetOfSymptoms
                && originCountry.equals(that.originCountry)
                && visitedCountries.equals(that.visitedCountries)
                && submissionTimestamp == that.submissionTimestamp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(keyData), rollingStartIntervalNumber, rollingPeriod, transmissionRiskLevel,
                reportType, daysSinceOnsetOfSymptoms, originCountry, visitedCountries, submissionTimestamp);
    }

    @Override
    public String toString() {
        // the key bytes stay out of logs: an unexpired key is still in use on a phone
        return "DiagnosisKey[keyData=<" + keyData.length + " bytes>"
                + ", rollingStartIntervalNumber=" + rollingStartIntervalNumber
                + ", rollingPeriod=" + rollingPeriod
                + ", transmissionRiskLevel=" + transmissionRiskLevel
                + ", reportType=" + reportType
                + ", daysSinceOnsetOfSymptoms=" + daysSinceOnsetOfSymptoms
                + ", originCountry=" + originCountry
                + ", visitedCountries=" + visitedCountries
                + ", submissionTimestamp=" + submissionTimestamp + "]";
    }
}
