package io.bytekeep.platform.metrics;

import io.prometheus.metrics.tracer.common.SpanContext;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * No trace exemplars in /actuator/prometheus unless {@code bytekeep.metrics.exemplars} is true. With tracing on,
 * Micrometer puts an exemplar (a trace id) on the {@code _count} line of timers; a Prometheus older than 2.43 (Debian
 * 12 ships 2.42) then drops the whole scrape ("does not support exemplars") and every alert goes blind. An exemplar
 * only helps with a trace backend to look the trace up in (MANAGEMENT_OTLP_TRACING_ENDPOINT and a Prometheus of
 * 2.43 or later): turn them on together.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

    @Bean
    @ConditionalOnProperty(name = "bytekeep.metrics.exemplars", havingValue = "false", matchIfMissing = true)
    SpanContext noExemplars() {
        return new SpanContext() {
            @Override
            public String getCurrentTraceId() {
                return null;
            }

            @Override
            public String getCurrentSpanId() {
                return null;
            }

            @Override
            public boolean isCurrentSpanSampled() {
                return false;
            }

            @Override
            public void markCurrentSpanAsExemplar() {
            }
        };
    }
}
