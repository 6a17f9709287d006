package io.bytekeep.platform.metrics;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Two gauges of a table of work waiting to be done (events for the broker, hashes for a timestamped batch), for the
 * alerts under ops/prometheus: {@code <name>.pending}, how many rows wait (counted up to {@link #COUNT_CAP}, so that a
 * scrape stays cheap whatever the backlog), and {@code <name>.oldest.age}, seconds since the oldest of them was
 * written (0 when none waits). Both come from one reading of the database, taken at most every {@code every}: a
 * scrape never queries more often than that.
 */
public final class BacklogGauges {

    /** Pending rows are counted up to this many. */
    public static final int COUNT_CAP = 100_000;

    private record Reading(long pending, double oldestAgeSeconds, Instant at) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final String pendingKeysSql;
    private final String oldestSql;
    private final Duration every;
    private final Clock clock;
    private volatile Reading last;

    /**
     * @param pendingKeysSql a query of one column whose rows are the waiting rows (limited by the caller's
     *                       {@code :cap} parameter)
     * @param oldestSql      a query of one timestamp: when the oldest waiting row was written, no row if none
     */
    private BacklogGauges(NamedParameterJdbcTemplate jdbc, String pendingKeysSql, String oldestSql, Duration every,
                          Clock clock) {
        this.jdbc = jdbc;
        this.pendingKeysSql = pendingKeysSql;
        this.oldestSql = oldestSql;
        this.every = every;
        this.clock = clock;
    }

    /** Registers the two gauges of the backlog {@code name} (e.g. {@code bytekeep.outbox}). */
    public static void register(MeterRegistry registry, String name, String what, NamedParameterJdbcTemplate jdbc,
                                String pendingKeysSql, String oldestSql, Duration every, Clock clock) {
        BacklogGauges backlog = new BacklogGauges(jdbc, pendingKeysSql, oldestSql, every, clock);
        Gauge.builder(name + ".pending", backlog, b -> b.reading().pending())
                .description(what + " waiting (counted up to " + COUNT_CAP + ")").strongReference(true).register(registry);
        Gauge.builder(name + ".oldest.age", backlog, b -> b.reading().oldestAgeSeconds()).baseUnit("seconds")
                .description("how long the oldest of the " + what + " waiting has waited, 0 when none")
                .strongReference(true).register(registry);
    }

    private Reading reading() {
        Instant now = clock.instant();
        Reading known = last;
        if (known == null || !known.at().plus(every).isAfter(now)) {
            known = read(now);
            last = known;
        }
        return known;
    }

    private Reading read(Instant now) {
        Long pending = jdbc.queryForObject("select count(*) from (" + pendingKeysSql + ") waiting",
                Map.of("cap", COUNT_CAP), Long.class);
        List<Timestamp> oldest = jdbc.queryForList(oldestSql, Map.of(), Timestamp.class);
        double age = oldest.isEmpty() || oldest.get(0) == null ? 0
                : Math.max(0, Duration.between(oldest.get(0).toInstant(), now).toMillis() / 1000.0);
        return new Reading(pending == null ? 0 : pending, age, now);
    }
}
