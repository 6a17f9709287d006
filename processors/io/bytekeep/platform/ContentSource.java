package io.bytekeep.platform;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Bytes that can be read more than once (hash, encrypt, upload) without holding a large file in memory. */
public interface ContentSource {

    InputStream open() throws IOException;

    long size();

    static ContentSource of(byte[] bytes) {
        return new ContentSource() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public long size() {
                return bytes.length;
            }
        };
    }
}
