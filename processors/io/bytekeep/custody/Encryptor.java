package io.bytekeep.custody;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import io.bytekeep.vault.IncomingRaw;

/** Encodes a raw file with the deployment's writing middleware and records which one wrote it. */
public final class Encryptor implements Processor {

    private final EncryptionMiddleware writer;

    public Encryptor(EncryptionMiddleware writer) {
        this.writer = writer;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        IncomingRaw raw = exchange.getIn().getMandatoryBody(IncomingRaw.class);
        raw.stored(writer.encode(raw.content()), writer.name(), writer.keyId());
    }
}
