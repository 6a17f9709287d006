package io.bytekeep.platform.edge;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;

class AdmissionTest {

    private final AtomicLong now = new AtomicLong();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Admission admission = new Admission(new EdgeProperties.InProgress(1, 2, 1, 1, 3),
            Duration.ZERO, Duration.ZERO, Duration.ofSeconds(10), meters, now::get);

    @Test
    void aFullLaneRefusesWhileTheOthersAdmit() {
        assertThat(admission.tryEnter(Lane.LOGIN)).isTrue();
        assertThat(admission.tryEnter(Lane.LOGIN)).isTrue();
        assertThat(admission.tryEnter(Lane.LOGIN)).isFalse();
        assertThat(admission.tryEnter(Lane.API)).isTrue();
        assertThat(admission.tryEnter(Lane.HEALTH)).isTrue();

        admission.leave(Lane.LOGIN);
        assertThat(admission.tryEnter(Lane.LOGIN)).isTrue();
        assertThat(meters.get("bytekeep.edge.refused").tag("lane", "login").counter().count()).isEqualTo(1);
        assertThat(meters.get("bytekeep.edge.in.progress").tag("lane", "login").gauge().value()).isEqualTo(2);
    }

    @Test
    void aLaneCountsAsSaturatedWhileFullAndForAWhileAfterItsLastRefusal() {
        assertThat(admission.saturated()).isEmpty();
        admission.tryEnter(Lane.UPLOAD);
        assertThat(admission.saturated()).containsOnlyKeys(Lane.UPLOAD);
        assertThat(admission.tryEnter(Lane.UPLOAD)).isFalse();
        admission.leave(Lane.UPLOAD);
        assertThat(admission.saturated()).as("refused 0 s ago").containsOnlyKeys(Lane.UPLOAD);
        assertThat(admission.saturated().get(Lane.UPLOAD)).isEqualTo(new Admission.LaneState(0, 1, 1));
        now.addAndGet(TimeUnit.SECONDS.toNanos(11));
        assertThat(admission.saturated()).isEmpty();
    }

    @Test
    void aPlaceFreedWithinTheWaitIsTaken() throws Exception {
        Admission waiting = new Admission(new EdgeProperties.InProgress(1, 1, 1, 1, 1), Duration.ofSeconds(5),
                Duration.ZERO, Duration.ofSeconds(10), meters, now::get);
        assertThat(waiting.tryEnter(Lane.API)).isTrue();
        java.util.concurrent.CompletableFuture<Boolean> second = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> waiting.tryEnter(Lane.API));
        waiting.leave(Lane.API);
        assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(meters.get("bytekeep.edge.refused").tag("lane", "api").counter().count()).isZero();
    }

    @Test
    void slowAnswersNarrowALaneAndPlacesTakenMeanwhileAreNotLost() {
        SimpleMeterRegistry adaptiveMeters = new SimpleMeterRegistry();
        Admission adaptive = new Admission(new EdgeProperties.InProgress(8, 8, 8, 8, 8), Duration.ZERO,
                Duration.ofMillis(50), Duration.ofSeconds(10), adaptiveMeters, now::get);
        for (int i = 0; i < 8; i++) {
            assertThat(adaptive.tryEnter(Lane.API)).isTrue();
        }
        assertThat(adaptive.tryEnter(Lane.API)).isFalse();
        // a window of slow answers: 8 leave after 200 ms each, then 8 more requests come and go as slowly
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 8; i++) {
                now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
                adaptive.leave(Lane.API, now.get() - TimeUnit.MILLISECONDS.toNanos(200));
            }
            for (int i = 0; round == 0 && i < 8; i++) {
                adaptive.tryEnter(Lane.API);
            }
        }
        assertThat(adaptive.state(Lane.API).limit()).isEqualTo(6);
        assertThat(adaptive.state(Lane.API).inProgress()).isZero();
        for (int i = 0; i < 6; i++) {
            assertThat(adaptive.tryEnter(Lane.API)).isTrue();
        }
        assertThat(adaptive.tryEnter(Lane.API)).as("the narrowed lane is full at 6").isFalse();
        assertThat(adaptiveMeters.get("bytekeep.edge.limit").tag("lane", "api").gauge().value()).isEqualTo(6);
        assertThat(adaptive.state(Lane.HEALTH).limit()).as("health keeps its size").isEqualTo(8);
    }
}
