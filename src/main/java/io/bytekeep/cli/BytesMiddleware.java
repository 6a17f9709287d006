package io.bytekeep.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import io.bytekeep.custody.EncryptionMiddleware;
import io.bytekeep.custody.IdentityMiddleware;
import io.bytekeep.custody.KeyRecord;

/**
 * Bytes' file middleware (bytes/bytes/raw/middleware.py at cae5e26) with Bytekeep's implementation of it: the stored
 * form of a raw file to its bytes. {@code overhead}: how many bytes longer the stored form is.
 */
record BytesMiddleware(EncryptionMiddleware middleware, KeyRecord key, int overhead) {

    static BytesMiddleware of(BytesSettings settings, Path spoolDirectory) {
        if (settings.middleware().equals(BytesSettings.IDENTITY)) {
            return new BytesMiddleware(new IdentityMiddleware(), KeyRecord.NONE, 0);
        }
        throw new IllegalArgumentException("unsupported middleware " + settings.middleware());
    }

    /** The plain bytes; a {@link io.bytekeep.custody.DecryptionRefused} when they do not open. */
    InputStream decode(InputStream stored) throws IOException {
        return middleware.decode(stored, key);
    }

    long plainSize(long storedSize) {
        return storedSize - overhead;
    }
}
