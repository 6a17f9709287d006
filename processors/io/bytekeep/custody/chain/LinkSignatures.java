package io.bytekeep.custody.chain;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.UUID;

import io.bytekeep.custody.CustodyKeys;

/**
 * Signs and checks custody links with Ed25519 or ECDSA P-256 (SHA-256, DER-encoded signature). The algorithm
 * follows from the key alone, never from the link, so a link cannot talk its verifier into a weaker check.
 */
public final class LinkSignatures {

    private LinkSignatures() {
    }

    /** The link with its base64 signature over {@link SignedBytes#of}. */
    public static CustodyLink sign(UUID caseId, CustodyLink link, PrivateKey key) {
        try {
            Signature signer = Signature.getInstance(algorithm(key), CustodyKeys.PROVIDER);
            signer.initSign(key);
            signer.update(SignedBytes.of(caseId, link));
            return link.withSignature(Base64.getEncoder().encodeToString(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign custody link " + link.index(), e);
        }
    }

    /** Whether the link's signature verifies with {@code key}; false for malformed signatures too. */
    public static boolean verify(UUID caseId, CustodyLink link, PublicKey key) {
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(link.signature() == null ? "" : link.signature());
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(algorithm(key), CustodyKeys.PROVIDER);
            verifier.initVerify(key);
            verifier.update(SignedBytes.of(caseId, link));
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code Ed25519} or {@code SHA256withECDSA} (P-256 only); anything else is refused. */
    public static String algorithm(Key key) {
        return switch (CustodyKeys.type(key)) {
            case "Ed25519" -> "Ed25519";
            case "P-256" -> "SHA256withECDSA";
            default -> throw new IllegalArgumentException("custody signing keys are Ed25519 or ECDSA P-256, not "
                    + CustodyKeys.type(key));
        };
    }
}
