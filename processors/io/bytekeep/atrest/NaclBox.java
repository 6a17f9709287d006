package io.bytekeep.atrest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.math.ec.rfc7748.X25519;

import io.bytekeep.platform.ContentSource;
import io.bytekeep.platform.KeystreamXor;

/**
 * The parts of libsodium's {@code crypto_box} that BouncyCastle has no single call for: the HSalsa20 key derivation
 * of {@code crypto_box_beforenm}, the sealed-box nonce, and {@code crypto_secretbox_easy} (XSalsa20, the first 32
 * keystream bytes are the Poly1305 key, the MAC precedes the ciphertext) as streams.
 * <p>Because the MAC comes first, neither direction streams in one pass: {@link #secretbox} reads the plain bytes
 * twice (once for the MAC, once for the upload), {@link #secretboxOpen} spools the ciphertext to a file while checking
 * the MAC and decrypts only after it matched. Plaintext never touches the disk, and the heap holds one buffer.
 */
final class NaclBox {

    static final int KEY_BYTES = 32;
    static final int MAC_BYTES = 16;
    static final int NONCE_BYTES = 24;

    /** "expand 32-byte k" as little-endian words. */
    private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
    private static final int BUFFER = 64 * 1024;

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

    /** A short fingerprint of a public key: the first 8 bytes of its SHA-256, in hex. */
    static String fingerprint(byte[] publicKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code prefix || crypto_secretbox_easy(plain, nonce, key)}: prefix, 16-byte MAC, ciphertext. */
    static ContentSource secretbox(byte[] prefix, byte[] key, byte[] nonce, ContentSource plain) throws IOException {
        SecretBox first = SecretBox.open(key, nonce);
        byte[] buffer = new byte[BUFFER];
        try (InputStream ciphertext = new KeystreamXor(plain.open(), first.xor())) {
            for (int n; (n = ciphertext.read(buffer)) >= 0; ) {
                first.mac().update(buffer, 0, n);
            }
        }
        byte[] header = new byte[prefix.length + MAC_BYTES];
        System.arraycopy(prefix, 0, header, 0, prefix.length);
        first.mac().doFinal(header, prefix.length);
        return new ContentSource() {
            @Override
            public InputStream open() throws IOException {
                return new SequenceInputStream(new ByteArrayInputStream(header),
                        new KeystreamXor(plain.open(), SecretBox.open(key, nonce).xor()));
            }

            @Override
            public long size() {
                return header.length + plain.size();
            }
        };
    }

    /**
     * {@code crypto_secretbox_open_easy} of the rest of {@code stored} (MAC, then ciphertext): the ciphertext is spooled
     * under {@code spoolDirectory} until the MAC matched, the plain stream deletes the spool file when closed.
     */
    static InputStream secretboxOpen(InputStream stored, byte[] key, byte[] nonce, Path spoolDirectory, String what)
            throws IOException {
        byte[] expectedMac = stored.readNBytes(MAC_BYTES);
        if (expectedMac.length != MAC_BYTES) {
            throw new DecryptionRefused(what + " shorter than its header");
        }
        SecretBox box = SecretBox.open(key, nonce);
        Files.createDirectories(spoolDirectory);
        Path spool = Files.createTempFile(spoolDirectory, "box-", ".bin");
        try {
            byte[] buffer = new byte[BUFFER];
            try (OutputStream out = Files.newOutputStream(spool)) {
                for (int n; (n = stored.read(buffer)) >= 0; ) {
                    box.mac().update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            byte[] actualMac = new byte[MAC_BYTES];
            box.mac().doFinal(actualMac, 0);
            if (!MessageDigest.isEqual(actualMac, expectedMac)) {
                throw new DecryptionRefused(what + " failed authentication (wrong key, or changed or truncated bytes)");
            }
            return new KeystreamXor(Files.newInputStream(spool, StandardOpenOption.DELETE_ON_CLOSE), box.xor());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(spool);
            throw e;
        }
    }

    /** {@code crypto_secretbox} state: the XSalsa20 keystream positioned after the Poly1305 key, and that MAC. */
    private record SecretBox(XSalsa20Engine keystream, Poly1305 mac) {

        /** The keystream, XORed in place into what is read through a {@link KeystreamXor}. */
        KeystreamXor.Keystream xor() {
            return (bytes, offset, length) -> keystream.processBytes(bytes, offset, length, bytes, offset);
        }

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
