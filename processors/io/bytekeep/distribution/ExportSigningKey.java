package io.bytekeep.distribution;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * The EC P-256 keys that sign exports: loaded from PEM, generated for a demo or a test, public keys written as PEM
 * for the phones and for {@code openssl dgst -verify}.
 */
public final class ExportSigningKey {

    /** The curve of the format: NIST P-256, a.k.a. secp256r1 / prime256v1. */
    public static final String CURVE = "secp256r1";

    private static final ECParameterSpec P256 = p256();

    private ExportSigningKey() {
    }

    /**
     * The private key of a PEM text: PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, what
     * {@code openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256} writes) or, leniently, the SEC1 form
     * ({@code -----BEGIN EC PRIVATE KEY-----}). The key must be on P-256.
     */
    public static PrivateKey fromPem(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            Object object = parser.readObject();
            // "-----BEGIN EC PARAMETERS-----" may precede the key in openssl's SEC1 output
            if (object instanceof ASN1ObjectIdentifier) {
                object = parser.readObject();
            }
            PrivateKey key;
            if (object instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else if (object instanceof PEMKeyPair pair) {
                key = converter.getKeyPair(pair).getPrivate();
            } else {
                throw new IllegalArgumentException("no unencrypted private key in the PEM text (found "
                        + (object == null ? "nothing" : object.getClass().getSimpleName()) + ")");
            }
            return requireP256(key);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable PEM text: " + e.getMessage(), e);
        }
    }

    /** A fresh P-256 key pair, for a demo or a test; production keys are made and kept outside the application. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(CURVE));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + CURVE + " key pair", e);
        }
    }

    /** A key (public: SubjectPublicKeyInfo, private: PKCS#8) as PEM text. */
    public static String toPem(Key key) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (key instanceof PrivateKey) {
                writer.writeObject(new JcaPKCS8Generator((PrivateKey) key, null));
            } else {
                writer.writeObject(key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** True if the DER signature over the data verifies with the public key. */
    public static boolean verify(PublicKey publicKey, byte[] data, byte[] derSignature) {
        try {
            Signature verifier = Signature.getInstance(ExportSigner.ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(data);
            return verifier.verify(derSignature);
        } catch (SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot verify with " + ExportSigner.ALGORITHM, e);
        }
    }

    /** The key itself if it is an EC key on P-256; otherwise an {@link IllegalArgumentException}. */
    static <K extends Key> K requireP256(K key) {
        if (!(key instanceof ECKey ec) || !sameCurve(ec.getParams(), P256)) {
            throw new IllegalArgumentException("export signing keys must be EC keys on P-256 (" + CURVE + "), got "
                    + (key instanceof ECKey ? "an EC key on another curve" : "a " + key.getAlgorithm() + " key"));
        }
        return key;
    }

    private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
        return a.getCurve().equals(b.getCurve()) && a.getGenerator().equals(b.getGenerator())
                && a.getOrder().equals(b.getOrder()) && a.getCofactor() == b.getCofactor();
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(CURVE));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM does not know " + CURVE, e);
        }
    }
}
