package io.bytekeep.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.ExchangeProperty;
import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.publication.ExportFile;

/**
 * Adds the signed configuration documents of config/app-configuration.yaml ({@link ConfigurationDocuments},
 * {@link ConfigurationFiles}) to each run's export tree. The file is read when the service starts (a bad file stops
 * the start with what is wrong) and again by every run, so an edit is published by the next run; a run that finds the
 * file broken fails (DistributionFailed) and the published files stay as they were.
 */
public class ConfigurationPublication {

    /** The largest configuration file read; the documents are a few kilobytes. */
    static final int MAX_FILE_BYTES = 1 << 20;

    private final Path file;
    private final List<String> supportedCountries;
    private final TransmissionRiskEncoding riskEncoding;
    private final int minimumTransmissionRiskLevel;
    private final ConfigurationFiles files;

    /**
     * @param files null when exports cannot be signed (no signing key): the run fails before this step
     * @throws IllegalArgumentException when the file does not read or does not decode the published levels
     */
    public ConfigurationPublication(Path file, List<String> supportedCountries, TransmissionRiskEncoding riskEncoding,
                                    int minimumTransmissionRiskLevel, ConfigurationFiles files) {
        this.file = file;
        this.supportedCountries = List.copyOf(supportedCountries);
        this.riskEncoding = riskEncoding;
        this.minimumTransmissionRiskLevel = minimumTransmissionRiskLevel;
        this.files = files;
        read();
    }

    /**
     * The tree with the configuration files after its own files (the country listing goes with the indexes): the
     * documents of the file as the run read it for its inputs ({@code fileRead}, {@link DistributionRun#DOCUMENTS}),
     * so what it publishes is what it recorded; read now when the route gives none.
     */
    public List<ExportFile> withConfigurationFiles(List<ExportFile> tree,
                                                   @ExchangeProperty(ExchangeProperties.DISTRIBUTION_DOCUMENTS) byte[] fileRead) {
        List<ExportFile> withConfiguration = new ArrayList<>(tree);
        withConfiguration.addAll(files.files(read(fileRead != null ? fileRead : fileContent())));
        return withConfiguration;
    }

    /** The documents as the file says now, checked. */
    ConfigurationDocuments read() {
        return read(fileContent());
    }

    /** The documents of the file's content, checked. */
    private ConfigurationDocuments read(byte[] content) {
        String source = file.toString();
        ConfigurationDocuments documents = ConfigurationDocuments.parse(new String(content, StandardCharsets.UTF_8), source, supportedCountries);
        List<String> problems = documents.trlDecodingProblems(riskEncoding, minimumTransmissionRiskLevel);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(source + ": " + String.join("; ", problems));
        }
        return documents;
    }

    /** The file as it is now (at most {@link #MAX_FILE_BYTES}), e.g. to tell whether it changed since a run. */
    byte[] fileContent() {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the configuration documents (bytekeep.distribution.configuration-file) "
                    + file, e);
        }
    }
}
