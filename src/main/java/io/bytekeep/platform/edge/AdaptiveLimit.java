package io.bytekeep.platform.edge;

/**
 * How many requests of one lane may be in progress, following their latency (additive increase, multiplicative
 * decrease on a latency target), in windows in which the lane was full at some point: when more than one in ten of
 * its requests took longer than the target, from their arrival to their answer, the limit drops by a quarter; when
 * they kept within it, it grows by one; between the configured size and a floor. Past capacity the two cores then run
 * as many requests as they finish within the target, and the rest is refused at the door instead of queueing in the
 * CPU's run queue, where it would delay the requests already accepted. A lane that never filled keeps its limit
 * whatever its latency: narrowing it would not unload the cores, only refuse its next burst.
 */
final class AdaptiveLimit {

    /** A window closes after this many samples once {@link #MIN_WINDOW_NANOS} passed, or after the longest window. */
    static final int WINDOW_SAMPLES = 16;
    static final long MIN_WINDOW_NANOS = 100_000_000L;
    static final long MAX_WINDOW_NANOS = 1_000_000_000L;

    private final int max;
    private final int floor;
    private final long targetNanos;
    private int limit;
    private int samples;
    private int slow;
    private boolean full;
    private long windowStart;

    /** @param targetNanos 0 for a fixed limit of {@code max} */
    AdaptiveLimit(int max, long targetNanos, long now) {
        this.max = max;
        this.floor = Math.max(1, max / 4);
        this.targetNanos = targetNanos;
        this.limit = max;
        this.windowStart = now;
    }

    synchronized int limit() {
        return limit;
    }

    /** The lane had no place for a request (it waited, or was refused). */
    synchronized void full() {
        full = true;
    }

    /** A request of the lane was answered {@code latencyNanos} after it arrived; returns the change of the limit. */
    synchronized int answered(long latencyNanos, long now) {
        if (targetNanos == 0) {
            return 0;
        }
        samples++;
        if (latencyNanos > targetNanos) {
            slow++;
        }
        long elapsed = now - windowStart;
        if (elapsed < MAX_WINDOW_NANOS && (samples < WINDOW_SAMPLES || elapsed < MIN_WINDOW_NANOS)) {
            return 0;
        }
        int before = limit;
        if (full && slow * 10 > samples) {
            limit = Math.max(floor, limit - Math.max(1, limit / 4));
        } else if (full) {
            limit = Math.min(max, limit + 1);
        }
        samples = 0;
        slow = 0;
        full = false;
        windowStart = now;
        return limit - before;
    }
}
