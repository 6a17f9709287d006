package io.bytekeep.platform;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** bytekeep.vault.batch-linger: a wait longer than an upload's answer should take stops the start. */
class VaultPropertiesTest {

    @Test
    void aLingerFromNoneTo100msIsAccepted() {
        assertThatCode(() -> vault(Duration.ZERO)).doesNotThrowAnyException();
        assertThatCode(() -> vault(Duration.ofMillis(100))).doesNotThrowAnyException();
    }

    @Test
    void aNegativeOrLongerLingerStopsTheStart() {
        assertThatThrownBy(() -> vault(Duration.ofMillis(101))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bytekeep.vault.batch-linger must be between 0 (no wait) and 100ms, was PT0.101S");
        assertThatThrownBy(() -> vault(Duration.ofMillis(-1))).hasMessageContaining("batch-linger must be between");
    }

    private static BytekeepProperties.Vault vault(Duration batchLinger) {
        return new BytekeepProperties.Vault("SHA512", "IN_MEMORY", 10, "ENVELOPE_AES_GCM", Map.of(),
                DataSize.ofMegabytes(64), DataSize.ofGigabytes(64), DataSize.ofMegabytes(64), true, Duration.ofSeconds(300),
                batchLinger);
    }
}
