package io.bytekeep.atrest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The middlewares a deployment can read with (every configured one, so objects written before a change of
 * middleware stay readable) and the one that writes.
 */
public final class EncryptionMiddlewares {

    private final Map<String, EncryptionMiddleware> byName = new LinkedHashMap<>();
    private final EncryptionMiddleware writer;

    public EncryptionMiddlewares(List<EncryptionMiddleware> readers, String writerName) {
        readers.forEach(middleware -> byName.put(middleware.name(), middleware));
        this.writer = byName.get(writerName);
        if (writer == null) {
            throw new IllegalArgumentException("encryption middleware " + writerName + " is not configured (configured: "
                    + byName.keySet() + ")");
        }
    }

    public EncryptionMiddleware writer() {
        return writer;
    }

    /** The writer of each organisation that has its own, by middleware name; a name without keys is an error. */
    public Map<String, EncryptionMiddleware> writersByOrganization(Map<String, String> namesByOrganization) {
        Map<String, EncryptionMiddleware> writers = new LinkedHashMap<>();
        namesByOrganization.forEach((organization, name) -> {
            EncryptionMiddleware middleware = byName.get(name);
            if (middleware == null) {
                throw new IllegalArgumentException("organisation " + organization + " is to be encrypted with " + name
                        + ", which is not configured (configured: " + byName.keySet() + ")");
            }
            writers.put(organization, middleware);
        });
        return writers;
    }

    public Map<String, EncryptionMiddleware> byName() {
        return Map.copyOf(byName);
    }
}
