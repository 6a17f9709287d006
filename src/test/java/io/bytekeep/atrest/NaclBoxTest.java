package io.bytekeep.atrest;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The derivations BouncyCastle has no single call for, against the vectors of NaCl's own tests (core1, box). */
class NaclBoxTest {

    private static final HexFormat HEX = HexFormat.of();
    // NaCl tests/core1.c: the X25519 shared secret of Alice and Bob, and HSalsa20 of it with a zero input
    private static final String SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    private static final String FIRST_KEY = "1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389";
    // NaCl tests/box.c: Alice's secret key and Bob's public key
    private static final String ALICE_SECRET = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private static final String BOB_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private static final String ALICE_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";

    @Test
    void hsalsa20MatchesNaclCore1() {
        assertThat(HEX.formatHex(NaclBox.hsalsa20(HEX.parseHex(SHARED), new byte[16]))).isEqualTo(FIRST_KEY);
    }

    @Test
    void beforenmIsHsalsa20OfTheX25519SharedSecret() {
        assertThat(HEX.formatHex(NaclBox.beforenm(HEX.parseHex(BOB_PUBLIC), HEX.parseHex(ALICE_SECRET)))).isEqualTo(FIRST_KEY);
        assertThat(HEX.formatHex(NaclBox.publicKey(HEX.parseHex(ALICE_SECRET)))).isEqualTo(ALICE_PUBLIC);
    }

    @Test
    void aLowOrderPublicKeyGivesNoKey() {
        assertThat(NaclBox.beforenm(new byte[32], HEX.parseHex(ALICE_SECRET))).isNull();
    }
}
