package io.bytekeep.platform.embedded;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupSyncTest {

    private final GroupSync sync = new GroupSync(Duration.ZERO);
    /** Commits made so far, and how many of them a finished flush covered. */
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong durable = new AtomicLong();
    private final AtomicInteger flushes = new AtomicInteger();

    private void flush(Object unused) {
        long covers = committed.get();
        flushes.incrementAndGet();
        Thread.onSpinWait();
        durable.accumulateAndGet(covers, Math::max);
    }

    @Test
    void everyCallerReturnsAfterAFlushThatCoversItsCommit() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            work.add(threads.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    long mine = committed.incrementAndGet();
                    sync.awaitDurable(null, this::flush);
                    assertThat(durable.get()).as("durable after commit %d", mine).isGreaterThanOrEqualTo(mine);
                }
                return null;
            }));
        }
        for (Future<?> done : work) {
            done.get();
        }
        threads.shutdown();
        assertThat(durable.get()).isEqualTo(4000);
    }

    @Test
    void aFailedFlushFailsItsCallerAndTheNextCallerFlushesAgain() throws Exception {
        committed.incrementAndGet();
        assertThatThrownBy(() -> sync.awaitDurable(null, own -> {
            throw new SQLException("disk full");
        })).isInstanceOf(SQLException.class).hasMessage("disk full");
        assertThat(durable.get()).isZero();

        sync.awaitDurable(null, this::flush);
        assertThat(durable.get()).isEqualTo(1);
        assertThat(flushes.get()).isEqualTo(1);
    }

    @Test
    void underLoadFlushesStartAtMostOncePerWindowAndEveryCallerIsStillCovered() throws Exception {
        GroupSync windowed = new GroupSync(Duration.ofMillis(20));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < 8; t++) {
            work.add(threads.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    long mine = committed.incrementAndGet();
                    windowed.awaitDurable(null, this::flush);
                    assertThat(durable.get()).isGreaterThanOrEqualTo(mine);
                }
                return null;
            }));
        }
        for (Future<?> done : work) {
            done.get();
        }
        threads.shutdown();
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(durable.get()).isEqualTo(80);
        assertThat(flushes.get()).as("flushes in %d ms with a 20 ms window", elapsedMillis)
                .isLessThanOrEqualTo((int) (elapsedMillis / 20) + 1);
    }
}
