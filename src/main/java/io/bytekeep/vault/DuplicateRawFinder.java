package io.bytekeep.vault;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Bytes never overwrites: a raw with the same set of mime types for the same job answers with the existing id. */
public class DuplicateRawFinder implements Processor {

    private final RawStore store;

    public DuplicateRawFinder(RawStore store) {
        this.store = store;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        IncomingRaw raw = exchange.getIn().getMandatoryBody(IncomingRaw.class);
        store.findRawWithMimeTypes(raw.boefjeMeta().id(), raw.mimeTypes()).ifPresent(raw::existingId);
    }
}
