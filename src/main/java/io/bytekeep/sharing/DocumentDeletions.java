package io.bytekeep.sharing;

import java.util.UUID;

import org.apache.camel.Exchange;

import io.bytekeep.platform.security.Caller;
import io.bytekeep.platform.Problem;
import io.bytekeep.platform.web.QueryParams;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code DELETE /documents/{id}}: the owner deletes a document, finished or not. S3 first (the open multipart
 * upload is aborted, the object deleted), then the row and its grants with an audit event in one transaction. When
 * S3 does not confirm, the answer is 503 and the document stays as it was, so the deletion can be repeated; no
 * object is left without a row. Grantees and anyone else: 404, as for every document they cannot change.
 */
public class DocumentDeletions {

    public record Deletion(UUID documentId, String action) {
    }

    private final SharingStore store;
    private final DocumentObjects objects;

    DocumentDeletions(SharingStore store, DocumentObjects objects) {
        this.store = store;
        this.objects = objects;
    }

    public Deletion delete(Exchange exchange) {
        UUID id = new QueryParams(exchange.getIn()).requiredUuid("id");
        String caller = Caller.of(exchange).username();
        SharedDocument d = store.find(id).filter(found -> found.owner().equals(caller))
                .orElseThrow(() -> Problem.notFound("Document " + id + " not found"));
        try {
            objects.discard(d);
        } catch (SdkException e) {
            throw Problem.unavailable("Object storage did not confirm the deletion of the ciphertext of document " + id
                    + "; the document is kept, delete it again", e);
        }
        if (!store.remove(d, SharingStore.DELETED, caller, null)) {
            throw Problem.notFound("Document " + id + " not found");
        }
        return new Deletion(id, "deleted");
    }
}
