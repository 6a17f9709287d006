package io.bytekeep.atrest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.math.ec.rfc7748.X25519;

import io.bytekeep.platform.ContentSource;

/**
 * LIBSODIUM_SEALED_BOX: each object is libsodium's {@code crypto_box_seal} to the public key of the configured X25519
 * key pair ({@code bytekeep.custody.sealbox.*}), so libsodium's {@code crypto_box_seal_open} with that key pair opens it
 * (docs/VERIFY.md). Stored form: ephemeral X25519 public key (32) || Poly1305 MAC (16) || XSalsa20 ciphertext.
 * Rows of this format written before Bytekeep adopted Bytes' NACL_SEALBOX (a different format, {@link NaclBoxMiddleware})
 * carried that name; migration V14 renamed them to LIBSODIUM_SEALED_BOX.
 */
public final class SealedBoxMiddleware implements EncryptionMiddleware {

    public static final String NAME = "LIBSODIUM_SEALED_BOX";

    private final byte[] secretKey;
    private final byte[] publicKey;
    private final String keyId;
    private final Path spoolDirectory;
    private final SecureRandom random;

    public SealedBoxMiddleware(byte[] secretKey, Path spoolDirectory, SecureRandom random) {
        if (secretKey == null || secretKey.length != NaclBox.KEY_BYTES) {
            throw new IllegalArgumentException("the sealed-box private key must be 32 bytes (base64 of crypto_box_keypair's secret key)");
        }
        this.secretKey = secretKey.clone();
        this.publicKey = NaclBox.publicKey(secretKey);
        this.keyId = keyId(this.publicKey);
        this.spoolDirectory = spoolDirectory;
        this.random = random;
    }

    /** {@code x25519:} and the {@linkplain NaclBox#fingerprint fingerprint} of the recipient's public key. */
    public static String keyId(byte[] publicKey) {
        return "x25519:" + NaclBox.fingerprint(publicKey);
    }

    @Override
    public String name() {
        return NAME;
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public Encoded encode(ContentSource plain) throws IOException {
        byte[] ephemeralSecret = new byte[NaclBox.KEY_BYTES];
        X25519.generatePrivateKey(random, ephemeralSecret);
        byte[] ephemeralPublic = NaclBox.publicKey(ephemeralSecret);
        byte[] key = NaclBox.beforenm(publicKey, ephemeralSecret);
        Arrays.fill(ephemeralSecret, (byte) 0);
        ContentSource sealed = NaclBox.secretbox(ephemeralPublic, key, NaclBox.sealNonce(ephemeralPublic, publicKey), plain);
        return new Encoded(sealed, new KeyRecord(keyId, null));
    }

    @Override
    public InputStream decode(InputStream stored, KeyRecord key) throws IOException {
        if (!keyId.equals(key.keyId())) {
            throw new DecryptionRefused("sealed for key " + key.keyId() + ", but this deployment's sealed-box key is " + keyId);
        }
        byte[] ephemeralPublic = stored.readNBytes(NaclBox.KEY_BYTES);
        if (ephemeralPublic.length != NaclBox.KEY_BYTES) {
            throw new DecryptionRefused("sealed box shorter than its header");
        }
        byte[] boxKey = NaclBox.beforenm(ephemeralPublic, secretKey);
        if (boxKey == null) {
            throw new DecryptionRefused("sealed box with an invalid ephemeral public key");
        }
        return NaclBox.secretboxOpen(stored, boxKey, NaclBox.sealNonce(ephemeralPublic, publicKey), spoolDirectory, "sealed box");
    }
}
