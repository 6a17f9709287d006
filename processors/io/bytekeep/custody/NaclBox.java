package io.bytekeep.custody;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The parts of libsodium's {@code crypto_box} that BouncyCastle has no single call for: the HSalsa20 key derivation
 * of {@code crypto_box_beforenm}, the sealed-box nonce and the keystream set-up of {@code crypto_secretbox}
 * (XSalsa20, the first 32 keystream bytes are the Poly1305 key).
 */
final class NaclBox {

    static final int KEY_BYTES = 32;
    static final int MAC_BYTES = 16;
    static final int NONCE_BYTES = 24;
    /** {@code crypto_box_SEALBYTES}: ephemeral public key and MAC in front of the ciphertext. */
    static final int SEAL_BYTES = KEY_BYTES + MAC_BYTES;

    /** "expand 32-byte k" as little-endian words. */
    private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};

    private NaclBox() {
    }

    /** HSalsa20 (XSalsa20 paper, section 2): the Salsa20 core without the final addition, 8 of its 16 words. */
    static byte[] hsalsa20(byte[] key, byte[] input16) {
        ByteBuffer k = ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer n = ByteBuffer.wrap(input16).order(ByteOrder.LITTLE_ENDIAN);
        int[] state = new int[16];
        state[0] = SIGMA[0];
        state[5] = SIGMA[1];
        state[10] = SIGMA[2];
        state[15] = SIGMA[3];
        for (int i = 0; i < 4; i++) {
            state[1 + i] = k.getInt(4 * i);
            state[11 + i] = k.getInt(16 + 4 * i);
            state[6 + i] = n.getInt(4 * i);
        }
        int[] mixed = new int[16];
        // salsaCore adds the input back in; HSalsa20 wants the words before that addition
        Salsa20Engine.salsaCore(20, state, mixed);
        ByteBuffer out = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        for (int word : new int[] {0, 5, 10, 15, 6, 7, 8, 9}) {
            out.putInt(mixed[word] - state[word]);
        }
        return out.array();
    }

    /** {@code crypto_box_beforenm}: HSalsa20 of the X25519 shared secret; {@code null} for a low-order public key. */
    static byte[] beforenm(byte[] publicKey, byte[] secretKey) {
        byte[] shared = new byte[KEY_BYTES];
        if (!X25519.calculateAgreement(secretKey, 0, publicKey, 0, shared, 0)) {
            return null;
        }
        return hsalsa20(shared, new byte[16]);
    }

    /** The sealed-box nonce: BLAKE2b-192 of the ephemeral public key followed by the recipient's public key. */
    static byte[] sealNonce(byte[] ephemeralPublicKey, byte[] recipientPublicKey) {
        Blake2bDigest blake2b = new Blake2bDigest(NONCE_BYTES * 8);
        blake2b.update(ephemeralPublicKey, 0, ephemeralPublicKey.length);
        blake2b.update(recipientPublicKey, 0, recipientPublicKey.length);
        byte[] nonce = new byte[NONCE_BYTES];
        blake2b.doFinal(nonce, 0);
        return nonce;
    }

    static byte[] publicKey(byte[] secretKey) {
        byte[] publicKey = new byte[KEY_BYTES];
        X25519.scalarMultBase(secretKey, 0, publicKey, 0);
        return publicKey;
    }

    /** {@code crypto_secretbox} state: the XSalsa20 keystream positioned after the Poly1305 key, and that MAC. */
    record SecretBox(XSalsa20Engine keystream, Poly1305 mac) {

        static SecretBox open(byte[] key, byte[] nonce) {
            XSalsa20Engine keystream = new XSalsa20Engine();
            keystream.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
            byte[] macKey = new byte[KEY_BYTES];
            keystream.processBytes(new byte[KEY_BYTES], 0, KEY_BYTES, macKey, 0);
            Poly1305 mac = new Poly1305();
            mac.init(new KeyParameter(macKey));
            return new SecretBox(keystream, mac);
        }
    }
}
