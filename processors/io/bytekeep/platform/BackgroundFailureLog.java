package io.bytekeep.platform;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a background route (a timer, a Quartz schedule, a sweep) reports a failure, the step of the route configuration
 * {@code background-failures}: nobody waits for an answer, so the failure is logged with the id of the route that
 * fired and the exception, with its stack trace. The next firing tries again. The HTTP counterpart is
 * {@code problemResponder}, which answers a caller.
 */
public final class BackgroundFailureLog implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundFailureLog.class);

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.error("Background route {} failed: {}", exchange.getFromRouteId(), failure, failure);
    }
}
