package io.bytekeep.atrest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.platform.Problem;

/**
 * {@code POST /admin/keks/rewrap}: moves every data key wrapped by an older KEK to the writer KEK, one transaction per
 * batch, without touching the objects. Rows whose KEK is not configured (or whose wrapped key does not unwrap) stay
 * as they are and are counted by KEK id. Safe to run again and beside uploads: a row is only changed from the key
 * it was read with.
 */
public class KekRewrap {

    private record Row(UUID id, KeyRecord key) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final KekRing keks;
    private final int batchSize;

    public KekRewrap(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, KekRing keks, int batchSize) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.keks = keks;
        this.batchSize = batchSize;
    }

    public Map<String, Object> rewrap() {
        if (keks == null) {
            throw new Problem(409, "Conflict", "no KEKs are configured (bytekeep.custody.keks)");
        }
        long rewrapped = 0;
        int batches = 0;
        Map<String, Long> notRewrapped = new TreeMap<>();
        UUID after = null;
        for (List<Row> batch = batch(after); !batch.isEmpty(); batch = batch(after)) {
            List<MapSqlParameterSource> updates = new java.util.ArrayList<>();
            for (Row row : batch) {
                try {
                    KeyRecord moved = keks.rewrap(row.key());
                    updates.add(new MapSqlParameterSource()
                            .addValue("id", row.id())
                            .addValue("old", row.key().keyId())
                            .addValue("kek", moved.keyId())
                            .addValue("wrapped", moved.wrappedKey(), java.sql.Types.BINARY));
                } catch (DecryptionRefused e) {
                    notRewrapped.merge(String.valueOf(row.key().keyId()), 1L, Long::sum);
                }
            }
            int[] counts = transactions.execute(status -> jdbc.batchUpdate(
                    "update raw_file set key_id = :kek, wrapped_key = :wrapped where id = :id and key_id = :old",
                    updates.toArray(MapSqlParameterSource[]::new)));
            for (int count : counts) {
                rewrapped += Math.max(count, 0);
            }
            batches++;
            after = batch.get(batch.size() - 1).id();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("writer_kek", keks.writerId());
        result.put("rewrapped", rewrapped);
        result.put("batches", batches);
        result.put("not_rewrapped", notRewrapped);
        return result;
    }

    private List<Row> batch(UUID after) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("encryption", EnvelopeAesGcmMiddleware.NAME)
                .addValue("writer", keks.writerId())
                .addValue("limit", batchSize);
        String sql = "select id, key_id, wrapped_key from raw_file where encryption = :encryption and key_id <> :writer";
        if (after != null) {
            sql += " and id > :after";
            params.addValue("after", after);
        }
        return jdbc.query(sql + " order by id limit :limit", params, (rs, n) -> new Row(rs.getObject("id", UUID.class),
                new KeyRecord(rs.getString("key_id"), rs.getBytes("wrapped_key"))));
    }
}
