package io.bytekeep.vault;

import io.bytekeep.atrest.KeyRecord;
import io.bytekeep.platform.ExchangeProperties;

/**
 * A raw file's metadata together with where and how its bytes are stored (bucket, object key, and for a file in a pack
 * the offset of its {@code storedSize} bytes; middleware, key id, wrapped data key).
 */
public record StoredRaw(RawDataMeta meta, String storageBucket, String storageKey, Long storedOffset, long storedSize,
                        long size, String encryption, KeyRecord key) {

    public StoredRaw withMeta(RawDataMeta completed) {
        return new StoredRaw(completed, storageBucket, storageKey, storedOffset, storedSize, size, encryption, key);
    }

    /** Whether the file's bytes are a range of a pack rather than a whole object. */
    public boolean packed() {
        return storedOffset != null;
    }

    /** The last byte of the file's range in its pack (an S3 range end is inclusive). */
    public long storedEnd() {
        return storedOffset + storedSize - 1;
    }

}
