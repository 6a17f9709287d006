package io.bytekeep.sharing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Takes away uploads nobody completed (routes/sharing-abandoned-sweep.camel.yaml). A document still uploading
 * {@code abandonedAfter} after it was declared is claimed (status ABANDONED: complete refuses it from then on), its
 * S3 multipart upload aborted (the parts are deleted) or its partial object deleted, and then it is removed with an
 * {@code UPLOAD_ABANDONED} audit event. When S3 fails, the claimed document stays and the next sweep tries again.
 * Then what S3 holds under documents/ without a row, older than the same age: multipart uploads (a declaration
 * whose insert failed) and objects (a PUT to the URL of a document deleted meanwhile). Idempotent: several
 * instances may sweep at the same time; the removal is audited once.
 */
public class AbandonedUploadSweeper {

    /** The actor of the audit events: the server, not a user. */
    public static final String ACTOR = "bytekeep";

    private static final Logger LOG = LoggerFactory.getLogger(AbandonedUploadSweeper.class);
    private static final String PREFIX = "documents/";
    private static final int BATCH = 500;

    /** What one sweep removed: abandoned documents, multipart uploads and objects without a document. */
    public record Swept(int documents, int uploads, int objects) {
    }

    private final SharingStore store;
    private final DocumentObjects objects;
    private final Duration abandonedAfter;
    private final Clock clock;

    public AbandonedUploadSweeper(SharingStore store, DocumentObjects objects, Duration abandonedAfter, Clock clock) {
        this.store = store;
        this.objects = objects;
        this.abandonedAfter = abandonedAfter;
        this.clock = clock;
    }

    public Swept sweep() {
        Instant cutoff = clock.instant().minus(abandonedAfter);
        return new Swept(abandonedDocuments(cutoff), uploadsWithoutDocument(cutoff), objectsWithoutDocument(cutoff));
    }

    private int abandonedDocuments(Instant cutoff) {
        int removed = 0;
        for (SharedDocument d : store.abandoned(cutoff, BATCH)) {
            if (!store.claimAbandoned(d.id())) {
                continue; // completed (or deleted) since it was read
            }
            try {
                objects.discard(d);
            } catch (SdkException e) {
                LOG.warn("Abandoned upload of document {} kept for the next sweep: object storage failed ({})", d.id(), e.toString());
                continue;
            }
            if (store.remove(d, SharingStore.ABANDONED, ACTOR, d.owner())) {
                removed++;
                LOG.info("Removed document {} of {}: declared {}, never completed", d.id(), d.owner(), d.createdAt());
            }
        }
        return removed;
    }

    private int uploadsWithoutDocument(Instant cutoff) {
        int aborted = 0;
        for (MultipartUpload upload : objects.multipartUploads(PREFIX)) {
            if (upload.initiated() != null && upload.initiated().isBefore(cutoff) && !store.holdsUpload(upload.uploadId())) {
                objects.abortMultipart(upload.key(), upload.uploadId());
                aborted++;
                LOG.warn("Aborted multipart upload of {} (started {}): no document holds it", upload.key(), upload.initiated());
            }
        }
        return aborted;
    }

    private int objectsWithoutDocument(Instant cutoff) {
        int deleted = 0;
        for (List<S3Object> page : objects.objectPages(PREFIX)) {
            Map<UUID, S3Object> old = new LinkedHashMap<>();
            for (S3Object object : page) {
                UUID id = documentId(object.key());
                if (id != null && object.lastModified().isBefore(cutoff)) {
                    old.put(id, object);
                }
            }
            Set<UUID> documents = store.existing(old.keySet());
            for (Map.Entry<UUID, S3Object> entry : old.entrySet()) {
                if (!documents.contains(entry.getKey())) {
                    objects.delete(entry.getValue().key());
                    deleted++;
                    LOG.warn("Deleted object {} ({} bytes, written {}): no document holds it", entry.getValue().key(),
                            entry.getValue().size(), entry.getValue().lastModified());
                }
            }
        }
        return deleted;
    }

    /** The id of documents/&lt;id&gt;; null for any other key (left alone). */
    private static UUID documentId(String key) {
        String rest = key.substring(PREFIX.length());
        try {
            UUID id = UUID.fromString(rest);
            return id.toString().equals(rest) ? id : null;
        } catch (IllegalArgumentException notADocumentKey) {
            return null;
        }
    }
}
