package io.bytekeep.custody.envelope;

import java.security.Key;
import java.security.PrivateKey;

import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESWrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;

import io.bytekeep.custody.CustodyKeys;

/** An X25519 recipient of an AuthEnvelopedData: unwraps the content key of {@link X25519RecipientInfoGenerator}. */
final class X25519AuthEnvelopedRecipient extends JceKeyAgreeAuthEnvelopedRecipient {

    private final PrivateKey key;

    X25519AuthEnvelopedRecipient(PrivateKey key) {
        super(key);
        this.key = key;
        setProvider(CustodyKeys.PROVIDER);
    }

    @Override
    protected Key extractSecretKey(AlgorithmIdentifier keyEncryptionAlgorithm, AlgorithmIdentifier contentEncryptionAlgorithm,
                                   SubjectPublicKeyInfo originatorKey, ASN1OctetString userKeyingMaterial,
                                   byte[] encryptedContentKey) throws CMSException {
        Rfc8418.requireSupported(keyEncryptionAlgorithm);
        AlgorithmIdentifier wrap = AlgorithmIdentifier.getInstance(keyEncryptionAlgorithm.getParameters());
        byte[] kek = Rfc8418.keyEncryptionKey(key, originatorKey, wrap,
                userKeyingMaterial == null ? null : userKeyingMaterial.getOctets());
        AESWrapEngine unwrap = new AESWrapEngine();
        unwrap.init(false, new KeyParameter(kek));
        try {
            return new SecretKeySpec(unwrap.unwrap(encryptedContentKey, 0, encryptedContentKey.length), "AES");
        } catch (InvalidCipherTextException e) {
            throw new CMSException("the content key does not unwrap with this X25519 key", e);
        }
    }
}
