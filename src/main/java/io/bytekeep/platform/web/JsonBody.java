package io.bytekeep.platform.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;

import io.bytekeep.platform.Problem;

/** Reads a JSON request body of bounded size into a type, with problem answers for each way it can be wrong. */
public final class JsonBody {

    private final ObjectMapper json;
    private final long maxBytes;

    public JsonBody(ObjectMapper json, long maxBytes) {
        this.json = json;
        this.maxBytes = maxBytes;
    }

    public <T> T read(Exchange exchange, Class<T> type) throws IOException {
        try (InputStream bounded = boundedBody(exchange)) {
            T value = json.readValue(bounded, type);
            if (value == null) {
                throw Problem.unprocessable("a JSON body is required");
            }
            return value;
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            throw Problem.unprocessable("Invalid JSON body: " + e.getOriginalMessage() + pathOf(e));
        }
    }

    /** The body as a stream of JSON tokens, for bodies too large to hold as objects; the caller closes it. */
    public JsonParser parser(Exchange exchange) throws IOException {
        return json.createParser(boundedBody(exchange));
    }

    private InputStream boundedBody(Exchange exchange) {
        if (!isJson(exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class))) {
            throw Problem.unsupportedMediaType("send the body as application/json");
        }
        Long declared = exchange.getIn().getHeader("Content-Length", Long.class);
        if (declared != null && declared > maxBytes) {
            throw Problem.payloadTooLarge("the body is " + declared + " bytes; the limit is " + maxBytes);
        }
        InputStream body = exchange.getIn().getBody(InputStream.class);
        if (body == null) {
            throw Problem.unprocessable("a JSON body is required");
        }
        return new BoundedInputStream(body, maxBytes);
    }

    /**
     * JSON, or no type at all: Bytes (FastAPI) reads a body without a Content-Type as JSON, and OpenKAT's boefjes
     * client posts its metas and raw files that way.
     */
    static boolean isJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    private static String pathOf(com.fasterxml.jackson.databind.JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .reduce((a, b) -> a + "." + b).orElse("");
        return path.isEmpty() ? "" : " (at " + path + ")";
    }
}
