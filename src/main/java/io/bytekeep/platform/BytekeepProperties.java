package io.bytekeep.platform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** Every Bytekeep setting, under one {@code bytekeep.*} prefix; validated at start-up. */
@Validated
@ConfigurationProperties("bytekeep")
public record BytekeepProperties(
        @NotNull Path dataDir,
        @Valid @NotNull Security security,
        @Valid @NotNull Vault vault,
        @Valid @NotNull Storage storage,
        @Valid @NotNull Events events,
        @Valid @NotNull Embedded embedded,
        @Valid @NotNull Distribution distribution,
        @Valid @NotNull Plugins plugins) {

    /** JAR files of integrators' processors and beans, which route files may name (docs/INTEGRATING.md). */
    public record Plugins(@NotNull Path directory) {
    }

    public record Security(
            @NotBlank(message = "set BYTEKEEP_JWT_SECRET (at least 32 characters)")
            @Size(min = 32, message = "must be at least 32 characters (256 bits for HS256)") String jwtSecret,
            @NotNull Duration tokenTtl,
            @NotEmpty(message = "configure at least one user under bytekeep.security.users") List<@Valid User> users) {
    }

    public record User(
            @NotBlank String username,
            @NotBlank(message = "every user needs a password (e.g. BYTEKEEP_PASSWORD)") String password,
            @NotNull List<@Pattern(regexp = "\\*|[-a-zA-Z0-9_]{1,32}", message = "organisation codes are 1-32 of a-z A-Z 0-9 - _ (or * for all)") String> organizations,
            List<String> roles) {

        public User {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }

    public record Vault(
            @Pattern(regexp = "(?i)sha-?(224|256|384|512)|sha3[_-](224|256|384|512)", message = "use SHA512 (Bytes' default), SHA224, SHA256, SHA384 or SHA3_*") String hashAlgorithm,
            @Pattern(regexp = "IN_MEMORY|RFC3161", message = "IN_MEMORY or RFC3161 (see bytekeep.custody.proofs)") String hashRepository,
            @Min(1) int inMemoryHashCapacity,
            @Pattern(regexp = "IDENTITY|NACL_SEALBOX|LIBSODIUM_SEALED_BOX|ENVELOPE_AES_GCM", message = "use ENVELOPE_AES_GCM, NACL_SEALBOX, LIBSODIUM_SEALED_BOX or IDENTITY") String encryption,
            Map<String, @Pattern(regexp = "IDENTITY|NACL_SEALBOX|LIBSODIUM_SEALED_BOX|ENVELOPE_AES_GCM", message = "use ENVELOPE_AES_GCM, NACL_SEALBOX, LIBSODIUM_SEALED_BOX or IDENTITY") String> organizationEncryption,
            @NotNull DataSize maxRequestSize,
            @NotNull DataSize maxStreamSize,
            @NotNull(message = "set the largest file GET /bytes/raws carries, e.g. 64MB") DataSize maxListedFileSize,
            boolean allowEmptyFiles,
            @NotNull Duration metricsTtl,
            @NotNull Duration batchLinger) {

        /** Beyond this the wait would be most of an upload's answer time. */
        static final Duration MAX_BATCH_LINGER = Duration.ofMillis(100);

        public Vault {
            if (batchLinger != null && (batchLinger.isNegative() || batchLinger.compareTo(MAX_BATCH_LINGER) > 0)) {
                throw new IllegalArgumentException("bytekeep.vault.batch-linger must be between 0 (no wait) and "
                        + MAX_BATCH_LINGER.toMillis() + "ms, was " + batchLinger);
            }
        }
    }

    public record Storage(
            String endpoint,
            @NotBlank String region,
            @NotBlank(message = "set the S3 access key (BYTEKEEP_S3_ACCESS_KEY)") String accessKey,
            @NotBlank(message = "set the S3 secret key (BYTEKEEP_S3_SECRET_KEY)") String secretKey,
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", message = "not a valid S3 bucket name") String rawBucket,
            boolean createBuckets,
            @NotNull DataSize packThreshold,
            @NotNull DataSize multipartThreshold,
            @NotNull DataSize partSize) {

        /** A pack holds up to 256 files in memory while it is written: 16 MB at this limit. */
        static final DataSize MAX_PACK_THRESHOLD = DataSize.ofKilobytes(64);
        /** S3's largest single PUT and largest part; S3Proxy, the embedded server, refuses larger ones too. */
        static final DataSize MAX_SINGLE_PUT = DataSize.ofGigabytes(5);
        /** S3's smallest part (but the last). */
        static final DataSize MIN_PART = DataSize.ofMegabytes(5);

        public Storage {
            if (packThreshold != null && (packThreshold.isNegative() || packThreshold.compareTo(MAX_PACK_THRESHOLD) > 0)) {
                throw new IllegalArgumentException("bytekeep.storage.pack-threshold must be between 0 (no packs) and "
                        + MAX_PACK_THRESHOLD.toKilobytes() + "KB, was " + packThreshold);
            }
            if (multipartThreshold != null && (multipartThreshold.toBytes() < 1 || multipartThreshold.compareTo(MAX_SINGLE_PUT) > 0)) {
                throw new IllegalArgumentException("bytekeep.storage.multipart-threshold must be 1B..5GB (S3 takes at most "
                        + "5GB in one PUT), was " + multipartThreshold);
            }
            if (partSize != null && (partSize.compareTo(MIN_PART) < 0 || partSize.compareTo(MAX_SINGLE_PUT) > 0)) {
                throw new IllegalArgumentException("bytekeep.storage.part-size must be 5MB..5GB (S3's smallest and largest "
                        + "part), was " + partSize);
            }
        }
    }

    public record Events(
            @NotBlank String rawFileReceivedQueue,
            @Min(10) long relayIntervalMillis,
            @Min(1) @Max(100_000) int relayEventsPerLook,
            @Min(1) @Max(10_000) int relayBatchSize,
            @NotNull Duration relayLease,
            @NotNull Duration relayConfirmTimeout,
            @NotNull Duration keepSent) {

        public Events {
            if (relayLease != null && relayLease.toMillis() < 5 * relayIntervalMillis) {
                throw new IllegalArgumentException("bytekeep.events.relay-lease must be at least five relay intervals ("
                        + 5 * relayIntervalMillis + " ms), was " + relayLease);
            }
            if (relayConfirmTimeout != null && (relayConfirmTimeout.isNegative() || relayConfirmTimeout.isZero())) {
                throw new IllegalArgumentException("bytekeep.events.relay-confirm-timeout must be positive, was " + relayConfirmTimeout);
            }
            if (keepSent != null && keepSent.isNegative()) {
                throw new IllegalArgumentException("bytekeep.events.keep-sent must not be negative, was " + keepSent);
            }
        }
    }

    /** Key intake of the distribution (CWA's submission service): REST endpoint and RabbitMQ queue. */
    public record Distribution(
            @Pattern(regexp = "|.{16,}", message = "must be empty (no key submission over HTTP) or at least 16 characters; set BYTEKEEP_SUBMISSION_TOKEN") String submissionToken,
            @Min(value = 1, message = "a submission must be allowed at least 1 key (CWA: 14)")
            @Max(value = 1000, message = "at most 1000 keys per submission (CWA: 14)") int maxKeysPerSubmission,
            @NotNull(message = "set the largest submission body, e.g. 64KB") DataSize maxSubmissionSize,
            @NotNull @Pattern(regexp = "[A-Z]{2}", message = "must be an upper-case ISO 3166 alpha-2 code, e.g. DE") String originCountry,
            @NotBlank(message = "name the durable queue of key submissions (BYTEKEEP_SUBMISSION_QUEUE)") String submissionQueue,
            @Min(value = 1, message = "at least 1 consumer of the submission queue") @Max(100) int submissionQueueConsumers,
            @Min(1) @Max(10_000) int submissionQueuePrefetch,
            @Min(0) @Max(100) int submissionRetryAttempts,
            @Min(0) @Max(600_000) long submissionRetryDelayMillis,
            // the distribution run (routes/distribution-run.camel.yaml)
            @NotBlank(message = "set the Quartz cron of the distribution run, e.g. 0+0+*+*+*+?") String cron,
            @Min(value = 0, message = "keys and exports are kept 0 or more days (CWA: 14)") @Max(3650) int retentionDays,
            String signingKeyPem,
            @NotEmpty List<@Pattern(regexp = "[A-Z]{2}", message = "upper-case ISO 3166 alpha-2 codes") String> supportedCountries,
            @Min(0) @Max(100_000) int shiftingPolicyThreshold,
            @NotNull @Pattern(regexp = "shift|pad", message = "must be shift (CWA: hold small hours back) or pad (fill them with fake keys)") String smallBundlePolicy,
            String paddingSecret,
            @Min(0) @Max(100_000) long expiryPolicyMinutes,
            @Min(value = 1, message = "an archive holds at least 1 key (CWA: 600000)") int maximumKeysPerBundle,
            @Min(value = 1, message = "transmission risk levels are 1..8 (CWA: 3)")
            @Max(value = 8, message = "transmission risk levels are 1..8 (CWA: 3)") int minimumTransmissionRiskLevel,
            @Valid @NotNull TransmissionRiskEncoding transmissionRiskEncoding,
            @NotNull(message = "name the file of the configuration documents, e.g. config/app-configuration.yaml") Path configurationFile,
            @NotBlank String appBundleId,
            @NotNull String androidPackage,
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", message = "not a valid S3 bucket name") String exportBucket,
            String exportEndpoint,
            @Min(0) int cacheMaxAge,
            boolean publicRead,
            @Min(1) @Max(64) int uploadThreads,
            @Min(0) @Max(100) int retryAttempts,
            @Min(0) @Max(600_000) long retryBackoffMillis,
            @Min(1) int maxFailedOperations,
            @NotBlank(message = "name the durable queue of DistributionFailed events") String failureQueue) {
    }

    /**
     * The report type and days since onset of symptoms each published key carries for its transmission risk level
     * (CWA's {@code transmission-risk-encoding.yaml}); checked to name each level 1..8 when the distribution starts.
     */
    public record TransmissionRiskEncoding(boolean enabled, @NotNull Map<Integer, String> reportType,
                                           @NotNull Map<Integer, Integer> daysSinceOnsetOfSymptoms) {
    }

    /** s3Exports: a second S3 API for the export tree, on disk (see EmbeddedServersConfiguration). */
    public record Embedded(@Valid @NotNull EmbeddedServer s3, @Valid @NotNull EmbeddedServer s3Exports,
                           @Valid @NotNull EmbeddedServer amqp, @Valid @NotNull EmbeddedDatabase database) {
    }

    /** The embedded H2 database: commits forced to disk, in groups started at most once per window. */
    public record EmbeddedDatabase(@NotNull Duration groupCommitWindow) {

        public EmbeddedDatabase {
            if (groupCommitWindow != null && (groupCommitWindow.isNegative() || groupCommitWindow.compareTo(Duration.ofSeconds(1)) > 0)) {
                throw new IllegalArgumentException("bytekeep.embedded.database.group-commit-window must be between 0 and 1s, was "
                        + groupCommitWindow);
            }
        }
    }

    public record EmbeddedServer(boolean enabled, @Min(0) @Max(65535) int port) {
    }
}
