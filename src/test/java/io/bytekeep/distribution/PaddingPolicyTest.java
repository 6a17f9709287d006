package io.bytekeep.distribution;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.bytekeep.publication.ExportFile;

class PaddingPolicyTest {

    private static final byte[] SECRET = "a padding secret of thirty-two characters at least".getBytes(StandardCharsets.UTF_8);
    private static final long DAY = TestKeys.hour("2026-11-20T00:00:00Z") / 24;
    private static final long MIDNIGHT = DAY * 24;
    private static final KeyPair SIGNING_KEYS = ExportSigningKey.generate();

    private final PaddingPolicy padding = new PaddingPolicy(140, SECRET);

    @Test
    void smallCompleteHoursAreFilledUpToTheThresholdAndNothingIsHeldBack() {
        Random random = new Random(1);
        SortedMap<Long, List<DiagnosisKey>> byHour = new TreeMap<>();
        byHour.put(MIDNIGHT + 1, realKeys(random, 3, MIDNIGHT + 1));
        byHour.put(MIDNIGHT + 2, realKeys(random, 200, MIDNIGHT + 2));
        byHour.put(MIDNIGHT + 4, realKeys(random, 139, MIDNIGHT + 4));
        byHour.put(MIDNIGHT + 6, realKeys(random, 5, MIDNIGHT + 6)); // the run's hour: not complete

        SmallBundlePolicy.Result result = padding.apply(byHour, MIDNIGHT + 6);

        assertThat(result.heldBack()).isEmpty();
        assertThat(result.keysByHour()).containsOnlyKeys(MIDNIGHT + 1, MIDNIGHT + 2, MIDNIGHT + 4);
        assertThat(result.keysByHour().get(MIDNIGHT + 1)).hasSize(140).containsAll(byHour.get(MIDNIGHT + 1));
        assertThat(result.keysByHour().get(MIDNIGHT + 2)).hasSize(200)
                .containsExactlyInAnyOrderElementsOf(byHour.get(MIDNIGHT + 2));
        assertThat(result.keysByHour().get(MIDNIGHT + 4)).hasSize(140).containsAll(byHour.get(MIDNIGHT + 4));
        // every fake has fresh key data and the fields of a real key of the day
        Set<String> realFields = byHour.values().stream().flatMap(List::stream).map(PaddingPolicyTest::fieldsButKeyData)
                .collect(Collectors.toSet());
        List<DiagnosisKey> fakes = fakesOf(result, byHour);
        assertThat(fakes).hasSize(137 + 1);
        assertThat(fakes).allSatisfy(fake -> assertThat(realFields).contains(fieldsButKeyData(fake)));
        assertThat(fakes.stream().map(key -> Arrays.toString(key.keyData())).distinct()).hasSize(fakes.size());
    }

    @Test
    void theFakesDependOnTheSecretAndTheHourOnly() {
        Random random = new Random(2);
        SortedMap<Long, List<DiagnosisKey>> byHour = new TreeMap<>(Map.of(MIDNIGHT + 3, realKeys(random, 10, MIDNIGHT + 3)));
        List<DiagnosisKey> first = padding.apply(byHour, MIDNIGHT + 4).keysByHour().get(MIDNIGHT + 3);
        List<DiagnosisKey> again = new PaddingPolicy(140, SECRET.clone()).apply(byHour, MIDNIGHT + 9).keysByHour()
                .get(MIDNIGHT + 3);
        assertThat(again).containsExactlyElementsOf(first);
        byte[] otherSecret = SECRET.clone();
        otherSecret[0] ^= 1;
        List<DiagnosisKey> other = new PaddingPolicy(140, otherSecret).apply(byHour, MIDNIGHT + 4).keysByHour()
                .get(MIDNIGHT + 3);
        assertThat(keyData(other)).containsAll(keyData(byHour.get(MIDNIGHT + 3)))
                .doesNotContainAnyElementsOf(minus(keyData(first), keyData(byHour.get(MIDNIGHT + 3))));
    }

    @Test
    void aReRunWithNewKeysPublishesThePaddedArchivesOfEarlierHoursByteForByte() {
        Random random = new Random(3);
        List<DiagnosisKey> keys = new ArrayList<>();
        for (int hour = 0; hour < 10; hour++) {
            keys.addAll(realKeys(random, 1 + random.nextInt(60), MIDNIGHT + hour));
        }
        Map<String, byte[]> first = archives(keys, MIDNIGHT + 10);
        // five hours later: keys of the hours since, and keys submitted now that expire later
        for (int hour = 10; hour < 15; hour++) {
            keys.addAll(realKeys(random, 1 + random.nextInt(60), MIDNIGHT + hour));
        }
        Map<String, byte[]> later = archives(keys, MIDNIGHT + 15);

        List<String> earlierHours = first.keySet().stream().filter(key -> key.contains("/hour/")).toList();
        assertThat(earlierHours).hasSize(2 * 10); // DE and EUR, every hour has keys
        earlierHours.forEach(key -> assertThat(later.get(key)).as(key).isEqualTo(first.get(key)));
        assertThat(later.keySet()).contains(earlierHours.get(0).replaceFirst("/hour/0$", "/hour/14"));
    }

    @Test
    void fakeAndRealKeysHaveTheSameDistributionOfEveryField() {
        Random random = new Random(4);
        SortedMap<Long, List<DiagnosisKey>> byHour = new TreeMap<>();
        for (long day = DAY; day < DAY + 7; day++) {
            for (int hour = 0; hour < 24; hour++) {
                long h = day * 24 + hour;
                byHour.put(h, realKeys(random, 1 + random.nextInt(120), h));
            }
        }
        SmallBundlePolicy.Result result = padding.apply(byHour, (DAY + 7) * 24);
        List<DiagnosisKey> real = byHour.values().stream().flatMap(List::stream).toList();
        List<DiagnosisKey> fakes = fakesOf(result, byHour);
        assertThat(fakes).hasSizeGreaterThan(real.size());

        assertSameDistribution("transmission risk level", real, fakes, DiagnosisKey::transmissionRiskLevel);
        assertSameDistribution("rolling period", real, fakes, key -> key.rollingPeriod() == 144 ? "144" : "shorter");
        assertSameDistribution("key age in days", real, fakes,
                key -> key.submissionTimestamp() / 24 - key.rollingStartIntervalNumber() / 144);
        assertSameDistribution("report type", real, fakes, DiagnosisKey::reportType);
        assertSameDistribution("days since onset", real, fakes, key -> Math.floorDiv(key.daysSinceOnsetOfSymptoms(), 5));
        assertSameDistribution("visited countries", real, fakes, key -> key.visitedCountries().size());

        // key data: every byte value equally often, as in random keys (chi-square, 255 degrees of freedom)
        long[] counts = new long[256];
        fakes.forEach(key -> {
            for (byte b : key.keyData()) {
                counts[b & 0xFF]++;
            }
        });
        double expected = fakes.size() * 16.0 / 256;
        double chiSquare = Arrays.stream(counts).mapToDouble(c -> (c - expected) * (c - expected) / expected).sum();
        assertThat(chiSquare).as("chi-square of the key data bytes").isLessThan(criticalChiSquare(255));
    }

    @Test
    void refusesAShortSecret() {
        assertThatThrownBy(() -> new PaddingPolicy(140, new byte[31])).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> new PaddingPolicy(0, SECRET)).hasMessageContaining(">= 1");
    }

    /** Real-looking keys: TRL skewed to the middle, most keys a full day, of the last 1..13 days, some visitors. */
    private static List<DiagnosisKey> realKeys(Random random, int count, long submissionHour) {
        List<DiagnosisKey> keys = new ArrayList<>();
        int[] levels = {1, 2, 3, 3, 4, 5, 5, 5, 6, 6, 7, 8};
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[16];
            random.nextBytes(data);
            long keyDay = submissionHour / 24 - 1 - Math.min(12, (long) Math.abs(random.nextGaussian() * 4));
            int period = random.nextInt(10) == 0 ? 1 + random.nextInt(143) : 144;
            keys.add(new DiagnosisKey(data, Math.toIntExact(keyDay * 144), period, levels[random.nextInt(levels.length)],
                    random.nextInt(4) == 0 ? ReportType.SELF_REPORT : ReportType.CONFIRMED_TEST,
                    random.nextInt(20) - 5, "DE", random.nextInt(3) == 0 ? Set.of("DE", "FR") : Set.of("DE"),
                    submissionHour));
        }
        return keys;
    }

    private Map<String, byte[]> archives(List<DiagnosisKey> keys, long runHour) {
        Clock run = Clock.fixed(Instant.ofEpochSecond(runHour * 3600 + 600), ZoneOffset.UTC);
        ExportTreeBuilder builder = new ExportTreeBuilder(ExportTreeBuilder.Settings.cwaDefaults(List.of("DE"), "DE"),
                new ExpiryPolicy(120), padding,
                new ExportEncoder(ExportEncoderTest.SIGNATURE, TransmissionRiskEncoding.CWA),
                new ExportSigner(SIGNING_KEYS.getPrivate()), new ArchiveZipper(), run);
        return builder.build(keys).stream().filter(ExportFile::isArchive)
                .collect(Collectors.toMap(ExportFile::objectKey, ExportFile::bytes));
    }

    private static List<DiagnosisKey> fakesOf(SmallBundlePolicy.Result result, Map<Long, List<DiagnosisKey>> real) {
        Set<String> realData = real.values().stream().flatMap(List::stream).map(key -> Arrays.toString(key.keyData()))
                .collect(Collectors.toSet());
        return result.keysByHour().values().stream().flatMap(List::stream)
                .filter(key -> !realData.contains(Arrays.toString(key.keyData()))).toList();
    }

    private static String fieldsButKeyData(DiagnosisKey key) {
        return key.rollingStartIntervalNumber() + "/" + key.rollingPeriod() + "/" + key.transmissionRiskLevel() + "/"
                + key.reportType() + "/" + key.daysSinceOnsetOfSymptoms() + "/" + key.originCountry() + "/"
                + key.visitedCountries();
    }

    private static Set<String> keyData(Collection<DiagnosisKey> keys) {
        return keys.stream().map(key -> Arrays.toString(key.keyData())).collect(Collectors.toSet());
    }

    private static Set<String> minus(Set<String> all, Set<String> some) {
        Set<String> rest = new HashSet<>(all);
        rest.removeAll(some);
        return rest;
    }

    /** Chi-square test of homogeneity of two samples over the categories of a field, at the 0.1 % level. */
    private static void assertSameDistribution(String field, List<DiagnosisKey> real, List<DiagnosisKey> fakes,
                                               Function<DiagnosisKey, Object> category) {
        Map<Object, Long> realCounts = real.stream().collect(Collectors.groupingBy(category, Collectors.counting()));
        Map<Object, Long> fakeCounts = fakes.stream().collect(Collectors.groupingBy(category, Collectors.counting()));
        Set<Object> categories = new HashSet<>(realCounts.keySet());
        categories.addAll(fakeCounts.keySet());
        double total = real.size() + fakes.size();
        double chiSquare = 0;
        for (Object c : categories) {
            long r = realCounts.getOrDefault(c, 0L);
            long f = fakeCounts.getOrDefault(c, 0L);
            double expectedReal = (r + f) * real.size() / total;
            double expectedFake = (r + f) * fakes.size() / total;
            chiSquare += (r - expectedReal) * (r - expectedReal) / expectedReal
                    + (f - expectedFake) * (f - expectedFake) / expectedFake;
        }
        assertThat(categories).as(field).hasSizeGreaterThan(1);
        assertThat(chiSquare).as("chi-square of %s over %s", field, categories)
                .isLessThan(criticalChiSquare(categories.size() - 1));
    }

    /** The 99.9 % quantile of chi-square (Wilson–Hilferty). */
    private static double criticalChiSquare(int degreesOfFreedom) {
        double k = degreesOfFreedom;
        double z = 3.09;
        return k * Math.pow(1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k)), 3);
    }
}
