package io.bytekeep.client;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets the JDK's AES-GCM onto its compiled, intrinsic path before the first real chunk. HotSpot uses the AES-NI
 * and CLMUL intrinsics only once the callers of the GHASH and counter-mode loops are compiled by C2, which takes some
 * thousands of calls: with 64 KiB chunks that was the first 300-600 MB of a download at a fifth of the speed
 * (bench/results/sharing-*.md). Thousands of tiny messages (64 bytes under an all-zero key that protects nothing)
 * reach those counts in a fraction of a second.
 */
final class CipherWarmUp {

    private static final int CALLS = 20_000;
    private static final int BYTES = 64;

    private CipherWarmUp() {
    }

    /** Starts the warm-up on a daemon thread, alongside the API calls that precede a transfer. */
    static void start() {
        Thread thread = new Thread(CipherWarmUp::run, "bytekeep-cipher-warm-up");
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
            byte[] plain = new byte[BYTES];
            byte[] sealed = new byte[BYTES + 16];
            byte[] nonce = new byte[12];
            for (int call = 0; call < CALLS; call++) {
                ByteBuffer.wrap(nonce).putInt(0, call);
                GCMParameterSpec spec = new GCMParameterSpec(128, nonce);
                encrypt.init(Cipher.ENCRYPT_MODE, key, spec);
                encrypt.updateAAD(aad);
                encrypt.doFinal(plain, 0, plain.length, sealed, 0);
                decrypt.init(Cipher.DECRYPT_MODE, key, spec);
                decrypt.updateAAD(aad);
                decrypt.doFinal(sealed, 0, sealed.length, plain, 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }
}
