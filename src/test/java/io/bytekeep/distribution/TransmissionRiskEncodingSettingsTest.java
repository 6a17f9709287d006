package io.bytekeep.distribution;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

import io.bytekeep.platform.BytekeepProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bytekeep.distribution.transmission-risk-encoding as config/application.yaml gives it, and what stops the start. */
class TransmissionRiskEncodingSettingsTest {

    private static final String PREFIX = "bytekeep.distribution.transmission-risk-encoding";

    @Test
    void theConfigurationFileGivesCwaServersTable() throws IOException {
        BytekeepProperties.TransmissionRiskEncoding table = configured();
        assertThat(table.enabled()).isTrue();
        assertThat(DistributionRunConfiguration.transmissionRiskEncoding(table)).isEqualTo(TransmissionRiskEncoding.CWA);
    }

    @Test
    void offPublishesTheSubmittedValues() throws IOException {
        BytekeepProperties.TransmissionRiskEncoding table = configured();
        assertThat(DistributionRunConfiguration.transmissionRiskEncoding(new BytekeepProperties.TransmissionRiskEncoding(
                false, table.reportType(), table.daysSinceOnsetOfSymptoms()))).isNull();
    }

    @Test
    void aBadTableStopsTheStartNamingTheSetting() throws IOException {
        BytekeepProperties.TransmissionRiskEncoding table = configured();
        Map<Integer, String> misspelt = new HashMap<>(table.reportType());
        misspelt.put(4, "SELF_REPORTED");
        assertThatThrownBy(() -> DistributionRunConfiguration.transmissionRiskEncoding(
                new BytekeepProperties.TransmissionRiskEncoding(true, misspelt, table.daysSinceOnsetOfSymptoms())))
                .hasMessageStartingWith(PREFIX + ".report-type.4: SELF_REPORTED is not a report type; one of [UNKNOWN,");
        Map<Integer, Integer> missing = new HashMap<>(table.daysSinceOnsetOfSymptoms());
        missing.remove(8);
        assertThatThrownBy(() -> DistributionRunConfiguration.transmissionRiskEncoding(
                new BytekeepProperties.TransmissionRiskEncoding(true, table.reportType(), missing)))
                .hasMessage(PREFIX + ": the days since onset of symptoms table must name each transmission risk level"
                        + " 1..8 once; missing [8]");
    }

    private static BytekeepProperties.TransmissionRiskEncoding configured() throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application", new FileSystemResource("config/application.yaml"))
                .forEach(environment.getPropertySources()::addLast);
        return new Binder(ConfigurationPropertySources.get(environment))
                .bind(PREFIX, BytekeepProperties.TransmissionRiskEncoding.class).get();
    }
}
