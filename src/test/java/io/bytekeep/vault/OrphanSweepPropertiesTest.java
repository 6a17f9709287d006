package io.bytekeep.vault;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bytekeep.orphan-sweep.* as a start-up reads it from config/application.yaml, and what stops the start. */
@ExtendWith(OutputCaptureExtension.class)
class OrphanSweepPropertiesTest {

    @EnableConfigurationProperties(OrphanSweepProperties.class)
    static class OrphanSweepSettings {
    }

    @Test
    void theConfigurationFileGivesEverySetting() {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(context.getBean(OrphanSweepProperties.class)).isEqualTo(new OrphanSweepProperties(true,
                    Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofDays(7), 1000));
        }
    }

    @Test
    void aQuarantinePeriodThatIsNotPositiveStopsTheStart(CapturedOutput output) {
        assertThatThrownBy(() -> start("--bytekeep.orphan-sweep.quarantine-period=0s"))
                .hasRootCauseInstanceOf(BindValidationException.class);
        assertThat(output).contains("Reason: bytekeep.orphan-sweep.quarantine-period (BYTEKEEP_ORPHAN_SWEEP_QUARANTINE_PERIOD) "
                + "must be a positive duration, e.g. 7d");
    }

    @Test
    void fewerThanOnePageOfObjectsPerSweepStopsTheStart(CapturedOutput output) {
        assertThatThrownBy(() -> start("--bytekeep.orphan-sweep.max-objects-per-sweep=999"))
                .hasRootCauseInstanceOf(BindValidationException.class);
        assertThat(output).contains("Reason: bytekeep.orphan-sweep.max-objects-per-sweep "
                + "(BYTEKEEP_ORPHAN_SWEEP_MAX_OBJECTS_PER_SWEEP) must be at least 1000, one listing page");
    }

    private static ConfigurableApplicationContext start(String... settings) {
        SpringApplication application = new SpringApplication(OrphanSweepSettings.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        String[] args = new String[settings.length + 1];
        // the embedded default would write generated secrets into ./data
        args[0] = "--bytekeep.generate-missing-secrets=false";
        System.arraycopy(settings, 0, args, 1, settings.length);
        return application.run(args);
    }
}
