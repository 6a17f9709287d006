package io.bytekeep.custody.envelope;

import java.io.IOException;
import java.security.PrivateKey;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.ecc.ECCCMSSharedInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.KDF2BytesGenerator;
import org.bouncycastle.crypto.params.KDFParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.util.Pack;

/**
 * The X25519 key agreement of RFC 8418 for CMS KeyAgreeRecipientInfo, with dhSinglePass-stdDH-sha256kdf-scheme and
 * id-aes256-wrap: the shared secret Z of X25519, then the ANSI X9.63 KDF with SHA-256 over Z and the DER of
 * ECC-CMS-SharedInfo (RFC 5753: the key wrap algorithm, the optional ukm, the KEK length in bits). BouncyCastle's
 * JCE CMS layer maps this scheme to EC keys only, so the agreement and KDF are done here with its lightweight API.
 */
final class Rfc8418 {

    static final int KEK_BITS = 256;
    /**
     * The same scheme under the X9.63 arcs that RFC 8418's ASN.1 module prints; written is RFC 5753's SECG identifier
     * 1.3.132.1.11.1 ({@link CMSAlgorithm#ECDH_SHA256KDF}), which BouncyCastle and OpenSSL use. Both are read.
     */
    private static final ASN1ObjectIdentifier X963_SHA256KDF = new ASN1ObjectIdentifier("1.3.133.16.840.63.0.11.1");

    private Rfc8418() {
    }

    static void requireSupported(AlgorithmIdentifier keyEncryptionAlgorithm) throws CMSException {
        AlgorithmIdentifier wrap = AlgorithmIdentifier.getInstance(keyEncryptionAlgorithm.getParameters());
        ASN1ObjectIdentifier scheme = keyEncryptionAlgorithm.getAlgorithm();
        if (!CMSAlgorithm.ECDH_SHA256KDF.equals(scheme) && !X963_SHA256KDF.equals(scheme)
                || wrap == null || !CMSAlgorithm.AES256_WRAP.equals(wrap.getAlgorithm())) {
            throw new CMSException("unsupported X25519 key agreement " + keyEncryptionAlgorithm.getAlgorithm()
                    + "; expected dhSinglePass-stdDH-sha256kdf-scheme with id-aes256-wrap");
        }
    }

    /** The key-encryption key both sides derive from their X25519 keys. */
    static byte[] keyEncryptionKey(PrivateKey own, SubjectPublicKeyInfo other, AlgorithmIdentifier wrap, byte[] ukm)
            throws CMSException {
        try {
            X25519Agreement agreement = new X25519Agreement();
            agreement.init(PrivateKeyFactory.createKey(own.getEncoded()));
            byte[] z = new byte[agreement.getAgreementSize()];
            agreement.calculateAgreement(PublicKeyFactory.createKey(other), z, 0);
            byte[] sharedInfo = new ECCCMSSharedInfo(wrap, ukm, Pack.intToBigEndian(KEK_BITS)).getEncoded(ASN1Encoding.DER);
            KDF2BytesGenerator kdf = new KDF2BytesGenerator(new SHA256Digest());
            kdf.init(new KDFParameters(z, sharedInfo));
            byte[] kek = new byte[KEK_BITS / 8];
            kdf.generateBytes(kek, 0, kek.length);
            java.util.Arrays.fill(z, (byte) 0);
            return kek;
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            throw new CMSException("X25519 key agreement failed: " + e.getMessage(), e);
        }
    }
}
