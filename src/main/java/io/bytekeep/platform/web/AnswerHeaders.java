package io.bytekeep.platform.web;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** The headers of an answer: the request's and the route's go, the status a step set stays. */
public final class AnswerHeaders {

    private AnswerHeaders() {
    }

    /**
     * Leaves the answer with its status code (when a step set one) and {@code contentType}. Camel's
     * {@code removeHeaders("*", excluded)} compiles the excluded name as a regular expression for every header, each
     * answer: about an eighth of what an upload's request threads allocated
     * (bench/results/vault-2026-12-05-1934-allocation.md).
     */
    public static void only(Message message, String contentType) {
        Object status = message.getHeader(Exchange.HTTP_RESPONSE_CODE);
        message.getHeaders().clear();
        if (status != null) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        }
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
    }
}
