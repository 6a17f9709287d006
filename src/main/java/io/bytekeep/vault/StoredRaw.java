package io.bytekeep.vault;

/** A raw file's metadata together with where and how its bytes are stored. */
public record StoredRaw(RawDataMeta meta, String storageBucket, String storageKey, long size, String encryption, String keyId) {

    public StoredRaw withMeta(RawDataMeta completed) {
        return new StoredRaw(completed, storageBucket, storageKey, size, encryption, keyId);
    }

    public static final String EXCHANGE_PROPERTY = "bytekeep.storedRaw";
}
