package io.bytekeep.platform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TimeOrderedIdsTest {

    /** How PostgreSQL and H2 order uuid values: the 16 bytes as unsigned numbers, most significant first. */
    private static int databaseOrder(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    private static long millisecond(UUID id) {
        return id.getMostSignificantBits() >>> 16;
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnesInTheDatabasesOrder() {
        List<UUID> made = new ArrayList<>();
        long before = System.currentTimeMillis();
        for (int i = 0; i < 5; i++) {
            made.add(TimeOrderedIds.next());
            long now = System.currentTimeMillis();
            await().until(() -> System.currentTimeMillis() > now);
        }
        long after = System.currentTimeMillis();

        for (int i = 1; i < made.size(); i++) {
            assertThat(databaseOrder(made.get(i - 1), made.get(i))).as("id %d after id %d", i, i - 1).isNegative();
        }
        assertThat(made).allSatisfy(id -> {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(millisecond(id)).isBetween(before, after);
        });
    }

    @Test
    void idsOfTheSameMillisecondAreRandomNotCountedUp() {
        Set<UUID> ids = new HashSet<>();
        int neighbours = 0;
        UUID previous = TimeOrderedIds.next();
        ids.add(previous);
        for (int i = 0; i < 100_000; i++) {
            UUID id = TimeOrderedIds.next();
            ids.add(id);
            if (millisecond(id) == millisecond(previous)
                    && Math.abs(id.getLeastSignificantBits() - previous.getLeastSignificantBits()) < 1_000_000) {
                neighbours++;
            }
            previous = id;
        }

        assertThat(ids).hasSize(100_001);
        // a counter within the millisecond would make almost every pair a neighbour; 62 random bits make none likely
        assertThat(neighbours).isZero();
    }
}
