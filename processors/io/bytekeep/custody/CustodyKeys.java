package io.bytekeep.custody;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * Keys of custody parties as PEM text (what {@code openssl genpkey} / {@code openssl pkey -pubout} write): public keys
 * as SubjectPublicKeyInfo, private keys as PKCS#8. All custody cryptography runs on one BouncyCastle provider
 * instance, which is never registered globally.
 */
public final class CustodyKeys {

    public static final Provider PROVIDER = new BouncyCastleProvider();

    private CustodyKeys() {
    }

    public static PublicKey publicKey(String pem) {
        Object object = readPem(pem);
        try {
            if (object instanceof SubjectPublicKeyInfo info) {
                return converter().getPublicKey(info);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("unsupported public key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no public key (-----BEGIN PUBLIC KEY-----) in the PEM text (found "
                + describe(object) + ")");
    }

    public static PrivateKey privateKey(String pem) {
        Object object = readPem(pem);
        try {
            if (object instanceof PrivateKeyInfo info) {
                return converter().getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter().getKeyPair(pair).getPrivate();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("unsupported private key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no unencrypted private key (-----BEGIN PRIVATE KEY-----) in the PEM text (found "
                + describe(object) + ")");
    }

    public static String toPem(Key key) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(key instanceof PrivateKey ? plainPkcs8(key) : key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * PKCS#8 version 1: the algorithm and the private key only. BouncyCastle encodes X25519 and Ed25519 keys as
     * version 2 with the public key appended, which some readers (pyca/cryptography 48) refuse.
     */
    private static PrivateKeyInfo plainPkcs8(Key key) throws IOException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        return new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey());
    }

    /** A fresh key pair: {@code Ed25519}, {@code X25519}, {@code P-256} (ECDSA / ECDH) or {@code RSA} (3072 bits). */
    public static KeyPair generate(String type) {
        try {
            return switch (type) {
                case "Ed25519", "X25519" -> KeyPairGenerator.getInstance(type, PROVIDER).generateKeyPair();
                case "P-256" -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", PROVIDER);
                    generator.initialize(new ECGenParameterSpec("secp256r1"));
                    yield generator.generateKeyPair();
                }
                case "RSA" -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", PROVIDER);
                    generator.initialize(3072);
                    yield generator.generateKeyPair();
                }
                default -> throw new IllegalArgumentException("unknown key type " + type + "; use Ed25519, X25519, P-256 or RSA");
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + type + " key pair", e);
        }
    }

    /** The public half of an Ed25519 or EC private key read by {@link #privateKey}. */
    public static PublicKey publicKeyOf(PrivateKey key) {
        try {
            if (key instanceof org.bouncycastle.jcajce.interfaces.EdDSAPrivateKey ed) {
                return ed.getPublicKey();
            }
            if (key instanceof org.bouncycastle.jce.interfaces.ECPrivateKey ec) {
                org.bouncycastle.jce.spec.ECParameterSpec spec = ec.getParameters();
                return KeyFactory.getInstance("EC", PROVIDER).generatePublic(
                        new org.bouncycastle.jce.spec.ECPublicKeySpec(spec.getG().multiply(ec.getD()).normalize(), spec));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot derive the public key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("cannot derive the public key of a " + type(key) + " key");
    }

    /** {@code Ed25519}, {@code X25519}, {@code P-256}, {@code RSA}, or the algorithm's OID for anything else. */
    public static String type(Key key) {
        AlgorithmIdentifier algorithm = key instanceof PrivateKey
                ? PrivateKeyInfo.getInstance(key.getEncoded()).getPrivateKeyAlgorithm()
                : SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm();
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
            return "Ed25519";
        }
        if (oid.equals(EdECObjectIdentifiers.id_X25519)) {
            return "X25519";
        }
        if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            return "RSA";
        }
        if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            return X9ObjectIdentifiers.prime256v1.equals(algorithm.getParameters()) ? "P-256" : "EC (not P-256)";
        }
        return oid.getId();
    }

    private static JcaPEMKeyConverter converter() {
        return new JcaPEMKeyConverter().setProvider(PROVIDER);
    }

    private static Object readPem(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("the PEM text is empty");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return parser.readObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable PEM text: " + e.getMessage(), e);
        }
    }

    private static String describe(Object object) {
        return object == null ? "nothing" : object.getClass().getSimpleName();
    }
}
