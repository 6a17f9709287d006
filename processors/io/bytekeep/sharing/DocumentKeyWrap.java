package io.bytekeep.sharing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * A document key wrapped for one user's X25519 public key, as the client does it (the server only stores the
 * result): ephemeral-static X25519, HKDF-SHA256 over the shared secret with both public keys in the info, then
 * AES-256-GCM of the key. Layout, base64: version 0x01 | ephemeral public key (32) | nonce (12) | ciphertext+tag.
 */
public final class DocumentKeyWrap {

    public static final int KEY_BYTES = 32;
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final byte[] INFO = "bytekeep-sharing-key-wrap-v1".getBytes(StandardCharsets.US_ASCII);
    private static final int WRAPPED_BYTES = 1 + KEY_BYTES + NONCE_BYTES + KEY_BYTES + 16;

    private DocumentKeyWrap() {
    }

    /** A fresh X25519 private key (32 random bytes, clamped by X25519 on use). */
    public static byte[] newPrivateKey(SecureRandom random) {
        byte[] privateKey = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(random, privateKey);
        return privateKey;
    }

    public static byte[] publicKey(byte[] privateKey) {
        byte[] publicKey = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(privateKey, 0, publicKey, 0);
        return publicKey;
    }

    /** The base64 public key as {@code PUT /users/me/key} takes it; refuses anything but 32 bytes. */
    public static byte[] decodePublicKey(String base64) {
        byte[] key = decode(base64, "public key");
        if (key.length != X25519.POINT_SIZE) {
            throw new IllegalArgumentException("an X25519 public key is 32 bytes, this one is " + key.length);
        }
        return key;
    }

    /** Checks the shape of a wrapped key (what the server can check without any private key). */
    public static void requireWellFormed(String wrapped) {
        byte[] bytes = decode(wrapped, "wrapped key");
        if (bytes.length != WRAPPED_BYTES || bytes[0] != VERSION) {
            throw new IllegalArgumentException("a wrapped key is " + WRAPPED_BYTES + " bytes of version " + VERSION);
        }
    }

    public static String wrap(byte[] documentKey, byte[] recipientPublicKey, SecureRandom random) {
        if (documentKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("a document key is " + KEY_BYTES + " bytes");
        }
        byte[] ephemeral = newPrivateKey(random);
        byte[] ephemeralPublic = publicKey(ephemeral);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, kek(ephemeral, recipientPublicKey, ephemeralPublic, recipientPublicKey),
                nonce, documentKey);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(WRAPPED_BYTES)
                .put(VERSION).put(ephemeralPublic).put(nonce).put(sealed).array());
    }

    /** The document key; {@link IllegalArgumentException} when the wrap is not for this private key or was changed. */
    public static byte[] unwrap(String wrapped, byte[] privateKey) {
        requireWellFormed(wrapped);
        byte[] bytes = Base64.getDecoder().decode(wrapped);
        byte[] ephemeralPublic = Arrays.copyOfRange(bytes, 1, 1 + KEY_BYTES);
        byte[] nonce = Arrays.copyOfRange(bytes, 1 + KEY_BYTES, 1 + KEY_BYTES + NONCE_BYTES);
        byte[] sealed = Arrays.copyOfRange(bytes, 1 + KEY_BYTES + NONCE_BYTES, bytes.length);
        return gcm(Cipher.DECRYPT_MODE, kek(privateKey, ephemeralPublic, ephemeralPublic, publicKey(privateKey)), nonce, sealed);
    }

    private static byte[] kek(byte[] privateKey, byte[] otherPublic, byte[] ephemeralPublic, byte[] recipientPublic) {
        byte[] shared = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(privateKey, 0, otherPublic, 0, shared, 0)) {
            throw new IllegalArgumentException("a low-order X25519 public key");
        }
        byte[] info = ByteBuffer.allocate(INFO.length + 2 * KEY_BYTES).put(INFO).put(ephemeralPublic).put(recipientPublic).array();
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(shared, null, info));
        byte[] kek = new byte[KEY_BYTES];
        hkdf.generateBytes(kek, 0, kek.length);
        return kek;
    }

    private static byte[] gcm(int mode, byte[] kek, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, nonce));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the wrapped key does not open with this private key", e);
        }
    }

    private static byte[] decode(String base64, String what) {
        if (base64 == null) {
            throw new IllegalArgumentException("no " + what);
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " is not base64");
        }
    }
}
