package io.bytekeep.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.bytekeep.distribution.proto.config.ApplicationConfigurationAndroid;
import io.bytekeep.platform.storage.StorageConfiguration;
import io.bytekeep.support.GuideRecipe;
import io.bytekeep.support.IntegrationTest;
import io.bytekeep.publication.ExportFile;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration documents of a distribution run on the embedded exports S3 API: published signed at the CWA
 * paths (openssl verifies each, protoc decodes each with src/main/proto/app_config.proto), skipped when unchanged,
 * published anew after an edit of the file (docs/INTEGRATING.md, recipe 6, applied word for word to a copy of
 * config/app-configuration.yaml), and a broken edit fails the run and leaves the published files alone.
 */
@DirtiesContext // its own copy of the configuration file
class ConfigurationPublicationIT extends IntegrationTest {

    /** Every object a run adds for the configuration documents (the TUF copies aside). */
    static final List<String> CONFIGURATION_FILES = List.of("version/v1/configuration/country/DE/app_config",
            "version/v1/configuration/country", "version/v2/app_config_android", "version/v2/app_config_ios",
            "version/v1/app_config_android", "version/v1/app_config_ios");

    private static final Path CONFIG = Path.of("target", "configuration-publication", "app-configuration.yaml").toAbsolutePath();
    private static final String BUCKET = "bytekeep-test-exports";
    private static final String KEY_FILE = "src/test/resources/test-config/export-signing-key.pem";
    private static final String ANDROID = "version/v2/app_config_android";

    @DynamicPropertySource
    static void ownConfigurationFile(DynamicPropertyRegistry registry) {
        restoreConfigurationFile();
        registry.add("bytekeep.distribution.configuration-file", CONFIG::toString);
    }

    @Autowired
    ProducerTemplate producer;

    @Autowired
    ConfigurationPublication publication;

    @Autowired
    @Qualifier("exportS3Client")
    S3Client exports;

    @TempDir
    Path dir;

    @BeforeEach
    void emptyExports() {
        jdbc.execute("truncate table diagnosis_key");
        StorageConfiguration.createIfMissing(exports, BUCKET);
        listing().forEach(key -> exports.deleteObject(b -> b.bucket(BUCKET).key(key)));
    }

    @AfterEach
    void originalConfigurationFile() {
        restoreConfigurationFile();
    }

    @Test
    void everyRunPublishesTheSignedDocumentsAndSkipsThemWhenUnchanged() throws Exception {
        Map<String, Object> first = run();
        assertThat(first).containsEntry("status", "completed");
        assertThat(listing()).containsAll(CONFIGURATION_FILES);

        ArchiveSignatureCheck signatures = new ArchiveSignatureCheck(Path.of(KEY_FILE), dir);
        Map<String, String> messages = Map.of(
                "version/v1/configuration/country/DE/app_config", "bytekeep.config.ApplicationConfiguration",
                ANDROID, "bytekeep.config.ApplicationConfigurationAndroid",
                "version/v2/app_config_ios", "bytekeep.config.ApplicationConfigurationIOS");
        for (Map.Entry<String, String> document : messages.entrySet()) {
            ResponseBytes<GetObjectResponse> object = get(document.getKey());
            assertThat(object.response().contentType()).isEqualTo("application/zip");
            byte[] bin = signatures.assertPublished(document.getKey(), object).get("export.bin");
            assertThat(decode(document.getValue(), bin)).as(document.getKey()).contains("supportedCountries: \"DE\"");
        }
        assertThat(decode("bytekeep.config.ApplicationConfigurationAndroid", exportBin(ANDROID)))
                .contains("maxExposureDetectionsPerInterval: 6")
                .contains("reportTypeOffsetConfirmedTest: 6");
        assertThat(decode("bytekeep.config.ApplicationConfiguration", exportBin("version/v1/configuration/country/DE/app_config")))
                .contains("minRiskScore: 11").contains("app_defined_8: RISK_LEVEL_HIGHEST");
        assertThat(exportBin("version/v1/app_config_android")).isEqualTo(exportBin(ANDROID));
        assertThat(new String(get("version/v1/configuration/country").asByteArray())).isEqualTo("[\"DE\"]");

        Map<String, Object> second = run();
        assertThat(second).containsEntry("status", "completed").containsEntry("uploaded", 0);
    }

    /**
     * A run reads the file once: it publishes the documents of the file as it read it for its inputs, not as an edit
     * during the run left it (else a run recorded inputs of documents it did not publish).
     */
    @Test
    void aRunPublishesTheDocumentsOfTheFileAsItReadItForItsInputs() throws Exception {
        byte[] asRead = Files.readAllBytes(CONFIG);
        List<String> published = hashes(publication.withConfigurationFiles(List.of(), null));
        Files.writeString(CONFIG, GuideRecipe.named("app-config").appliedTo(new String(asRead, StandardCharsets.UTF_8)));

        assertThat(hashes(publication.withConfigurationFiles(List.of(), asRead))).isEqualTo(published);
        assertThat(hashes(publication.withConfigurationFiles(List.of(), null))).as("the edited file").isNotEqualTo(published);
    }

    private static List<String> hashes(List<ExportFile> files) {
        return files.stream().map(file -> file.objectKey() + " " + file.cwaHash()).toList();
    }

    @Test
    void theGuidesRecipePublishesTheChangedDocumentAtTheNextRun() throws Exception {
        run();
        byte[] iosBefore = get("version/v2/app_config_ios").asByteArray();

        GuideRecipe recipe = GuideRecipe.named("app-config");
        assertThat(recipe.file()).isEqualTo("app-configuration.yaml");
        Files.writeString(CONFIG, recipe.appliedTo(Files.readString(CONFIG)));

        Map<String, Object> next = run();
        assertThat(next).containsEntry("status", "completed").containsEntry("uploaded", 2);
        byte[] bin = new ArchiveSignatureCheck(Path.of(KEY_FILE), dir).assertPublished(ANDROID, get(ANDROID)).get("export.bin");
        assertThat(decode("bytekeep.config.ApplicationConfigurationAndroid", bin))
                .contains("maxExposureDetectionsPerInterval: 12");
        assertThat(ApplicationConfigurationAndroid.parseFrom(exportBin("version/v1/app_config_android"))
                .getExposureDetectionParameters().getMaxExposureDetectionsPerInterval()).isEqualTo(12);
        assertThat(get("version/v2/app_config_ios").asByteArray()).isEqualTo(iosBefore);
    }

    @Test
    void aBrokenEditFailsTheRunNamingTheFieldAndLeavesThePublishedFiles() throws Exception {
        run();
        byte[] before = get(ANDROID).asByteArray();
        Files.writeString(CONFIG, Files.readString(CONFIG).replace("maxExposureDetectionsPerInterval: 6, overall",
                "maxExposureDetectionsPerInterval: many, overall"));

        Map<String, Object> failed = run();
        assertThat(failed).containsEntry("status", "failed").containsEntry("type", "DistributionFailed");
        assertThat(failed.toString()).contains("android").contains("maxExposureDetectionsPerInterval");
        assertThat(get(ANDROID).asByteArray()).isEqualTo(before);

        // a change the phones would read the published transmission risk levels wrongly with
        restoreConfigurationFile();
        Files.writeString(CONFIG, Files.readString(CONFIG).replace("reportTypeOffsetSelfReport: 2",
                "reportTypeOffsetSelfReport: 3"));
        Map<String, Object> misread = run();
        assertThat(misread).containsEntry("status", "failed");
        assertThat(misread.toString()).contains("a key of transmission risk level 3 is published as SELF_REPORT with 1 days"
                + " since onset, which this document reads as level 4");
    }

    private static String decode(String message, byte[] bin) {
        ExternalTool.Outcome decoded = ExternalTool.run(bin, ExternalTool.protoc(), "--proto_path=src/main/proto",
                "--decode=" + message, "app_config.proto");
        assertThat(decoded.exitCode()).as("protoc --decode failed: %s", decoded.stderr()).isZero();
        return decoded.stdout();
    }

    private byte[] exportBin(String key) throws IOException {
        return Archives.unzip(get(key).asByteArray()).get("export.bin");
    }

    private ResponseBytes<GetObjectResponse> get(String key) {
        return exports.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> run() {
        return new LinkedHashMap<>((Map<String, Object>) producer.requestBody("direct:distribution-run", (Object) null));
    }

    private List<String> listing() {
        return exports.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).toList();
    }

    private static void restoreConfigurationFile() {
        try {
            Files.createDirectories(CONFIG.getParent());
            Files.copy(Path.of("config", "app-configuration.yaml"), CONFIG, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
