package io.bytekeep.sharing;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of sharing_document: what the owner's client declared, where the ciphertext lives, the upload's state and
 * the organisation the document belongs to ({@code null} for documents of before V10: the owner's first).
 */
public record SharedDocument(UUID id, String owner, String organization, String name, String contentType, long size,
                             String sha256, String encryption, int chunkSize, long encryptedSize, String objectKey,
                             String uploadId, long partSize, int partCount, String status, Instant createdAt,
                             Instant completedAt) {

    public static final String UPLOADING = "UPLOADING";
    public static final String AVAILABLE = "AVAILABLE";
    /** Not completed in time: claimed by the abandoned-upload sweep, which removes it once S3 has let go of it. */
    public static final String ABANDONED = "ABANDONED";

    public boolean available() {
        return AVAILABLE.equals(status);
    }

    public boolean uploading() {
        return UPLOADING.equals(status);
    }

    public boolean multipart() {
        return uploadId != null;
    }
}
