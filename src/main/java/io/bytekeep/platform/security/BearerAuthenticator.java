package io.bytekeep.platform.security;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Route step: rejects requests without a valid bearer token and remembers the caller on the exchange. */
public final class BearerAuthenticator implements Processor {

    private final TokenService tokens;

    public BearerAuthenticator(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Caller caller = tokens.authenticate(exchange.getIn().getHeader("Authorization", String.class));
        exchange.setProperty(Caller.EXCHANGE_PROPERTY, caller);
        exchange.getIn().removeHeader("Authorization");
    }
}
