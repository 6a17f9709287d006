package io.bytekeep.sharing;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Shared documents ({@code bytekeep.sharing.*}): the bucket of their ciphertexts, the part size above which uploads
 * are multipart, the largest document, the lifetimes of presigned URLs, the audit queue, whether documents may be shared across
 * organisations, and when an upload that was never completed counts as abandoned (and is swept).
 */
@Validated
@ConfigurationProperties("bytekeep.sharing")
public record SharingProperties(@NotBlank String bucket, @NotNull DataSize partSize, @NotNull DataSize maxDocumentSize,
                                @NotNull Duration urlTtl,
                                @NotNull Duration uploadUrlTtl, @NotBlank String auditQueue, String publicEndpoint,
                                boolean crossOrganization, @NotNull Duration abandonedAfter,
                                @Valid @NotNull AbandonedSweep abandonedSweep) {

    /**
     * The sweep of routes/sharing-abandoned-sweep.camel.yaml: on or off, the time between two runs, and how many objects
     * of the bucket one run lists at most.
     */
    public record AbandonedSweep(boolean enabled, @NotNull Duration interval,
                                 @Min(value = 1000, message = "bytekeep.sharing.abandoned-sweep.max-objects-per-sweep "
                                         + "(BYTEKEEP_SHARING_ABANDONED_SWEEP_MAX_OBJECTS_PER_SWEEP) must be at least 1000, "
                                         + "one listing page") int maxObjectsPerSweep) {
    }

    /** S3's smallest part (all but the last) and most parts of one multipart upload. */
    static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    static final int MAX_PARTS = 10_000;
    /** S3's largest part, and largest single PUT. */
    static final long MAX_PART_BYTES = 5L * 1024 * 1024 * 1024;
    /** The largest object an upload plan can describe: 10 000 parts of S3's largest part. */
    static final long MAX_PLANNED_BYTES = MAX_PARTS * MAX_PART_BYTES;

    public SharingProperties {
        if (partSize != null && (partSize.toBytes() < MIN_PART_BYTES || partSize.toBytes() > MAX_PART_BYTES)) {
            throw new IllegalArgumentException("bytekeep.sharing.part-size must be 5MB..5GB (S3's smallest and largest part), was "
                    + partSize);
        }
        if (maxDocumentSize != null && (maxDocumentSize.toBytes() < 1 || maxDocumentSize.toBytes() > MAX_PLANNED_BYTES)) {
            throw new IllegalArgumentException("bytekeep.sharing.max-document-size (BYTEKEEP_SHARING_MAX_DOCUMENT_SIZE) must "
                    + "be 1B.." + MAX_PLANNED_BYTES / (1024L * 1024 * 1024) + "GB (10 000 parts of S3's largest part, 5GB), was "
                    + maxDocumentSize);
        }
        if (urlTtl != null && (urlTtl.isNegative() || urlTtl.isZero() || urlTtl.compareTo(Duration.ofDays(7)) > 0)) {
            throw new IllegalArgumentException("bytekeep.sharing.url-ttl must be 1s..7d (SigV4's limit), was " + urlTtl);
        }
        if (uploadUrlTtl != null && (uploadUrlTtl.isNegative() || uploadUrlTtl.isZero() || uploadUrlTtl.compareTo(Duration.ofDays(7)) > 0)) {
            throw new IllegalArgumentException("bytekeep.sharing.upload-url-ttl must be 1s..7d (SigV4's limit), was " + uploadUrlTtl);
        }
        // sooner, and an upload could still be under way (its URLs valid) when the sweep takes it away
        if (abandonedAfter != null && uploadUrlTtl != null && abandonedAfter.compareTo(uploadUrlTtl) < 0) {
            throw new IllegalArgumentException("bytekeep.sharing.abandoned-after must be at least upload-url-ttl ("
                    + uploadUrlTtl + "), was " + abandonedAfter);
        }
        if (abandonedSweep != null && abandonedSweep.interval() != null
                && (abandonedSweep.interval().isNegative() || abandonedSweep.interval().isZero())) {
            throw new IllegalArgumentException("bytekeep.sharing.abandoned-sweep.interval must be positive, was "
                    + abandonedSweep.interval());
        }
    }
}
