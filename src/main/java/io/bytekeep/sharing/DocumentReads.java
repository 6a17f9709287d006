package io.bytekeep.sharing;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.camel.Exchange;

import io.bytekeep.platform.security.Caller;
import io.bytekeep.platform.Problem;
import io.bytekeep.platform.web.QueryParams;

/**
 * {@code GET /documents} and {@code GET /documents/{id}}: only the owner and grantees see a document (anyone else
 * gets 404, as if it did not exist); the single-document answer carries the caller's wrapped key and a presigned
 * GET of the ciphertext (unless {@code ?download=false}), and every such answer is an audited download.
 */
public class DocumentReads {

    private final SharingStore store;
    private final DocumentObjects objects;
    private final Duration urlTtl;
    private final Clock clock;

    DocumentReads(SharingStore store, DocumentObjects objects, Duration urlTtl, Clock clock) {
        this.store = store;
        this.objects = objects;
        this.urlTtl = urlTtl;
        this.clock = clock;
    }

    public List<DocumentView> list(Exchange exchange) {
        String caller = Caller.of(exchange).username();
        return store.visibleTo(caller).stream()
                .map(d -> DocumentView.of(d, caller, d.owner().equals(caller) ? store.grantees(d) : null, null, null))
                .toList();
    }

    public DocumentView download(Exchange exchange) {
        String caller = Caller.of(exchange).username();
        SharingStore.Access access = access(store, exchange, caller);
        SharedDocument d = access.document();
        requireAvailable(d);
        // ?download=false: metadata and wrapped key only (the owner's client re-wrapping the key for a share)
        if (Boolean.FALSE.equals(new QueryParams(exchange.getIn()).bool("download"))) {
            return DocumentView.of(d, caller, d.owner().equals(caller) ? store.grantees(d) : null, access.wrappedKey(), null);
        }
        DocumentView.Download download = new DocumentView.Download(objects.presignGet(d.objectKey(), urlTtl),
                clock.instant().plus(urlTtl));
        store.downloadIssued(d.id(), caller);
        return DocumentView.of(d, caller, d.owner().equals(caller) ? store.grantees(d) : null, access.wrappedKey(), download);
    }

    /** 409 for a document whose upload is not complete, or was abandoned and is being removed. */
    static void requireAvailable(SharedDocument d) {
        if (!d.available()) {
            throw new Problem(409, "Conflict", "Document " + d.id() + (d.uploading() ? " is still being uploaded"
                    : " was not completed in time and is being removed"));
        }
    }

    static SharingStore.Access access(SharingStore store, Exchange exchange, String caller) {
        UUID id = new QueryParams(exchange.getIn()).requiredUuid("id");
        return store.access(id, caller).orElseThrow(() -> Problem.notFound("Document " + id + " not found"));
    }
}
