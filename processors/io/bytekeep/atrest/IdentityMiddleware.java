package io.bytekeep.atrest;

import java.io.InputStream;

import io.bytekeep.platform.ContentSource;

/** Bytes' IDENTITY middleware: stores the bytes as they are. */
public final class IdentityMiddleware implements EncryptionMiddleware {

    public static final String NAME = "IDENTITY";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Encoded encode(ContentSource plain) {
        return new Encoded(plain, KeyRecord.NONE);
    }

    @Override
    public InputStream decode(InputStream stored, KeyRecord key) {
        return stored;
    }
}
