package io.bytekeep.custody.envelope;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KeyAgreeRecipientId;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;

import io.bytekeep.custody.CustodyKeys;

/**
 * A recipient's side of {@link EnvelopeSealer}: finds the recipient info for its key, unwraps the content key and
 * decrypts. The plaintext goes to a spool file first and reaches {@code plain} only after the GCM tag checked out,
 * so a wrong key or a tampered envelope yields an {@link EnvelopeException} and not one byte of plaintext.
 */
public final class EnvelopeOpener {

    private final Path spoolDirectory;

    public EnvelopeOpener(Path spoolDirectory) {
        this.spoolDirectory = spoolDirectory;
    }

    public void open(InputStream envelope, KeyPair recipientKey, OutputStream plain) throws EnvelopeException, IOException {
        Files.createDirectories(spoolDirectory);
        Path spool = Files.createTempFile(spoolDirectory, "envelope", ".plain");
        try {
            try (OutputStream out = Files.newOutputStream(spool)) {
                decrypt(envelope, recipientKey, out);
            }
            Files.copy(spool, plain);
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private static void decrypt(InputStream envelope, KeyPair key, OutputStream out) throws EnvelopeException {
        byte[] keyId = SubjectKeyIds.of(key.getPublic());
        boolean agrees = CustodyKeys.type(key.getPublic()).equals("X25519");
        RecipientId id = agrees ? new KeyAgreeRecipientId(keyId) : new KeyTransRecipientId(keyId);
        try {
            CMSAuthEnvelopedDataParser parser = new CMSAuthEnvelopedDataParser(envelope);
            RecipientInformation info = parser.getRecipientInfos().get(id);
            if (info == null) {
                throw new EnvelopeException("the envelope is not sealed for this key (no recipient info for its key id)", null);
            }
            Recipient recipient = agrees
                    ? new X25519AuthEnvelopedRecipient(key.getPrivate())
                    : new JceKeyTransAuthEnvelopedRecipient(key.getPrivate()).setProvider(CustodyKeys.PROVIDER);
            try (InputStream content = info.getContentStream(recipient).getContentStream()) {
                content.transferTo(out);
            }
        } catch (CMSException | IOException | RuntimeException e) {
            throw new EnvelopeException("cannot open the envelope (wrong key, or damaged or tampered with): " + e.getMessage(), e);
        }
    }
}
