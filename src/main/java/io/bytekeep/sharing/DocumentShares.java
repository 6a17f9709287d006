package io.bytekeep.sharing;

import java.util.UUID;

import org.apache.camel.Exchange;

import io.bytekeep.platform.security.Caller;
import io.bytekeep.platform.Problem;
import io.bytekeep.platform.web.JsonBody;
import io.bytekeep.platform.web.QueryParams;

/**
 * {@code POST /documents/{id}/shares} and {@code DELETE /documents/{id}/shares/{user}}: the owner grants a user the
 * document key its client re-wrapped for that user's public key, or takes the grant away. Grantees see the
 * document but cannot share it (403); users of another organisation than the document's are refused (403) unless
 * sharing is cross-organisation ({@link SharingOrganizations}).
 */
public class DocumentShares {

    public record ShareRequest(String user, String wrappedKey) {
    }

    public record Share(UUID documentId, String user, String action) {
    }

    private final JsonBody body;
    private final SharingStore store;
    private final SharingOrganizations organizations;

    DocumentShares(JsonBody body, SharingStore store, SharingOrganizations organizations) {
        this.body = body;
        this.store = store;
        this.organizations = organizations;
    }

    public Share grant(Exchange exchange) throws Exception {
        String caller = Caller.of(exchange).username();
        SharedDocument d = owned(exchange, caller);
        ShareRequest request = body.read(exchange, ShareRequest.class);
        if (request.user() == null || request.user().isBlank()) {
            throw Problem.unprocessable("user: the name of the user to share with");
        }
        if (request.user().equals(d.owner())) {
            throw Problem.unprocessable("user: " + request.user() + " owns the document");
        }
        if (store.userKey(request.user()).isEmpty()) {
            throw Problem.unprocessable("user: " + request.user() + " has no registered public key (bytekeep keys init)");
        }
        organizations.requireMayShare(d, request.user());
        try {
            DocumentKeyWrap.requireWellFormed(request.wrappedKey());
        } catch (IllegalArgumentException e) {
            throw Problem.unprocessable("wrapped_key: " + e.getMessage());
        }
        DocumentReads.requireAvailable(d);
        store.grant(d.id(), request.user(), request.wrappedKey(), caller);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        return new Share(d.id(), request.user(), "granted");
    }

    public Share revoke(Exchange exchange) {
        String caller = Caller.of(exchange).username();
        SharedDocument d = owned(exchange, caller);
        String user = new QueryParams(exchange.getIn()).string("user");
        if (user == null || user.equals(d.owner())) {
            throw Problem.unprocessable("user: a grantee of the document, not its owner");
        }
        if (!store.revoke(d.id(), user, caller)) {
            throw Problem.notFound("Document " + d.id() + " is not shared with " + user);
        }
        return new Share(d.id(), user, "revoked");
    }

    private SharedDocument owned(Exchange exchange, String caller) {
        SharedDocument d = DocumentReads.access(store, exchange, caller).document();
        if (!d.owner().equals(caller)) {
            throw Problem.forbidden("Only the owner of document " + d.id() + " shares it");
        }
        return d;
    }
}
