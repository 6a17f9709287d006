package io.bytekeep.custody;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How bytekeep.custody.keks becomes a KekRing: unset is no ring, a half-configured list stops the start. */
class EncryptionConfigurationTest {

    private static final String KEY_1 = "dGVzdC1rZWstMS0tLTAxMjM0NTY3ODlhYmNkZWYwMTI=";
    private static final String KEY_2 = "bmV3LWtlay0yLS0tMDEyMzQ1Njc4OWFiY2RlZjAxMjM=";

    @Test
    void noKeyMeansNoRing() {
        assertThat(EncryptionConfiguration.kekRing(keys(null, kek("kek-1", "")))).isEmpty();
        assertThat(EncryptionConfiguration.kekRing(keys(null))).isEmpty();
    }

    @Test
    void theLastKekWritesUnlessOneIsNamed() {
        assertThat(EncryptionConfiguration.kekRing(keys(null, kek("a", KEY_1), kek("b", KEY_2))).orElseThrow().writerId()).isEqualTo("b");
        assertThat(EncryptionConfiguration.kekRing(keys("a", kek("a", KEY_1), kek("b", KEY_2))).orElseThrow().writerId()).isEqualTo("a");
    }

    @Test
    void halfConfiguredDuplicateOrMalformedKeksStopTheStart() {
        assertThatThrownBy(() -> EncryptionConfiguration.kekRing(keys(null, kek("a", KEY_1), kek("b", ""))))
                .hasMessageContaining("KEK b has no key");
        assertThatThrownBy(() -> EncryptionConfiguration.kekRing(keys(null, kek("a", KEY_1), kek("a", KEY_2))))
                .hasMessageContaining("configured twice");
        assertThatThrownBy(() -> EncryptionConfiguration.kekRing(keys(null, kek("a", "%%secret%%"))))
                .hasMessageContaining("KEK a is not base64").hasMessageNotContaining("%%secret%%");
        assertThatThrownBy(() -> EncryptionConfiguration.kekRing(keys(null, kek("a", "c2hvcnQ="))))
                .hasMessageContaining("32 bytes");
    }

    private static CustodyKeysProperties keys(String writer, CustodyKeysProperties.Kek... keks) {
        return new CustodyKeysProperties(List.of(keks), writer, null, null, 0);
    }

    private static CustodyKeysProperties.Kek kek(String id, String key) {
        return new CustodyKeysProperties.Kek(id, key);
    }
}
