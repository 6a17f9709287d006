package io.bytekeep.platform.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Deletes outbox events sent more than keep-sent ago, in bounded batches, so the outbox table does not grow forever. */
public class SentEventPurge {

    private static final int BATCH = 10_000;
    private static final int BATCHES_PER_RUN = 10;

    private final Outbox outbox;
    private final Duration keepSent;
    private final Clock clock;

    public SentEventPurge(Outbox outbox, Duration keepSent, Clock clock) {
        this.outbox = outbox;
        this.keepSent = keepSent;
        this.clock = clock;
    }

    /** Deletes at most {@value #BATCHES_PER_RUN} × {@value #BATCH} events; returns how many. */
    public int purge() {
        Instant cutoff = clock.instant().minus(keepSent);
        int deleted = 0;
        for (int batch = 0; batch < BATCHES_PER_RUN; batch++) {
            int n = outbox.deleteSentBefore(cutoff, BATCH);
            deleted += n;
            if (n < BATCH) {
                break;
            }
        }
        return deleted;
    }
}
