package io.bytekeep.custody;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.support.SynchronizationAdapter;

import io.bytekeep.custody.envelope.EnvelopeRecipient;
import io.bytekeep.custody.envelope.EnvelopeSealer;
import io.bytekeep.vault.OrphanGuard;

/**
 * Seals bytes for a case's recipients into a spool file and prepares its put into the raw bucket (the next route
 * step): S3 needs the length first, and the spool keeps memory constant. The object is journaled with the
 * route's orphanGuard, so it is removed again unless the case or link is recorded.
 */
final class EnvelopeUpload {

    static final String CONTENT_TYPE = "application/pkcs7-mime; smime-type=authEnveloped-data";

    private final EnvelopeSealer sealer;
    private final Path spoolDirectory;
    private final String bucket;

    EnvelopeUpload(EnvelopeSealer sealer, Path spoolDirectory, String bucket) {
        this.sealer = sealer;
        this.spoolDirectory = spoolDirectory;
        this.bucket = bucket;
    }

    /** Seals {@code plain} into a new spool file; the caller stages it or deletes it. */
    Path seal(List<EnvelopeRecipient> recipients, InputStream plain) throws IOException {
        Files.createDirectories(spoolDirectory);
        Path file = Files.createTempFile(spoolDirectory, "envelope", ".cms");
        try (OutputStream out = Files.newOutputStream(file)) {
            sealer.seal(recipients, plain, out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    /** Makes the sealed file the body of the next step's put under {@code key}; the file goes when the exchange ends. */
    void stage(Exchange exchange, Path sealed, String key) throws IOException {
        InputStream stream = Files.newInputStream(sealed);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    stream.close();
                    Files.deleteIfExists(sealed);
                } catch (IOException ignored) {
                    // a spool file left behind is removed with the spool directory
                }
            }
        });
        OrphanGuard.journal(exchange, new OrphanGuard.StoredObject(bucket, key));
        // named, as the journal names it: envelopes always go to the raw bucket
        exchange.getIn().setHeader(AWS2S3Constants.OVERRIDE_BUCKET_NAME, bucket);
        exchange.getIn().setHeader(AWS2S3Constants.KEY, key);
        exchange.getIn().setHeader(AWS2S3Constants.CONTENT_LENGTH, Files.size(sealed));
        exchange.getIn().setHeader(AWS2S3Constants.CONTENT_TYPE, CONTENT_TYPE);
        exchange.getIn().setBody(stream);
    }

    /** {@code custody/<organization>/<case id>/<name>}: from validated values only, never a prefix of another key. */
    static String key(String organization, java.util.UUID caseId, String name) {
        return "custody/" + organization + "/" + caseId + "/" + name;
    }
}
