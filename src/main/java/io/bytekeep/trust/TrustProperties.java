package io.bytekeep.trust;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The TUF repository over the export bucket ({@code bytekeep.trust.*}, see config/application.yaml). */
@Validated
@ConfigurationProperties("bytekeep.trust")
public record TrustProperties(
        boolean enabled,
        @Min(1) @Max(65_536) int numberOfBins,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*", message = "a folder such as tuf") String metadataPrefix,
        @NotBlank String refreshCron,
        @NotNull Duration lockTimeout,
        @NotNull Duration keepSuperseded,
        @Valid @NotNull Expiry expiry,
        @Valid @NotNull Keys keys) {

    /** How long each role's metadata is valid after signing. */
    public record Expiry(@NotNull Duration root, @NotNull Duration targets, @NotNull Duration bins,
                         @NotNull Duration bin, @NotNull Duration snapshot, @NotNull Duration timestamp) {
    }

    /**
     * Private keys (PKCS#8 PEM text, or the path of a PEM file) of the roles; empty = generated or missing. Each
     * name ends in "key", so GET /admin/config masks the values.
     */
    public record Keys(String rootKey, String targetsKey, String snapshotKey, String timestampKey, String binsKey,
                       String binKey, String previousRootKey) {
    }
}
