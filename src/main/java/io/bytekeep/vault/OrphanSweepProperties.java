package io.bytekeep.vault;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The sweep of raw objects without a raw_file row: what a process killed between the object write and the database
 * commit leaves behind (the in-process orphan guard cannot run then), or an upload whose commit outcome was unknown.
 * Only objects older than {@code minAge} are touched, so uploads in flight on any instance are safe. They are moved to
 * quarantine/ and deleted once they have stayed there {@code quarantinePeriod} without a row appearing. One sweep lists
 * at most {@code maxObjectsPerSweep} objects; the next goes on from there.
 */
@Validated
@ConfigurationProperties("bytekeep.orphan-sweep")
public record OrphanSweepProperties(
        boolean enabled,
        @NotNull @DurationMin(nanos = 1, message = "bytekeep.orphan-sweep.min-age (BYTEKEEP_ORPHAN_SWEEP_MIN_AGE) must be "
                + "a positive duration, e.g. 15m") Duration minAge,
        @NotNull @DurationMin(nanos = 1, message = "bytekeep.orphan-sweep.interval (BYTEKEEP_ORPHAN_SWEEP_INTERVAL) must be "
                + "a positive duration, e.g. 10m") Duration interval,
        @NotNull @DurationMin(nanos = 1, message = "bytekeep.orphan-sweep.quarantine-period "
                + "(BYTEKEEP_ORPHAN_SWEEP_QUARANTINE_PERIOD) must be a positive duration, e.g. 7d") Duration quarantinePeriod,
        @Min(value = 1000, message = "bytekeep.orphan-sweep.max-objects-per-sweep "
                + "(BYTEKEEP_ORPHAN_SWEEP_MAX_OBJECTS_PER_SWEEP) must be at least 1000, one listing page") int maxObjectsPerSweep) {
}
