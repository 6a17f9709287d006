package io.bytekeep.vault;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.support.IntegrationTest;
import io.bytekeep.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/** The intent rows of packs' keys ({@link PackIntents}): committed before a key is handed out, made ahead in blocks. */
class PackIntentsIT extends IntegrationTest {

    private static final String BUCKET = "bytekeep-test-raw";
    private static final Duration FRESH_FOR = Duration.ofMinutes(5);

    @Autowired
    TransactionTemplate transactions;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));

    @Test
    void everyKeyHandedOutHasACommittedRowAndBlocksDoubleWhenUsedUp() {
        PackIntents intents = new PackIntents(jdbc, transactions, BUCKET, FRESH_FOR, clock);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            String key = intents.next(BUCKET);
            // read on another connection than the reservation's: the row is committed
            assertThat(rows()).containsKey(key);
            keys.add(key);
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(keys).doesNotHaveDuplicates().allSatisfy(key -> assertThat(key).matches("packs/([0-9a-f]{2})/\\1[0-9a-f-]{34}"));
        // blocks of 2, 4 and 8, all handed out
        assertThat(rows()).hasSize(14).containsOnlyKeys(keys);
        assertThat(new HashSet<>(rows().values())).hasSize(3);
        intents.next(BUCKET);
        assertThat(rows()).hasSize(14 + 16);
    }

    @Test
    void keysReservedForTooLongAreLeftToTheSweepAndTheNextBlockIsSmaller() {
        PackIntents intents = new PackIntents(jdbc, transactions, BUCKET, FRESH_FOR, clock);
        intents.next(BUCKET);
        clock.advance(FRESH_FOR);

        String late = intents.next(BUCKET);

        // the first block's second key is not handed out: a block of one, made now
        assertThat(rows()).hasSize(3).containsEntry(late, clock.instant());
        clock.advance(Duration.ofMinutes(1));
        String next = intents.next(BUCKET);
        assertThat(rows()).hasSize(5).containsEntry(next, clock.instant());
    }

    @Test
    void packsOfAnotherBucketHaveNoRow() {
        PackIntents intents = new PackIntents(jdbc, transactions, BUCKET, FRESH_FOR, clock);

        assertThat(intents.next("an-integrators-bucket")).startsWith(RawPacker.PACKS);

        assertThat(rows()).isEmpty();
    }

    private Map<String, Instant> rows() {
        Map<String, Instant> rows = new HashMap<>();
        jdbc.query("select storage_key, created_at from raw_object_intent where bucket = ?",
                rs -> {
                    rows.put(rs.getString("storage_key"), VaultRows.instant(rs, "created_at"));
                },
                BUCKET);
        return rows;
    }
}
