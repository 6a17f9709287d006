package io.bytekeep.vault;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Records the stored raw files and their RawFileReceived events in one transaction, then answers Bytes'
 * {@code {name: raw id}}. Runs after the bytes are in object storage, so no row ever lacks its bytes.
 */
public class RawRecorder implements Processor {

    private final VaultStore store;
    private final String eventQueue;

    public RawRecorder(VaultStore store, String eventQueue) {
        this.store = store;
        this.eventQueue = eventQueue;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws Exception {
        List<IncomingRaw> raws = exchange.getIn().getMandatoryBody(List.class);
        store.recordRaws(raws.stream().filter(raw -> !raw.isDuplicate()).toList(), eventQueue);
        OrphanGuard.committed(exchange);
        Map<String, UUID> ids = new LinkedHashMap<>();
        raws.forEach(raw -> ids.put(raw.name(), raw.resultId()));
        exchange.getMessage().setBody(ids);
    }
}
