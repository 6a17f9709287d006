package io.bytekeep.vault;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The sweep of raw objects without a raw_file row: what a process killed between the object write and the database
 * commit leaves behind (the in-process orphan guard cannot run then). Only objects older than {@code minAge} are
 * touched, so uploads in flight on any instance are safe.
 */
@Validated
@ConfigurationProperties("bytekeep.orphan-sweep")
public record OrphanSweepProperties(boolean enabled, @NotNull Duration minAge, @NotNull Duration interval) {
}
