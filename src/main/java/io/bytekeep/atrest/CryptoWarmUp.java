package io.bytekeep.atrest;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets the JDK's AES-GCM and SHA-2 onto their compiled, intrinsic paths before the first large content. HotSpot uses
 * the AES-NI, CLMUL and SHA intrinsics only once the callers of the GHASH, counter-mode and compression loops are
 * compiled by C2, which takes some thousands of calls: with 64 KiB chunks that was the first 300-600 MB of a CLI
 * download at a fifth of the speed (bench/results/sharing-*.md); on the service, whose C2 is busy for a minute after a
 * start, the first 1 GiB upload took 7.1 s instead of 5.9 s (bench/results/vault-2026-12-06-big-warm-up-ab.md).
 * Thousands of tiny messages (under an all-zero key that protects nothing) reach those counts in a fraction of a second;
 * both directions are taken so that a first decryption does not undo the encryption's compiled code.
 */
public final class CryptoWarmUp {

    private static final int CALLS = 20_000;
    private static final int CIPHER_BYTES = 64;
    /** Several blocks per update, so the digests' multi-block loop is the one that gets compiled. */
    private static final int DIGEST_BYTES = 1024;
    private static final String[] DIGESTS = {"SHA-256", "SHA-512"};

    private CryptoWarmUp() {
    }

    /** Starts the warm-up on a daemon thread at the lowest priority, alongside whatever precedes the first transfer. */
    public static void start() {
        Thread thread = new Thread(CryptoWarmUp::run, "bytekeep-crypto-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    static void run() {
        try {
            SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
            Cipher encrypt = Cipher.getInstance("AES/GCM/NoPadding");
            Cipher decrypt = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] aad = new byte[16];
            byte[] plain = new byte[CIPHER_BYTES];
            byte[] sealed = new byte[CIPHER_BYTES + 16];
            byte[] nonce = new byte[12];
            byte[] block = new byte[DIGEST_BYTES];
            MessageDigest[] digests = new MessageDigest[DIGESTS.length];
            for (int i = 0; i < DIGESTS.length; i++) {
                digests[i] = MessageDigest.getInstance(DIGESTS[i]);
            }
            for (int call = 0; call < CALLS; call++) {
                ByteBuffer.wrap(nonce).putInt(0, call);
                GCMParameterSpec spec = new GCMParameterSpec(128, nonce);
                encrypt.init(Cipher.ENCRYPT_MODE, key, spec);
                encrypt.updateAAD(aad);
                encrypt.doFinal(plain, 0, plain.length, sealed, 0);
                decrypt.init(Cipher.DECRYPT_MODE, key, spec);
                decrypt.updateAAD(aad);
                decrypt.doFinal(sealed, 0, sealed.length, plain, 0);
                for (MessageDigest digest : digests) {
                    digest.update(block, 0, block.length);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM or SHA-2 is not available", e);
        }
    }
}
