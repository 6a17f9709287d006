package io.bytekeep.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import io.bytekeep.atrest.CryptoWarmUp;

/**
 * Where the client's bulk cryptography (AES-GCM of every chunk, SHA-256 of every byte) comes from. The Amazon Corretto
 * Crypto Provider runs AWS-LC's native code behind the JCE at full speed from the first chunk; the JDK's own provider
 * reaches that only after HotSpot compiled its intrinsics, seconds into a transfer. ACCP is used for these two
 * operations only (never installed as a global provider, so key wrapping and signatures stay with the JDK and
 * BouncyCastle), and where its native library does not load (another platform than linux-x86_64) the JDK's provider
 * is used with {@link CryptoWarmUp}.
 */
final class BulkCrypto {

    /** System property: {@code false} keeps the bulk cryptography on the JDK's provider. */
    static final String NATIVE_CRYPTO = "bytekeep.cli.native-crypto";
    /** System property set by bin/bytekeep: its cache directory for this jar and JVM. */
    static final String CACHE_DIR = "bytekeep.cli.cache-dir";
    /** In the cache directory when ACCP did not load: bin/bytekeep then leaves HotSpot's C2, and its intrinsics, on. */
    static final String JDK_CRYPTO_MARKER = "jdk-crypto";

    private static final Provider PROVIDER = load(System.getProperty(NATIVE_CRYPTO), System.getProperty(CACHE_DIR));

    private BulkCrypto() {
    }

    /** ACCP when it loaded and passed its self-tests, else null (the JDK's choice). */
    static Provider provider() {
        return PROVIDER;
    }

    /** Gets the JDK's AES-GCM compiled early when it is the one in use; nothing to do with ACCP. */
    static void prepare() {
        if (PROVIDER == null) {
            CryptoWarmUp.start();
        }
    }

    static MessageDigest sha256() {
        try {
            return PROVIDER == null ? MessageDigest.getInstance("SHA-256") : MessageDigest.getInstance("SHA-256", PROVIDER);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ACCP unless disabled or it does not load; without it, the marker in the launcher's cache directory if given. */
    static Provider load(String nativeCrypto, String cacheDir) {
        Provider provider = "false".equalsIgnoreCase(nativeCrypto) ? null : accp();
        if (provider == null && cacheDir != null) {
            try {
                Files.write(Path.of(cacheDir, JDK_CRYPTO_MARKER), new byte[0]);
            } catch (IOException | RuntimeException e) {
                // only a hint for the launcher's next call
            }
        }
        return provider;
    }

    private static Provider accp() {
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
