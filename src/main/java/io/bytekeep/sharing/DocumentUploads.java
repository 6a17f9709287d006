package io.bytekeep.sharing;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.apache.camel.Exchange;

import io.bytekeep.atrest.ChunkedAeadFormat;
import io.bytekeep.platform.Problem;
import io.bytekeep.platform.security.Caller;
import io.bytekeep.platform.web.JsonBody;
import io.bytekeep.platform.web.QueryParams;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code POST /documents} and {@code POST /documents/{id}/complete}: the owner's client declares an encrypted
 * document and gets presigned PUT URLs (one per part above the part size), uploads the ciphertext straight to S3,
 * then completes; complete checks the parts and the stored size before the document becomes available.
 */
public class DocumentUploads {

    /** The stored format: {@link ChunkedAeadFormat} (the Vault's ENVELOPE_AES_GCM chunks) under a client-made key. */
    public static final String FORMAT = "BKEG-AES-256-GCM-STREAM";
    /** How document keys are wrapped for users: {@link DocumentKeyWrap}. */
    public static final String KEY_WRAP = "X25519-HKDF-SHA256-A256GCM";

    public record CreateRequest(String name, Long size, String contentType, String sha256, String encryption,
                                Integer chunkSize, Long encryptedSize, String wrappedKey, String organization) {
    }

    public record CompleteRequest(List<Part> parts) {
    }

    public record Part(Integer number, String etag) {
    }

    /** What the client needs to upload: the id and one presigned PUT per part (one in all for a single PUT). */
    public record UploadPlan(UUID id, boolean multipart, long partSize, List<PartUrl> parts, Instant expiresAt) {
    }

    public record PartUrl(int number, long offset, long length, URI url) {
    }

    private final JsonBody body;
    private final SharingStore store;
    private final DocumentObjects objects;
    private final SharingProperties properties;
    private final SharingOrganizations organizations;
    private final Clock clock;

    DocumentUploads(JsonBody body, SharingStore store, DocumentObjects objects, SharingProperties properties,
                    SharingOrganizations organizations, Clock clock) {
        this.body = body;
        this.store = store;
        this.objects = objects;
        this.properties = properties;
        this.organizations = organizations;
        this.clock = clock;
    }

    public UploadPlan create(Exchange exchange) throws Exception {
        CreateRequest request = body.read(exchange, CreateRequest.class);
        validate(request);
        Caller owner = Caller.of(exchange);
        String organization = organizations.forNewDocument(owner, request.organization());
        UUID id = UUID.randomUUID();
        String key = "documents/" + id;
        long encryptedSize = request.encryptedSize();
        long partSize = partSize(encryptedSize);
        boolean multipart = encryptedSize > partSize;
        int partCount = multipart ? (int) ((encryptedSize + partSize - 1) / partSize) : 1;
        Duration ttl = properties.uploadUrlTtl();
        String uploadId = multipart ? objects.startMultipart(key) : null;
        List<URI> urls = multipart ? objects.presignParts(key, uploadId, partCount, ttl) : List.of(objects.presignPut(key, ttl));
        Instant now = clock.instant();
        try {
            store.create(new SharedDocument(id, owner.username(), organization, request.name(),
                    request.contentType() == null ? "application/octet-stream" : request.contentType(), request.size(),
                    request.sha256().toLowerCase(Locale.ROOT), FORMAT, request.chunkSize(), encryptedSize, key, uploadId,
                    multipart ? partSize : encryptedSize, partCount, SharedDocument.UPLOADING, now, null), request.wrappedKey());
        } catch (RuntimeException e) {
            if (uploadId != null) {
                abortQuietly(key, uploadId, e); // no row, no upload (else the sweep finds it a day later)
            }
            throw e;
        }
        List<PartUrl> parts = new ArrayList<>();
        for (int i = 0; i < partCount; i++) {
            long offset = multipart ? i * partSize : 0;
            parts.add(new PartUrl(i + 1, offset, multipart ? Math.min(partSize, encryptedSize - offset) : encryptedSize, urls.get(i)));
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        return new UploadPlan(id, multipart, multipart ? partSize : encryptedSize, parts, now.plus(ttl));
    }

    /**
     * Completes the upload. A part that is missing from the request or was never uploaded: 422, and the multipart
     * upload stays open, so the client can upload the part again and complete again (while its URLs are valid).
     * A stored size other than the declared one: 422, the object is deleted and the document stays incomplete.
     */
    public DocumentView complete(Exchange exchange) throws Exception {
        UUID id = new QueryParams(exchange.getIn()).requiredUuid("id");
        String caller = Caller.of(exchange).username();
        SharedDocument d = store.find(id).filter(found -> found.owner().equals(caller))
                .orElseThrow(() -> Problem.notFound("Document " + id + " not found"));
        if (d.available()) {
            throw new Problem(409, "Conflict", "Document " + id + " is already complete");
        }
        if (!d.uploading()) {
            throw new Problem(409, "Conflict", "Document " + id + " was not completed in time and is being removed; "
                    + "create it again");
        }
        CompleteRequest request = body.read(exchange, CompleteRequest.class);
        if (d.multipart()) {
            try {
                objects.completeMultipart(d.objectKey(), d.uploadId(), completedParts(d, request));
            } catch (S3Exception e) {
                throw Problem.unprocessable("S3 refused to complete the upload (" + e.awsErrorDetails().errorCode()
                        + "): upload every part and complete again");
            }
        }
        long stored = objects.size(d.objectKey())
                .orElseThrow(() -> Problem.unprocessable("The ciphertext of document " + id + " was not uploaded"));
        if (stored != d.encryptedSize()) {
            objects.delete(d.objectKey());
            throw Problem.unprocessable("The stored ciphertext is " + stored + " bytes, " + d.encryptedSize()
                    + " were declared; it was deleted, create the document again");
        }
        if (!store.complete(d, caller)) {
            SharedDocument now = store.find(id).orElseThrow(() -> Problem.notFound("Document " + id + " was deleted"));
            throw new Problem(409, "Conflict", "Document " + id + (now.available() ? " is already complete"
                    : " was not completed in time and is being removed; create it again"));
        }
        SharedDocument completed = store.find(id).orElseThrow();
        return DocumentView.of(completed, caller, List.of(), null, null);
    }

    private void abortQuietly(String key, String uploadId, RuntimeException failure) {
        try {
            objects.abortMultipart(key, uploadId);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static List<CompletedPart> completedParts(SharedDocument d, CompleteRequest request) {
        List<Part> given = request.parts() == null ? List.of() : request.parts();
        String[] etags = new String[d.partCount()];
        for (Part part : given) {
            if (part == null || part.number() == null || part.number() < 1 || part.number() > d.partCount()
                    || part.etag() == null || part.etag().isBlank()) {
                throw Problem.unprocessable("parts: each part needs a number 1.." + d.partCount() + " and the etag S3 answered");
            }
            etags[part.number() - 1] = part.etag();
        }
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < etags.length; i++) {
            if (etags[i] == null) {
                throw Problem.unprocessable("part " + (i + 1) + " of " + d.partCount() + " is missing: upload it and complete again");
            }
            parts.add(CompletedPart.builder().partNumber(i + 1).eTag(etags[i]).build());
        }
        return parts;
    }

    /** The configured part size, larger when the document would need more than S3's 10 000 parts. */
    private long partSize(long encryptedSize) {
        long configured = properties.partSize().toBytes();
        long least = (encryptedSize + SharingProperties.MAX_PARTS - 1) / SharingProperties.MAX_PARTS;
        return Math.max(configured, least);
    }

    private void validate(CreateRequest r) {
        if (r.name() == null || r.name().isBlank() || r.name().length() > 1024) {
            throw Problem.unprocessable("name: 1 to 1024 characters");
        }
        if (r.size() == null || r.size() < 0) {
            throw Problem.unprocessable("size: the plaintext's size in bytes");
        }
        if (r.sha256() == null || !r.sha256().matches("[0-9a-fA-F]{64}")) {
            throw Problem.unprocessable("sha256: the plaintext's SHA-256, 64 hex digits");
        }
        if (r.contentType() != null && r.contentType().length() > 256) {
            throw Problem.unprocessable("content_type: at most 256 characters");
        }
        if (r.encryption() != null && !FORMAT.equals(r.encryption())) {
            throw Problem.unprocessable("encryption: only " + FORMAT + " is supported");
        }
        if (r.chunkSize() == null || r.chunkSize() < ChunkedAeadFormat.MIN_CHUNK || r.chunkSize() > ChunkedAeadFormat.MAX_CHUNK) {
            throw Problem.unprocessable("chunk_size: " + ChunkedAeadFormat.MIN_CHUNK + ".." + ChunkedAeadFormat.MAX_CHUNK);
        }
        // before the stored size is computed from it: near Long.MAX_VALUE that overflows
        long max = properties.maxDocumentSize().toBytes();
        if (r.size() > max || (r.encryptedSize() != null && r.encryptedSize() > max)) {
            throw Problem.payloadTooLarge("size, encrypted_size: a document and its ciphertext may be at most " + max
                    + " bytes (bytekeep.sharing.max-document-size), declared " + r.size() + " and " + r.encryptedSize());
        }
        if (r.encryptedSize() == null || r.encryptedSize() != ChunkedAeadFormat.storedSize(r.size(), r.chunkSize())) {
            throw Problem.unprocessable("encrypted_size: must be " + ChunkedAeadFormat.storedSize(r.size(), r.chunkSize())
                    + " for size " + r.size() + " in chunks of " + r.chunkSize());
        }
        try {
            DocumentKeyWrap.requireWellFormed(r.wrappedKey());
        } catch (IllegalArgumentException e) {
            throw Problem.unprocessable("wrapped_key: " + e.getMessage());
        }
    }
}
