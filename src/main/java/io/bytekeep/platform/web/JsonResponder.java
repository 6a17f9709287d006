package io.bytekeep.platform.web;

import java.util.Iterator;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Last step of a JSON endpoint: writes the body in the API's JSON dialect (snake_case, ISO-8601 times). An
 * {@link Iterator} body is a listing of any length: it becomes a JSON array written while the client reads it; a
 * {@link JsonFields} body likewise becomes a JSON object.
 */
public final class JsonResponder implements Processor {

    private final ObjectMapper json;

    public JsonResponder(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        AnswerHeaders.only(exchange.getMessage(), "application/json");
        if (body instanceof Iterator<?> items) {
            exchange.getMessage().setBody(JsonStreams.array(JsonStreams.serialized(json, items)));
        } else if (body instanceof JsonFields object) {
            exchange.getMessage().setBody(JsonStreams.object(json, object.fields()));
        } else {
            exchange.getMessage().setBody(json.writeValueAsBytes(body));
        }
    }
}
