package io.bytekeep.custody.envelope;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.spec.MGF1ParameterSpec;
import java.util.List;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAuthEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;

import io.bytekeep.custody.CustodyKeys;

/**
 * Encrypts a file once for many recipients: CMS (RFC 5652) AuthEnvelopedData (RFC 5083) with AES-256-GCM under a
 * fresh content key, the key wrapped for each recipient (RSA-OAEP-SHA256, or X25519 with the X9.63 SHA-256 KDF
 * and AES-256 key wrap as RFC 8418 specifies). DER output, streamed: memory stays constant whatever the size.
 * Any one recipient opens it with its private key; {@code openssl cms -decrypt} opens it with an RSA recipient's key
 * (OpenSSL 3.0 has no X25519 recipients in CMS).
 */
public final class EnvelopeSealer {

    private static final AlgorithmIdentifier RSA_OAEP_SHA256 = oaepSha256();
    /** Encrypted content in BER octet-string chunks of this size (BouncyCastle's default of 1000 adds 0.4 %). */
    private static final int CHUNK = 64 * 1024;

    public void seal(List<EnvelopeRecipient> recipients, InputStream plain, OutputStream envelope) throws IOException {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
        try {
            CMSAuthEnvelopedDataStreamGenerator generator = new CMSAuthEnvelopedDataStreamGenerator();
            generator.setBufferSize(CHUNK);
            // one ephemeral originator key per envelope, never reused for another
            X25519RecipientInfoGenerator agreement = null;
            for (EnvelopeRecipient recipient : recipients) {
                if (recipient.agreesKeys()) {
                    agreement = agreement == null ? X25519RecipientInfoGenerator.withFreshEphemeralKey() : agreement;
                    agreement.addRecipient(recipient.key());
                } else {
                    generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(
                            SubjectKeyIds.of(recipient.key()), RSA_OAEP_SHA256, recipient.key())
                            .setProvider(CustodyKeys.PROVIDER));
                }
            }
            if (agreement != null) {
                generator.addRecipientInfoGenerator(agreement);
            }
            try (OutputStream sealed = generator.open(envelope, new JdkAesGcmEncryptor())) {
                plain.transferTo(sealed);
            }
        } catch (CMSException | GeneralSecurityException e) {
            throw new IOException("cannot seal the envelope: " + e.getMessage(), e);
        }
    }

    private static AlgorithmIdentifier oaepSha256() {
        try {
            return new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP,
                    new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
