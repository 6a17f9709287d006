package io.bytekeep.platform.edge;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AdaptiveLimitTest {

    private static final long TARGET = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long FAST = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long SLOW = TimeUnit.MILLISECONDS.toNanos(80);
    private static final long STEP = TimeUnit.MILLISECONDS.toNanos(10);

    private long now;

    /** One window of {@link AdaptiveLimit#WINDOW_SAMPLES} answers of a full lane, {@code slow} of them over the target. */
    private int window(AdaptiveLimit limit, int slow) {
        limit.full();
        return windowNeverFull(limit, slow);
    }

    private int windowNeverFull(AdaptiveLimit limit, int slow) {
        int change = 0;
        for (int i = 0; i < AdaptiveLimit.WINDOW_SAMPLES; i++) {
            now += STEP;
            change += limit.answered(i < slow ? SLOW : FAST, now);
        }
        return change;
    }

    @Test
    void moreThanOneSlowAnswerInTenNarrowsTheLimitByAQuarterDownToAQuarterOfItsSize() {
        AdaptiveLimit limit = new AdaptiveLimit(16, TARGET, now);
        assertThat(window(limit, 1)).as("1 in 16 slow").isZero();
        assertThat(window(limit, 2)).as("2 in 16 slow").isEqualTo(-4);
        assertThat(limit.limit()).isEqualTo(12);
        for (int expected : new int[] {9, 7, 6, 5, 4, 4}) {
            window(limit, 16);
            assertThat(limit.limit()).isEqualTo(expected);
        }
    }

    @Test
    void itWidensByOnePerWindowWhileTheLaneIsFullAndFast() {
        AdaptiveLimit limit = new AdaptiveLimit(8, TARGET, now);
        window(limit, 16);
        assertThat(limit.limit()).isEqualTo(6);
        assertThat(windowNeverFull(limit, 0)).as("fast but never full").isZero();
        assertThat(window(limit, 0)).isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            window(limit, 0);
        }
        assertThat(limit.limit()).as("never above its size").isEqualTo(8);
    }

    @Test
    void aLaneThatNeverFilledKeepsItsLimitHoweverSlow() {
        AdaptiveLimit limit = new AdaptiveLimit(8, TARGET, now);
        assertThat(windowNeverFull(limit, 16)).isZero();
        assertThat(limit.limit()).isEqualTo(8);
    }

    @Test
    void aWindowNeedsItsSamplesAndATenthOfASecondOrLastsASecond() {
        AdaptiveLimit limit = new AdaptiveLimit(8, TARGET, now);
        limit.full();
        for (int i = 0; i < 100; i++) {
            assertThat(limit.answered(SLOW, now)).as("a burst within 100 ms").isZero();
        }
        now += AdaptiveLimit.MIN_WINDOW_NANOS;
        assertThat(limit.answered(SLOW, now)).isEqualTo(-2);
        limit.full();
        now += AdaptiveLimit.MAX_WINDOW_NANOS - 1;
        assertThat(limit.answered(SLOW, now)).as("one sample, under a second").isZero();
        now += 1;
        assertThat(limit.answered(SLOW, now)).as("two samples after a second").isEqualTo(-1);
    }

    @Test
    void withoutATargetTheLimitIsFixed() {
        AdaptiveLimit limit = new AdaptiveLimit(8, 0, now);
        window(limit, 16);
        window(limit, 16);
        assertThat(limit.limit()).isEqualTo(8);
    }
}
