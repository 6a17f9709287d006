package io.bytekeep.trust;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Keys as securesystemslib writes them, signatures, and TUF's threshold rule. */
class TrustSignerTest {

    private final TrustSigner root = TestTrustKeys.signer("root");
    private final TrustSigner bins = TestTrustKeys.signer("bins");
    private final TrustSigner other = TestTrustKeys.signer("root-2");

    @Test
    void keysHaveTheFormOfSecuresystemslib() {
        // openssl pkey -in root.pem -pubout -outform DER | tail -c 32 | xxd -p -c 64
        assertThat(root.key().toJson()).isEqualTo(Map.of("keytype", "ed25519", "scheme", "ed25519", "keyval",
                Map.of("public", "73a6b911df78e01529a2d28adbff8792880e414f3750dd239a33f9e5865fb084")));
        // openssl pkey -in bins.pem -pubout; key id: python3 hashlib.sha256 of the canonical key object
        assertThat(bins.key().toJson()).isEqualTo(Map.of("keytype", "ecdsa", "scheme", "ecdsa-sha2-nistp256", "keyval",
                Map.of("public", "-----BEGIN PUBLIC KEY-----\n"
                        + "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEAP94vqrmpAL0NYHHcoRVZo6/CWcu\n"
                        + "iWZ13o3I9M/kQBp/O/JUcsPS22v5ch5nMEZCuzBU/0yeFzJoHZnrPY8gJg==\n"
                        + "-----END PUBLIC KEY-----\n")));
        assertThat(bins.key().keyid()).isEqualTo("5655685df1702f5570e907c30bf343ea4b4574da2cd183a0e79d4ad74bf6c530");
        assertThat(TrustKey.fromJson(bins.key().toJson())).isEqualTo(bins.key());
    }

    @Test
    void signaturesVerifyAndGeneratedKeysRoundTripThroughPem() {
        byte[] data = "signed".getBytes(StandardCharsets.UTF_8);
        for (TrustSigner signer : List.of(root, bins, TrustSigner.generate(TrustSigner.KeyType.ED25519),
                TrustSigner.generate(TrustSigner.KeyType.ECDSA))) {
            String signature = signer.sign(data);
            assertThat(signer.key().verifies(data, signature)).as(signer.key().toString()).isTrue();
            assertThat(signer.key().verifies("other".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
            assertThat(signer.key().verifies(data, "zz")).isFalse();
            assertThat(TrustSigner.fromPem(signer.privateKeyPem()).key()).isEqualTo(signer.key());
        }
        assertThat(root.sign(data)).hasSize(128);
    }

    @Test
    void thresholdCountsDistinctValidSignaturesOfTheRoleKeysOnly() {
        Map<String, Object> signed = Map.of("_type", "root", "version", 1);
        Map<String, TrustKey> keys = Map.of(root.key().keyid(), root.key(), bins.key().keyid(), bins.key(),
                other.key().keyid(), other.key());
        List<String> roleKeys = List.of(root.key().keyid(), bins.key().keyid());

        Metadata byRoot = Metadata.sign(signed, List.of(root));
        assertThat(byRoot.hasThreshold(keys, roleKeys, 1)).isTrue();
        assertThat(byRoot.hasThreshold(keys, roleKeys, 2)).isFalse();
        // the same key twice still counts once
        assertThat(Metadata.sign(signed, List.of(root, root)).hasThreshold(keys, roleKeys, 2)).isFalse();
        // a key the role does not name does not count
        assertThat(Metadata.sign(signed, List.of(root, other)).hasThreshold(keys, roleKeys, 2)).isFalse();
        assertThat(Metadata.sign(signed, List.of(root, bins)).hasThreshold(keys, roleKeys, 2)).isTrue();
        assertThat(Metadata.sign(signed, List.of(other)).hasThreshold(keys, roleKeys, 1)).isFalse();

        // a changed signed part invalidates the signature; the file round-trips through its bytes
        Metadata parsed = Metadata.parse(byRoot.bytes());
        assertThat(parsed.hasThreshold(keys, roleKeys, 1)).isTrue();
        String tampered = new String(byRoot.bytes(), StandardCharsets.UTF_8).replace("\"version\":1", "\"version\":2");
        assertThat(Metadata.parse(tampered.getBytes(StandardCharsets.UTF_8)).hasThreshold(keys, roleKeys, 1)).isFalse();
    }
}
