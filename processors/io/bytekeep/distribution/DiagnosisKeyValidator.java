package io.bytekeep.distribution;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.bytekeep.platform.Problem;

/**
 * Checks one {@link DiagnosisKey} against the CWA server's rules and names every violation:
 * <ul>
 *   <li>key data exactly 16 bytes;</li>
 *   <li>rolling period 1..144 (10-minute intervals, at most one day);</li>
 *   <li>rolling start interval number {@code >= 0} and not in the future (not after the 10-minute interval of
 *       "now"). Seed 004 states no alignment rule, so none is enforced; FORMAT.md only notes that daily keys start at
 *       UTC midnight;</li>
 *   <li>transmission risk level 1..8;</li>
 *   <li>days since onset of symptoms -14..4000;</li>
 *   <li>origin country and every visited country an ISO 3166 alpha-2 code in upper case;</li>
 *   <li>submission timestamp (hours since the epoch) {@code >= 0}.</li>
 * </ul>
 */
public final class DiagnosisKeyValidator {

    public static final int MIN_ROLLING_PERIOD = 1;
    public static final int MAX_ROLLING_PERIOD = 144;
    public static final int MIN_TRANSMISSION_RISK_LEVEL = 1;
    public static final int MAX_TRANSMISSION_RISK_LEVEL = 8;
    public static final int MIN_DAYS_SINCE_ONSET = -14;
    public static final int MAX_DAYS_SINCE_ONSET = 4000;

    private static final Set<String> ISO_COUNTRIES = Set.of(Locale.getISOCountries());

    private final Clock clock;

    /** @param clock tells "now" for the not-in-the-future rule */
    public DiagnosisKeyValidator(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Every violation of the key, one message each; empty when the key is valid. */
    public List<String> violations(DiagnosisKey key) {
        List<String> violations = new ArrayList<>();
        int keyLength = key.keyData().length;
        if (keyLength != DiagnosisKey.KEY_LENGTH) {
            violations.add("key data must be exactly " + DiagnosisKey.KEY_LENGTH + " bytes, was " + keyLength);
        }
        if (key.rollingPeriod() < MIN_ROLLING_PERIOD || key.rollingPeriod() > MAX_ROLLING_PERIOD) {
            violations.add("rolling period must be " + MIN_ROLLING_PERIOD + ".." + MAX_ROLLING_PERIOD
                    + ", was " + key.rollingPeriod());
        }
        long currentInterval = DistributionTimeSlots.tenMinuteIntervalOf(clock.instant());
        if (key.rollingStartIntervalNumber() < 0) {
            violations.add("rolling start interval number must be >= 0, was " + key.rollingStartIntervalNumber());
        } else if (key.rollingStartIntervalNumber() > currentInterval) {
            violations.add("rolling start interval number must not be in the future, was "
                    + key.rollingStartIntervalNumber() + " while the current interval is " + currentInterval);
        }
        if (key.transmissionRiskLevel() < MIN_TRANSMISSION_RISK_LEVEL
                || key.transmissionRiskLevel() > MAX_TRANSMISSION_RISK_LEVEL) {
            violations.add("transmission risk level must be " + MIN_TRANSMISSION_RISK_LEVEL + ".."
                    + MAX_TRANSMISSION_RISK_LEVEL + ", was " + key.transmissionRiskLevel());
        }
        if (key.daysSinceOnsetOfSymptoms() < MIN_DAYS_SINCE_ONSET
                || key.daysSinceOnsetOfSymptoms() > MAX_DAYS_SINCE_ONSET) {
            violations.add("days since onset of symptoms must be " + MIN_DAYS_SINCE_ONSET + ".."
                    + MAX_DAYS_SINCE_ONSET + ", was " + key.daysSinceOnsetOfSymptoms());
        }
        if (!isCountryCode(key.originCountry())) {
            violations.add("origin country must be an upper-case ISO 3166 alpha-2 code, was '"
                    + key.originCountry() + "'");
        }
        new TreeSet<>(key.visitedCountries()).stream()
                .filter(country -> !isCountryCode(country))
                .forEach(country -> violations.add(
                        "visited country must be an upper-case ISO 3166 alpha-2 code, was '" + country + "'"));
        if (key.submissionTimestamp() < 0) {
            violations.add("submission timestamp must be >= 0 hours since the epoch, was "
                    + key.submissionTimestamp());
        }
        return List.copyOf(violations);
    }

    /** The key itself when valid; otherwise a 400 {@link Problem} listing every violation. */
    public DiagnosisKey requireValid(DiagnosisKey key) {
        List<String> violations = violations(key);
        if (!violations.isEmpty()) {
            throw new Problem(400, "Invalid diagnosis key", String.join("; ", violations));
        }
        return key;
    }

    /** True for an upper-case ISO 3166-1 alpha-2 code, e.g. {@code DE}. */
    public static boolean isCountryCode(String code) {
        return code != null && code.length() == 2 && ISO_COUNTRIES.contains(code);
    }
}
