package io.bytekeep.distribution;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Keys for the tests. */
public final class TestKeys {

    /** 2020-06-01T00:00Z as a rolling start interval number (10-minute intervals). */
    static final int JUNE_FIRST_INTERVAL = (int) (Instant.parse("2020-06-01T00:00:00Z").getEpochSecond() / 600);

    private TestKeys() {
    }

    /** Key data whose first 8 bytes are {@code n}, big-endian, so that keys sort by {@code n} (n >= 0). */
    static byte[] keyData(long n) {
        return ByteBuffer.allocate(16).putLong(n).putLong(~n).array();
    }

    /** A valid daily key valid on 2020-06-01, submitted at the given hour since the epoch. */
    public static DiagnosisKey key(long n, long submissionHour) {
        return new DiagnosisKey(keyData(n), JUNE_FIRST_INTERVAL, 144, 6, ReportType.CONFIRMED_TEST, 2, "DE",
                Set.of("DE", "FR"), submissionHour);
    }

    /** A key with explicit rolling start, period and submission hour. */
    static DiagnosisKey key(long n, int rollingStart, int rollingPeriod, long submissionHour) {
        return new DiagnosisKey(keyData(n), rollingStart, rollingPeriod, 6, ReportType.CONFIRMED_TEST, 2, "DE",
                Set.of(), submissionHour);
    }

    /** {@code count} keys numbered from {@code firstN}, all submitted at the given hour. */
    public static List<DiagnosisKey> keys(long firstN, int count, long submissionHour) {
        List<DiagnosisKey> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(key(firstN + i, submissionHour));
        }
        return keys;
    }

    static long hour(String instant) {
        return DistributionTimeSlots.hourOf(Instant.parse(instant));
    }
}
