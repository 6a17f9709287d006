package io.bytekeep.vault;

/** A raw file's metadata together with where and how its bytes are stored. */
public record StoredRaw(RawDataMeta meta, String storageKey, long size, String encryption, String keyId) {

    public static final String EXCHANGE_PROPERTY = "bytekeep.storedRaw";
}
