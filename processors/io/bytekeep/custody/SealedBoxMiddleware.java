package io.bytekeep.custody;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.bouncycastle.math.ec.rfc7748.X25519;

import io.bytekeep.vault.ContentSource;

/**
 * Bytes' NACL_SEALBOX middleware: libsodium's {@code crypto_box_seal}, so that any libsodium opens the objects with
 * the private key. Stored form: ephemeral X25519 public key (32) || Poly1305 MAC (16) || XSalsa20 ciphertext.
 * <p>The MAC precedes the ciphertext it covers, so neither direction can stream in one pass: encoding reads the
 * plain bytes twice (once for the MAC, once for the upload), decoding spools the ciphertext to a file while checking
 * the MAC and decrypts only after it matched. Plaintext never touches the disk here, and the heap holds one buffer.
 */
public final class SealedBoxMiddleware implements EncryptionMiddleware {

    public static final String NAME = "NACL_SEALBOX";
    private static final int BUFFER = 64 * 1024;

    private final byte[] secretKey;
    private final byte[] publicKey;
    private final String keyId;
    private final Path spoolDirectory;
    private final SecureRandom random;

    /** {@code publicKey} may be null (it follows from the private key); when given it must belong to it. */
    public SealedBoxMiddleware(byte[] secretKey, byte[] publicKey, Path spoolDirectory, SecureRandom random) {
        if (secretKey == null || secretKey.length != NaclBox.KEY_BYTES) {
            throw new IllegalArgumentException("the sealed-box private key must be 32 bytes (base64 of crypto_box_keypair's secret key)");
        }
        this.secretKey = secretKey.clone();
        this.publicKey = NaclBox.publicKey(secretKey);
        if (publicKey != null && !MessageDigest.isEqual(publicKey, this.publicKey)) {
            throw new IllegalArgumentException("the sealed-box public key does not belong to the private key");
        }
        this.keyId = keyId(this.publicKey);
        this.spoolDirectory = spoolDirectory;
        this.random = random;
    }

    /** A short fingerprint of a public key: {@code x25519:} and the first 8 bytes of its SHA-256, in hex. */
    public static String keyId(byte[] publicKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey);
            return "x25519:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
        byte[] nonce = NaclBox.sealNonce(ephemeralPublic, publicKey);
        byte[] key = NaclBox.beforenm(publicKey, ephemeralSecret);
        java.util.Arrays.fill(ephemeralSecret, (byte) 0);

        NaclBox.SecretBox box = NaclBox.SecretBox.open(key, nonce);
        byte[] buffer = new byte[BUFFER];
        try (InputStream ciphertext = new KeystreamXor(plain.open(), box.keystream())) {
            for (int n; (n = ciphertext.read(buffer)) >= 0; ) {
                box.mac().update(buffer, 0, n);
            }
        }
        byte[] header = new byte[NaclBox.SEAL_BYTES];
        System.arraycopy(ephemeralPublic, 0, header, 0, NaclBox.KEY_BYTES);
        box.mac().doFinal(header, NaclBox.KEY_BYTES);

        ContentSource sealed = new ContentSource() {
            @Override
            public InputStream open() throws IOException {
                return new SequenceInputStream(new ByteArrayInputStream(header),
                        new KeystreamXor(plain.open(), NaclBox.SecretBox.open(key, nonce).keystream()));
            }

            @Override
            public long size() {
                return NaclBox.SEAL_BYTES + plain.size();
            }
        };
        return new Encoded(sealed, new KeyRecord(keyId, null));
    }

    @Override
    public InputStream decode(InputStream stored, KeyRecord key) throws IOException {
        if (!keyId.equals(key.keyId())) {
            throw new DecryptionRefused("sealed for key " + key.keyId() + ", but this deployment's sealed-box key is " + keyId);
        }
        byte[] ephemeralPublic = stored.readNBytes(NaclBox.KEY_BYTES);
        byte[] expectedMac = stored.readNBytes(NaclBox.MAC_BYTES);
        if (expectedMac.length != NaclBox.MAC_BYTES) {
            throw new DecryptionRefused("sealed box shorter than its 48-byte header");
        }
        byte[] boxKey = NaclBox.beforenm(ephemeralPublic, secretKey);
        if (boxKey == null) {
            throw new DecryptionRefused("sealed box with an invalid ephemeral public key");
        }
        NaclBox.SecretBox box = NaclBox.SecretBox.open(boxKey, NaclBox.sealNonce(ephemeralPublic, publicKey));
        Files.createDirectories(spoolDirectory);
        Path spool = Files.createTempFile(spoolDirectory, "sealed-", ".bin");
        try {
            byte[] buffer = new byte[BUFFER];
            try (OutputStream out = Files.newOutputStream(spool)) {
                for (int n; (n = stored.read(buffer)) >= 0; ) {
                    box.mac().update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            byte[] actualMac = new byte[NaclBox.MAC_BYTES];
            box.mac().doFinal(actualMac, 0);
            if (!MessageDigest.isEqual(actualMac, expectedMac)) {
                throw new DecryptionRefused("sealed box failed authentication (wrong key, or changed or truncated bytes)");
            }
            return new KeystreamXor(Files.newInputStream(spool, StandardOpenOption.DELETE_ON_CLOSE), box.keystream());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(spool);
            throw e;
        }
    }
}
