package io.bytekeep.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.bytekeep.distribution.proto.TEKSignatureList;
import io.bytekeep.distribution.proto.config.ApplicationConfigurationAndroid;
import io.bytekeep.publication.ExportFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigurationDocumentsTest {

    private static final String SOURCE = "config/app-configuration.yaml";

    @Test
    void theShippedFileReadsAndDecodesEveryPublishedTransmissionRiskLevel() throws IOException {
        ConfigurationDocuments documents = shipped();
        assertThat(documents.trlDecodingProblems(TransmissionRiskEncoding.CWA, 1)).isEmpty();
        assertThat(documents.android().getRiskCalculationParameters())
                .isEqualTo(documents.ios().getRiskCalculationParameters());
        assertThat(documents.android().getSupportedCountriesList()).containsExactly("DE", "FR");
        assertThat(documents.exposureConfiguration().getMinRiskScore()).isEqualTo(11);
        assertThat(documents.android().getDiagnosisKeysDataMapping().getDaysSinceOnsetToInfectiousnessMap())
                .containsExactlyInAnyOrderEntriesOf(Map.of(1, 1, 2, 2));
        // as submitted: nothing to decode
        assertThat(documents.trlDecodingProblems(null, 1)).isEmpty();
    }

    @Test
    void anEncodingThePhonesWouldMisreadIsNamedLevelByLevel() throws IOException {
        String swapped = Files.readString(Path.of(SOURCE)).replace("daysSinceOnsetToInfectiousness: {1: 1, 2: 2}",
                "daysSinceOnsetToInfectiousness: {1: 2, 2: 1}");
        List<String> problems = ConfigurationDocuments.parse(swapped, SOURCE, List.of("DE"))
                .trlDecodingProblems(TransmissionRiskEncoding.CWA, 3);
        assertThat(problems).hasSize(6).first().asString().isEqualTo("android: a key of transmission risk level 3 is"
                + " published as SELF_REPORT with 1 days since onset, which this document reads as level 4"
                + " (riskCalculationParameters.trlEncoding, diagnosisKeysDataMapping.daysSinceOnsetToInfectiousness;"
                + " bytekeep.distribution.transmission-risk-encoding)");

        Map<Integer, ReportType> revoked = new java.util.HashMap<>(TransmissionRiskEncoding.CWA.reportTypes());
        revoked.put(8, ReportType.REVOKED);
        assertThat(shipped().trlDecodingProblems(new TransmissionRiskEncoding(revoked,
                TransmissionRiskEncoding.CWA.daysSinceOnsetOfSymptoms()), 3))
                .hasSize(2).allSatisfy(problem -> assertThat(problem).contains("level 8 is published as REVOKED")
                        .contains("reads as no level (trlEncoding has no offset for REVOKED)"));
    }

    @Test
    void badInputIsRefusedNamingTheDocumentAndTheField() throws IOException {
        String shipped = Files.readString(Path.of(SOURCE));
        assertThatThrownBy(() -> ConfigurationDocuments.parse(shipped.replace("minVersionCode: 31", "minVersionKode: 31"),
                SOURCE, List.of("DE"))).hasMessage(SOURCE + ": android.minVersionKode: Cannot find field: minVersionKode in message"
                        + " bytekeep.config.ApplicationConfigurationAndroid");
        assertThatThrownBy(() -> ConfigurationDocuments.parse(shipped.replace("app_defined_8: RISK_LEVEL_HIGHEST",
                "app_defined_8: RISK_LEVEL_EXTREME"), SOURCE, List.of("DE")))
                .hasMessageStartingWith(SOURCE + ": exposure-configuration.exposureConfig.transmission.app_defined_8: ")
                .hasMessageContaining("RISK_LEVEL_EXTREME");
        assertThatThrownBy(() -> ConfigurationDocuments.parse(shipped.replace("{maxExposureDetectionsPerInterval: 6, overall",
                "{maxExposureDetectionsPerInterval: many, overall"), SOURCE, List.of("DE")))
                .hasMessage(SOURCE + ": android.exposureDetectionParameters.maxExposureDetectionsPerInterval:"
                        + " Not an int32 value: \"many\"");
        assertThatThrownBy(() -> ConfigurationDocuments.parse(shipped.replace("{transmissionRiskLevel: 8, transmissionRiskValue: 1.6}",
                "{transmissionRiskLevel: 8, transmissionRiskValue: high}"), SOURCE, List.of("DE")))
                .hasMessageStartingWith(SOURCE + ": android.riskCalculationParameters.transmissionRiskValueMapping[7]"
                        + ".transmissionRiskValue: ");
        assertThatThrownBy(() -> ConfigurationDocuments.parse(shipped + "\nwindows: {}\n", SOURCE, List.of("DE")))
                .hasMessage(SOURCE + ": unknown [windows]; the keys are " + ConfigurationDocuments.SECTIONS);
        assertThatThrownBy(() -> ConfigurationDocuments.parse("ios: [", SOURCE, List.of("DE")))
                .hasMessageStartingWith(SOURCE + " is not YAML");
        assertThatThrownBy(() -> ConfigurationDocuments.parse("android: {}\nios: {}\n", SOURCE, List.of("DE")))
                .hasMessage(SOURCE + ": exposure-configuration is missing or not a mapping");
    }

    @Test
    void theFilesAreSignedZippedAndTheSameForTheSameDocuments() throws Exception {
        KeyPair keys = ExportSigningKey.generate();
        ConfigurationFiles files = new ConfigurationFiles("DE", ExportEncoderTest.SIGNATURE,
                new ExportSigner(keys.getPrivate()), new ArchiveZipper());
        List<ExportFile> published = files.files(shipped());
        assertThat(published).extracting(ExportFile::objectKey).containsExactly(
                "version/v1/configuration/country/DE/app_config", "version/v2/app_config_android",
                "version/v2/app_config_ios", "version/v1/app_config_android", "version/v1/app_config_ios",
                "version/v1/configuration/country");
        ExportFile android = published.get(1);
        assertThat(android.kind()).isEqualTo(ExportFile.Kind.CONFIGURATION);
        Map<String, byte[]> entries = Archives.unzip(android.bytes());
        assertThat(ApplicationConfigurationAndroid.parseFrom(entries.get("export.bin"))).isEqualTo(shipped().android());
        var signature = TEKSignatureList.parseFrom(entries.get("export.sig")).getSignatures(0);
        assertThat(signature.getSignatureInfo()).isEqualTo(ExportEncoderTest.SIGNATURE.toProto());
        assertThat(signature.getBatchNum()).isEqualTo(1);
        assertThat(ExportSigningKey.verify(keys.getPublic(), entries.get("export.bin"),
                signature.getSignature().toByteArray())).isTrue();
        assertThat(android.cwaHash()).isEqualTo(ExportFile.archiveHash(entries.get("export.bin")));
        assertThat(files.files(shipped()).get(1).bytes()).isEqualTo(android.bytes());
    }

    private static ConfigurationDocuments shipped() throws IOException {
        return ConfigurationDocuments.parse(Files.readString(Path.of(SOURCE)), SOURCE, List.of("DE", "FR"));
    }
}
