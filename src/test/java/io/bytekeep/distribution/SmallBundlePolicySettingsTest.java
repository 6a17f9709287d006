package io.bytekeep.distribution;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

import io.bytekeep.platform.BytekeepProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bytekeep.distribution.small-bundle-policy as config/application.yaml gives it, and what stops the start. */
class SmallBundlePolicySettingsTest {

    @Test
    void theDefaultIsCwasShifting() throws IOException {
        assertThat(DistributionRunConfiguration.smallBundlePolicy(distribution(Map.of()))).isInstanceOf(ShiftingPolicy.class);
    }

    @Test
    void paddingTakesTheSecretFromTheEnvironment() throws IOException {
        assertThat(DistributionRunConfiguration.smallBundlePolicy(distribution(Map.of("BYTEKEEP_SMALL_BUNDLE_POLICY", "pad",
                "BYTEKEEP_PADDING_SECRET", "0123456789abcdef0123456789abcdef")))).isInstanceOf(PaddingPolicy.class);
    }

    @Test
    void paddingWithoutASecretStopsTheStartNamingTheSetting() throws IOException {
        assertThatThrownBy(() -> DistributionRunConfiguration.smallBundlePolicy(distribution(Map.of(
                "BYTEKEEP_SMALL_BUNDLE_POLICY", "pad", "BYTEKEEP_PADDING_SECRET", "too short"))))
                .hasMessage("bytekeep.distribution.padding-secret (BYTEKEEP_PADDING_SECRET) must have at least 32"
                        + " characters with small-bundle-policy pad");
    }

    private static BytekeepProperties.Distribution distribution(Map<String, Object> environmentVariables) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("variables", environmentVariables));
        new YamlPropertySourceLoader().load("application", new FileSystemResource("config/application.yaml"))
                .forEach(environment.getPropertySources()::addLast);
        return Binder.get(environment).bind("bytekeep.distribution", BytekeepProperties.Distribution.class).get();
    }
}
