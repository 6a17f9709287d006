package io.bytekeep.vault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.platform.security.Caller;
import io.bytekeep.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

class VaultMetricsTest {

    private final AtomicInteger scrapes = new AtomicInteger();
    private final RawCounts store = new JdbcRawCounts(null) {
        @Override
        public Map<String, Long> rawFileCountsByOrganization() {
            scrapes.incrementAndGet();
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("org \"a\"", 3L);
            counts.put("org-b", 5L);
            return counts;
        }
    };

    @Test
    void rendersBytesMetricNamesAndEscapesLabels() {
        String text = new VaultMetrics(store, Duration.ZERO, Clock.systemUTC()).render(as(Set.of("*")));
        assertThat(text).contains("# TYPE bytes_database_organizations_total gauge\nbytes_database_organizations_total 2.0\n")
                .contains("bytes_database_raw_files_total{organization_id=\"org \\\"a\\\"\"} 3.0\n")
                .contains("bytes_database_raw_files_total{organization_id=\"org-b\"} 5.0\n");
    }

    @Test
    void showsOnlyTheOrganizationsTheCallerSees() {
        String text = new VaultMetrics(store, Duration.ZERO, Clock.systemUTC()).render(as(Set.of("org-b")));
        assertThat(text).contains("bytes_database_organizations_total 1.0\n")
                .contains("bytes_database_raw_files_total{organization_id=\"org-b\"} 5.0\n")
                .doesNotContain("org \\\"a\\\"");
    }

    @Test
    void answersFromTheCacheUntilTheTtlPasses() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        VaultMetrics metrics = new VaultMetrics(store, Duration.ofSeconds(300), clock);
        metrics.render(as(Set.of("*")));
        clock.advance(Duration.ofSeconds(299));
        metrics.render(as(Set.of("*")));
        assertThat(scrapes).hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        metrics.render(as(Set.of("*")));
        assertThat(scrapes).hasValue(2);
    }

    private static Exchange as(Set<String> organizations) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(ExchangeProperties.CALLER, new Caller("someone", organizations, Set.of()));
        return exchange;
    }
}
