package io.bytekeep.client;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

/**
 * Where the client's bulk cryptography (AES-GCM of every chunk, SHA-256 of every byte) comes from. The Amazon Corretto
 * Crypto Provider runs AWS-LC's native code behind the JCE at full speed from the first chunk; the JDK's own provider
 * reaches that only after HotSpot compiled its intrinsics, seconds into a transfer. ACCP is used for these two
 * operations only (never installed as a global provider, so key wrapping and signatures stay with the JDK and
 * BouncyCastle), and where its native library does not load (another platform than linux-x86_64) the JDK's provider
 * is used with {@link CipherWarmUp}.
 */
final class BulkCrypto {

    private static final Provider PROVIDER = load();

    private BulkCrypto() {
    }

    /** ACCP when it loaded and passed its self-tests, else null (the JDK's choice). */
    static Provider provider() {
        return PROVIDER;
    }

    /** Gets the JDK's AES-GCM compiled early when it is the one in use; nothing to do with ACCP. */
    static void prepare() {
        if (PROVIDER == null) {
            CipherWarmUp.start();
        }
    }

    static MessageDigest sha256() {
        try {
            return PROVIDER == null ? MessageDigest.getInstance("SHA-256") : MessageDigest.getInstance("SHA-256", PROVIDER);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Provider load() {
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            if (accp.getLoadingError() != null) {
                return null;
            }
            accp.assertHealthy();
            return accp;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
