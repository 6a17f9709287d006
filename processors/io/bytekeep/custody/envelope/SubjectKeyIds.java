package io.bytekeep.custody.envelope;

import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;

import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/** RFC 5280's subject key identifier (method 1: SHA-1 of the public key bits), as openssl puts it in certificates. */
public final class SubjectKeyIds {

    private SubjectKeyIds() {
    }

    public static byte[] of(PublicKey key) {
        try {
            return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key).getKeyIdentifier();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
