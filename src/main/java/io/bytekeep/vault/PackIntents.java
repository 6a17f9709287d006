package io.bytekeep.vault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keys for the packs of the raw bucket, each with a committed {@code raw_object_intent} row before its object is
 * written: a pack whose process died between the PUT and the commit of its files is found through that row
 * ({@link RawOrphanSweeper}), without listing the bucket. The transaction that records a file of the pack deletes the
 * row ({@link JdbcRawStore#recordRaws}).
 * <p>
 * Rows are made ahead, a block in one transaction, so a pack's write waits for a commit of its own only when the
 * reserve is empty. A key is handed out only while its row is younger than {@code freshFor}, well under the sweep's
 * minimum age, so the sweep never mistakes a pack still being written for an orphan (it checks the object's own age
 * too); an older one is left to the sweep, which drops its row once it sees no object. The block doubles when used up
 * and halves when keys went stale, between 1 and {@value #MAX_BLOCK}, so an idle instance leaves few rows behind.
 * Packs of another bucket (an integrator's route may choose one) get a key without a row: the sweep covers the raw
 * bucket only.
 */
public class PackIntents {

    static final int MAX_BLOCK = 64;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final String bucket;
    private final Duration freshFor;
    private final Clock clock;
    /** The keys of the last block not handed out yet, and when their rows were made. */
    private final Deque<String> reserve = new ArrayDeque<>();
    private Instant reservedAt;
    private int block = 1;

    public PackIntents(JdbcTemplate jdbc, TransactionTemplate transactions, String bucket, Duration freshFor, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.bucket = bucket;
        this.freshFor = freshFor;
        this.clock = clock;
    }

    /** A key for a new pack in {@code packBucket}; in the raw bucket its intent row is committed. */
    public synchronized String next(String packBucket) {
        if (!packBucket.equals(bucket)) {
            return RawPacker.packKey(UUID.randomUUID());
        }
        if (!reserve.isEmpty() && !reservedAt.isAfter(clock.instant().minus(freshFor))) {
            reserve.clear();
            block = Math.max(1, block / 2);
        } else if (reserve.isEmpty()) {
            block = Math.min(MAX_BLOCK, block * 2);
        }
        if (reserve.isEmpty()) {
            reserveBlock();
        }
        return reserve.pollFirst();
    }

    private void reserveBlock() {
        Instant now = clock.instant();
        List<String> keys = new ArrayList<>(block);
        List<Object[]> rows = new ArrayList<>(block);
        for (int i = 0; i < block; i++) {
            String key = RawPacker.packKey(UUID.randomUUID());
            keys.add(key);
            rows.add(new Object[] {bucket, key, VaultRows.timestamp(now)});
        }
        transactions.executeWithoutResult(status -> jdbc.batchUpdate(
                "insert into raw_object_intent (bucket, storage_key, created_at) values (?, ?, ?)", rows));
        reserve.addAll(keys);
        reservedAt = now;
    }
}
