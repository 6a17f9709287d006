package io.bytekeep.trust;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * A private key of a TUF role and its {@link TrustKey}: Ed25519 (signature: the 64 raw bytes) or ECDSA P-256 with
 * SHA-256 (signature: DER), both in hex as TUF metadata carries them. Keys are read from PKCS#8 PEM (also SEC1
 * {@code EC PRIVATE KEY}); the public key is derived from the private one, so a role needs one file.
 */
public final class TrustSigner {

    /** The key types a generated key may have. */
    public enum KeyType {
        ED25519, ECDSA;

        public static KeyType of(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final PrivateKey privateKey;
    private final TrustKey key;

    private TrustSigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.key = TrustKey.of(publicKey);
    }

    /** The signer of a PEM private key (PKCS#8, or SEC1 for EC), Ed25519 or EC on P-256. */
    public static TrustSigner fromPem(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            Object object = parser.readObject();
            if (object instanceof ASN1ObjectIdentifier) {
                object = parser.readObject();
            }
            if (object instanceof PEMKeyPair pair) {
                KeyPair keys = converter.getKeyPair(pair);
                return new TrustSigner(keys.getPrivate(), keys.getPublic());
            }
            if (!(object instanceof PrivateKeyInfo info)) {
                throw new IllegalArgumentException("no unencrypted private key in the PEM text (found "
                        + (object == null ? "nothing" : object.getClass().getSimpleName()) + ")");
            }
            if (EdECObjectIdentifiers.id_Ed25519.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
                byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
                byte[] raw = new Ed25519PrivateKeyParameters(seed).generatePublicKey().getEncoded();
                PublicKey publicKey = TrustKey.fromJson(Map.of("keytype", TrustKey.ED25519, "scheme", TrustKey.ED25519,
                        "keyval", Map.of("public", HexFormat.of().formatHex(raw)))).publicKey();
                return new TrustSigner(KeyFactory.getInstance("Ed25519").generatePrivate(
                        new PKCS8EncodedKeySpec(info.getEncoded())), publicKey);
            }
            PrivateKey privateKey = converter.getPrivateKey(info);
            if (privateKey instanceof ECPrivateKey ec) {
                return new TrustSigner(ec, ecPublicKey(ec));
            }
            throw new IllegalArgumentException("TUF keys here are Ed25519 or ECDSA P-256, not " + privateKey.getAlgorithm());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("unreadable PEM private key: " + e.getMessage(), e);
        }
    }

    /** A fresh key: for the embedded default and tests; production keys are made and kept outside. */
    public static TrustSigner generate(KeyType type) {
        try {
            KeyPairGenerator generator;
            if (type == KeyType.ED25519) {
                generator = KeyPairGenerator.getInstance("Ed25519");
            } else {
                generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            }
            KeyPair pair = generator.generateKeyPair();
            return new TrustSigner(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + type + " key", e);
        }
    }

    /** The private key as PKCS#8 PEM. */
    public String privateKeyPem() {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(privateKey, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    public TrustKey key() {
        return key;
    }

    /** The signature over the bytes, hex. */
    public String sign(byte[] data) {
        try {
            Signature signer = Signature.getInstance(key.algorithm());
            signer.initSign(privateKey);
            signer.update(data);
            return HexFormat.of().formatHex(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + key, e);
        }
    }

    private static PublicKey ecPublicKey(ECPrivateKey key) throws GeneralSecurityException {
        var p256 = ECNamedCurveTable.getParameterSpec("secp256r1");
        BigInteger order = key.getParams().getOrder();
        if (!order.equals(p256.getN())) {
            throw new IllegalArgumentException("ECDSA keys of TUF roles here are on P-256");
        }
        var q = p256.getG().multiply(key.getS()).normalize();
        ECPoint point = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, key.getParams()));
    }
}
