package io.bytekeep.custody;

import java.io.IOException;
import java.io.InputStream;

import io.bytekeep.vault.ContentSource;

/**
 * Turns plain bytes into their stored form and back (Bytes' FileMiddleware). The stored object records the
 * middleware {@link #name()} and {@link #keyId()} that wrote it, so readers can pick the right one later.
 */
public interface EncryptionMiddleware {

    String name();

    /** Id of the key that new objects are written with; {@code null} when the middleware has no key. */
    String keyId();

    ContentSource encode(ContentSource plain) throws IOException;

    InputStream decode(InputStream stored, String keyId) throws IOException;
}
