package io.bytekeep.platform.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class GroupCommitTest {

    @Test
    void requestsThatArriveWhileABatchRunsShareTheNextOneAndEachGetsItsOwnResult() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (FirstBatchHeld<String> held = new FirstBatchHeld<>(100,
                batch -> batch.forEach(pending -> pending.complete("done " + pending.item())), meters)) {
            Future<String> first = held.submitFirst(0);
            List<Future<String>> waiting = held.submitBehind(1, 2, 3, 4, 5, 6, 7, 8);
            held.release();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("done 0");
            for (int i = 0; i < 8; i++) {
                assertThat(waiting.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("done " + (i + 1));
            }
            assertThat(held.batchSizes).containsExactly(1, 8);
            assertThat(meters.get("bytekeep.group.commit.batch.size").tag("name", "test").summary().count()).isEqualTo(2);
        }
    }

    @Test
    void theTimeOfEachActAndTheWaitBeforeItAreMeasured() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (FirstBatchHeld<Integer> held = new FirstBatchHeld<>(100,
                batch -> batch.forEach(pending -> pending.complete(pending.item())), meters)) {
            Future<Integer> first = held.submitFirst(0);
            long heldSince = System.nanoTime();
            List<Future<Integer>> behind = held.submitBehind(1, 2);
            long behindSince = System.nanoTime();
            // while the act is held, nobody is answered
            await().during(50, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS)
                    .until(() -> !first.isDone() && behind.stream().noneMatch(Future::isDone));
            long behindFor = System.nanoTime() - behindSince;
            long heldFor = System.nanoTime() - heldSince;
            held.release();
            first.get(10, TimeUnit.SECONDS);
            behind.get(1).get(10, TimeUnit.SECONDS);

            Timer acts = meters.get("bytekeep.group.commit.act").tag("name", "test").timer();
            Timer waits = meters.get("bytekeep.group.commit.wait").tag("name", "test").timer();
            assertThat(acts.count()).isEqualTo(2);
            assertThat(waits.count()).isEqualTo(2);
            assertThat(acts.max(TimeUnit.NANOSECONDS)).as("the held act").isGreaterThanOrEqualTo(heldFor);
            assertThat(waits.max(TimeUnit.NANOSECONDS)).as("the batch behind it").isGreaterThanOrEqualTo(behindFor);
        }
    }

    @Test
    void aBatchIsNeverLargerThanItsLimit() throws Exception {
        try (FirstBatchHeld<Integer> held = new FirstBatchHeld<>(3,
                batch -> batch.forEach(pending -> pending.complete(pending.item())), new SimpleMeterRegistry())) {
            Future<Integer> first = held.submitFirst(0);
            List<Future<Integer>> waiting = held.submitBehind(1, 2, 3, 4, 5, 6, 7);
            held.release();
            first.get(10, TimeUnit.SECONDS);
            for (Future<Integer> f : waiting) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(held.batchSizes).containsExactly(1, 3, 3, 1);
        }
    }

    @Test
    void whatTheActThrowsReachesEveryItemItLeftOpenAndOnlyThose() throws Exception {
        try (FirstBatchHeld<Integer> held = new FirstBatchHeld<>(10, batch -> {
            batch.stream().filter(pending -> pending.item() % 2 == 0).forEach(pending -> pending.complete(pending.item()));
            if (batch.stream().anyMatch(pending -> pending.item() % 2 != 0)) {
                throw new IllegalArgumentException("odd items fail");
            }
        }, new SimpleMeterRegistry())) {
            Future<Integer> first = held.submitFirst(100);
            List<Future<Integer>> waiting = held.submitBehind(2, 3);
            held.release();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(100);
            assertThat(waiting.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(2);
            assertThatThrownBy(() -> waiting.get(1).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("odd items fail");
        }
    }

    @Test
    void afterASharedBatchTheNextLingersForItemsThatArriveLater() throws Exception {
        try (FirstBatchHeld<Integer> held = new FirstBatchHeld<>(4, Duration.ofHours(1),
                batch -> batch.forEach(pending -> pending.complete(pending.item() * 10)), new SimpleMeterRegistry())) {
            Future<Integer> first = held.submitFirst(0);
            List<Future<Integer>> shared = held.submitBehind(1, 2);
            held.release();
            for (Future<Integer> f : shared) {
                f.get(10, TimeUnit.SECONDS);
            }
            // taken alone: without the linger it would be a batch of one
            Future<Integer> early = held.submitTaken(3);
            List<Future<Integer>> later = List.of(held.submitTaken(4), held.submitTaken(5), held.submitTaken(6));

            // a full batch ends the linger: nothing waits the hour
            assertThat(early.get(10, TimeUnit.SECONDS)).isEqualTo(30);
            assertThat(later.get(2).get(10, TimeUnit.SECONDS)).isEqualTo(60);
            assertThat(first.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(held.batchSizes).containsExactly(1, 2, 4);
        }
    }

    @Test
    void theLingerEndsWhenTheFirstItemHasWaitedItsTime() throws Exception {
        try (FirstBatchHeld<Integer> held = new FirstBatchHeld<>(100, Duration.ofMillis(200),
                batch -> batch.forEach(pending -> pending.complete(pending.item())), new SimpleMeterRegistry())) {
            held.submitFirst(0);
            List<Future<Integer>> shared = held.submitBehind(1, 2);
            held.release();
            shared.get(1).get(10, TimeUnit.SECONDS);

            assertThat(held.submitTaken(3).get(10, TimeUnit.SECONDS)).isEqualTo(3);
            assertThat(held.batchSizes).containsExactly(1, 2, 1);
        }
    }

    @Test
    void aLoneItemNeverLingers() throws Exception {
        try (GroupCommit<Integer, Integer> commits = new GroupCommit<>("lone", 100, Duration.ofHours(1),
                batch -> batch.forEach(pending -> pending.complete(pending.item())), new SimpleMeterRegistry())) {
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                // one after the other: each batch holds one item, so the next has no reason to wait for company
                for (int i = 0; i < 3; i++) {
                    int item = i;
                    assertThat(caller.submit(() -> commits.submit(item)).get(10, TimeUnit.SECONDS)).isEqualTo(item);
                }
            } finally {
                caller.shutdownNow();
            }
        }
    }

    @Test
    void aNegativeLingerIsRefused() {
        assertThatThrownBy(() -> new GroupCommit<Integer, Integer>("negative", 10, Duration.ofMillis(-1), batch -> { },
                new SimpleMeterRegistry())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linger");
    }

    @Test
    void aClosedGroupCommitRefusesNewItems() throws Exception {
        GroupCommit<Integer, Integer> commits = new GroupCommit<>("closed", 10, Duration.ZERO,
                batch -> batch.forEach(pending -> pending.complete(pending.item())), new SimpleMeterRegistry());
        assertThat(commits.submit(7)).isEqualTo(7);
        commits.close();
        assertThatThrownBy(() -> commits.submit(8)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    /** A group commit whose first batch waits until released, so that a test can queue items behind it. */
    private static final class FirstBatchHeld<O> implements AutoCloseable {

        final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final ExecutorService callers = Executors.newFixedThreadPool(16);
        private final GroupCommit<Integer, O> commits;

        FirstBatchHeld(int maxBatch, GroupCommit.Act<Integer, O> act, SimpleMeterRegistry meters) {
            this(maxBatch, Duration.ZERO, act, meters);
        }

        FirstBatchHeld(int maxBatch, Duration linger, GroupCommit.Act<Integer, O> act, SimpleMeterRegistry meters) {
            commits = new GroupCommit<>("test", maxBatch, linger, batch -> {
                batchSizes.add(batch.size());
                if (batchSizes.size() == 1) {
                    started.countDown();
                    released.await();
                }
                act.run(batch);
            }, meters);
        }

        Future<O> submitFirst(int item) throws InterruptedException {
            Future<O> first = callers.submit(() -> commits.submit(item));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            return first;
        }

        /** Submits the item and returns once the worker has taken it (into a batch it runs or lingers over). */
        Future<O> submitTaken(int item) {
            Future<O> taken = callers.submit(() -> commits.submit(item));
            await().atMost(10, TimeUnit.SECONDS).until(() -> commits.waiting() == 0);
            return taken;
        }

        /** Submits the items and returns once all of them wait behind the running batch. */
        List<Future<O>> submitBehind(int... items) {
            List<Future<O>> waiting = new ArrayList<>();
            for (int item : items) {
                waiting.add(callers.submit(() -> commits.submit(item)));
            }
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> waiting.stream().noneMatch(Future::isDone) && commits.waiting() == items.length);
            return waiting;
        }

        void release() {
            released.countDown();
        }

        @Override
        public void close() throws InterruptedException {
            released.countDown();
            commits.close();
            callers.shutdownNow();
        }
    }
}
