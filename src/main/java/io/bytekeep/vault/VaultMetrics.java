package io.bytekeep.vault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Bytes' {@code /metrics}: Prometheus text with the number of organisations and raw files per organisation.
 * The counts are cached for a configurable time, because they scan the raw file table.
 */
public class VaultMetrics {

    private record Snapshot(String text, Instant takenAt) {
    }

    private final VaultStore store;
    private final Duration ttl;
    private final Clock clock;
    private volatile Snapshot snapshot;

    public VaultMetrics(VaultStore store, Duration ttl, Clock clock) {
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
    }

    public String render() {
        Snapshot current = snapshot;
        Instant now = clock.instant();
        if (current == null || !now.isBefore(current.takenAt().plus(ttl))) {
            synchronized (this) {
                current = snapshot;
                if (current == null || !now.isBefore(current.takenAt().plus(ttl))) {
                    current = new Snapshot(scrape(), now);
                    snapshot = current;
                }
            }
        }
        return current.text();
    }

    private String scrape() {
        StringBuilder text = new StringBuilder();
        text.append("# HELP bytes_database_organizations_total Total amount of organizations in the database\n")
                .append("# TYPE bytes_database_organizations_total gauge\n")
                .append("bytes_database_organizations_total ").append((double) store.organizationCount()).append('\n');
        text.append("# HELP bytes_database_raw_files_total Total amount of raw files in the database\n")
                .append("# TYPE bytes_database_raw_files_total gauge\n");
        for (Map.Entry<String, Long> entry : store.rawFileCountsByOrganization().entrySet()) {
            text.append("bytes_database_raw_files_total{organization_id=\"").append(escape(entry.getKey())).append("\"} ")
                    .append((double) entry.getValue()).append('\n');
        }
        return text.toString();
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
