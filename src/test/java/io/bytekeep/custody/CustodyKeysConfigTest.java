package io.bytekeep.custody;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bytekeep's custody signing key and the party registry, as the start-up reads them from configuration. */
class CustodyKeysConfigTest {

    @TempDir
    Path dataDir;

    @Test
    void withoutAKeyProductionDoesNotStart() {
        assertThatThrownBy(() -> CustodySigningKey.load(chain(null, "Ed25519"), false, dataDir))
                .hasMessageContaining("BYTEKEEP_CUSTODY_SIGNING_KEY");
    }

    @Test
    void theEmbeddedDefaultGeneratesAKeyOnceAndKeepsIt() throws Exception {
        KeyPair first = CustodySigningKey.load(chain(null, "ECDSA_P256"), true, dataDir);
        KeyPair again = CustodySigningKey.load(chain(null, "Ed25519"), true, dataDir);

        assertThat(CustodyKeys.type(first.getPrivate())).isEqualTo("P-256");
        assertThat(again.getPublic().getEncoded()).isEqualTo(first.getPublic().getEncoded());
        assertThat(CustodyKeys.publicKey(Files.readString(dataDir.resolve("custody/custody-signing-key.pub.pem")))
                .getEncoded()).isEqualTo(first.getPublic().getEncoded());
    }

    @Test
    void aConfiguredKeyIsReadFromTextOrPath() throws Exception {
        KeyPair pair = CustodyKeys.generate("Ed25519");
        Path file = Files.writeString(dataDir.resolve("key.pem"), CustodyKeys.toPem(pair.getPrivate()));

        assertThat(CustodySigningKey.load(chain(file.toString(), "Ed25519"), false, dataDir).getPublic().getEncoded())
                .isEqualTo(pair.getPublic().getEncoded());
        assertThat(CustodySigningKey.load(chain(CustodyKeys.toPem(pair.getPrivate()), "Ed25519"), false, dataDir)
                .getPublic().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThatThrownBy(() -> CustodySigningKey.load(chain(CustodyKeys.toPem(CustodyKeys.generate("RSA").getPrivate()),
                "Ed25519"), false, dataDir)).hasMessageContaining("Ed25519 or ECDSA P-256");
    }

    @Test
    void partiesWithKeysOfTheWrongKindStopTheStart() {
        KeyPair custodian = CustodyKeys.generate("Ed25519");
        String x25519 = CustodyKeys.toPem(CustodyKeys.generate("X25519").getPublic());
        String ed25519 = CustodyKeys.toPem(CustodyKeys.generate("Ed25519").getPublic());

        assertThatThrownBy(() -> parties(custodian, new CustodyChainProperties.Party("station-a", ed25519, ed25519)))
                .hasMessageContaining("party 'station-a'").hasMessageContaining("RSA or X25519");
        assertThatThrownBy(() -> parties(custodian, new CustodyChainProperties.Party("station-a", x25519, x25519)))
                .hasMessageContaining("party 'station-a'").hasMessageContaining("Ed25519 or ECDSA P-256");
        assertThatThrownBy(() -> parties(custodian, new CustodyChainProperties.Party("bytekeep", x25519, ed25519)))
                .hasMessageContaining("used twice");
        assertThatThrownBy(() -> parties(custodian, new CustodyChainProperties.Party("station-a", "not a pem", null)))
                .hasMessageContaining("party 'station-a'");

        CustodyParties registry = parties(custodian, new CustodyChainProperties.Party("station-a", x25519, ed25519));
        assertThat(registry.signingKeys()).containsOnlyKeys("bytekeep", "station-a");
        assertThat(registry.recipient("station-a").agreesKeys()).isTrue();
    }

    private static CustodyParties parties(KeyPair custodian, CustodyChainProperties.Party party) {
        return new CustodyParties(List.of(party), "bytekeep", custodian.getPublic());
    }

    private static CustodyChainProperties.Chain chain(String key, String algorithm) {
        return new CustodyChainProperties.Chain("bytekeep", key, algorithm);
    }
}
