package io.bytekeep.proof;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Proof of existence with the RFC3161 hash repository ({@code bytekeep.vault.hash-repository: RFC3161}), under
 * {@code bytekeep.custody.proofs.*}; see config/application.yaml for what each key does.
 */
@Validated
@ConfigurationProperties("bytekeep.custody.proofs")
public record ProofProperties(
        @NotNull @Pattern(regexp = "MERKLE|SINGLE", message = "MERKLE (one TSA request per batch) or SINGLE (one per file)") String mode,
        String tsaUrl,
        String tsaCertificate,
        @NotNull @Pattern(regexp = "SHA256|SHA512", message = "SHA256 or SHA512") String imprintAlgorithm,
        @Min(value = 100, message = "batch at most every 100 ms") long batchIntervalMillis,
        @Min(1) @Max(10_000_000) int maxBatchSize,
        @NotNull Duration connectTimeout,
        @NotNull Duration requestTimeout) {

    public boolean merkle() {
        return "MERKLE".equals(mode);
    }
}
