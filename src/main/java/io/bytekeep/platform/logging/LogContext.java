package io.bytekeep.platform.logging;

import org.slf4j.MDC;

/**
 * Fields of a log line about one raw file, for logs a machine reads (structured logging puts MDC entries into each JSON
 * line, beside Camel's {@code camel.routeId} and {@code camel.exchangeId}): {@code bytekeep.organization} and
 * {@code bytekeep.rawId}. Scoped to the lines written inside the try block, so no pooled thread carries them on.
 */
public final class LogContext implements AutoCloseable {

    public static final String ORGANIZATION = "bytekeep.organization";
    public static final String RAW_ID = "bytekeep.rawId";

    private LogContext() {
    }

    /** {@code try (LogContext ignored = LogContext.raw(org, id)) { LOG.error(...); }} */
    public static LogContext raw(String organization, Object rawId) {
        MDC.put(ORGANIZATION, organization);
        MDC.put(RAW_ID, String.valueOf(rawId));
        return new LogContext();
    }

    @Override
    public void close() {
        MDC.remove(ORGANIZATION);
        MDC.remove(RAW_ID);
    }
}
