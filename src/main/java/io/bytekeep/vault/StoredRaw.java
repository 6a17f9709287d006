package io.bytekeep.vault;

import io.bytekeep.custody.KeyRecord;

/** A raw file's metadata together with where and how its bytes are stored (middleware, key id, wrapped data key). */
public record StoredRaw(RawDataMeta meta, String storageKey, long size, String encryption, KeyRecord key) {

    public static final String EXCHANGE_PROPERTY = "bytekeep.storedRaw";
}
