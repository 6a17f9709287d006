package io.bytekeep.sharing;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A document as the API answers it. {@code wrappedKey} and {@code download} only for {@code GET /documents/{id}};
 * {@code sharedWith} only for the owner.
 */
public record DocumentView(UUID id, String name, String contentType, long size, String sha256, String owner,
                           String organization, String role,
                           String status, Encryption encryption, Instant createdAt, Instant completedAt,
                           List<String> sharedWith, String wrappedKey, Download download) {

    /** How the ciphertext is made: the format, its chunk size and the stored size. */
    public record Encryption(String format, int chunkSize, long encryptedSize, String keyWrap) {
    }

    /** A presigned GET of the ciphertext: valid until {@code expiresAt}, for this one object only. */
    public record Download(URI url, Instant expiresAt) {
    }

    static DocumentView of(SharedDocument d, String caller, List<String> sharedWith, String wrappedKey, Download download) {
        boolean owner = d.owner().equals(caller);
        return new DocumentView(d.id(), d.name(), d.contentType(), d.size(), d.sha256(), d.owner(), d.organization(),
                owner ? "owner" : "grantee",
                d.status(), new Encryption(d.encryption(), d.chunkSize(), d.encryptedSize(), DocumentUploads.KEY_WRAP),
                d.createdAt(), d.completedAt(), owner ? sharedWith : null, wrappedKey, download);
    }
}
