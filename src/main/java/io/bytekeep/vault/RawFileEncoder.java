package io.bytekeep.vault;

import java.io.InputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Turns one verified raw file into the {@code {name, content, tags}} entry of GET /bytes/raws. */
public class RawFileEncoder implements Processor {

    @Override
    public void process(Exchange exchange) throws Exception {
        StoredRaw raw = exchange.getProperty(StoredRaw.EXCHANGE_PROPERTY, StoredRaw.class);
        byte[] bytes;
        try (InputStream in = exchange.getIn().getMandatoryBody(InputStream.class)) {
            bytes = in.readAllBytes();
        }
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("name", raw.meta().id().toString());
        file.put("content", Base64.getEncoder().encodeToString(bytes));
        file.put("tags", raw.meta().mimeTypes().stream().map(RawDataMeta.MimeType::value).toList());
        exchange.getMessage().setBody(file);
    }
}
