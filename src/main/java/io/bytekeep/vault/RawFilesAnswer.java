package io.bytekeep.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;

import io.bytekeep.platform.web.AnswerHeaders;
import io.bytekeep.platform.web.Base64Stream;
import io.bytekeep.platform.web.JsonStreams;

/**
 * Bytes' {@code GET /bytes/raws} answer, a {@code BoefjeOutput}: {@code {"status": "COMPLETED" | "FAILED", "files":
 * [{"name": raw id, "content": base64, "tags": mime types}]}}, FAILED when the only file is a boefje's error output
 * ({@code error/boefje}). Each file is read through {@code direct:raw-read} (fetched, decrypted, its proof hash
 * checked) when the answer reaches it and base64-encoded as it is sent: memory for one buffer, whatever the sizes.
 */
public class RawFilesAnswer implements Processor {

    static final String BOEFJE_ERROR = "error/boefje";

    private final ProducerTemplate producer;
    private final ObjectMapper json;

    public RawFilesAnswer(ProducerTemplate producer, ObjectMapper json) {
        this.producer = producer;
        this.json = json;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) throws Exception {
        Iterator<StoredRaw> raws = exchange.getIn().getMandatoryBody(Iterator.class);
        List<StoredRaw> firstTwo = new ArrayList<>(2);
        while (firstTwo.size() < 2 && raws.hasNext()) {
            firstTwo.add(raws.next());
        }
        boolean failed = firstTwo.size() == 1 && tags(firstTwo.get(0)).contains(BOEFJE_ERROR);
        Iterator<StoredRaw> all = concat(firstTwo.iterator(), raws);
        Iterator<InputStream> files = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return all.hasNext();
            }

            @Override
            public InputStream next() {
                return file(all.next());
            }
        };
        AnswerHeaders.only(exchange.getMessage(), "application/json");
        exchange.getMessage().setBody(new SequenceInputStream(Collections.enumeration(List.of(
                JsonStreams.text("{\"status\":\"" + (failed ? "FAILED" : "COMPLETED") + "\",\"files\":"),
                JsonStreams.array(files),
                JsonStreams.text("}")))));
    }

    private InputStream file(StoredRaw raw) {
        Exchange read = producer.send("direct:raw-read", e -> e.getIn().setBody(raw));
        if (read.getException() != null) {
            // the answer is under way (200 sent): all that is left is to break it off, so the client sees no valid JSON
            throw new UncheckedIOException(new IOException("raw " + raw.meta().id() + " could not be read", read.getException()));
        }
        InputStream plain = read.getMessage().getBody(InputStream.class);
        try {
            return new SequenceInputStream(Collections.enumeration(List.of(
                    JsonStreams.text("{\"name\":\"" + raw.meta().id() + "\",\"content\":\""),
                    new Base64Stream(plain),
                    JsonStreams.text("\",\"tags\":" + json.writeValueAsString(tags(raw)) + "}"))));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> tags(StoredRaw raw) {
        return raw.meta().mimeTypes().stream().map(RawDataMeta.MimeType::value).toList();
    }

    private static <T> Iterator<T> concat(Iterator<T> first, Iterator<T> second) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return first.hasNext() || second.hasNext();
            }

            @Override
            public T next() {
                return first.hasNext() ? first.next() : second.next();
            }
        };
    }
}
