package io.bytekeep.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import io.bytekeep.atrest.EncryptionMiddleware;
import io.bytekeep.atrest.IdentityMiddleware;
import io.bytekeep.atrest.KeyRecord;
import io.bytekeep.atrest.NaclBoxMiddleware;
import io.bytekeep.client.ClientException;

/**
 * Bytes' file middleware (bytes/bytes/raw/middleware.py at cae5e26) with Bytekeep's implementation of it: the stored
 * form of a raw file to its bytes. {@code overhead}: how many bytes longer the stored form is.
 */
record BytesMiddleware(EncryptionMiddleware middleware, KeyRecord key, int overhead) {

    /** Bytes' NaclBoxMiddleware: a 24-byte nonce and a 16-byte MAC before the ciphertext. */
    private static final int NACL_BOX_OVERHEAD = 24 + 16;

    static BytesMiddleware of(BytesSettings settings, Path spoolDirectory) throws ClientException {
        if (settings.middleware().equals(BytesSettings.IDENTITY)) {
            return new BytesMiddleware(new IdentityMiddleware(), KeyRecord.NONE, 0);
        }
        NaclBoxMiddleware box;
        try {
            box = new NaclBoxMiddleware(base64(settings.privateKeyB64(), "BYTES_PRIVATE_KEY_B64"),
                    base64(settings.publicKeyB64(), "BYTES_PUBLIC_KEY_B64"), spoolDirectory, new SecureRandom());
        } catch (IllegalArgumentException e) {
            throw new ClientException(ClientException.BAD_INPUT, e.getMessage(), e);
        }
        return new BytesMiddleware(box, new KeyRecord(box.keyId(), null), NACL_BOX_OVERHEAD);
    }

    private static byte[] base64(String value, String name) throws ClientException {
        try {
            return Base64.getDecoder().decode(value.strip());
        } catch (IllegalArgumentException e) {
            throw new ClientException(ClientException.BAD_INPUT, name + " is not base64");
        }
    }

    /** The plain bytes; a {@link io.bytekeep.atrest.DecryptionRefused} when they do not open. */
    InputStream decode(InputStream stored) throws IOException {
        return middleware.decode(stored, key);
    }

    /** The length of the plain bytes (a stored form shorter than the overhead does not open anyway). */
    long plainSize(long storedSize) {
        return Math.max(0, storedSize - overhead);
    }
}
