package io.bytekeep.sharing;

import java.time.Instant;
import java.util.UUID;

/** A row of sharing_document: what the owner's client declared, where the ciphertext lives, and the upload's state. */
public record SharedDocument(UUID id, String owner, String name, String contentType, long size, String sha256,
                             String encryption, int chunkSize, long encryptedSize, String objectKey, String uploadId,
                             long partSize, int partCount, String status, Instant createdAt, Instant completedAt) {

    public static final String UPLOADING = "UPLOADING";
    public static final String AVAILABLE = "AVAILABLE";

    public boolean available() {
        return AVAILABLE.equals(status);
    }

    public boolean multipart() {
        return uploadId != null;
    }
}
