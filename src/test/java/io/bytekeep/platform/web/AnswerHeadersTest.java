package io.bytekeep.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;

class AnswerHeadersTest {

    private final Message message = new DefaultMessage(new DefaultCamelContext());

    @Test
    void theRequestsHeadersGoAndTheStatusAStepSetStays() {
        message.setHeader("Authorization", "Bearer secret");
        message.setHeader("boefje_meta_id", "5b6e2b8e-0f9a-4c5c-9f1e-3c1f2b7b9a01");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        message.setHeader(Exchange.CONTENT_TYPE, "application/octet-stream");

        AnswerHeaders.only(message, "application/json");

        assertThat(message.getHeaders()).containsOnlyKeys(Exchange.HTTP_RESPONSE_CODE, Exchange.CONTENT_TYPE);
        assertThat(message.getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(201);
        assertThat(message.getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
    }

    @Test
    void withoutAStatusThereIsNone() {
        message.setHeader("camelhttpresponsecode-like", "x");

        AnswerHeaders.only(message, "application/json");

        assertThat(message.getHeaders()).containsOnlyKeys(Exchange.CONTENT_TYPE);
    }
}
