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
 * threads or heap.
 */
public final class Admission {

    private final Map<Lane, Semaphore> permits = new EnumMap<>(Lane.class);
    private final Map<Lane, Integer> limits = new EnumMap<>(Lane.class);
    private final Map<Lane, Counter> refusals = new EnumMap<>(Lane.class);
    private final Map<Lane, AtomicLong> lastRefusal = new EnumMap<>(Lane.class);
    private final long memoryNanos;
    private final long waitNanos;
    private final LongSupplier nanoTime;

    /** @param wait how long a request may wait for a place before it is refused: smooths bursts, not overload */
    public Admission(EdgeProperties.InProgress inProgress, Duration wait, Duration saturationMemory, MeterRegistry meters,
                     LongSupplier nanoTime) {
        this.waitNanos = wait.toNanos();
        this.memoryNanos = saturationMemory.toNanos();
        this.nanoTime = nanoTime;
        for (Lane lane : Lane.values()) {
            int limit = inProgress.of(lane);
            Semaphore semaphore = new Semaphore(limit);
            String tag = lane.name().toLowerCase(java.util.Locale.ROOT);
            permits.put(lane, semaphore);
            limits.put(lane, limit);
            lastRefusal.put(lane, new AtomicLong(Long.MIN_VALUE));
            refusals.put(lane, Counter.builder("bytekeep.edge.refused")
                    .description("Requests refused with 503 because their lane was full").tag("lane", tag).register(meters));
            Gauge.builder("bytekeep.edge.in.progress", semaphore, s -> limit - s.availablePermits())
                    .description("Requests in progress").tag("lane", tag).register(meters);
            Gauge.builder("bytekeep.edge.limit", () -> limit)
                    .description("Requests allowed in progress at once").tag("lane", tag).register(meters);
        }
    }

    /** Takes a place in the lane, waiting for one at most the configured wait; false when none came (a refusal). */
    public boolean tryEnter(Lane lane) {
        try {
            if (permits.get(lane).tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
                return true;
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
        refusals.get(lane).increment();
        lastRefusal.get(lane).set(nanoTime.getAsLong());
        return false;
    }

    public void leave(Lane lane) {
        permits.get(lane).release();
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
        return new LaneState(limits.get(lane) - permits.get(lane).availablePermits(), limits.get(lane),
                (long) refusals.get(lane).count());
    }

    private boolean refusedRecently(Lane lane) {
        long last = lastRefusal.get(lane).get();
        return last != Long.MIN_VALUE && nanoTime.getAsLong() - last < memoryNanos;
    }

    public record LaneState(int inProgress, int limit, long refused) {
    }
}
