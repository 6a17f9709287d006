package io.bytekeep.sharing;

import java.security.SecureRandom;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentKeyWrapTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void onlyTheRecipientsPrivateKeyOpensAWrappedKey() {
        byte[] alice = DocumentKeyWrap.newPrivateKey(random);
        byte[] bob = DocumentKeyWrap.newPrivateKey(random);
        byte[] documentKey = new byte[32];
        random.nextBytes(documentKey);
        String wrapped = DocumentKeyWrap.wrap(documentKey, DocumentKeyWrap.publicKey(alice), random);

        assertThat(DocumentKeyWrap.unwrap(wrapped, alice)).isEqualTo(documentKey);
        assertThat(DocumentKeyWrap.wrap(documentKey, DocumentKeyWrap.publicKey(alice), random)).isNotEqualTo(wrapped);
        assertThatThrownBy(() -> DocumentKeyWrap.unwrap(wrapped, bob)).isInstanceOf(IllegalArgumentException.class);

        byte[] tampered = Base64.getDecoder().decode(wrapped);
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> DocumentKeyWrap.unwrap(Base64.getEncoder().encodeToString(tampered), alice))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedKeysAreRefused() {
        assertThatThrownBy(() -> DocumentKeyWrap.decodePublicKey(Base64.getEncoder().encodeToString(new byte[31])))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> DocumentKeyWrap.requireWellFormed("not base64!")).hasMessageContaining("base64");
        // the all-zero point is of low order: no shared secret
        assertThatThrownBy(() -> DocumentKeyWrap.wrap(new byte[32], new byte[32], random)).hasMessageContaining("low-order");
    }
}
