package io.bytekeep.platform.web;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Last step of a JSON endpoint: writes the body in the API's JSON dialect (snake_case, ISO-8601 times). */
public final class JsonResponder implements Processor {

    private final ObjectMapper json;

    public JsonResponder(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        exchange.getMessage().removeHeaders("*", Exchange.HTTP_RESPONSE_CODE);
        exchange.getMessage().setBody(json.writeValueAsBytes(body));
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
