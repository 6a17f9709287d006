package io.bytekeep.platform.edge;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The HTTP edge ({@code bytekeep.edge.*}): the body budget of JSON metadata, the slowest body accepted, and how many
 * requests of each lane may be in progress at once (beyond them: 503 with Retry-After).
 */
@Validated
@ConfigurationProperties("bytekeep.edge")
public record EdgeProperties(@NotNull DataSize maxJsonSize, @NotNull DataSize minBodyRate,
                             @NotNull Duration bodyRateGrace, @Valid @NotNull InProgress inProgress,
                             @NotNull Duration admissionWait, @NotNull Duration latencyTarget,
                             @NotNull Duration retryAfter,
                             @NotNull Duration saturationMemory) {

    public EdgeProperties {
        if (maxJsonSize != null && maxJsonSize.toBytes() < 1024) {
            throw new IllegalArgumentException("bytekeep.edge.max-json-size must be at least 1KB, was " + maxJsonSize);
        }
        if (bodyRateGrace != null && bodyRateGrace.isNegative()) {
            throw new IllegalArgumentException("bytekeep.edge.body-rate-grace must not be negative, was " + bodyRateGrace);
        }
        if (admissionWait != null && (admissionWait.isNegative() || admissionWait.toSeconds() > 5)) {
            throw new IllegalArgumentException("bytekeep.edge.admission-wait must be 0..5s, was " + admissionWait);
        }
        if (latencyTarget != null && latencyTarget.isNegative()) {
            throw new IllegalArgumentException("bytekeep.edge.latency-target must not be negative, was " + latencyTarget);
        }
        if (retryAfter != null && retryAfter.toSeconds() < 1) {
            throw new IllegalArgumentException("bytekeep.edge.retry-after must be at least 1s, was " + retryAfter);
        }
    }

    /** Requests in progress at once, per lane. */
    public record InProgress(@Min(1) int health, @Min(1) int login, @Min(1) int submission, @Min(1) int upload,
                             @Min(1) int api) {

        public int of(Lane lane) {
            return switch (lane) {
                case HEALTH -> health;
                case LOGIN -> login;
                case SUBMISSION -> submission;
                case UPLOAD -> upload;
                case API -> api;
            };
        }

        public int total() {
            return health + login + submission + upload + api;
        }
    }
}
