package io.bytekeep.vault;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import io.bytekeep.atrest.Encoded;
import io.bytekeep.atrest.EncryptionMiddleware;
import io.bytekeep.vault.IncomingRaw;

/**
 * Encodes a raw file with the writing middleware of its organisation (the deployment's, unless one is configured for
 * the organisation) and records which one wrote it, with which key.
 */
public final class Encryptor implements Processor {

    private final EncryptionMiddleware writer;
    private final Map<String, EncryptionMiddleware> writerByOrganization;

    public Encryptor(EncryptionMiddleware writer) {
        this(writer, Map.of());
    }

    public Encryptor(EncryptionMiddleware writer, Map<String, EncryptionMiddleware> writerByOrganization) {
        this.writer = writer;
        this.writerByOrganization = Map.copyOf(writerByOrganization);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        IncomingRaw raw = exchange.getIn().getMandatoryBody(IncomingRaw.class);
        EncryptionMiddleware middleware = writerByOrganization.getOrDefault(raw.boefjeMeta().organization(), writer);
        Encoded encoded = middleware.encode(raw.content());
        raw.stored(encoded.stored(), middleware.name(), encoded.key());
    }
}
