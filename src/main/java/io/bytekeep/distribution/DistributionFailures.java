package io.bytekeep.distribution;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.publication.PublishResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Owns a failed distribution run for the error-handler route: counts it ({@code bytekeep_distribution_failures_total}),
 * logs it, and turns it into the {@code DistributionFailed} event for the failure queue. The next run re-does the
 * run; the objects already uploaded are skipped by their hash.
 */
public class DistributionFailures {

    private static final Logger LOG = LoggerFactory.getLogger(DistributionFailures.class);

    private final Counter failures;
    private final ObjectMapper json;
    private final Clock clock;

    public DistributionFailures(MeterRegistry registry, ObjectMapper json, Clock clock) {
        this.failures = Counter.builder("bytekeep.distribution.failures")
                .description("Distribution runs that failed").register(registry);
        this.json = json;
        this.clock = clock;
    }

    /** Counts and logs the failure; the body becomes the DistributionFailed event (JSON text). */
    public void failed(Exchange exchange) throws JsonProcessingException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        PublishResult result = cause instanceof PublishResult.Failed failed ? failed.result()
                : exchange.getProperty(ExchangeProperties.DISTRIBUTION_RESULT, PublishResult.class);
        if (result == null) {
            // failed before its index files were uploaded (in the TUF publication, say): what the uploads did so far
            result = DistributionRun.progress(exchange);
        }
        long started = exchange.getProperty(ExchangeProperties.DISTRIBUTION_STARTED, clock.millis(), Long.class);
        failures.increment();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "DistributionFailed");
        event.put("time", clock.instant().toString());
        event.put("reason", cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage());
        event.putAll(DistributionRun.summarize("failed", result, clock.millis() - started, exchange));
        if (result != null) {
            event.put("failedKeys", result.failedKeys());
        }
        LOG.error("Distribution run failed: {}", event.get("reason"), cause);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader("Content-Type", "application/json");
        exchange.getMessage().setBody(json.writeValueAsString(event));
    }

    /** What the caller of the run gets back: the event as a map, with HTTP status 503 for the manual trigger. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> report(Exchange exchange) throws JsonProcessingException {
        Map<String, Object> event = json.readValue(exchange.getMessage().getBody(String.class), Map.class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 503);
        return event;
    }
}
