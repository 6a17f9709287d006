package io.bytekeep.custody;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import io.bytekeep.vault.IncomingRaw;

/** Encodes a raw file with the deployment's writing middleware and records which one wrote it, with which key. */
public final class Encryptor implements Processor {

    private final EncryptionMiddleware writer;

    public Encryptor(EncryptionMiddleware writer) {
        this.writer = writer;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        IncomingRaw raw = exchange.getIn().getMandatoryBody(IncomingRaw.class);
        Encoded encoded = writer.encode(raw.content());
        raw.stored(encoded.stored(), writer.name(), encoded.key());
    }
}
