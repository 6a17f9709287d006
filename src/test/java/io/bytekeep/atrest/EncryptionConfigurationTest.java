package io.bytekeep.atrest;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How bytekeep.custody.keks becomes a KekRing (unset is no ring, a half-configured list stops the start), and which
 * middlewares the bytekeep.custody.sealbox keys give.
 */
class EncryptionConfigurationTest {

    private static final String KEY_1 = "dGVzdC1rZWstMS0tLTAxMjM0NTY3ODlhYmNkZWYwMTI=";
    private static final String KEY_2 = "bmV3LWtlay0yLS0tMDEyMzQ1Njc4OWFiY2RlZjAxMjM=";
    private static final Path SPOOL = Path.of("target/spool");

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

    @Test
    void bothSealboxKeysGiveBytesNaclBoxAndThePrivateKeyAloneReadsTheSealedBoxesOfEarlierVersions() {
        EncryptionMiddlewares both = EncryptionConfiguration.middlewares("NACL_SEALBOX",
                sealbox(EncryptionAtRestIT.SEAL_PRIVATE, EncryptionAtRestIT.PEER_PUBLIC), SPOOL, new SecureRandom());
        assertThat(both.writer()).isInstanceOf(NaclBoxMiddleware.class);
        assertThat(both.byName()).containsOnlyKeys("IDENTITY", "NACL_SEALBOX", "LIBSODIUM_SEALED_BOX");

        EncryptionMiddlewares privateOnly = EncryptionConfiguration.middlewares("LIBSODIUM_SEALED_BOX",
                sealbox(EncryptionAtRestIT.SEAL_PRIVATE, ""), SPOOL, new SecureRandom());
        assertThat(privateOnly.writer()).isInstanceOf(SealedBoxMiddleware.class);
        assertThat(privateOnly.byName()).containsOnlyKeys("IDENTITY", "LIBSODIUM_SEALED_BOX");
    }

    @Test
    void naclSealboxWithoutTheOtherPartysPublicKeyStopsTheStartAndSaysWhatChanged() {
        assertThatThrownBy(() -> EncryptionConfiguration.middlewares("NACL_SEALBOX",
                sealbox(EncryptionAtRestIT.SEAL_PRIVATE, null), SPOOL, new SecureRandom()))
                .hasMessageContaining("bytekeep.vault.encryption is NACL_SEALBOX")
                .hasMessageContaining("bytekeep.custody.sealbox.public-key-b64 (BYTEKEEP_PUBLIC_KEY_B64, the other party's public key)")
                .hasMessageContaining("use LIBSODIUM_SEALED_BOX");
        assertThatThrownBy(() -> EncryptionConfiguration.middlewares("NACL_SEALBOX",
                sealbox(null, EncryptionAtRestIT.PEER_PUBLIC), SPOOL, new SecureRandom()))
                .hasMessageContaining("public-key-b64 is set without private-key-b64");
        assertThatThrownBy(() -> EncryptionConfiguration.middlewares("NACL_SEALBOX",
                sealbox(EncryptionAtRestIT.SEAL_PRIVATE, "c2hvcnQ="), SPOOL, new SecureRandom()))
                .hasMessageContaining("public key must be 32 bytes");
    }

    private static AtRestKeysProperties sealbox(String privateKeyB64, String publicKeyB64) {
        return new AtRestKeysProperties(List.of(), null, null, new AtRestKeysProperties.Sealbox(privateKeyB64, publicKeyB64), 0);
    }

    private static AtRestKeysProperties keys(String writer, AtRestKeysProperties.Kek... keks) {
        return new AtRestKeysProperties(List.of(keks), writer, null, null, 0);
    }

    private static AtRestKeysProperties.Kek kek(String id, String key) {
        return new AtRestKeysProperties.Kek(id, key);
    }
}
