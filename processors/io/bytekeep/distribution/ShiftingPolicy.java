package io.bytekeep.distribution;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The shifting policy of the CWA server (seed 004): "each distribution/export file published to the CDN contains at
 * least 140 Temporary Exposure Keys (configurable by the shifting-policy-threshold property). Where there are less
 * keys available to distribute in a specific distribution run, these keys are shifted to a succeeding export, until
 * the threshold minimum is fulfilled."
 * <p>
 * Exactly, as the CWA server's {@code ProdDiagnosisKeyBundler} does it: take the keys grouped by their distribution
 * hour (from {@link ExpiryPolicy}); walk every hour from the earliest hour that has keys up to, not including,
 * {@code endHourExclusive} (the hour of the distribution run: only complete hours are distributed); add the hour's
 * keys to an accumulator; if the accumulator then holds at least {@code shiftingPolicyThreshold} keys (CWA default
 * 140), all of them are released in that hour and the accumulator is emptied, otherwise the hour gets an empty list
 * and the accumulated keys move on to the next hour. Keys still accumulated after the last hour are held back for a
 * later run. Shifted keys are released unchanged (their data and submission timestamp are kept); only the hour whose
 * archive carries them changes. Hours at or after {@code endHourExclusive} are not looked at.
 */
public final class ShiftingPolicy implements SmallBundlePolicy {

    /** CWA's {@code shifting-policy-threshold}. */
    public static final int CWA_SHIFTING_POLICY_THRESHOLD = 140;

    private final int shiftingPolicyThreshold;

    /** @param shiftingPolicyThreshold the least number of keys one hourly export may carry, {@code >= 1} */
    public ShiftingPolicy(int shiftingPolicyThreshold) {
        if (shiftingPolicyThreshold < 1) {
            throw new IllegalArgumentException("shiftingPolicyThreshold must be >= 1, was " + shiftingPolicyThreshold);
        }
        this.shiftingPolicyThreshold = shiftingPolicyThreshold;
    }

    /** Every hour from the earliest one with keys to {@code endHourExclusive - 1} is in the result. */
    @Override
    public Result apply(Map<Long, ? extends Collection<DiagnosisKey>> keysByDistributionHour, long endHourExclusive) {
        SortedMap<Long, List<DiagnosisKey>> released = new TreeMap<>();
        if (keysByDistributionHour.isEmpty()) {
            return new Result(released, List.of());
        }
        long earliest = Collections.min(keysByDistributionHour.keySet());
        List<DiagnosisKey> accumulator = new ArrayList<>();
        for (long hour = earliest; hour < endHourExclusive; hour++) {
            Collection<DiagnosisKey> hourKeys = keysByDistributionHour.get(hour);
            if (hourKeys != null) {
                accumulator.addAll(hourKeys);
            }
            if (accumulator.size() >= shiftingPolicyThreshold) {
                released.put(hour, List.copyOf(accumulator));
                accumulator.clear();
            } else {
                released.put(hour, List.of());
            }
        }
        return new Result(released, accumulator);
    }
}
