package io.bytekeep.atrest;

import java.io.IOException;
import java.io.InputStream;

import io.bytekeep.platform.ContentSource;

/**
 * Turns plain bytes into their stored form and back (Bytes' FileMiddleware). The stored object's row records the
 * middleware {@link #name()} and the {@link KeyRecord} of {@link #encode}, so readers can pick the right one later.
 */
public interface EncryptionMiddleware {

    String name();

    Encoded encode(ContentSource plain) throws IOException;

    /**
     * The plain bytes of {@code stored}. Every byte the stream hands out is authenticated; a failure (including a
     * missing end) is a {@link DecryptionRefused}, at the latest when the stream reaches its end.
     */
    InputStream decode(InputStream stored, KeyRecord key) throws IOException;
}
