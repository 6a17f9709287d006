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

import io.bytekeep.platform.storage.ListingPosition;
import io.bytekeep.platform.storage.ResumableListing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Takes away uploads nobody completed (routes/sharing-abandoned-sweep.camel.yaml). A document still uploading
 * {@code abandonedAfter} after it was declared is claimed (status ABANDONED: complete refuses it from then on), its
 * S3 multipart upload aborted (the parts are deleted) or its partial object deleted, and then it is removed with an
 * {@code UPLOAD_ABANDONED} audit event. When S3 fails, the claimed document stays and the next sweep tries again.
 * Then what S3 holds under documents/ without a row: multipart uploads older than the same age (a declaration whose
 * insert failed), and objects older than {@code orphanMinAge}, the lifetime of upload URLs (a PUT to the URL of a
 * document deleted or swept meanwhile: once the URL has expired nothing can write the object again). The objects are
 * listed {@code maxObjectsPerSweep} at a time, each sweep going on where the last stopped (that place kept in the
 * database: across restarts, and shared by instances), and looked up one page of keys per query. Idempotent: several
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
    private final ResumableListing listing;
    private final Duration abandonedAfter;
    private final Duration orphanMinAge;
    private final Clock clock;
    private final Counter abortedTotal;
    private final Counter deletedTotal;

    public AbandonedUploadSweeper(SharingStore store, DocumentObjects objects, Duration abandonedAfter, Duration orphanMinAge,
                                  int maxObjectsPerSweep, ListingPosition position, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.objects = objects;
        this.listing = objects.listing(PREFIX, maxObjectsPerSweep, position);
        this.abandonedAfter = abandonedAfter;
        this.orphanMinAge = orphanMinAge;
        this.clock = clock;
        this.abortedTotal = Counter.builder("bytekeep.sharing.orphan.aborted")
                .description("Multipart uploads in the documents bucket without a document, aborted").register(meters);
        this.deletedTotal = Counter.builder("bytekeep.sharing.orphan.deleted")
                .description("Objects in the documents bucket without a document, deleted").register(meters);
    }

    public Swept sweep() {
        Instant now = clock.instant();
        Instant abandoned = now.minus(abandonedAfter);
        return new Swept(abandonedDocuments(abandoned), uploadsWithoutDocument(abandoned),
                objectsWithoutDocument(now.minus(orphanMinAge)));
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
        for (List<MultipartUpload> page : objects.multipartUploadPages(PREFIX)) {
            List<MultipartUpload> old = page.stream()
                    .filter(upload -> upload.initiated() != null && upload.initiated().isBefore(cutoff)).toList();
            Set<String> held = store.heldUploads(old.stream().map(MultipartUpload::uploadId).toList());
            for (MultipartUpload upload : old) {
                if (!held.contains(upload.uploadId())) {
                    objects.abortMultipart(upload.key(), upload.uploadId());
                    aborted++;
                    abortedTotal.increment();
                    LOG.warn("Aborted multipart upload of {} (started {}): no document holds it", upload.key(), upload.initiated());
                }
            }
        }
        return aborted;
    }

    private int objectsWithoutDocument(Instant cutoff) {
        return listing.walk((prefix, page) -> deleteWithoutDocument(page, cutoff)).stream().mapToInt(Integer::intValue).sum();
    }

    /** Deletes the objects of one page that are older than {@code cutoff} and have no document: one query. */
    private int deleteWithoutDocument(List<S3Object> page, Instant cutoff) {
        int deleted = 0;
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
                deletedTotal.increment();
                LOG.warn("Deleted object {} ({} bytes, written {}): no document holds it (a PUT to the upload URL of a "
                        + "document deleted or swept meanwhile)", entry.getValue().key(), entry.getValue().size(),
                        entry.getValue().lastModified());
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
