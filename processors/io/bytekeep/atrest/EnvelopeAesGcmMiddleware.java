package io.bytekeep.atrest;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;

import io.bytekeep.platform.ContentSource;

/**
 * ENVELOPE_AES_GCM: a fresh 256-bit data key per object encrypts it in chunks ({@link ChunkedAeadFormat}), streamed
 * with constant memory both ways; the data key, wrapped by the writer KEK ({@link KekRing}), goes to the database
 * row with the KEK id and never to the object store.
 */
public final class EnvelopeAesGcmMiddleware implements EncryptionMiddleware {

    public static final String NAME = "ENVELOPE_AES_GCM";

    private final KekRing keks;
    private final int chunkSize;
    private final SecureRandom random;

    public EnvelopeAesGcmMiddleware(KekRing keks, int chunkSize, SecureRandom random) {
        ChunkedAeadFormat.requireChunkSize(chunkSize);
        this.keks = keks;
        this.chunkSize = chunkSize;
        this.random = random;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Encoded encode(ContentSource plain) {
        byte[] dataKey = new byte[ChunkedAeadFormat.KEY_BYTES];
        random.nextBytes(dataKey);
        ChunkedAeadFormat.Header header = ChunkedAeadFormat.newHeader(chunkSize, random);
        ContentSource stored = new ContentSource() {
            @Override
            public InputStream open() throws IOException {
                return ChunkedAeadFormat.encrypt(plain.open(), dataKey, header);
            }

            @Override
            public long size() {
                return ChunkedAeadFormat.storedSize(plain.size(), chunkSize);
            }
        };
        return new Encoded(stored, keks.wrap(dataKey));
    }

    @Override
    public InputStream decode(InputStream stored, KeyRecord key) throws IOException {
        return ChunkedAeadFormat.decrypt(stored, keks.unwrap(key));
    }
}
