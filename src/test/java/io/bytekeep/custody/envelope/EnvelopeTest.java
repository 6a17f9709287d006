package io.bytekeep.custody.envelope;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.bytekeep.custody.CustodyKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Multi-recipient envelopes: every recipient opens them, nobody else does, and tampering yields no plaintext. */
class EnvelopeTest {

    private static final KeyPair RSA = CustodyKeys.generate("RSA");
    private static final KeyPair X25519 = CustodyKeys.generate("X25519");
    private static final KeyPair OTHER_X25519 = CustodyKeys.generate("X25519");

    @TempDir
    Path spool;

    private final byte[] plain = new byte[3 * 1024 * 1024 + 17];

    EnvelopeTest() {
        new Random(5).nextBytes(plain);
    }

    @Test
    void eachRecipientOpensTheSameEnvelope() throws Exception {
        byte[] envelope = seal(RSA, X25519, OTHER_X25519);

        assertThat(open(envelope, RSA)).isEqualTo(plain);
        assertThat(open(envelope, X25519)).isEqualTo(plain);
        assertThat(open(envelope, OTHER_X25519)).isEqualTo(plain);
    }

    @Test
    void anEmptyFileMakesAnEnvelopeToo() throws Exception {
        ByteArrayOutputStream envelope = new ByteArrayOutputStream();
        new EnvelopeSealer().seal(List.of(new EnvelopeRecipient("a", RSA.getPublic()), new EnvelopeRecipient("b",
                X25519.getPublic())), new ByteArrayInputStream(new byte[0]), envelope);

        assertThat(open(envelope.toByteArray(), RSA)).isEmpty();
        assertThat(open(envelope.toByteArray(), X25519)).isEmpty();
    }

    @Test
    void aKeyThatIsNoRecipientFails() throws Exception {
        byte[] envelope = seal(RSA, X25519);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> opener().open(new ByteArrayInputStream(envelope), OTHER_X25519, out))
                .isInstanceOf(EnvelopeException.class).hasMessageContaining("not sealed for this key");
        assertThatThrownBy(() -> opener().open(new ByteArrayInputStream(envelope), CustodyKeys.generate("RSA"), out))
                .isInstanceOf(EnvelopeException.class).hasMessageContaining("not sealed for this key");
        assertThat(out.size()).isZero();
    }

    @Test
    void aWrongPrivateKeyBehindTheRightKeyIdFails() throws Exception {
        byte[] envelope = seal(RSA, X25519);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KeyPair impostorRsa = new KeyPair(RSA.getPublic(), CustodyKeys.generate("RSA").getPrivate());
        KeyPair impostorX = new KeyPair(X25519.getPublic(), OTHER_X25519.getPrivate());

        assertThatThrownBy(() -> opener().open(new ByteArrayInputStream(envelope), impostorRsa, out))
                .isInstanceOf(EnvelopeException.class).hasMessageContaining("cannot open the envelope");
        assertThatThrownBy(() -> opener().open(new ByteArrayInputStream(envelope), impostorX, out))
                .isInstanceOf(EnvelopeException.class).hasMessageContaining("cannot open the envelope");
        assertThat(out.size()).isZero();
    }

    @Test
    void aTamperedCiphertextFailsTheTagAndYieldsNoPlaintext() throws Exception {
        byte[] envelope = seal(RSA, X25519);
        // the streamed DER ends: ciphertext, end-of-contents markers, the 16-byte GCM tag (mac), end-of-contents markers
        int tagStart = envelope.length - 6 - 16;
        int lastCiphertextByte = tagStart - 2 - 4 - 3;
        for (int position : new int[] {envelope.length / 2, lastCiphertextByte, tagStart, tagStart + 15}) {
            byte[] tampered = envelope.clone();
            tampered[position] ^= 0x01;
            for (KeyPair key : List.of(RSA, X25519)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertThatThrownBy(() -> opener().open(new ByteArrayInputStream(tampered), key, out))
                        .as("byte %d flipped", position).isInstanceOf(EnvelopeException.class);
                assertThat(out.size()).isZero();
            }
        }
        assertThat(spool).isEmptyDirectory();
    }

    @Test
    void aTruncatedEnvelopeFails() throws Exception {
        byte[] envelope = seal(RSA);
        byte[] truncated = java.util.Arrays.copyOf(envelope, envelope.length - 100);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> opener().open(new ByteArrayInputStream(truncated), RSA, out))
                .isInstanceOf(EnvelopeException.class);
        assertThat(out.size()).isZero();
    }

    @Test
    void signingKeysAreNoEncryptionKeys() {
        assertThatThrownBy(() -> new EnvelopeRecipient("station", CustodyKeys.generate("Ed25519").getPublic()))
                .hasMessageContaining("RSA or X25519");
    }

    private byte[] seal(KeyPair... recipients) throws IOException {
        ByteArrayOutputStream envelope = new ByteArrayOutputStream();
        List<EnvelopeRecipient> list = java.util.Arrays.stream(recipients)
                .map(pair -> new EnvelopeRecipient("p", pair.getPublic())).toList();
        new EnvelopeSealer().seal(list, new ByteArrayInputStream(plain), envelope);
        return envelope.toByteArray();
    }

    private byte[] open(byte[] envelope, KeyPair key) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        opener().open(new ByteArrayInputStream(envelope), key, out);
        return out.toByteArray();
    }

    private EnvelopeOpener opener() {
        return new EnvelopeOpener(spool);
    }
}
