package io.bytekeep.platform.batching;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Lets concurrent requests share one costly act (a database transaction, a broker confirm): a caller hands in its item
 * and waits; one worker thread takes every item that arrived while the previous batch ran (at most {@code maxBatch})
 * and does the act once for all of them. A lone request is a batch of one at once, and under load the batches grow by
 * themselves with the time one act takes. Each caller gets its own outcome; the worker gives every item of a batch
 * one, also when the act throws. Closing finishes the batch in progress and refuses the items still waiting.
 * <p>
 * With a {@code linger} above zero, a batch that follows a batch of more than one item (the act is shared, so others
 * are coming) waits for more until its first item has waited {@code linger}, or it is full: fewer, larger acts for
 * the same items, at the cost of that wait. Most of an act's cost is per act (a PUT, a commit, a confirm), so under
 * load this lowers the CPU per item; a lone request after a quiet spell never waits. It pays only with many callers:
 * where a few callers take turns (the Vault's upload lane admits 4), a batch waits for items that cannot come.
 */
public final class GroupCommit<I, O> implements AutoCloseable {

    /** Does the act for a batch: completes each {@link Pending} it can; those it leaves open fail with what it threw. */
    @FunctionalInterface
    public interface Act<I, O> {
        void run(List<Pending<I, O>> batch) throws Exception;
    }

    /** One caller's item, waiting for its outcome. */
    public static final class Pending<I, O> {
        private final I item;
        private final long arrivedAt = System.nanoTime();
        private final CompletableFuture<O> outcome = new CompletableFuture<>();

        Pending(I item) {
            this.item = item;
        }

        public I item() {
            return item;
        }

        public void complete(O result) {
            outcome.complete(result);
        }

        public void fail(Throwable cause) {
            outcome.completeExceptionally(cause);
        }

        public boolean isOpen() {
            return !outcome.isDone();
        }
    }

    private final String name;
    private final int maxBatch;
    private final long lingerNanos;
    private final Act<I, O> act;
    private final BlockingQueue<Pending<I, O>> waiting = new LinkedBlockingQueue<>();
    private final DistributionSummary batchSizes;
    private final Timer waits;
    private final Timer acts;
    private final Thread worker;
    private volatile boolean open = true;
    private int previousBatch;

    /** @param linger how long a batch under load waits for more items, from its first item's arrival; 0: never */
    public GroupCommit(String name, int maxBatch, Duration linger, Act<I, O> act, MeterRegistry meters) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must not be negative, was " + linger);
        }
        this.name = name;
        this.maxBatch = maxBatch;
        this.lingerNanos = linger.toNanos();
        this.act = act;
        this.batchSizes = DistributionSummary.builder("bytekeep.group.commit.batch.size")
                .description("Items that shared one act (transaction, publish) of a group commit")
                .tag("name", name).register(meters);
        // with the act's own time, where a caller's wait goes: queued behind the act in progress, or in its own
        this.waits = Timer.builder("bytekeep.group.commit.wait")
                .description("How long the first item of a batch waited for its act to start").tag("name", name).register(meters);
        this.acts = Timer.builder("bytekeep.group.commit.act")
                .description("How long one act (transaction, publish) of a group commit took").tag("name", name).register(meters);
        Gauge.builder("bytekeep.group.commit.waiting", waiting, BlockingQueue::size)
                .description("Items waiting for the next act of a group commit").tag("name", name).register(meters);
        // the name alone: the kernel keeps 15 characters of it, which the bench's CPU accounting reads
        this.worker = new Thread(this::work, name);
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Hands in {@code item} and waits until its batch is done. No time limit: the outcome of an act that was started
     * must be known to the caller (a row may have been committed), so the act's own timeouts bound the wait.
     *
     * @throws Exception what the act gave this item (unwrapped)
     */
    public O submit(I item) throws Exception {
        if (!open) {
            throw new IllegalStateException("group commit " + name + " is closed (the service is stopping)");
        }
        Pending<I, O> pending = new Pending<>(item);
        waiting.add(pending);
        if (!open && waiting.remove(pending)) {
            // closed meanwhile and the worker never took it (what it took gets an outcome)
            throw new IllegalStateException("group commit " + name + " is closed (the service is stopping)");
        }
        try {
            return pending.outcome.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (InterruptedException e) {
            // the item may still be in a batch: the caller must not act as if it failed before the act
            Thread.currentThread().interrupt();
            return pending.outcome.join();
        }
    }

    /** Items handed in and not yet taken into a batch. */
    int waiting() {
        return waiting.size();
    }

    private void work() {
        List<Pending<I, O>> batch = new ArrayList<>(maxBatch);
        while (open || !waiting.isEmpty()) {
            try {
                Pending<I, O> first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                waiting.drainTo(batch, maxBatch - 1);
                if (lingerNanos > 0 && previousBatch > 1) {
                    lingerFor(batch, first.arrivedAt + lingerNanos);
                }
                previousBatch = batch.size();
                if (!open) {
                    batch.forEach(p -> p.fail(new IllegalStateException("group commit " + name + " closed before its batch ran")));
                    continue;
                }
                run(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /** Adds the items that arrive until {@code deadline} ({@link System#nanoTime()}) or the batch is full. */
    private void lingerFor(List<Pending<I, O>> batch, long deadline) throws InterruptedException {
        while (batch.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            Pending<I, O> next = left > 0 ? waiting.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            batch.add(next);
            waiting.drainTo(batch, maxBatch - batch.size());
        }
    }

    private void run(List<Pending<I, O>> batch) {
        batchSizes.record(batch.size());
        long start = System.nanoTime();
        waits.record(start - batch.get(0).arrivedAt, TimeUnit.NANOSECONDS);
        Throwable thrown = null;
        try {
            act.run(batch);
        } catch (Throwable t) {
            thrown = t;
        }
        acts.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        for (Pending<I, O> pending : batch) {
            if (pending.isOpen()) {
                pending.fail(thrown != null ? thrown
                        : new IllegalStateException("group commit " + name + " gave an item no outcome"));
            }
        }
    }

    /** Finishes the batch in progress, refuses what still waits, and stops the worker. */
    @Override
    public void close() throws InterruptedException {
        open = false;
        worker.join(TimeUnit.SECONDS.toMillis(30));
    }
}
