package io.bytekeep.platform.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class GroupCommitTest {

    @Test
    void requestsThatArriveWhileABatchRunsShareTheNextOneAndEachGetsItsOwnResult() throws Exception {
        CountDownLatch firstBatchStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstBatch = new CountDownLatch(1);
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ExecutorService callers = Executors.newFixedThreadPool(9);
        try (GroupCommit<Integer, String> commits = new GroupCommit<>("test", 100, batch -> {
            batchSizes.add(batch.size());
            if (batchSizes.size() == 1) {
                firstBatchStarted.countDown();
                releaseFirstBatch.await();
            }
            batch.forEach(pending -> pending.complete("done " + pending.item()));
        }, meters)) {
            Future<String> first = callers.submit(() -> commits.submit(0));
            assertThat(firstBatchStarted.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<String>> waiting = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                int item = i;
                waiting.add(callers.submit(() -> commits.submit(item)));
            }
            // all eight are queued behind the running batch before it ends
            org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> waiting.stream().noneMatch(Future::isDone) && queued(commits) == 8);
            releaseFirstBatch.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("done 0");
            for (int i = 0; i < 8; i++) {
                assertThat(waiting.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("done " + (i + 1));
            }
            assertThat(batchSizes).containsExactly(1, 8);
            assertThat(meters.get("bytekeep.group.commit.batch.size").tag("name", "test").summary().count()).isEqualTo(2);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aBatchIsNeverLargerThanItsLimit() throws Exception {
        CountDownLatch firstBatchStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstBatch = new CountDownLatch(1);
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try (GroupCommit<Integer, Integer> commits = new GroupCommit<>("limit", 3, batch -> {
            batchSizes.add(batch.size());
            if (batchSizes.size() == 1) {
                firstBatchStarted.countDown();
                releaseFirstBatch.await();
            }
            batch.forEach(pending -> pending.complete(pending.item()));
        }, new SimpleMeterRegistry())) {
            Future<Integer> first = callers.submit(() -> commits.submit(0));
            assertThat(firstBatchStarted.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Integer>> waiting = new ArrayList<>();
            for (int i = 1; i <= 7; i++) {
                int item = i;
                waiting.add(callers.submit(() -> commits.submit(item)));
            }
            org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> queued(commits) == 7);
            releaseFirstBatch.countDown();
            first.get(10, TimeUnit.SECONDS);
            for (Future<Integer> f : waiting) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(batchSizes).containsExactly(1, 3, 3, 1);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void whatTheActThrowsReachesEveryItemItLeftOpenAndOnlyThose() throws Exception {
        CountDownLatch firstBatchStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstBatch = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try (GroupCommit<Integer, Integer> commits = new GroupCommit<>("failing", 10, batch -> {
            if (firstBatchStarted.getCount() == 1) {
                firstBatchStarted.countDown();
                releaseFirstBatch.await();
                batch.forEach(pending -> pending.complete(pending.item()));
                return;
            }
            batch.stream().filter(pending -> pending.item() % 2 == 0).forEach(pending -> pending.complete(pending.item()));
            throw new IllegalArgumentException("odd items fail");
        }, new SimpleMeterRegistry())) {
            Future<Integer> first = callers.submit(() -> commits.submit(100));
            assertThat(firstBatchStarted.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Integer> even = callers.submit(() -> commits.submit(2));
            Future<Integer> odd = callers.submit(() -> commits.submit(3));
            org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> queued(commits) == 2);
            releaseFirstBatch.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(100);
            assertThat(even.get(10, TimeUnit.SECONDS)).isEqualTo(2);
            assertThatThrownBy(() -> odd.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("odd items fail");
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aClosedGroupCommitRefusesNewItems() throws Exception {
        GroupCommit<Integer, Integer> commits = new GroupCommit<>("closed", 10,
                batch -> batch.forEach(pending -> pending.complete(pending.item())), new SimpleMeterRegistry());
        assertThat(commits.submit(7)).isEqualTo(7);
        commits.close();
        assertThatThrownBy(() -> commits.submit(8)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private static int queued(GroupCommit<?, ?> commits) {
        return commits.waiting();
    }
}
