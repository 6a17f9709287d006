package io.bytekeep.vault;

import io.bytekeep.custody.KeyRecord;

/** A raw file's metadata together with where and how its bytes are stored (bucket, middleware, key id, wrapped data key). */
public record StoredRaw(RawDataMeta meta, String storageBucket, String storageKey, long size, String encryption, KeyRecord key) {

    public StoredRaw withMeta(RawDataMeta completed) {
        return new StoredRaw(completed, storageBucket, storageKey, size, encryption, key);
    }

    public static final String EXCHANGE_PROPERTY = "bytekeep.storedRaw";
}
