package io.bytekeep.distribution;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The object keys of the distribution tree (seed 004, "Assembly Process"): CWA names every generated file
 * {@code index} on disk and removes the trailing {@code /index} on upload, so S3 holds the listing
 * {@code .../country} beside the folder {@code .../country/}. The keys here are the S3 keys:
 * <pre>
 * version                                                   listing ["v1"]
 * version/v1/diagnosis-keys/index.txt                       central index: every archive key, one a line
 * version/v1/diagnosis-keys/country                         listing ["DE","EUR"]
 * version/v1/diagnosis-keys/country/DE/date                 listing ["2026-11-19","2026-11-20"]
 * version/v1/diagnosis-keys/country/DE/date/2026-11-20      daily archive
 * version/v1/diagnosis-keys/country/DE/date/2026-11-20/hour listing [0,1,5]
 * version/v1/diagnosis-keys/country/DE/date/2026-11-20/hour/5  hourly archive
 * </pre>
 * Batches: when an export has more keys than one file may hold, file 1 of the batch keeps the archive's key and file
 * n (n &ge; 2) is at {@code <archive key>/batch/<n>}, e.g. {@code .../hour/5/batch/2} or
 * {@code .../date/2026-11-20/batch/2}. Seed 004 does not name batch files; this scheme leaves every listing
 * unchanged (a listing names hours and dates, never batches), a client that has file 1 learns from its
 * {@code batch_size} how many siblings to fetch, and the central index lists every batch file.
 */
public final class ExportPaths {

    /** The top folder; its listing names the versions. */
    public static final String VERSION_ROOT = "version";
    /** File name of the central index (seed 004, "Discovery"), in the diagnosis-keys folder. */
    public static final String CENTRAL_INDEX_NAME = "index.txt";

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");

    private final String version;
    private final Pattern datedKey;

    /** @param version the API version, e.g. {@code v1} */
    public ExportPaths(String version) {
        this.version = requireSegment(version, "version");
        this.datedKey = Pattern.compile(Pattern.quote(countryIndex() + "/") + "([^/]+)/date/([^/]+)(/.*)?");
    }

    /** The path segment a country, version or package name becomes; refuses anything that would change the tree. */
    static String requireSegment(String value, String what) {
        Objects.requireNonNull(value, what);
        if (!SEGMENT.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be letters, digits, '_' or '-', was '" + value + "'");
        }
        return value;
    }

    public String version() {
        return version;
    }

    /** {@code version}: the listing of versions. */
    public String versionIndex() {
        return VERSION_ROOT;
    }

    /** {@code version/v1/diagnosis-keys}, a folder. */
    public String diagnosisKeys() {
        return VERSION_ROOT + "/" + version + "/diagnosis-keys";
    }

    /** {@code version/v1/diagnosis-keys/index.txt}: every archive key of the tree, one a line. */
    public String centralIndex() {
        return diagnosisKeys() + "/" + CENTRAL_INDEX_NAME;
    }

    /** {@code version/v1/diagnosis-keys/country}: the listing of countries (and the EU package). */
    public String countryIndex() {
        return diagnosisKeys() + "/country";
    }

    /** {@code .../country/DE/date}: the listing of the country's complete dates. */
    public String dateIndex(String country) {
        return countryIndex() + "/" + country + "/date";
    }

    /** {@code .../country/DE/date/2026-11-20}: the daily archive (batch file 1). */
    public String dailyArchive(String country, LocalDate date) {
        return dateIndex(country) + "/" + date;
    }

    /** {@code .../country/DE/date/2026-11-20/hour}: the listing of the date's hours. */
    public String hourIndex(String country, LocalDate date) {
        return dailyArchive(country, date) + "/hour";
    }

    /** {@code .../country/DE/date/2026-11-20/hour/5}: the hourly archive (batch file 1) of an hour slot. */
    public String hourlyArchive(String country, long hourSinceEpoch) {
        return hourIndex(country, DistributionTimeSlots.dateOf(hourSinceEpoch)) + "/"
                + DistributionTimeSlots.hourOfDay(hourSinceEpoch);
    }

    /** The key of file {@code batchNum} of an archive: the archive's key for 1, {@code <key>/batch/<n>} after. */
    public static String batchFile(String archiveKey, int batchNum) {
        if (batchNum < 1) {
            throw new IllegalArgumentException("batch numbers start at 1, was " + batchNum);
        }
        return batchNum == 1 ? archiveKey : archiveKey + "/batch/" + batchNum;
    }

    /**
     * The prefix that deletes everything of one country and date: the daily archive and its batches, the hour
     * listing and the hourly archives. Seed 004 ("Data Retention") writes it
     * {@code version/v1/diagnosis-keys/country/<country_code>/<date>}, without the {@code date} folder that its own
     * "Assembly Process" puts in every path; taken literally that prefix matches nothing, so the {@code date}
     * segment is kept here: {@code version/v1/diagnosis-keys/country/DE/date/2026-11-05}. ISO dates have a fixed
     * width, so the prefix cannot match another date.
     */
    public String retentionPrefix(String country, LocalDate date) {
        return dailyArchive(country, date);
    }

    /** Seed 004: the retention cutoff date is "today - 14 days" (UTC); dates before it are deleted. */
    public static LocalDate retentionCutoff(Clock clock, int retentionDays) {
        if (retentionDays < 0) {
            throw new IllegalArgumentException("retentionDays must be >= 0, was " + retentionDays);
        }
        return DistributionTimeSlots.dateOf(DistributionTimeSlots.hourOf(clock.instant())).minusDays(retentionDays);
    }

    /**
     * The prefixes to delete from the object store (seed 004, "Data Retention"): one
     * {@link #retentionPrefix(String, LocalDate)} per country and date that occur in the existing object keys with a
     * date before the cutoff (the cutoff date itself is kept). Keys outside {@code .../country/<cc>/date/<date>}
     * (listings, the central index, other versions, configuration) and unparsable dates are ignored. Sorted and
     * without duplicates. Delete after the new tree is uploaded, so the new listings no longer name those dates.
     */
    public List<String> retentionPrefixes(LocalDate cutoff, Collection<String> existingObjectKeys) {
        Objects.requireNonNull(cutoff, "cutoff");
        TreeSet<String> prefixes = new TreeSet<>();
        for (String key : existingObjectKeys) {
            Matcher matcher = datedKey.matcher(key);
            if (!matcher.matches()) {
                continue;
            }
            LocalDate date;
            try {
                date = LocalDate.parse(matcher.group(2));
            } catch (DateTimeParseException e) {
                continue;
            }
            if (date.isBefore(cutoff)) {
                prefixes.add(retentionPrefix(matcher.group(1), date));
            }
        }
        return List.copyOf(prefixes);
    }
}
