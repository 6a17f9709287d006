package io.bytekeep.custody;

import java.io.InputStream;

import io.bytekeep.vault.ContentSource;

/** Bytes' IDENTITY middleware: stores the bytes as they are. */
public final class IdentityMiddleware implements EncryptionMiddleware {

    public static final String NAME = "IDENTITY";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String keyId() {
        return null;
    }

    @Override
    public ContentSource encode(ContentSource plain) {
        return plain;
    }

    @Override
    public InputStream decode(InputStream stored, String keyId) {
        return stored;
    }
}
