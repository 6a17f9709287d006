package io.bytekeep.distribution;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.bytekeep.publication.ExportFile;

/**
 * A run builds its tree date by date so that it holds about one day of keys; the tree must be the one all the keys
 * at once give (one pass of the policies over the whole window): the small-bundle policy's carried keys, keys whose
 * expiry moves them into a later date, the daily archives and every listing.
 */
class ExportTreeAssemblyPropertiesTest {

    private static final KeyPair SIGNING_KEYS = ExportSigningKey.generate();
    private static final Instant RUN = Instant.parse("2026-11-21T05:30:00Z");
    private static final long FIRST_HOUR = DistributionTimeSlots.firstHourOf(LocalDate.parse("2026-11-14"));
    private static final long RUN_HOUR = DistributionTimeSlots.hourOf(RUN);
    private static final List<String> ORIGINS = List.of("DE", "FR", "IT");

    private static ExportTreeBuilder builder(int threshold, boolean padding, boolean allCountries) {
        ExportTreeBuilder.Settings settings = new ExportTreeBuilder.Settings("v1", List.of("DE", "FR"), "DE", "EUR",
                false, false, allCountries, 7, 3);
        SmallBundlePolicy policy = padding ? new PaddingPolicy(threshold, new byte[32]) : new ShiftingPolicy(threshold);
        return new ExportTreeBuilder(settings, new ExpiryPolicy(120), policy,
                new ExportEncoder(ExportEncoderTest.SIGNATURE, TransmissionRiskEncoding.CWA),
                new ExportSigner(SIGNING_KEYS.getPrivate()), new ArchiveZipper(), Clock.fixed(RUN, ZoneOffset.UTC));
    }

    @Provide
    Arbitrary<List<DiagnosisKey>> window() {
        // submitted from 2026-11-14 to the run's hour; valid up to a day after the submission hour, so the expiry
        // policy moves some keys into a later hour, a later date or past the run
        Arbitrary<DiagnosisKey> key = Combinators.combine(
                Arbitraries.longs().between(0, Long.MAX_VALUE / 2),
                Arbitraries.longs().between(FIRST_HOUR, RUN_HOUR),
                Arbitraries.integers().between(-300, 6),
                Arbitraries.integers().between(1, 8),
                Arbitraries.of(ORIGINS),
                Arbitraries.subsetOf(ORIGINS)).as((n, hour, startOffset, risk, origin, visited) -> {
                    int rollingStart = (int) (hour * 6 + startOffset);
                    return new DiagnosisKey(TestKeys.keyData(n), rollingStart, 144, risk, ReportType.CONFIRMED_TEST, 1,
                            origin, Set.copyOf(visited), hour);
                });
        return key.list().ofMaxSize(400).uniqueElements(k -> java.nio.ByteBuffer.wrap(k.keyData()).getLong());
    }

    @Property(tries = 40)
    void dateByDateTheTreeIsTheOneOfAllKeysAtOnce(@ForAll("window") List<DiagnosisKey> keys,
                                                   @ForAll @IntRange(min = 1, max = 40) int threshold,
                                                   @ForAll boolean padding, @ForAll boolean allCountries) {
        ExportTreeBuilder builder = builder(threshold, padding, allCountries);
        ExportTreeBuilder.Assembly atOnce = builder.start();
        List<ExportFile> atOnceArchives = atOnce.add(DistributionTimeSlots.dateOf(RUN_HOUR), keys);
        List<ExportFile> whole = atOnce.finish();

        ExportTreeBuilder.Assembly byDate = builder.start();
        List<ExportFile> answeredByDate = new ArrayList<>();
        for (LocalDate date = DistributionTimeSlots.dateOf(FIRST_HOUR); !date.isAfter(DistributionTimeSlots.dateOf(RUN_HOUR));
             date = date.plusDays(1)) {
            long from = DistributionTimeSlots.firstHourOf(date);
            long to = DistributionTimeSlots.firstHourOf(date.plusDays(1));
            answeredByDate.addAll(byDate.add(date, keys.stream()
                    .filter(key -> key.submissionTimestamp() >= from && key.submissionTimestamp() < to).toList()));
        }
        List<ExportFile> dateByDate = byDate.finish();

        assertThat(describe(dateByDate)).containsExactlyElementsOf(describe(whole));
        assertThat(describe(answeredByDate)).as("every archive answered once, as its date completes")
                .containsExactlyInAnyOrderElementsOf(describe(whole.stream().filter(ExportFile::isArchive).toList()))
                .containsExactlyInAnyOrderElementsOf(describe(atOnceArchives));
    }

    @Property(tries = 5)
    void keysOfAnHourAlreadyDistributedAreRefused(@ForAll @IntRange(min = 0, max = 5) int daysBack) {
        ExportTreeBuilder.Assembly assembly = builder(1, false, false).start();
        LocalDate today = DistributionTimeSlots.dateOf(RUN_HOUR);
        assembly.add(today.minusDays(daysBack), List.of());
        long earlier = DistributionTimeSlots.firstHourOf(today.minusDays(daysBack + 1));
        assertThatThrownBy(() -> assembly.add(today, List.of(TestKeys.key(1, earlier))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after those added before");
    }

    /** What a reader sees of each file: key, kind, cwa-hash, the SHA-256 of its bytes. */
    private static List<String> describe(List<ExportFile> files) {
        return files.stream().map(file -> file.objectKey() + " " + file.kind() + " " + file.cwaHash() + " " + file.sha256())
                .toList();
    }
}
