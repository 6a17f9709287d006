package io.bytekeep.distribution;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.Set;

/**
 * One temporary exposure key as the server keeps it (the CWA server's {@code DiagnosisKey}).
 * Construction copies but does not validate: {@link DiagnosisKeyValidator} says what is wrong with a key.
 * <p>
 * Compact, as a run holds millions of them: 16 bytes of key data are kept as two numbers rather than an array of
 * their own (64 bytes a key instead of 88, 80 MB less at 3.36 million keys); key data of another length, which only
 * an invalid submission has, is kept as given for the validator to report.
 */
public final class DiagnosisKey {

    /** Length of {@link #keyData()} in bytes. */
    public static final int KEY_LENGTH = 16;

    /**
     * Unsigned lexicographic order of key data, the order of the keys in every export; compares in place (a run sorts
     * millions of keys, and {@link #keyData()} copies).
     */
    public static final Comparator<DiagnosisKey> BY_KEY_DATA = (a, b) -> {
        if (a.otherKeyData == null && b.otherKeyData == null) {
            int high = Long.compareUnsigned(a.keyHigh, b.keyHigh);
            return high != 0 ? high : Long.compareUnsigned(a.keyLow, b.keyLow);
        }
        return Arrays.compareUnsigned(a.keyData(), b.keyData());
    };

    private final long keyHigh;
    private final long keyLow;
    private final byte[] otherKeyData;
    private final int rollingStartIntervalNumber;
    private final int rollingPeriod;
    private final int transmissionRiskLevel;
    private final ReportType reportType;
    private final int daysSinceOnsetOfSymptoms;
    private final String originCountry;
    private final Set<String> visitedCountries;
    private final int submissionTimestamp;

    /**
     * @param keyData                    the key, 16 random bytes
     * @param rollingStartIntervalNumber start of the key's validity, in 10-minute intervals since the epoch (UTC)
     * @param rollingPeriod              validity in 10-minute intervals, 1..144
     * @param transmissionRiskLevel      1..8
     * @param reportType                 how the diagnosis was established
     * @param daysSinceOnsetOfSymptoms   -14..4000
     * @param originCountry              ISO 3166 alpha-2 code of the country the key was submitted in
     * @param visitedCountries           ISO 3166 alpha-2 codes the user visited
     * @param submissionTimestamp        arrival at the server in whole hours since the epoch (UTC), floored, as CWA
     *                                   stores it
     */
    public DiagnosisKey(byte[] keyData, int rollingStartIntervalNumber, int rollingPeriod, int transmissionRiskLevel,
                        ReportType reportType, int daysSinceOnsetOfSymptoms, String originCountry,
                        Set<String> visitedCountries, long submissionTimestamp) {
        Objects.requireNonNull(keyData, "keyData");
        if (keyData.length == KEY_LENGTH) {
            ByteBuffer key = ByteBuffer.wrap(keyData);
            this.keyHigh = key.getLong();
            this.keyLow = key.getLong();
            this.otherKeyData = null;
        } else {
            this.keyHigh = 0;
            this.keyLow = 0;
            this.otherKeyData = keyData.clone();
        }
        this.rollingStartIntervalNumber = rollingStartIntervalNumber;
        this.rollingPeriod = rollingPeriod;
        this.transmissionRiskLevel = transmissionRiskLevel;
        this.reportType = Objects.requireNonNull(reportType, "reportType");
        this.daysSinceOnsetOfSymptoms = daysSinceOnsetOfSymptoms;
        this.originCountry = Objects.requireNonNull(originCountry, "originCountry");
        this.visitedCountries = Set.copyOf(Objects.requireNonNull(visitedCountries, "visitedCountries"));
        // hours since the epoch: an int until the year 246,953
        this.submissionTimestamp = Math.toIntExact(submissionTimestamp);
    }

    /** A copy of the key bytes. */
    public byte[] keyData() {
        if (otherKeyData != null) {
            return otherKeyData.clone();
        }
        return ByteBuffer.allocate(KEY_LENGTH).putLong(keyHigh).putLong(keyLow).array();
    }

    public int rollingStartIntervalNumber() {
        return rollingStartIntervalNumber;
    }

    public int rollingPeriod() {
        return rollingPeriod;
    }

    public int transmissionRiskLevel() {
        return transmissionRiskLevel;
    }

    public ReportType reportType() {
        return reportType;
    }

    public int daysSinceOnsetOfSymptoms() {
        return daysSinceOnsetOfSymptoms;
    }

    public String originCountry() {
        return originCountry;
    }

    public Set<String> visitedCountries() {
        return visitedCountries;
    }

    public long submissionTimestamp() {
        return submissionTimestamp;
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
                && keyHigh == that.keyHigh
                && keyLow == that.keyLow
                && Arrays.equals(otherKeyData, that.otherKeyData)
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
        return Objects.hash(keyHigh, keyLow, Arrays.hashCode(otherKeyData), rollingStartIntervalNumber, rollingPeriod,
                transmissionRiskLevel, reportType, daysSinceOnsetOfSymptoms, originCountry, visitedCountries,
                submissionTimestamp);
    }

    @Override
    public String toString() {
        // the key bytes stay out of logs: an unexpired key is still in use on a phone
        return "DiagnosisKey[keyData=<" + (otherKeyData == null ? KEY_LENGTH : otherKeyData.length) + " bytes>"
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
