package io.bytekeep.platform.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class H2ProcessSettingsTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(H2ProcessSettings.OBJECT_CACHE);
        System.clearProperty(H2ProcessSettings.OBJECT_CACHE);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(H2ProcessSettings.OBJECT_CACHE);
        } else {
            System.setProperty(H2ProcessSettings.OBJECT_CACHE, before);
        }
    }

    @Test
    void turnsH2sValueCacheOffByDefault() {
        H2ProcessSettings.applyUnlessGiven();

        assertThat(System.getProperty("h2.objectCache")).isEqualTo("false");
    }

    @Test
    void anOperatorsOwnValueWins() {
        System.setProperty("h2.objectCache", "true");

        H2ProcessSettings.applyUnlessGiven();

        assertThat(System.getProperty("h2.objectCache")).isEqualTo("true");
    }
}
