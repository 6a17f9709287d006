package io.bytekeep.trust;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The TUF repository's state in the table {@code trust_metadata} (V8): trusted, unlike the bucket, which only gets
 * copies. A commit is one transaction that first locks the {@code timestamp} row and checks it is the one the update
 * was planned on, so two instances of a cluster cannot both commit on the same state.
 */
public final class JdbcTrustStateStore implements TrustStateStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public JdbcTrustStateStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @Override
    public Map<String, byte[]> load() {
        Map<String, byte[]> entries = new HashMap<>();
        jdbc.query("select name, content from trust_metadata", row -> {
            entries.put(row.getString(1), row.getBytes(2));
        });
        return entries;
    }

    @Override
    public byte[] load(String name) {
        List<byte[]> rows = jdbc.query("select content from trust_metadata where name = ?",
                (row, n) -> row.getBytes(1), name);
        return rows.isEmpty() ? null : rows.get(0);
    }

    @Override
    public void save(Map<String, byte[]> entries, Set<String> removed, byte[] expectedTimestamp) {
        transactions.executeWithoutResult(status -> {
            List<byte[]> stored = jdbc.query("select content from trust_metadata where name = ? for update",
                    (row, n) -> row.getBytes(1), TrustRepository.TIMESTAMP);
            if (!Arrays.equals(stored.isEmpty() ? null : stored.get(0), expectedTimestamp)) {
                throw new IllegalStateException("the trust metadata changed since the update was planned "
                        + "(another instance published): the next publication signs on the new state");
            }
            for (String name : removed) {
                jdbc.update("delete from trust_metadata where name = ?", name);
            }
            List<Object[]> updates = new ArrayList<>();
            List<Object[]> inserts = new ArrayList<>();
            Set<String> existing = new HashSet<>(jdbc.queryForList("select name from trust_metadata", String.class));
            entries.forEach((name, content) -> {
                if (existing.contains(name)) {
                    updates.add(new Object[] {content, name});
                } else {
                    inserts.add(new Object[] {name, content});
                }
            });
            jdbc.batchUpdate("update trust_metadata set content = ? where name = ?", updates);
            jdbc.batchUpdate("insert into trust_metadata (name, content) values (?, ?)", inserts);
        });
    }
}
