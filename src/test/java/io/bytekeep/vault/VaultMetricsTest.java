package io.bytekeep.vault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.bytekeep.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

class VaultMetricsTest {

    private final AtomicInteger scrapes = new AtomicInteger();
    private final VaultStore store = new VaultStore(null, null, null, Clock.systemUTC()) {
        @Override
        public long organizationCount() {
            scrapes.incrementAndGet();
            return 2;
        }

        @Override
        public Map<String, Long> rawFileCountsByOrganization() {
            return Map.of("org \"a\"", 3L);
        }
    };

    @Test
    void rendersBytesMetricNamesAndEscapesLabels() {
        String text = new VaultMetrics(store, Duration.ZERO, Clock.systemUTC()).render();
        assertThat(text).contains("# TYPE bytes_database_organizations_total gauge\nbytes_database_organizations_total 2.0\n")
                .contains("bytes_database_raw_files_total{organization_id=\"org \\\"a\\\"\"} 3.0\n");
    }

    @Test
    void answersFromTheCacheUntilTheTtlPasses() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        VaultMetrics metrics = new VaultMetrics(store, Duration.ofSeconds(300), clock);
        metrics.render();
        clock.advance(Duration.ofSeconds(299));
        metrics.render();
        assertThat(scrapes).hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        metrics.render();
        assertThat(scrapes).hasValue(2);
    }
}
