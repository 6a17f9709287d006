package io.bytekeep.custody.chain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * PHT's hash of the immutable input, bound to the user and the session: SHA-256 over the length-prefixed fields
 * of {@link SignedBytes#input}, written {@code sha256:<hex>}. The raw file enters as its proof hash
 * ({@code secure_hash}), which the Vault checks against the stored bytes before a case is opened.
 */
public final class InputHash {

    private InputHash() {
    }

    public static String of(String secureHash, String userId, String sessionId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(SignedBytes.input(secureHash, userId, sessionId));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
