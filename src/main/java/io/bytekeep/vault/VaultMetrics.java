package io.bytekeep.vault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;

import io.bytekeep.platform.security.Caller;

/**
 * Bytes' {@code /metrics}: Prometheus text with the number of organisations that have raw files and the raw files per
 * organisation, limited to the organisations the caller sees. The counts are cached for a configurable time
 * ({@code BYTES_METRICS_TTL_SECONDS}), because they scan the raw file table.
 */
public class VaultMetrics {

    private record Snapshot(Map<String, Long> rawFilesByOrganization, Instant takenAt) {
    }

    private final RawCounts store;
    private final Duration ttl;
    private final Clock clock;
    private volatile Snapshot snapshot;

    public VaultMetrics(RawCounts store, Duration ttl, Clock clock) {
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
    }

    public String render(Exchange exchange) {
        Caller caller = Caller.of(exchange);
        Map<String, Long> visible = new LinkedHashMap<>();
        counts().forEach((organization, files) -> {
            if (caller.canSee(organization)) {
                visible.put(organization, files);
            }
        });
        StringBuilder text = new StringBuilder();
        text.append("# HELP bytes_database_organizations_total Total amount of organizations in the bytes database.\n")
                .append("# TYPE bytes_database_organizations_total gauge\n")
                .append("bytes_database_organizations_total ").append((double) visible.size()).append('\n');
        text.append("# HELP bytes_database_raw_files_total Total amount of raw files in the bytes database.\n")
                .append("# TYPE bytes_database_raw_files_total gauge\n");
        visible.forEach((organization, files) -> text.append("bytes_database_raw_files_total{organization_id=\"")
                .append(escape(organization)).append("\"} ").append((double) files).append('\n'));
        return text.toString();
    }

    private Map<String, Long> counts() {
        Snapshot current = snapshot;
        Instant now = clock.instant();
        if (current == null || !now.isBefore(current.takenAt().plus(ttl))) {
            synchronized (this) {
                current = snapshot;
                if (current == null || !now.isBefore(current.takenAt().plus(ttl))) {
                    current = new Snapshot(store.rawFileCountsByOrganization(), now);
                    snapshot = current;
                }
            }
        }
        return current.rawFilesByOrganization();
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
