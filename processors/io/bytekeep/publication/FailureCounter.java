package io.bytekeep.publication;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The failed object-store operations of one {@link Publication}, shared by all its uploads (CWA's
 * {@code FailedObjectStoreOperationsCounter}): an operation that still fails after its retries counts once; at the
 * threshold no further file of the publication is started. Thread-safe.
 */
public final class FailureCounter {

    private final int threshold;
    private final AtomicInteger failed = new AtomicInteger();

    /** @param threshold failed operations after which the publication stops (CWA: 5) */
    public FailureCounter(int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("the threshold of failed operations is at least 1");
        }
        this.threshold = threshold;
    }

    /** Counts one failed operation; true if the threshold is reached with it. */
    public boolean failed() {
        return failed.incrementAndGet() >= threshold;
    }

    /** True once no further file may be started. */
    public boolean isReached() {
        return failed.get() >= threshold;
    }

    public int count() {
        return failed.get();
    }

    public int threshold() {
        return threshold;
    }
}
