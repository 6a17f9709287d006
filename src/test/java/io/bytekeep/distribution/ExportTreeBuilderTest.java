package io.bytekeep.distribution;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.bytekeep.distribution.proto.TEKSignature;
import io.bytekeep.distribution.proto.TEKSignatureList;
import io.bytekeep.distribution.proto.TemporaryExposureKey;
import io.bytekeep.distribution.proto.TemporaryExposureKeyExport;
import io.bytekeep.publication.ExportFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tree of one run at 2026-11-21T05:30Z (so 2026-11-20 is complete, 2026-11-21 is not, and hour 5 of it is not)
 * for DE (origin) and FR plus the EU package, with a shifting threshold of 4 and at most 5 keys per file.
 */
class ExportTreeBuilderTest {

    private static final KeyPair SIGNING_KEYS = ExportSigningKey.generate();
    private static final Clock RUN = Clock.fixed(Instant.parse("2026-11-21T05:30:00Z"), ZoneOffset.UTC);
    /** Keys valid on 2026-11-18, expired 2026-11-19T00:00Z: their distribution hour is their submission hour. */
    private static final int EXPIRED_START = (int) (Instant.parse("2026-11-18T00:00:00Z").getEpochSecond() / 600);
    private static final String C = "version/v1/diagnosis-keys/country/";
    /** The archives of the fixed scenario, in the order the tree lists them (and the central index names them). */
    private static final List<String> ARCHIVES = List.of(
            C + "DE/date/2026-11-20/hour/1",
            C + "DE/date/2026-11-20/hour/6",
            C + "DE/date/2026-11-20/hour/6/batch/2",
            C + "DE/date/2026-11-20",
            C + "DE/date/2026-11-20/batch/2",
            C + "DE/date/2026-11-21/hour/2",
            C + "FR/date/2026-11-20/hour/6",
            C + "FR/date/2026-11-20/hour/10",
            C + "FR/date/2026-11-20",
            C + "FR/date/2026-11-21/hour/2",
            C + "EUR/date/2026-11-20/hour/1",
            C + "EUR/date/2026-11-20/hour/6",
            C + "EUR/date/2026-11-20/hour/6/batch/2",
            C + "EUR/date/2026-11-20/hour/10",
            C + "EUR/date/2026-11-20",
            C + "EUR/date/2026-11-20/batch/2",
            C + "EUR/date/2026-11-20/batch/3",
            C + "EUR/date/2026-11-21/hour/2");

    @TempDir
    Path dir;

    private static DiagnosisKey key(long n, String origin, Set<String> visited, String submissionHour) {
        return new DiagnosisKey(TestKeys.keyData(n), EXPIRED_START, 144, 6, ReportType.CONFIRMED_TEST, 2, origin,
                visited, TestKeys.hour(submissionHour));
    }

    private static List<DiagnosisKey> keys(long firstN, int count, String origin, Set<String> visited,
                                           String submissionHour) {
        List<DiagnosisKey> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(key(firstN + i, origin, visited, submissionHour));
        }
        return keys;
    }

    /**
     * <pre>
     *  n        origin visited  submitted            fate (threshold 4 for DE-origin keys)
     *  0..3     DE     DE       2026-11-20 01:00     4 keys: released in hour 1
     *  10,11    DE     DE       2026-11-20 03:00     2: shifted
     *  12       DE     DE       2026-11-20 04:00     3: shifted
     *  13       DE     DE,FR    2026-11-20 06:00     with 14, 15: 6: released in hour 6 (DE, FR gets 13)
     *  14,15    DE     DE       2026-11-20 06:00
     *  20       FR     FR,DE    2026-11-20 08:00     visited DE: DE's policies (as cwa-server): 1 key after hour 6,
     *                                                shifted, released with 50..53 in hour 2 of today (DE, FR, EUR)
     *  30       FR     FR       2026-11-20 10:00     no policies: hour 10 in FR, EUR
     *  40       IT     IT       2026-11-20 08:00     in no package: dropped
     *  50..53   DE     DE       2026-11-21 02:00     5 with 20: released in hour 2 of today
     *  60,61    DE     DE       2026-11-21 04:00     2: held back for a later run
     *  70..74   DE     DE       2026-11-21 05:00     current hour: not yet
     *  80       FR     FR       2026-11-21 05:00     current hour: not yet
     *  90       DE     DE       2026-11-21 03:00     valid until 2026-11-22: expiry policy holds it back
     * </pre>
     */
    static List<DiagnosisKey> runKeys() {
        List<DiagnosisKey> keys = new ArrayList<>();
        keys.addAll(keys(0, 4, "DE", Set.of("DE"), "2026-11-20T01:00:00Z"));
        keys.addAll(keys(10, 2, "DE", Set.of("DE"), "2026-11-20T03:00:00Z"));
        keys.add(key(12, "DE", Set.of("DE"), "2026-11-20T04:00:00Z"));
        keys.add(key(13, "DE", Set.of("DE", "FR"), "2026-11-20T06:00:00Z"));
        keys.addAll(keys(14, 2, "DE", Set.of("DE"), "2026-11-20T06:00:00Z"));
        keys.add(key(20, "FR", Set.of("FR", "DE"), "2026-11-20T08:00:00Z"));
        keys.add(key(30, "FR", Set.of("FR"), "2026-11-20T10:00:00Z"));
        keys.add(key(40, "IT", Set.of("IT"), "2026-11-20T08:00:00Z"));
        keys.addAll(keys(50, 4, "DE", Set.of("DE"), "2026-11-21T02:00:00Z"));
        keys.addAll(keys(60, 2, "DE", Set.of("DE"), "2026-11-21T04:00:00Z"));
        keys.addAll(keys(70, 5, "DE", Set.of("DE"), "2026-11-21T05:00:00Z"));
        keys.add(key(80, "FR", Set.of("FR"), "2026-11-21T05:00:00Z"));
        int today = (int) (Instant.parse("2026-11-21T00:00:00Z").getEpochSecond() / 600);
        keys.add(new DiagnosisKey(TestKeys.keyData(90), today, 144, 6, ReportType.CONFIRMED_TEST, 2, "DE",
                Set.of("DE"), TestKeys.hour("2026-11-21T03:00:00Z")));
        return keys;
    }

    private static ExportTreeBuilder builder(boolean incompleteDays, boolean incompleteHours, boolean allCountries) {
        ExportTreeBuilder.Settings settings = new ExportTreeBuilder.Settings("v1", List.of("DE", "FR"), "DE", "EUR",
                incompleteDays, incompleteHours, allCountries, 5, 1);
        return new ExportTreeBuilder(settings, new ExpiryPolicy(120), new ShiftingPolicy(4),
                new ExportEncoder(ExportEncoderTest.SIGNATURE, null), new ExportSigner(SIGNING_KEYS.getPrivate()),
                new ArchiveZipper(), RUN);
    }

    private static ExportTreeBuilder builder() {
        return builder(false, false, false);
    }

    private static Map<String, ExportFile> byKey(List<ExportFile> tree) {
        return tree.stream().collect(Collectors.toMap(ExportFile::objectKey, Function.identity(), (a, b) -> {
            throw new AssertionError("duplicate key " + a.objectKey());
        }, LinkedHashMap::new));
    }

    @Test
    void theTreeHasExactlyTheseObjectsInThisOrder() {
        List<ExportFile> tree = builder().build(runKeys());

        List<String> expected = new java.util.ArrayList<>(ARCHIVES);
        expected.addAll(List.of(
                C + "DE/date/2026-11-20/hour",
                C + "DE/date/2026-11-21/hour",
                C + "FR/date/2026-11-20/hour",
                C + "FR/date/2026-11-21/hour",
                C + "EUR/date/2026-11-20/hour",
                C + "EUR/date/2026-11-21/hour",
                C + "DE/date",
                C + "FR/date",
                C + "EUR/date",
                "version/v1/diagnosis-keys/country",
                "version/v1/diagnosis-keys/index.txt",
                "version"));
        assertThat(tree).extracting(ExportFile::objectKey).containsExactlyElementsOf(expected);
        assertThat(tree).filteredOn(f -> f.kind() == ExportFile.Kind.HOURLY_ARCHIVE).hasSize(12)
                .allSatisfy(f -> assertThat(f.contentType()).isEqualTo("application/zip"));
        assertThat(tree).filteredOn(f -> f.kind() == ExportFile.Kind.DAILY_ARCHIVE).hasSize(6)
                .allSatisfy(f -> assertThat(f.contentType()).isEqualTo("application/zip"));
        assertThat(tree).filteredOn(f -> f.kind() == ExportFile.Kind.INDEX).extracting(ExportFile::contentType)
                .containsOnly("application/json", "text/plain");
    }

    @Test
    void theArchivesCarryExactlyTheirKeys() throws Exception {
        Map<String, ExportFile> tree = byKey(builder().build(runKeys()));
        Map<String, List<Long>> expected = new LinkedHashMap<>();
        expected.put(C + "DE/date/2026-11-20/hour/1", List.of(0L, 1L, 2L, 3L));
        expected.put(C + "DE/date/2026-11-20/hour/6", List.of(10L, 11L, 12L, 13L, 14L));
        expected.put(C + "DE/date/2026-11-20/hour/6/batch/2", List.of(15L));
        expected.put(C + "DE/date/2026-11-20", List.of(0L, 1L, 2L, 3L, 10L));
        expected.put(C + "DE/date/2026-11-20/batch/2", List.of(11L, 12L, 13L, 14L, 15L));
        expected.put(C + "DE/date/2026-11-21/hour/2", List.of(20L, 50L, 51L, 52L, 53L));
        expected.put(C + "FR/date/2026-11-20/hour/6", List.of(13L));
        expected.put(C + "FR/date/2026-11-20/hour/10", List.of(30L));
        expected.put(C + "FR/date/2026-11-20", List.of(13L, 30L));
        expected.put(C + "FR/date/2026-11-21/hour/2", List.of(20L));
        expected.put(C + "EUR/date/2026-11-20/hour/1", List.of(0L, 1L, 2L, 3L));
        expected.put(C + "EUR/date/2026-11-20/hour/6", List.of(10L, 11L, 12L, 13L, 14L));
        expected.put(C + "EUR/date/2026-11-20/hour/6/batch/2", List.of(15L));
        expected.put(C + "EUR/date/2026-11-20/hour/10", List.of(30L));
        expected.put(C + "EUR/date/2026-11-20", List.of(0L, 1L, 2L, 3L, 10L));
        expected.put(C + "EUR/date/2026-11-20/batch/2", List.of(11L, 12L, 13L, 14L, 15L));
        expected.put(C + "EUR/date/2026-11-20/batch/3", List.of(30L));
        expected.put(C + "EUR/date/2026-11-21/hour/2", List.of(20L, 50L, 51L, 52L, 53L));

        for (Map.Entry<String, List<Long>> archive : expected.entrySet()) {
            TemporaryExposureKeyExport export =
                    ExportEncoder.decode(Archives.unzip(tree.get(archive.getKey()).bytes()).get("export.bin"));
            assertThat(export.getKeysList()).as(archive.getKey()).extracting(ExportTreeBuilderTest::numberOf)
                    .containsExactlyElementsOf(archive.getValue());
        }
    }

    @Test
    void anArchiveUnzipsToASignedExportWithRegionWindowAndBatch() throws Exception {
        Map<String, ExportFile> tree = byKey(builder().build(runKeys()));

        // hourly, national, second file of a batch of two
        Map<String, byte[]> hourly = Archives.unzip(tree.get(C + "DE/date/2026-11-20/hour/6/batch/2").bytes());
        assertThat(hourly).containsOnlyKeys("export.bin", "export.sig");
        assertThat(List.copyOf(hourly.keySet())).containsExactly("export.bin", "export.sig");
        TemporaryExposureKeyExport export = ExportEncoder.decode(hourly.get("export.bin"));
        assertThat(export.getRegion()).isEqualTo("DE");
        assertThat(export.getStartTimestamp()).isEqualTo(Instant.parse("2026-11-20T06:00:00Z").getEpochSecond());
        assertThat(export.getEndTimestamp()).isEqualTo(Instant.parse("2026-11-20T07:00:00Z").getEpochSecond());
        assertThat(export.getBatchNum()).isEqualTo(2);
        assertThat(export.getBatchSize()).isEqualTo(2);
        assertThat(export.getSignatureInfosList()).containsExactly(ExportEncoderTest.SIGNATURE.toProto());
        TemporaryExposureKey only = export.getKeys(0);
        assertThat(only.getKeyData().toByteArray()).isEqualTo(TestKeys.keyData(15));
        assertThat(only.getRollingStartIntervalNumber()).isEqualTo(EXPIRED_START);
        assertThat(only.getRollingPeriod()).isEqualTo(144);
        assertThat(only.getTransmissionRiskLevel()).isEqualTo(6);
        assertThat(only.getReportType()).isEqualTo(TemporaryExposureKey.ReportType.CONFIRMED_TEST);
        assertThat(only.getDaysSinceOnsetOfSymptoms()).isEqualTo(2);
        assertSigned(hourly, 2, 2);

        // daily, EU package, first file of three
        Map<String, byte[]> daily = Archives.unzip(tree.get(C + "EUR/date/2026-11-20").bytes());
        TemporaryExposureKeyExport day = ExportEncoder.decode(daily.get("export.bin"));
        assertThat(day.getRegion()).isEqualTo("EUR");
        assertThat(day.getStartTimestamp()).isEqualTo(Instant.parse("2026-11-20T00:00:00Z").getEpochSecond());
        assertThat(day.getEndTimestamp()).isEqualTo(Instant.parse("2026-11-21T00:00:00Z").getEpochSecond());
        assertThat(day.getBatchNum()).isEqualTo(1);
        assertThat(day.getBatchSize()).isEqualTo(3);
        assertSigned(daily, 1, 3);

        // a package of another supported country carries its own region
        TemporaryExposureKeyExport fr = ExportEncoder.decode(
                Archives.unzip(tree.get(C + "FR/date/2026-11-20/hour/10").bytes()).get("export.bin"));
        assertThat(fr.getRegion()).isEqualTo("FR");
        assertThat(fr.getBatchNum()).isEqualTo(1);
        assertThat(fr.getBatchSize()).isEqualTo(1);
    }

    private static void assertSigned(Map<String, byte[]> archive, int batchNum, int batchSize) throws Exception {
        TEKSignatureList list = TEKSignatureList.parseFrom(archive.get("export.sig"));
        assertThat(list.getSignaturesList()).hasSize(1);
        TEKSignature signature = list.getSignatures(0);
        assertThat(signature.getBatchNum()).isEqualTo(batchNum);
        assertThat(signature.getBatchSize()).isEqualTo(batchSize);
        assertThat(signature.getSignatureInfo()).isEqualTo(ExportEncoderTest.SIGNATURE.toProto());
        assertThat(ExportSigningKey.verify(SIGNING_KEYS.getPublic(), archive.get("export.bin"),
                signature.getSignature().toByteArray())).isTrue();
    }

    @Test
    void theIndexFilesListExactlyThis() {
        Map<String, ExportFile> tree = byKey(builder().build(runKeys()));

        assertThat(text(tree, "version")).isEqualTo("[\"v1\"]");
        assertThat(text(tree, "version/v1/diagnosis-keys/country")).isEqualTo("[\"DE\",\"FR\",\"EUR\"]");
        assertThat(text(tree, C + "DE/date")).isEqualTo("[\"2026-11-20\"]");
        assertThat(text(tree, C + "FR/date")).isEqualTo("[\"2026-11-20\"]");
        assertThat(text(tree, C + "EUR/date")).isEqualTo("[\"2026-11-20\"]");
        assertThat(text(tree, C + "DE/date/2026-11-20/hour")).isEqualTo("[1,6]");
        assertThat(text(tree, C + "DE/date/2026-11-21/hour")).isEqualTo("[2]");
        assertThat(text(tree, C + "FR/date/2026-11-20/hour")).isEqualTo("[6,10]");
        assertThat(text(tree, C + "FR/date/2026-11-21/hour")).isEqualTo("[2]");
        assertThat(text(tree, C + "EUR/date/2026-11-20/hour")).isEqualTo("[1,6,10]");
        assertThat(text(tree, C + "EUR/date/2026-11-21/hour")).isEqualTo("[2]");
        assertThat(text(tree, "version/v1/diagnosis-keys/index.txt")).isEqualTo(String.join("\n", ARCHIVES));
        assertThat(tree.get("version/v1/diagnosis-keys/index.txt").contentType()).isEqualTo("text/plain");
    }

    private static String text(Map<String, ExportFile> tree, String key) {
        assertThat(tree).containsKey(key);
        return new String(tree.get(key).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void buildingTwiceGivesIdenticalBytesAndHashes() {
        List<DiagnosisKey> keys = runKeys();
        List<ExportFile> first = builder().build(keys);
        List<DiagnosisKey> shuffled = new ArrayList<>(keys);
        java.util.Collections.reverse(shuffled);
        List<ExportFile> second = builder().build(shuffled);

        assertThat(second).isEqualTo(first);
        assertThat(second).extracting(ExportFile::cwaHash).isEqualTo(first.stream().map(ExportFile::cwaHash).toList());
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).bytes()).as(first.get(i).objectKey()).isEqualTo(first.get(i).bytes());
        }
    }

    @Test
    void cwaHashIsMd5OfTheMd5OfExportBinForArchivesAndMd5OfTheFileForIndexes() throws Exception {
        List<ExportFile> tree = builder().build(runKeys());
        String openssl = ExternalTool.require("openssl", "apt-get install -y openssl");

        for (ExportFile file : tree) {
            if (file.isArchive()) {
                byte[] bin = Archives.unzip(file.bytes()).get("export.bin");
                MessageDigest md5 = MessageDigest.getInstance("MD5");
                String independent = HexFormat.of().formatHex(md5.digest(md5.digest(bin)));
                assertThat(file.cwaHash()).as(file.objectKey()).isEqualTo(independent).hasSize(32);
            } else {
                String independent = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(file.bytes()));
                assertThat(file.cwaHash()).as(file.objectKey()).isEqualTo(independent);
            }
        }

        ExportFile archive = tree.get(1);
        Path bin = Files.write(dir.resolve("export.bin"), Archives.unzip(archive.bytes()).get("export.bin"));
        ExternalTool.Outcome complex = ExternalTool.run("sh", "-c",
                "'" + openssl + "' md5 -binary '" + bin + "' | '" + openssl + "' md5");
        assertThat(complex.exitCode()).as(complex.stderr()).isZero();
        assertThat(lastWord(complex.stdout())).isEqualTo(archive.cwaHash());

        ExportFile index = tree.get(tree.size() - 1);
        Path indexFile = Files.write(dir.resolve("index"), index.bytes());
        ExternalTool.Outcome plain = ExternalTool.run(openssl, "md5", indexFile.toString());
        assertThat(lastWord(plain.stdout())).isEqualTo(index.cwaHash());
    }

    /** The seed's own line, {@code md5 -q export.bin | tr a-z A-Z | xxd -p -r | md5 -q}, with GNU md5sum. */
    @Test
    void cwaHashMatchesTheSeedsShellLine() throws Exception {
        ExternalTool.require("xxd", "apt-get install -y xxd");
        ExternalTool.require("md5sum", "apt-get install -y coreutils");
        ExportFile archive = byKey(builder().build(runKeys())).get(C + "EUR/date/2026-11-20/batch/3");
        Path bin = Files.write(dir.resolve("export.bin"), Archives.unzip(archive.bytes()).get("export.bin"));
        ExternalTool.Outcome seedLine = ExternalTool.run("sh", "-c",
                "md5sum '" + bin + "' | cut -c1-32 | tr a-z A-Z | xxd -p -r | md5sum | cut -c1-32");
        assertThat(seedLine.stdout().trim()).isEqualTo(archive.cwaHash());
    }

    private static String lastWord(String line) {
        String[] words = line.trim().split("\\s+");
        return words[words.length - 1];
    }

    @Test
    void theIncompleteHourAndDayAndUndistributableKeysAreNotPublished() throws Exception {
        List<ExportFile> tree = builder().build(runKeys());
        Map<String, ExportFile> byKey = byKey(tree);

        assertThat(byKey.keySet()).noneMatch(key -> key.contains("/hour/5"))
                .noneMatch(key -> key.contains("/hour/4"))
                .doesNotContain(C + "DE/date/2026-11-21", C + "EUR/date/2026-11-21", C + "FR/date/2026-11-21");
        assertThat(text(byKey, C + "DE/date")).doesNotContain("2026-11-21");
        assertThat(text(byKey, C + "DE/date/2026-11-21/hour")).isEqualTo("[2]");

        // keys 40 (no package), 60/61 (held back), 70..74 and 80 (current hour), 90 (not expired) are nowhere
        Set<Long> published = new java.util.TreeSet<>();
        for (ExportFile file : tree) {
            if (file.isArchive()) {
                ExportEncoder.decode(Archives.unzip(file.bytes()).get("export.bin")).getKeysList()
                        .forEach(key -> published.add(numberOf(key)));
            }
        }
        assertThat(published).containsExactly(0L, 1L, 2L, 3L, 10L, 11L, 12L, 13L, 14L, 15L, 20L, 30L,
                50L, 51L, 52L, 53L);
    }

    @Test
    void withIncompleteDaysAndHoursTodayAndTheCurrentHourArePublished() {
        Map<String, ExportFile> tree = byKey(builder(true, true, false).build(runKeys()));

        // the current hour 5 now counts: 60, 61 (hour 4) and 70..74 (hour 5) reach the threshold in hour 5
        assertThat(tree).containsKeys(C + "DE/date/2026-11-21/hour/5", C + "DE/date/2026-11-21",
                C + "FR/date/2026-11-21/hour/5", C + "EUR/date/2026-11-21");
        assertThat(text(tree, C + "DE/date/2026-11-21/hour")).isEqualTo("[2,5]");
        assertThat(text(tree, C + "DE/date")).isEqualTo("[\"2026-11-20\",\"2026-11-21\"]");
    }

    @Test
    void applyPoliciesForAllCountriesShiftsTheForeignKeysToo() {
        Map<String, ExportFile> tree = byKey(builder(false, false, true).build(runKeys()));

        // 20 and 30 join the DE keys' accumulator: 2 keys after hour 10, released with 50..53 in hour 2 of today
        assertThat(tree.keySet()).filteredOn(key -> key.startsWith(C + "FR/")).containsExactly(
                C + "FR/date/2026-11-20/hour/6",
                C + "FR/date/2026-11-20",
                C + "FR/date/2026-11-21/hour/2",
                C + "FR/date/2026-11-20/hour",
                C + "FR/date/2026-11-21/hour",
                C + "FR/date");
        assertThat(text(tree, C + "DE/date/2026-11-20/hour")).isEqualTo("[1,6]");
        assertThat(text(tree, C + "EUR/date/2026-11-20/hour")).isEqualTo("[1,6]");
        assertThat(text(tree, C + "EUR/date/2026-11-21/hour")).isEqualTo("[2]");
    }

    @Test
    void everyIndexEntryAndEverythingBelowAnIndexComesEarlierInTheList() {
        List<ExportFile> tree = builder().build(runKeys());
        assertOrdered(tree);
        assertOrdered(builder(true, true, true).build(runKeys()));
        assertOrdered(builder().build(List.of()));
    }

    private static void assertOrdered(List<ExportFile> tree) {
        List<String> keys = tree.stream().map(ExportFile::objectKey).toList();
        int firstIndex = keys.size();
        for (int i = 0; i < tree.size(); i++) {
            ExportFile file = tree.get(i);
            if (!file.isArchive()) {
                firstIndex = Math.min(firstIndex, i);
                continue;
            }
            assertThat(i).as("archive %s after an index file", file.objectKey()).isLessThan(firstIndex);
        }
        for (int i = 0; i < tree.size(); i++) {
            ExportFile file = tree.get(i);
            if (file.isArchive()) {
                continue;
            }
            List<String> earlier = keys.subList(0, i);
            String content = new String(file.bytes(), StandardCharsets.UTF_8);
            if (file.objectKey().endsWith("index.txt")) {
                List<String> listed = content.isEmpty() ? List.of() : List.of(content.split("\n"));
                assertThat(earlier).containsAll(listed);
                assertThat(listed).containsExactlyInAnyOrderElementsOf(
                        tree.stream().filter(ExportFile::isArchive).map(ExportFile::objectKey).toList());
                continue;
            }
            String folder = file.objectKey() + "/";
            // everything in the listed folder is uploaded before the listing
            assertThat(keys.subList(i + 1, keys.size())).as("after %s", file.objectKey())
                    .noneMatch(later -> later.startsWith(folder));
            // and each entry names something already there: an archive (hour, date) or a subtree (country, version)
            for (String entry : entries(content)) {
                String target = folder + entry;
                assertThat(earlier).as("%s lists %s", file.objectKey(), entry)
                        .anyMatch(key -> key.equals(target) || key.startsWith(target + "/"));
                if (file.objectKey().endsWith("/hour") || file.objectKey().endsWith("/date")) {
                    assertThat(earlier).as("%s lists %s", file.objectKey(), entry).contains(target);
                }
            }
        }
    }

    private static List<String> entries(String json) {
        String inner = json.substring(1, json.length() - 1);
        if (inner.isEmpty()) {
            return List.of();
        }
        return java.util.Arrays.stream(inner.split(",")).map(entry -> entry.replace("\"", "")).toList();
    }

    @Test
    void noKeysGiveTheEmptyListingsOnly() {
        List<ExportFile> tree = builder().build(List.of());

        assertThat(tree).extracting(ExportFile::objectKey).containsExactly(
                C + "DE/date", C + "FR/date", C + "EUR/date", "version/v1/diagnosis-keys/country",
                "version/v1/diagnosis-keys/index.txt", "version");
        Map<String, ExportFile> byKey = byKey(tree);
        assertThat(text(byKey, C + "DE/date")).isEqualTo("[]");
        assertThat(text(byKey, "version/v1/diagnosis-keys/index.txt")).isEmpty();
        assertThat(byKey.get("version/v1/diagnosis-keys/index.txt").cwaHash())
                .isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    }

    @Test
    void retentionDeletesThePrefixesOfDatesBeforeTheCutoff() {
        ExportPaths paths = builder().paths();
        LocalDate cutoff = ExportPaths.retentionCutoff(RUN, 14);
        assertThat(cutoff).isEqualTo(LocalDate.parse("2026-11-07"));

        List<String> existing = List.of(
                C + "DE/date/2026-11-05",
                C + "DE/date/2026-11-05/hour",
                C + "DE/date/2026-11-05/hour/3",
                C + "DE/date/2026-11-06/hour/23",
                C + "DE/date/2026-11-07",
                C + "DE/date/2026-11-07/hour/0",
                C + "EUR/date/2026-11-06/batch/2",
                C + "FR/date/2026-11-20",
                C + "DE/date",
                "version/v1/diagnosis-keys/country",
                "version/v1/diagnosis-keys/index.txt",
                "version/v1/configuration/country/DE/app_config",
                C + "DE/date/not-a-date/hour/1");

        assertThat(paths.retentionPrefixes(cutoff, existing)).containsExactly(
                C + "DE/date/2026-11-05",
                C + "DE/date/2026-11-06",
                C + "EUR/date/2026-11-06");
        assertThat(paths.retentionPrefix("DE", LocalDate.parse("2026-11-05"))).isEqualTo(C + "DE/date/2026-11-05");
    }

    @Test
    void keysBelowTheMinimumTransmissionRiskLevelAreNeitherPublishedNorCountedForShifting() {
        // hour 1 has four keys at TRL 6 and is released at threshold 4; with one of them at TRL 2 and a minimum of 3,
        // three are left: the hour is shifted, as in the CWA server, whose query leaves such keys out
        List<DiagnosisKey> keys = new ArrayList<>(runKeys());
        DiagnosisKey first = keys.get(0);
        keys.set(0, new DiagnosisKey(first.keyData(), first.rollingStartIntervalNumber(), first.rollingPeriod(), 2,
                first.reportType(), first.daysSinceOnsetOfSymptoms(), first.originCountry(), first.visitedCountries(),
                first.submissionTimestamp()));
        ExportTreeBuilder.Settings minimumThree = new ExportTreeBuilder.Settings("v1", List.of("DE", "FR"), "DE", "EUR",
                false, false, false, 5, 3);
        List<String> published = new ExportTreeBuilder(minimumThree, new ExpiryPolicy(120), new ShiftingPolicy(4),
                new ExportEncoder(ExportEncoderTest.SIGNATURE, TransmissionRiskEncoding.CWA),
                new ExportSigner(SIGNING_KEYS.getPrivate()), new ArchiveZipper(), RUN)
                .build(keys).stream().map(ExportFile::objectKey).toList();
        List<String> withAllLevels = builder().build(keys).stream().map(ExportFile::objectKey).toList();
        assertThat(withAllLevels).contains(C + "DE/date/2026-11-20/hour/1");
        assertThat(published).doesNotContain(C + "DE/date/2026-11-20/hour/1").contains(C + "DE/date/2026-11-20/hour/3");
    }

    @Test
    void settingsRefuseWhatWouldBreakTheTree() {
        assertThatThrownBy(() -> new ExportTreeBuilder.Settings("v1", List.of("DE"), "FR", "EUR", false, false,
                false, 10, 3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("origin country");
        assertThatThrownBy(() -> new ExportTreeBuilder.Settings("v1", List.of("DE", "EUR"), "DE", "EUR", false,
                false, false, 10, 3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EU package");
        assertThatThrownBy(() -> new ExportTreeBuilder.Settings("v1", List.of("D/E"), "D/E", "EUR", false, false,
                false, 10, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExportTreeBuilder.Settings("v1", List.of("DE"), "DE", "EUR", false, false,
                false, 10, 9)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..8, was 9");
        assertThat(ExportTreeBuilder.Settings.cwaDefaults(List.of("DE"), "DE").packages())
                .containsExactly("DE", "EUR");
        assertThatThrownBy(() -> ExportFile.index("version/index", new byte[0], ExportFile.APPLICATION_JSON))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static long numberOf(TemporaryExposureKey key) {
        return java.nio.ByteBuffer.wrap(key.getKeyData().toByteArray()).getLong();
    }

}
