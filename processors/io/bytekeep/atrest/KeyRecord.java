package io.bytekeep.atrest;

/**
 * Which key wrote an object, as its database row records it (never the object store): the key id and, for envelope
 * encryption, the data key wrapped by that key. Both are {@code null} for a middleware without keys.
 */
public record KeyRecord(String keyId, byte[] wrappedKey) {

    public static final KeyRecord NONE = new KeyRecord(null, null);
}
