package io.bytekeep.platform.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * The W3C {@code traceparent} of the span current on this thread (an HTTP request's, which the routes run in), or
 * null: what an event keeps in the outbox and carries as a message header, so that a consumer joins the trace of
 * the request that caused it, even when the relay sends it later.
 */
public final class TraceParent implements Supplier<String> {

    public static final String HEADER = "traceparent";
    /** {@code 00-} 32 hex digits {@code -} 16 hex digits {@code -} 2 hex digits */
    public static final int LENGTH = 55;

    private final Tracer tracer;
    private final Propagator propagator;

    public TraceParent(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Override
    public String get() {
        Span span = tracer.currentSpan();
        if (span == null) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(4);
        propagator.inject(span.context(), carrier, Map::put);
        String traceparent = carrier.get(HEADER);
        return traceparent != null && traceparent.length() == LENGTH ? traceparent : null;
    }
}
