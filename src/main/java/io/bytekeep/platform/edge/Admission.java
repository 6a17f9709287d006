package io.bytekeep.platform.edge;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Bounds the requests in progress per lane. A request that finds its lane full waits a moment for a place (a burst
 * passes) and is then refused (the caller answers 503 with Retry-After) instead of queueing: past capacity the
 * service sheds what it cannot serve and keeps serving the rest with the latency it has, rather than running out of
 * threads or heap. With a latency target, each lane's limit follows the latency of its answers ({@link AdaptiveLimit})
 * between the configured size and a quarter of it; the health lane keeps its size.
 */
public final class Admission {

    private final Map<Lane, Places> permits = new EnumMap<>(Lane.class);
    private final Map<Lane, AdaptiveLimit> limits = new EnumMap<>(Lane.class);
    private final Map<Lane, Counter> refusals = new EnumMap<>(Lane.class);
    private final Map<Lane, AtomicLong> lastRefusal = new EnumMap<>(Lane.class);
    private final long memoryNanos;
    private final long waitNanos;
    private final LongSupplier nanoTime;

    /**
     * @param wait          how long a request may wait for a place before it is refused: smooths bursts, not overload
     * @param latencyTarget the latency the lanes' limits keep their answers within; zero for fixed limits
     */
    public Admission(EdgeProperties.InProgress inProgress, Duration wait, Duration latencyTarget,
                     Duration saturationMemory, MeterRegistry meters, LongSupplier nanoTime) {
        this.waitNanos = wait.toNanos();
        this.memoryNanos = saturationMemory.toNanos();
        this.nanoTime = nanoTime;
        for (Lane lane : Lane.values()) {
            int size = inProgress.of(lane);
            Places semaphore = new Places(size);
            AdaptiveLimit limit = new AdaptiveLimit(size, lane == Lane.HEALTH ? 0 : latencyTarget.toNanos(),
                    nanoTime.getAsLong());
            String tag = lane.name().toLowerCase(java.util.Locale.ROOT);
            permits.put(lane, semaphore);
            limits.put(lane, limit);
            lastRefusal.put(lane, new AtomicLong(Long.MIN_VALUE));
            refusals.put(lane, Counter.builder("bytekeep.edge.refused")
                    .description("Requests refused with 503 because their lane was full").tag("lane", tag).register(meters));
            Gauge.builder("bytekeep.edge.in.progress", () -> inProgress(lane))
                    .description("Requests in progress").tag("lane", tag).register(meters);
            Gauge.builder("bytekeep.edge.limit", limit, AdaptiveLimit::limit)
                    .description("Requests allowed in progress at once").tag("lane", tag).register(meters);
        }
    }

    /** Takes a place in the lane, waiting for one at most the configured wait; false when none came (a refusal). */
    public boolean tryEnter(Lane lane) {
        Places places = permits.get(lane);
        if (places.tryAcquire()) {
            return true;
        }
        limits.get(lane).full();
        try {
            if (places.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
                return true;
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
        refusals.get(lane).increment();
        lastRefusal.get(lane).set(nanoTime.getAsLong());
        return false;
    }

    /** Gives the place back, for an answer whose latency does not count (a large or streamed body). */
    public void leave(Lane lane) {
        permits.get(lane).release();
    }

    /** Gives the place back and counts the latency of its answer: the request arrived at {@code arrivalNanos}. */
    public void leave(Lane lane, long arrivalNanos) {
        Places places = permits.get(lane);
        places.release();
        long now = nanoTime.getAsLong();
        int change = limits.get(lane).answered(now - arrivalNanos, now);
        if (change > 0) {
            places.release(change);
        } else if (change < 0) {
            places.withdraw(-change);
        }
    }

    private int inProgress(Lane lane) {
        return limits.get(lane).limit() - permits.get(lane).availablePermits();
    }

    /** Lanes that are full now or refused a request within the saturation memory, with their figures. */
    public Map<Lane, LaneState> saturated() {
        Map<Lane, LaneState> saturated = new LinkedHashMap<>();
        for (Lane lane : Lane.values()) {
            LaneState state = state(lane);
            if (state.inProgress() >= state.limit() || refusedRecently(lane)) {
                saturated.put(lane, state);
            }
        }
        return saturated;
    }

    public LaneState state(Lane lane) {
        return new LaneState(inProgress(lane), limits.get(lane).limit(), (long) refusals.get(lane).count());
    }

    private boolean refusedRecently(Lane lane) {
        long last = lastRefusal.get(lane).get();
        return last != Long.MIN_VALUE && nanoTime.getAsLong() - last < memoryNanos;
    }

    public record LaneState(int inProgress, int limit, long refused) {
    }

    /** A semaphore whose places can also be withdrawn while taken: the next ones given back then stay out. */
    private static final class Places extends Semaphore {

        Places(int permits) {
            super(permits);
        }

        void withdraw(int places) {
            reducePermits(places);
        }
    }
}
