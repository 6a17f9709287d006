package io.bytekeep.platform.embedded;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: callers that committed ask for their changes to reach stable storage; one of them runs the flush
 * for everyone who asked before it started, the others wait for it. A caller returns only after a flush that began
 * after its request has completed, so its commit is covered; concurrent callers share one flush. Flushes start at
 * most once per {@code window}: a flush costs about the same for one commit as for fifty, so under load the callers
 * of a window share one, and an idle caller waits for nothing.
 */
final class GroupSync {

    /** The flush itself, run by one waiting caller with its own resource (e.g. its database connection). */
    @FunctionalInterface
    interface Flush<T> {
        void run(T own) throws SQLException;
    }

    private final long windowNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flushed = lock.newCondition();
    private long requested;
    private long completed;
    private boolean flushing;
    private long lastFlushStart = System.nanoTime() - Long.MAX_VALUE / 2;

    GroupSync(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /**
     * Returns once everything committed before this call is on stable storage.
     *
     * @throws SQLException when the flush that was to cover this call failed
     */
    <T> void awaitDurable(T own, Flush<T> flush) throws SQLException {
        lock.lock();
        try {
            long ticket = ++requested;
            while (completed < ticket) {
                if (flushing) {
                    flushed.awaitUninterruptibly();
                    continue;
                }
                flushing = true;
                long covers = 0;
                boolean done = false;
                lock.unlock();
                try {
                    long wait = lastFlushStart + windowNanos - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    lock.lock();
                    covers = requested;
                    lastFlushStart = System.nanoTime();
                    lock.unlock();
                    flush.run(own);
                    done = true;
                } finally {
                    lock.lock();
                    flushing = false;
                    if (done) {
                        completed = Math.max(completed, covers);
                    }
                    flushed.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
