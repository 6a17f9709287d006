package io.bytekeep.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bytekeep.platform.Problem;

/**
 * Slows password guessing at {@code POST /token}. Failures are counted per user name from one client address, per
 * client address, and per user name from anywhere; past a free number of failures each further attempt of that kind
 * waits a delay that doubles with every failure, from one second up to {@link #MAX_DELAY}, answered 429 with
 * Retry-After. The delay is the whole cost: an attacker can keep a real user waiting at most {@link #MAX_DELAY} at a
 * time, and the user's own success from an address clears that address's counts. Counts are forgotten after
 * {@link #FORGET_AFTER} without a failure; at most {@link #MAX_KEYS} keys are remembered (the oldest go first).
 */
public final class LoginThrottle {

    static final int FREE_PER_USER_AND_ADDRESS = 5;
    static final int FREE_PER_ADDRESS = 20;
    static final int FREE_PER_USER = 100;
    static final Duration MAX_DELAY = Duration.ofSeconds(60);
    static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    static final int MAX_KEYS = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

    private record Failures(int count, Instant last, Instant blockedUntil) {
    }

    private final Clock clock;
    private final Map<String, Failures> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_KEYS;
        }
    };

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Refuses with 429 while any count of this attempt's kinds is past its free failures and waiting. */
    public synchronized void check(String username, String address) {
        Instant now = clock.instant();
        Instant until = now;
        for (String key : keys(username, address)) {
            Failures counted = current(key, now);
            if (counted != null && counted.blockedUntil().isAfter(until)) {
                until = counted.blockedUntil();
            }
        }
        if (until.isAfter(now)) {
            long seconds = Math.max(1, (Duration.between(now, until).toMillis() + 999) / 1000);
            throw Problem.tooManyRequests("Too many failed logins; try again in " + seconds + " s", seconds);
        }
    }

    public synchronized void failed(String username, String address) {
        Instant now = clock.instant();
        String[] keys = keys(username, address);
        int[] free = {FREE_PER_USER_AND_ADDRESS, FREE_PER_ADDRESS, FREE_PER_USER};
        for (int i = 0; i < keys.length; i++) {
            Failures counted = current(keys[i], now);
            int count = counted == null ? 1 : counted.count() + 1;
            Instant blockedUntil = count <= free[i] ? now : now.plus(delay(count - free[i]));
            failures.put(keys[i], new Failures(count, now, blockedUntil));
            if (count == free[i] + 1) {
                LOG.warn("Login throttled: {} failed logins of one {} (user '{}', address {})", count,
                        keys[i].substring(0, keys[i].indexOf(':')), printable(username), address);
            }
        }
    }

    /** A successful login clears the counts of its user name from its address, and of that address. */
    public synchronized void succeeded(String username, String address) {
        String[] keys = keys(username, address);
        failures.remove(keys[0]);
        failures.remove(keys[1]);
    }

    private Failures current(String key, Instant now) {
        Failures counted = failures.get(key);
        if (counted != null && !now.isBefore(counted.last().plus(FORGET_AFTER))) {
            failures.remove(key);
            return null;
        }
        return counted;
    }

    static Duration delay(int beyondFree) {
        long seconds = 1L << Math.min(beyondFree - 1, 6);
        return Duration.ofSeconds(Math.min(seconds, MAX_DELAY.toSeconds()));
    }

    /** A user name as a caller typed it, for a log line: no control characters, at most 64 characters. */
    private static String printable(String username) {
        String clean = String.valueOf(username).replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "…" : clean;
    }

    private static String[] keys(String username, String address) {
        return new String[] {"user-and-address:" + username + "@" + address, "address:" + address, "user:" + username};
    }
}
