package io.bytekeep.distribution;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The time units of the distribution, all in UTC: hours since the epoch (submission timestamps and hourly archives),
 * 10-minute intervals since the epoch (rolling start interval numbers), and the CDN path segments
 * {@code date/<YYYY-MM-DD>} and {@code date/<YYYY-MM-DD>/hour/<h>} (h = 0..23, no leading zero).
 */
public final class DistributionTimeSlots {

    /** Seconds in one rolling interval. */
    public static final long TEN_MINUTES_SECONDS = 600L;
    /** Seconds in one hour slot. */
    public static final long HOUR_SECONDS = 3600L;

    private DistributionTimeSlots() {
    }

    /** The hour slot (hours since the epoch) that contains the instant; floors, as CWA stores submission time. */
    public static long hourOf(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), HOUR_SECONDS);
    }

    /** The hour slot of a UTC date and hour of day (0..23). */
    public static long hourOf(LocalDate date, int hourOfDay) {
        return hourOf(date.atTime(hourOfDay, 0).toInstant(ZoneOffset.UTC));
    }

    /** The 10-minute interval (rolling interval number) that contains the instant. */
    public static long tenMinuteIntervalOf(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), TEN_MINUTES_SECONDS);
    }

    /** First second of an hour slot. */
    public static Instant startOf(long hourSinceEpoch) {
        return Instant.ofEpochSecond(hourSinceEpoch * HOUR_SECONDS);
    }

    /** Start of an hour slot in UTC seconds, as {@code start_timestamp} of an hourly export. */
    public static long startEpochSecond(long hourSinceEpoch) {
        return hourSinceEpoch * HOUR_SECONDS;
    }

    /** End of an hour slot (start of the next) in UTC seconds, as {@code end_timestamp} of an hourly export. */
    public static long endEpochSecond(long hourSinceEpoch) {
        return (hourSinceEpoch + 1) * HOUR_SECONDS;
    }

    /** The UTC date of an hour slot. */
    public static LocalDate dateOf(long hourSinceEpoch) {
        return utc(hourSinceEpoch).toLocalDate();
    }

    /** The UTC hour of day (0..23) of an hour slot. */
    public static int hourOfDay(long hourSinceEpoch) {
        return utc(hourSinceEpoch).getHour();
    }

    /** First hour slot of a UTC date. */
    public static long firstHourOf(LocalDate date) {
        return hourOf(date, 0);
    }

    /** {@code date/<YYYY-MM-DD>} of a UTC date. */
    public static String datePath(LocalDate date) {
        return "date/" + date;
    }

    /** {@code date/<YYYY-MM-DD>/hour/<h>} of an hour slot. */
    public static String hourPath(long hourSinceEpoch) {
        return datePath(dateOf(hourSinceEpoch)) + "/hour/" + hourOfDay(hourSinceEpoch);
    }

    private static LocalDateTime utc(long hourSinceEpoch) {
        return LocalDateTime.ofEpochSecond(hourSinceEpoch * HOUR_SECONDS, 0, ZoneOffset.UTC);
    }
}
