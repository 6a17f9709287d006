package io.bytekeep.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.bytekeep.platform.Problem;
import io.bytekeep.support.MutableClock;

class LoginThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void guessesFromOneAddressWaitLongerAndLongerUpToTheMaximum() {
        for (int i = 0; i < LoginThrottle.FREE_PER_USER_AND_ADDRESS; i++) {
            throttle.check("alice", "10.0.0.9");
            throttle.failed("alice", "10.0.0.9");
        }
        throttle.check("alice", "10.0.0.9");
        throttle.failed("alice", "10.0.0.9");
        assertRefused("alice", "10.0.0.9", 1);
        clock.advance(Duration.ofSeconds(1));
        throttle.failed("alice", "10.0.0.9");
        assertRefused("alice", "10.0.0.9", 2);
        for (int i = 0; i < 20; i++) {
            throttle.failed("alice", "10.0.0.9");
        }
        assertRefused("alice", "10.0.0.9", LoginThrottle.MAX_DELAY.toSeconds());
        // the real user elsewhere is not held by this address's guesses
        throttle.check("alice", "192.0.2.1");
    }

    @Test
    void aSuccessClearsItsAddressAndCountsAreForgotten() {
        for (int i = 0; i <= LoginThrottle.FREE_PER_USER_AND_ADDRESS; i++) {
            throttle.failed("bob", "10.0.0.7");
        }
        assertRefused("bob", "10.0.0.7", 1);
        clock.advance(Duration.ofSeconds(2));
        throttle.succeeded("bob", "10.0.0.7");
        throttle.failed("bob", "10.0.0.7");
        throttle.check("bob", "10.0.0.7");

        for (int i = 0; i <= LoginThrottle.FREE_PER_ADDRESS; i++) {
            throttle.failed("user" + i, "10.0.0.8");
        }
        assertRefused("someone-else", "10.0.0.8", 1);
        clock.advance(LoginThrottle.FORGET_AFTER);
        throttle.check("someone-else", "10.0.0.8");
    }

    @Test
    void aUserGuessedFromManyAddressesWaitsAtMostTheMaximum() {
        for (int i = 0; i <= LoginThrottle.FREE_PER_USER + 30; i++) {
            throttle.failed("carol", "10.1." + (i / 250) + "." + (i % 250));
        }
        assertRefused("carol", "203.0.113.5", LoginThrottle.MAX_DELAY.toSeconds());
        clock.advance(LoginThrottle.MAX_DELAY);
        throttle.check("carol", "203.0.113.5");
    }

    private void assertRefused(String user, String address, long retryAfter) {
        assertThatThrownBy(() -> throttle.check(user, address)).isInstanceOfSatisfying(Problem.class, p -> {
            assertThat(p.status()).isEqualTo(429);
            assertThat(p.headers()).containsEntry("Retry-After", String.valueOf(retryAfter));
        });
    }
}
