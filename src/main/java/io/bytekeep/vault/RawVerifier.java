package io.bytekeep.vault;

import java.io.InputStream;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bytekeep.atrest.DecryptionRefused;
import io.bytekeep.atrest.EncryptionMiddleware;
import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.platform.Problem;
import io.bytekeep.platform.logging.LogContext;
import io.bytekeep.platform.web.AnswerHeaders;

/**
 * Retrieval's last guard: decodes the stored object with the middleware that wrote it and recomputes the
 * proof hash before a single byte is answered. Files above {@link RawUploadReader#IN_MEMORY_BYTES} spool to disk
 * (encrypted, {@link EncryptedSpool}) while they are checked, and are answered from there.
 */
public class RawVerifier implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RawVerifier.class);

    private final Map<String, EncryptionMiddleware> middlewares;
    private final ExchangeSpool spool;

    public RawVerifier(Map<String, EncryptionMiddleware> middlewares, ExchangeSpool spool) {
        this.middlewares = Map.copyOf(middlewares);
        this.spool = spool;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        StoredRaw raw = exchange.getProperty(ExchangeProperties.STORED_RAW, StoredRaw.class);
        EncryptionMiddleware middleware = middlewares.get(raw.encryption());
        if (middleware == null) {
            throw new IllegalStateException("raw " + raw.meta().id() + " was written by middleware " + raw.encryption()
                    + ", which this deployment does not configure");
        }
        SpillingContent plain = new SpillingContent(RawUploadReader.IN_MEMORY_BYTES, () -> spool.newFile(exchange, "read-"));
        String actual;
        try (InputStream stored = exchange.getIn().getMandatoryBody(InputStream.class);
             InputStream decoded = middleware.decode(stored, raw.key())) {
            actual = ProofHasher.forHash(raw.meta().secureHash())
                    .hashWhileCopying(decoded, raw.meta().boefjeMeta().endedAt(), plain);
        } catch (DecryptionRefused e) {
            exchange.getIn().setBody(null);
            plain.close();
            logIntegrityFailure(raw, "Integrity failure: raw {} (object {}, {} key {}) cannot be decrypted: {}",
                    raw.meta().id(), raw.storageKey(), raw.encryption(), raw.key().keyId(), e.getMessage());
            throw Problem.integrity("The stored bytes of raw " + raw.meta().id() + " cannot be decrypted and verified");
        }
        // the object store's stream is read and closed: not a body a failure answer would try to cache
        exchange.getIn().setBody(null);
        if (!MessageDigest.isEqual(actual.getBytes(StandardCharsets.US_ASCII),
                raw.meta().secureHash().getBytes(StandardCharsets.US_ASCII))) {
            plain.close();
            logIntegrityFailure(raw, "Integrity failure: raw {} (object {}) hashes to {} but was recorded as {}",
                    raw.meta().id(), raw.storageKey(), actual, raw.meta().secureHash());
            throw Problem.integrity("The stored bytes of raw " + raw.meta().id() + " do not match their recorded hash");
        }
        AnswerHeaders.only(exchange.getMessage(), "application/octet-stream");
        exchange.getMessage().setBody(plain.content().open());
    }

    /** An error line with the file's organisation and raw id as fields of its own (for logs a machine reads). */
    private static void logIntegrityFailure(StoredRaw raw, String format, Object... arguments) {
        try (LogContext ignored = LogContext.raw(raw.meta().boefjeMeta().organization(), raw.meta().id())) {
            LOG.error(format, arguments);
        }
    }
}
