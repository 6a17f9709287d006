package io.bytekeep.atrest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.SecureRandom;

import io.bytekeep.platform.ContentSource;

/**
 * Bytes' NACL_SEALBOX middleware ({@code bytes/bytes/raw/middleware.py}, NaclBoxMiddleware): PyNaCl's
 * {@code Box(PrivateKey(BYTES_PRIVATE_KEY_B64), PublicKey(BYTES_PUBLIC_KEY_B64)).encrypt(contents)}, where the public
 * key is the other party's. Stored form: random 24-byte nonce || {@code crypto_box_easy} (16-byte Poly1305 MAC ||
 * XSalsa20 ciphertext) under {@code crypto_box_beforenm(public key, private key)}. Bytes writes exactly these bytes,
 * so its files and Bytekeep's open in either, and in any libsodium holding either party's private key.
 */
public final class NaclBoxMiddleware implements EncryptionMiddleware {

    public static final String NAME = "NACL_SEALBOX";

    private final byte[] sharedKey;
    private final String keyId;
    private final Path spoolDirectory;
    private final SecureRandom random;

    /** {@code privateKey}: this side's secret key; {@code publicKey}: the other party's public key (32 bytes each). */
    public NaclBoxMiddleware(byte[] privateKey, byte[] publicKey, Path spoolDirectory, SecureRandom random) {
        if (privateKey == null || privateKey.length != NaclBox.KEY_BYTES) {
            throw new IllegalArgumentException("the NACL_SEALBOX private key must be 32 bytes (base64 of a crypto_box secret key)");
        }
        if (publicKey == null || publicKey.length != NaclBox.KEY_BYTES) {
            throw new IllegalArgumentException("the NACL_SEALBOX public key must be 32 bytes (base64 of the other party's crypto_box public key)");
        }
        this.sharedKey = NaclBox.beforenm(publicKey, privateKey);
        if (sharedKey == null) {
            throw new IllegalArgumentException("the NACL_SEALBOX public key is not a usable X25519 public key (low order)");
        }
        this.keyId = keyId(NaclBox.publicKey(privateKey), publicKey);
        this.spoolDirectory = spoolDirectory;
        this.random = random;
    }

    /**
     * {@code box:}, the {@linkplain NaclBox#fingerprint fingerprint} of this side's public key (the one that belongs to
     * the private key), {@code :} and that of the other party's public key: the pair that encrypted an object.
     */
    public static String keyId(byte[] ownPublicKey, byte[] otherPublicKey) {
        return "box:" + NaclBox.fingerprint(ownPublicKey) + ":" + NaclBox.fingerprint(otherPublicKey);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The key id this middleware records and reads: its key pair's (see {@link #keyId(byte[], byte[])}). */
    public String keyId() {
        return keyId;
    }

    @Override
    public Encoded encode(ContentSource plain) throws IOException {
        byte[] nonce = new byte[NaclBox.NONCE_BYTES];
        random.nextBytes(nonce);
        return new Encoded(NaclBox.secretbox(nonce, sharedKey, nonce, plain), new KeyRecord(keyId, null));
    }

    @Override
    public InputStream decode(InputStream stored, KeyRecord key) throws IOException {
        if (!keyId.equals(key.keyId())) {
            throw new DecryptionRefused("boxed with key pair " + key.keyId() + ", but this deployment's NACL_SEALBOX pair is " + keyId);
        }
        byte[] nonce = stored.readNBytes(NaclBox.NONCE_BYTES);
        if (nonce.length != NaclBox.NONCE_BYTES) {
            throw new DecryptionRefused("NaCl box shorter than its header");
        }
        return NaclBox.secretboxOpen(stored, sharedKey, nonce, spoolDirectory, "NaCl box");
    }
}
