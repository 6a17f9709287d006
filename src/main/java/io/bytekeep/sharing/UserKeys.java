package io.bytekeep.sharing;

import java.util.Base64;

import org.apache.camel.Exchange;

import io.bytekeep.platform.Problem;
import io.bytekeep.platform.security.Caller;
import io.bytekeep.platform.web.JsonBody;
import io.bytekeep.platform.web.QueryParams;

/** {@code PUT /users/me/key} and {@code GET /users/{name}/key}: the X25519 public keys document keys are wrapped for. */
public class UserKeys {

    /** A user's public key, raw 32 bytes in base64. */
    public record UserKey(String username, String publicKey) {
    }

    private final JsonBody body;
    private final SharingStore store;

    UserKeys(JsonBody body, SharingStore store) {
        this.body = body;
        this.store = store;
    }

    public UserKey register(Exchange exchange) throws Exception {
        UserKey request = body.read(exchange, UserKey.class);
        byte[] key;
        try {
            key = DocumentKeyWrap.decodePublicKey(request.publicKey());
        } catch (IllegalArgumentException e) {
            throw Problem.unprocessable("public_key: " + e.getMessage());
        }
        String username = Caller.of(exchange).username();
        String canonical = Base64.getEncoder().encodeToString(key);
        store.putUserKey(username, canonical);
        return new UserKey(username, canonical);
    }

    public UserKey find(Exchange exchange) {
        String name = new QueryParams(exchange.getIn()).string("name");
        String username = "me".equals(name) ? Caller.of(exchange).username() : name;
        return store.userKey(username).map(key -> new UserKey(username, key))
                .orElseThrow(() -> Problem.notFound("User " + username + " has no registered public key"));
    }

}
