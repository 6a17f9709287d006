package io.bytekeep.custody.envelope;

import java.security.Key;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientIdentifier;
import org.bouncycastle.asn1.cms.RecipientEncryptedKey;
import org.bouncycastle.asn1.cms.RecipientKeyIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyAgreeRecipientInfoGenerator;
import org.bouncycastle.crypto.engines.AESWrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.operator.GenericKey;

import io.bytekeep.custody.CustodyKeys;

/**
 * One KeyAgreeRecipientInfo for the X25519 recipients of an envelope (RFC 8418): a fresh ephemeral originator key,
 * each recipient named by its subject key identifier, the content key wrapped with AES-256 key wrap under the
 * key-encryption key of {@link Rfc8418}.
 */
final class X25519RecipientInfoGenerator extends KeyAgreeRecipientInfoGenerator {

    private final KeyPair ephemeral;
    private final List<byte[]> keyIds = new ArrayList<>();
    private final List<PublicKey> keys = new ArrayList<>();

    private X25519RecipientInfoGenerator(KeyPair ephemeral) {
        super(CMSAlgorithm.ECDH_SHA256KDF, SubjectPublicKeyInfo.getInstance(ephemeral.getPublic().getEncoded()),
                CMSAlgorithm.AES256_WRAP);
        this.ephemeral = ephemeral;
    }

    static X25519RecipientInfoGenerator withFreshEphemeralKey() {
        return new X25519RecipientInfoGenerator(CustodyKeys.generate("X25519"));
    }

    X25519RecipientInfoGenerator addRecipient(PublicKey key) {
        keyIds.add(SubjectKeyIds.of(key));
        keys.add(key);
        return this;
    }

    @Override
    protected ASN1Sequence generateRecipientEncryptedKeys(AlgorithmIdentifier keyAgreementAlgorithm,
                                                          AlgorithmIdentifier keyEncryptionAlgorithm,
                                                          GenericKey contentEncryptionKey) throws CMSException {
        byte[] contentKey = contentEncryptionKey.getRepresentation() instanceof Key key
                ? key.getEncoded() : (byte[]) contentEncryptionKey.getRepresentation();
        ASN1EncodableVector encryptedKeys = new ASN1EncodableVector();
        for (int i = 0; i < keys.size(); i++) {
            byte[] kek = Rfc8418.keyEncryptionKey(ephemeral.getPrivate(),
                    SubjectPublicKeyInfo.getInstance(keys.get(i).getEncoded()), keyEncryptionAlgorithm, null);
            AESWrapEngine wrap = new AESWrapEngine();
            wrap.init(true, new KeyParameter(kek));
            encryptedKeys.add(new RecipientEncryptedKey(
                    new KeyAgreeRecipientIdentifier(new RecipientKeyIdentifier(keyIds.get(i))),
                    new DEROctetString(wrap.wrap(contentKey, 0, contentKey.length))));
        }
        return new DERSequence(encryptedKeys);
    }

    @Override
    protected byte[] getUserKeyingMaterial(AlgorithmIdentifier keyAgreementAlgorithm) {
        return null;
    }
}
