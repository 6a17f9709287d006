package io.bytekeep.distribution;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * How a key's transmission risk level (TRL) is carried to the phones. The Exposure Notification framework never
 * hands an app the TRL of a matched key, only its report type and days since onset of symptoms, so the CWA server
 * writes the TRL into those two fields of every published key (its {@code EnfParameterAdapter} with
 * {@code main-config/transmission-risk-encoding.yaml}) and the app configuration maps them back to infectiousness.
 * Publishing the submitted values instead would give most keys no infectiousness on a CWA phone.
 * <p>
 * The stored keys keep their submitted values; only what {@link ExportEncoder} writes is encoded.
 *
 * @param reportTypes              report type to publish for each TRL 1..8
 * @param daysSinceOnsetOfSymptoms days since onset of symptoms to publish for each TRL 1..8
 */
public record TransmissionRiskEncoding(Map<Integer, ReportType> reportTypes,
                                       Map<Integer, Integer> daysSinceOnsetOfSymptoms) {

    // before CWA, which its constructor checks against
    private static final int[] LEVELS = IntStream.rangeClosed(
            DiagnosisKeyValidator.MIN_TRANSMISSION_RISK_LEVEL, DiagnosisKeyValidator.MAX_TRANSMISSION_RISK_LEVEL).toArray();

    /** The CWA server's table: TRL 1,2 recursive; 3,4 self report; 5,6 clinical diagnosis; 7,8 test; odd 1, even 2. */
    public static final TransmissionRiskEncoding CWA = new TransmissionRiskEncoding(
            Map.of(1, ReportType.RECURSIVE, 2, ReportType.RECURSIVE,
                    3, ReportType.SELF_REPORT, 4, ReportType.SELF_REPORT,
                    5, ReportType.CONFIRMED_CLINICAL_DIAGNOSIS, 6, ReportType.CONFIRMED_CLINICAL_DIAGNOSIS,
                    7, ReportType.CONFIRMED_TEST, 8, ReportType.CONFIRMED_TEST),
            Map.of(1, 1, 2, 2, 3, 1, 4, 2, 5, 1, 6, 2, 7, 1, 8, 2));

    public TransmissionRiskEncoding {
        reportTypes = complete(reportTypes, "report type");
        daysSinceOnsetOfSymptoms = complete(daysSinceOnsetOfSymptoms, "days since onset of symptoms");
        daysSinceOnsetOfSymptoms.forEach((level, days) -> {
            if (days < DiagnosisKeyValidator.MIN_DAYS_SINCE_ONSET || days > DiagnosisKeyValidator.MAX_DAYS_SINCE_ONSET) {
                throw new IllegalArgumentException("days since onset of symptoms for transmission risk level " + level
                        + " must be " + DiagnosisKeyValidator.MIN_DAYS_SINCE_ONSET + ".."
                        + DiagnosisKeyValidator.MAX_DAYS_SINCE_ONSET + ", was " + days);
            }
        });
        reportTypes.forEach((level, type) -> Objects.requireNonNull(type, "report type for transmission risk level " + level));
    }

    /** The report type a key of this TRL is published with. */
    public ReportType reportType(int transmissionRiskLevel) {
        return reportTypes.get(transmissionRiskLevel);
    }

    /** The days since onset of symptoms a key of this TRL is published with. */
    public int daysSinceOnsetOfSymptoms(int transmissionRiskLevel) {
        return daysSinceOnsetOfSymptoms.get(transmissionRiskLevel);
    }

    /** The map, checked to name exactly the levels 1..8, in level order. */
    private static <V> Map<Integer, V> complete(Map<Integer, V> byLevel, String what) {
        Objects.requireNonNull(byLevel, what);
        TreeSet<Integer> missing = new TreeSet<>();
        for (int level : LEVELS) {
            if (!byLevel.containsKey(level)) {
                missing.add(level);
            }
        }
        TreeSet<Integer> unknown = new TreeSet<>(byLevel.keySet());
        IntStream.of(LEVELS).forEach(unknown::remove);
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new IllegalArgumentException("the " + what + " table must name each transmission risk level "
                    + LEVELS[0] + ".." + LEVELS[LEVELS.length - 1] + " once"
                    + (missing.isEmpty() ? "" : "; missing " + missing)
                    + (unknown.isEmpty() ? "" : "; not a level: " + unknown));
        }
        return Collections.unmodifiableMap(new TreeMap<>(byLevel));
    }
}
