package io.bytekeep.distribution;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What happens to the hours with fewer keys than the threshold, so that no archive lets an attacker single out a
 * person (seed 004, "Bundling and Shifting"): {@link ShiftingPolicy} moves them to a later hour (the CWA server's way),
 * {@link PaddingPolicy} fills them up with fake keys indistinguishable from real ones (the seed's alternative).
 */
public interface SmallBundlePolicy {

    /**
     * What one run may distribute.
     *
     * @param keysByHour hours ascending, each with the keys released in it (an empty list for an hour that released
     *                   none)
     * @param heldBack   keys still below the threshold at the end: left for a later run
     */
    record Result(SortedMap<Long, List<DiagnosisKey>> keysByHour, List<DiagnosisKey> heldBack) {
        public Result {
            keysByHour = Collections.unmodifiableSortedMap(new TreeMap<>(keysByHour));
            heldBack = List.copyOf(heldBack);
        }
    }

    /**
     * @param keysByDistributionHour keys grouped by distribution hour (hours since the epoch, from {@link ExpiryPolicy})
     * @param endHourExclusive       the hour of the run; hours before it are complete, later ones are not looked at
     */
    Result apply(Map<Long, ? extends Collection<DiagnosisKey>> keysByDistributionHour, long endHourExclusive);
}
