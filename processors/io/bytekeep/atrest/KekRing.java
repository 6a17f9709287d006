package io.bytekeep.atrest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESWrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The key-encryption keys (KEKs) of a deployment, by id. The writer wraps new data keys; every KEK unwraps.
 * Wrapping is AES key wrap (RFC 3394): a 32-byte data key becomes 40 bytes with an integrity check, so a wrong KEK
 * is detected before the data key is used.
 */
public final class KekRing {

    private final Map<String, byte[]> keks;
    private final String writerId;

    /** {@code keks} in configuration order; {@code writerId} null = the last one (the newest). */
    public KekRing(Map<String, byte[]> keks, String writerId) {
        if (keks.isEmpty()) {
            throw new IllegalArgumentException("configure at least one KEK");
        }
        Map<String, byte[]> copy = new LinkedHashMap<>();
        keks.forEach((id, key) -> {
            if (key.length != 32) {
                throw new IllegalArgumentException("KEK " + id + " must be 32 bytes (256 bits), was " + key.length);
            }
            copy.put(id, key.clone());
        });
        this.keks = copy;
        this.writerId = writerId != null ? writerId : copy.keySet().stream().reduce((a, b) -> b).orElseThrow();
        if (!copy.containsKey(this.writerId)) {
            throw new IllegalArgumentException("the writer KEK " + writerId + " is not among the configured KEKs " + copy.keySet());
        }
    }

    public String writerId() {
        return writerId;
    }

    public Set<String> ids() {
        return keks.keySet();
    }

    public KeyRecord wrap(byte[] dataKey) {
        AESWrapEngine engine = new AESWrapEngine();
        engine.init(true, new KeyParameter(keks.get(writerId)));
        return new KeyRecord(writerId, engine.wrap(dataKey, 0, dataKey.length));
    }

    public byte[] unwrap(KeyRecord key) throws DecryptionRefused {
        byte[] kek = key.keyId() == null ? null : keks.get(key.keyId());
        if (kek == null) {
            throw new DecryptionRefused("data key wrapped by KEK " + key.keyId() + ", which is not configured (known: " + keks.keySet() + ")");
        }
        if (key.wrappedKey() == null) {
            throw new DecryptionRefused("no wrapped data key recorded");
        }
        AESWrapEngine engine = new AESWrapEngine();
        engine.init(false, new KeyParameter(kek));
        try {
            return engine.unwrap(key.wrappedKey(), 0, key.wrappedKey().length);
        } catch (InvalidCipherTextException e) {
            throw new DecryptionRefused("the wrapped data key does not unwrap with KEK " + key.keyId() + " (wrong key or changed record)");
        }
    }

    /** The same data key, wrapped by the writer KEK; the object's bytes stay as they are. */
    public KeyRecord rewrap(KeyRecord key) throws DecryptionRefused {
        byte[] dataKey = unwrap(key);
        try {
            return wrap(dataKey);
        } finally {
            java.util.Arrays.fill(dataKey, (byte) 0);
        }
    }
}
