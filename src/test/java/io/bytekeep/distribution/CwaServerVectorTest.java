package io.bytekeep.distribution;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.google.protobuf.UnknownFieldSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.bytekeep.distribution.proto.config.ApplicationConfiguration;
import io.bytekeep.distribution.proto.config.ApplicationConfigurationAndroid;
import io.bytekeep.distribution.proto.config.ApplicationConfigurationIOS;
import io.bytekeep.publication.ExportFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytekeep's archives against what cwa-server's own distribution published for the same keys: the vector in
 * {@code src/test/resources/cwa-server-vector/} was recorded by running cwa-server (commit in
 * {@code vector.properties}) from its public source with {@code src/test/cwa-server/record-vector.sh}, which keeps how
 * to record it again. Bytekeep builds its tree for the same keys, at the same hour, with cwa-server's settings of that
 * run (DE and FR supported, origin DE, shifting threshold 140, expiry 120 min, minimum TRL 3, its TRL encoding, the
 * dev app bundle id, no Android package), and every export.bin must equal cwa-server's byte for byte.
 * <p>
 * Where the two trees differ, this test pins the difference down (docs/DISTRIBUTION.md, "Compared with cwa-server"):
 * cwa-server also publishes an archive without keys for every other hour of a date with hourly archives, publishes
 * hourly archives only for today and yesterday ({@code hour-file-retention-days}), and no package of a supported
 * country other than the origin country (FR here); Bytekeep does otherwise in all three.
 */
class CwaServerVectorTest {

    private static final Path VECTOR = Path.of("src/test/resources/cwa-server-vector");
    private static final String PREFIX = "version/v1/diagnosis-keys/country/";

    private static Map<String, byte[]> cwaServer;
    private static Map<String, byte[]> bytekeep;
    private static long runHour;

    @BeforeAll
    static void buildBothTrees() throws Exception {
        Properties vector = new Properties();
        try (Reader reader = Files.newBufferedReader(VECTOR.resolve("vector.properties"))) {
            vector.load(reader);
        }
        cwaServer = base64Lines("export-bins.txt");
        assertThat(cwaServer).hasSize(Integer.parseInt(vector.getProperty("archives")));

        runHour = Long.parseLong(vector.getProperty("run.hour"));
        Clock runTime = Clock.fixed(Instant.ofEpochSecond(runHour * 3600 + 1800), ZoneOffset.UTC);
        List<String> countries = List.of(vector.getProperty("supported-countries").split(","));
        ExportTreeBuilder builder = new ExportTreeBuilder(
                ExportTreeBuilder.Settings.cwaDefaults(countries, "DE"),
                new ExpiryPolicy(120), new ShiftingPolicy(140),
                new ExportEncoder(SignatureSettings.cwaDefaults(vector.getProperty("app-bundle-id"), ""),
                        TransmissionRiskEncoding.CWA),
                new ExportSigner(ExportSigningKey.generate().getPrivate()), new ArchiveZipper(), runTime);
        bytekeep = new TreeMap<>();
        for (ExportFile file : builder.build(keys())) {
            if (file.isArchive()) {
                bytekeep.put(file.objectKey(), Archives.unzip(file.bytes()).get(ArchiveZipper.EXPORT_BIN));
            }
        }
    }

    @Test
    void everyArchiveWithKeysIsByteIdentical() {
        Set<String> cwaServerWithKeys = cwaServer.entrySet().stream()
                .filter(entry -> ExportEncoder.decode(entry.getValue()).getKeysCount() > 0)
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertThat(cwaServerWithKeys).hasSizeGreaterThan(5)
                .anyMatch(key -> key.contains("/EUR/")).anyMatch(key -> key.contains("/DE/"))
                .anyMatch(key -> key.contains("/hour/")).anyMatch(key -> !key.contains("/hour/"));
        cwaServerWithKeys.forEach(key -> {
            assertThat(bytekeep).as("Bytekeep publishes %s", key).containsKey(key);
            assertThat(bytekeep.get(key)).as("export.bin of %s", key).isEqualTo(cwaServer.get(key));
        });
    }

    @Test
    void theTreesDifferOnlyWhereDocumented() {
        // cwa-server: an archive without keys for every other hour of a date that has hourly archives
        assertThat(cwaServer.keySet().stream().filter(key -> !bytekeep.containsKey(key)))
                .isNotEmpty().allSatisfy(key -> {
                    assertThat(key).contains("/hour/");
                    assertThat(ExportEncoder.decode(cwaServer.get(key)).getKeysCount()).as(key).isZero();
                });
        // Bytekeep: the package of the other supported country, and hourly archives of dates before yesterday
        // (cwa-server's hour-file-retention-days, 2), whose keys are in their date's archive, identical in both
        LocalDate cutOff = LocalDate.ofEpochDay(runHour / 24).minusDays(2);
        assertThat(bytekeep.keySet().stream().filter(key -> !cwaServer.containsKey(key)))
                .isNotEmpty().allSatisfy(key -> {
                    if (!key.startsWith(PREFIX + "FR/")) {
                        String date = key.replaceFirst(".*/date/([0-9-]+)/hour/.*", "$1");
                        assertThat(LocalDate.parse(date)).as(key).isBeforeOrEqualTo(cutOff);
                        assertThat(cwaServer).containsKey(key.substring(0, key.indexOf("/hour/")));
                    }
                });
    }

    @Test
    void theVectorHasWhatTheRulesActOn() throws IOException {
        List<DiagnosisKey> keys = keys();
        // keys below the minimum TRL, of every report type submitted, from the federation gateway, still valid
        assertThat(keys).extracting(DiagnosisKey::transmissionRiskLevel).contains(1, 2, 3, 8);
        assertThat(keys).extracting(DiagnosisKey::originCountry).contains("DE", "FR");
        long published = cwaServer.values().stream().mapToLong(bin -> ExportEncoder.decode(bin).getKeysCount()).sum();
        assertThat(published).isPositive();
        // TRL 1 and 2 are never published
        assertThat(cwaServer.values()).allSatisfy(bin -> assertThat(ExportEncoder.decode(bin).getKeysList())
                .allSatisfy(key -> assertThat(key.getTransmissionRiskLevel()).isGreaterThanOrEqualTo(3)));
    }

    /**
     * cwa-server's published configuration documents, read with Bytekeep's schema (app_config.proto), against the
     * documents Bytekeep publishes from config/app-configuration.yaml: every field Bytekeep models has cwa-server's
     * number, type and value. Left aside: the top-level fields Bytekeep does not model (unknown to its schema: v1 app
     * version and key download / exposure detection parameters, v2 surveys, analytics, presence tracing, tests,
     * certificates, self reports) and the app feature flags of the CWA app (appFeatures).
     */
    @Test
    void theConfigurationDocumentsHaveCwaServersFieldsAndValues() throws Exception {
        Map<String, byte[]> published = base64Lines("configuration-bins.txt");
        List<String> countries = List.of("DE", "FR");
        ConfigurationDocuments ours = ConfigurationDocuments.parse(
                Files.readString(Path.of("config/app-configuration.yaml")), "config/app-configuration.yaml", countries);
        assertSameModelledFields(ApplicationConfiguration.parseFrom(
                published.get("version/v1/configuration/country/DE/app_config")), ours.exposureConfiguration(),
                Set.of(5, 8, 9, 10, 11));
        assertSameModelledFields(ApplicationConfigurationAndroid.parseFrom(published.get("version/v2/app_config_android")),
                ours.android(), Set.of(10, 11, 12, 13, 14, 15, 16));
        assertSameModelledFields(ApplicationConfigurationIOS.parseFrom(published.get("version/v2/app_config_ios")),
                ours.ios(), Set.of(9, 10, 11, 12, 13, 14, 15));
    }

    private static void assertSameModelledFields(Message theirs, Message ours, Set<Integer> unmodelled) {
        assertThat(theirs.getUnknownFields().asMap().keySet()).as("fields of %s Bytekeep does not model",
                theirs.getDescriptorForType().getName()).isSubsetOf(unmodelled);
        assertThat(nestedUnknownFields(theirs, false)).as("unknown fields inside modelled messages").isEmpty();
        Message.Builder comparable = theirs.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance());
        Message.Builder expected = ours.toBuilder();
        for (Message.Builder builder : List.of(comparable, expected)) {
            builder.clearField(builder.getDescriptorForType().findFieldByName("appFeatures"));
        }
        assertThat(TextFormat.printer().printToString(expected.build()))
                .isEqualTo(TextFormat.printer().printToString(comparable.build()));
    }

    /** Field paths of unknown fields below the top level. */
    private static List<String> nestedUnknownFields(Message message, boolean nested) {
        List<String> unknown = new ArrayList<>();
        if (nested) {
            message.getUnknownFields().asMap().keySet().forEach(number ->
                    unknown.add(message.getDescriptorForType().getFullName() + "#" + number));
        }
        message.getAllFields().forEach((field, value) -> {
            if (field.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE) {
                List<?> values = field.isRepeated() ? (List<?>) value : List.of(value);
                values.forEach(v -> unknown.addAll(nestedUnknownFields((Message) v, true)));
            }
        });
        return unknown;
    }

    private static Map<String, byte[]> base64Lines(String file) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        for (String line : Files.readAllLines(VECTOR.resolve(file))) {
            String[] keyAndBin = line.split(" ", 2);
            entries.put(keyAndBin[0], Base64.getDecoder().decode(keyAndBin[1]));
        }
        return entries;
    }

    private static List<DiagnosisKey> keys() throws IOException {
        List<DiagnosisKey> keys = new ArrayList<>();
        List<String> lines = Files.readAllLines(VECTOR.resolve("keys.csv"), StandardCharsets.US_ASCII);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            keys.add(new DiagnosisKey(HexFormat.of().parseHex(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]), ReportType.valueOf(f[4]), Integer.parseInt(f[5]), f[6],
                    Set.of(f[7].split("\\+")), Long.parseLong(f[8])));
        }
        return keys;
    }
}
