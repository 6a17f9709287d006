package io.bytekeep.distribution;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.bytekeep.distribution.proto.TemporaryExposureKey;
import io.bytekeep.distribution.proto.TemporaryExposureKeyExport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportEncoderTest {

    static final SignatureSettings SIGNATURE = SignatureSettings.cwaDefaults("de.rki.coronawarnapp", "de.rki.coronawarnapp");
    static final long HOUR = TestKeys.hour("2020-06-05T05:00:00Z");
    static final long START = DistributionTimeSlots.startEpochSecond(HOUR);
    static final long END = DistributionTimeSlots.endEpochSecond(HOUR);

    private final ExportEncoder encoder = new ExportEncoder(SIGNATURE, null);

    static DiagnosisKey keyWithFirstByte(int firstByte) {
        byte[] data = new byte[16];
        data[0] = (byte) firstByte;
        data[15] = 7;
        return new DiagnosisKey(data, TestKeys.JUNE_FIRST_INTERVAL, 144, 5, ReportType.CONFIRMED_TEST, -3, "DE",
                Set.of(), HOUR);
    }

    @Test
    void theHeaderIsEkExportV1PaddedWithSpacesTo16Bytes() {
        byte[] bin = encoder.encode("DE", START, END, 1, 1, List.of(keyWithFirstByte(1)));
        assertThat(Arrays.copyOf(bin, 16)).isEqualTo("EK Export v1    ".getBytes(StandardCharsets.US_ASCII));
        assertThat(ExportEncoder.headerBytes()).hasSize(16)
                .isEqualTo(new byte[] {'E', 'K', ' ', 'E', 'x', 'p', 'o', 'r', 't', ' ', 'v', '1', ' ', ' ', ' ', ' '});
    }

    @Test
    void carriesTheWindowRegionBatchAndSignatureInfo() {
        TemporaryExposureKeyExport export = ExportEncoder.decode(
                encoder.encode("DE", START, END, 2, 3, List.of(keyWithFirstByte(1))));
        assertThat(export.getStartTimestamp()).isEqualTo(START);
        assertThat(export.getEndTimestamp()).isEqualTo(END);
        assertThat(export.getRegion()).isEqualTo("DE");
        assertThat(export.getBatchNum()).isEqualTo(2);
        assertThat(export.getBatchSize()).isEqualTo(3);
        assertThat(export.getSignatureInfosList()).singleElement().satisfies(info -> {
            assertThat(info.getAppBundleId()).isEqualTo("de.rki.coronawarnapp");
            assertThat(info.getAndroidPackage()).isEqualTo("de.rki.coronawarnapp");
            assertThat(info.getVerificationKeyVersion()).isEqualTo("v1");
            assertThat(info.getVerificationKeyId()).isEqualTo("262");
            assertThat(info.getSignatureAlgorithm()).isEqualTo("1.2.840.10045.4.3.2");
        });
        TemporaryExposureKey key = export.getKeys(0);
        assertThat(key.getKeyData().toByteArray()).isEqualTo(keyWithFirstByte(1).keyData());
        assertThat(key.getTransmissionRiskLevel()).isEqualTo(5);
        assertThat(key.getRollingStartIntervalNumber()).isEqualTo(TestKeys.JUNE_FIRST_INTERVAL);
        assertThat(key.getRollingPeriod()).isEqualTo(144);
        assertThat(key.getReportType()).isEqualTo(TemporaryExposureKey.ReportType.CONFIRMED_TEST);
        assertThat(key.getDaysSinceOnsetOfSymptoms()).isEqualTo(-3);
    }

    @Test
    void eachKeyCarriesTheReportTypeAndDaysSinceOnsetOfItsTransmissionRiskLevel() {
        ExportEncoder cwa = new ExportEncoder(SIGNATURE, TransmissionRiskEncoding.CWA);
        List<DiagnosisKey> keys = new ArrayList<>();
        for (int level = 1; level <= 8; level++) {
            byte[] data = new byte[16];
            data[0] = (byte) level;
            // submitted values the encoding must not pass through
            keys.add(new DiagnosisKey(data, TestKeys.JUNE_FIRST_INTERVAL, 144, level, ReportType.CONFIRMED_TEST, -3,
                    "DE", Set.of(), HOUR));
        }
        TemporaryExposureKeyExport export = ExportEncoder.decode(cwa.encode("DE", START, END, 1, 1, keys));
        assertThat(export.getKeysList()).extracting(key -> key.getTransmissionRiskLevel() + ":" + key.getReportType()
                        + ":" + key.getDaysSinceOnsetOfSymptoms())
                .containsExactly("1:RECURSIVE:1", "2:RECURSIVE:2", "3:SELF_REPORT:1", "4:SELF_REPORT:2",
                        "5:CONFIRMED_CLINICAL_DIAGNOSIS:1", "6:CONFIRMED_CLINICAL_DIAGNOSIS:2", "7:CONFIRMED_TEST:1",
                        "8:CONFIRMED_TEST:2");
    }

    @Test
    void anEncodingNamesEveryLevelOnceWithinTheRanges() {
        Map<Integer, Integer> days = new HashMap<>(TransmissionRiskEncoding.CWA.daysSinceOnsetOfSymptoms());
        days.remove(5);
        days.put(9, 1);
        assertThatThrownBy(() -> new TransmissionRiskEncoding(TransmissionRiskEncoding.CWA.reportTypes(), days))
                .hasMessage("the days since onset of symptoms table must name each transmission risk level 1..8 once;"
                        + " missing [5]; not a level: [9]");
        Map<Integer, Integer> farOff = new HashMap<>(TransmissionRiskEncoding.CWA.daysSinceOnsetOfSymptoms());
        farOff.put(2, 4001);
        assertThatThrownBy(() -> new TransmissionRiskEncoding(TransmissionRiskEncoding.CWA.reportTypes(), farOff))
                .hasMessage("days since onset of symptoms for transmission risk level 2 must be -14..4000, was 4001");
    }

    @Test
    void anEmptyAndroidPackageIsNotWritten() {
        SignatureSettings iosOnly = SignatureSettings.cwaDefaults("de.rki.coronawarnapp", "");
        TemporaryExposureKeyExport export = ExportEncoder.decode(new ExportEncoder(iosOnly, TransmissionRiskEncoding.CWA)
                .encode("DE", START, END, 1, 1, List.of(keyWithFirstByte(1))));
        assertThat(export.getSignatureInfos(0).hasAndroidPackage()).isFalse();
        assertThat(export.getSignatureInfos(0).getAppBundleId()).isEqualTo("de.rki.coronawarnapp");
    }

    @Test
    void keysAreSortedByKeyDataUnsigned() {
        List<DiagnosisKey> keys = List.of(keyWithFirstByte(0xFF), keyWithFirstByte(0x01), keyWithFirstByte(0x80),
                keyWithFirstByte(0x7F), keyWithFirstByte(0x00));
        TemporaryExposureKeyExport export = ExportEncoder.decode(encoder.encode("DE", START, END, 1, 1, keys));
        assertThat(export.getKeysList()).extracting(key -> key.getKeyData().byteAt(0) & 0xFF)
                .containsExactly(0x00, 0x01, 0x7F, 0x80, 0xFF);
    }

    @Test
    void theSameKeysGiveTheSameBytesInAnyOrder() {
        List<DiagnosisKey> keys = new ArrayList<>(TestKeys.keys(0, 300, HOUR));
        byte[] first = encoder.encode("DE", START, END, 1, 1, keys);
        Collections.shuffle(keys, new Random(11));
        byte[] second = new ExportEncoder(SIGNATURE, null).encode("DE", START, END, 1, 1, keys);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void anEmptyExportIsStillAValidFile() {
        TemporaryExposureKeyExport export = ExportEncoder.decode(encoder.encode("EUR", START, END, 1, 1, List.of()));
        assertThat(export.getKeysCount()).isZero();
        assertThat(export.getRegion()).isEqualTo("EUR");
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> encoder.encode("DE", START, END, 2, 1, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encoder.encode("DE", END, START, 1, 1, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExportEncoder.decode("EK Export v2    ".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void protocDecodesTheExport() {
        byte[] bin = encoder.encode("DE", START, END, 1, 1, List.of(keyWithFirstByte(0x80), keyWithFirstByte(0x01)));
        String protoc = ExternalTool.protoc();
        ExternalTool.Outcome decoded = ExternalTool.run(Arrays.copyOfRange(bin, 16, bin.length),
                protoc, "--proto_path=src/main/proto", "--decode=bytekeep.export.TemporaryExposureKeyExport",
                "export.proto");
        assertThat(decoded.exitCode()).as("protoc --decode failed: %s", decoded.stderr()).isZero();
        assertThat(decoded.stdout())
                .contains("start_timestamp: " + START)
                .contains("end_timestamp: " + END)
                .contains("region: \"DE\"")
                .contains("batch_num: 1")
                .contains("batch_size: 1")
                .contains("verification_key_id: \"262\"")
                .contains("signature_algorithm: \"1.2.840.10045.4.3.2\"")
                .contains("keys {")
                .contains("key_data: \"\\001\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\007\"")
                .contains("rolling_start_interval_number: " + TestKeys.JUNE_FIRST_INTERVAL)
                .contains("rolling_period: 144")
                .contains("report_type: CONFIRMED_TEST")
                .contains("days_since_onset_of_symptoms: -3");
        // the key with first byte 0x01 comes before the one with 0x80
        assertThat(decoded.stdout().indexOf("key_data: \"\\001")).isLessThan(decoded.stdout().indexOf("key_data: \"\\200"));
    }
}
