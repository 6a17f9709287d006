package io.bytekeep.vault;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import io.bytekeep.platform.Problem;

/**
 * Route step for {@code GET /admin/raw/{id}/storage}: where a raw file's stored bytes are and what opens them (its
 * object or range of a pack, its middleware, the id of its key and, for ENVELOPE_AES_GCM, the wrapped data key), so
 * that an administrator gets a file out with standard tools (docs/VERIFY.md) without a database shell, which the
 * embedded default's locked H2 file does not allow while the service runs. Never a key that opens anything by itself.
 */
public class RawStorageFacts implements Processor {

    private final RawStore store;
    private final String defaultBucket;

    public RawStorageFacts(RawStore store, String defaultBucket) {
        this.store = store;
        this.defaultBucket = defaultBucket;
    }

    @Override
    public void process(Exchange exchange) {
        UUID id;
        try {
            id = UUID.fromString(exchange.getIn().getHeader("id", String.class));
        } catch (IllegalArgumentException | NullPointerException notAnId) {
            throw Problem.notFound("raw file not found");
        }
        StoredRaw raw = store.findRaw(id).orElseThrow(() -> Problem.notFound("raw file not found"));
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("id", id.toString());
        facts.put("organization", raw.meta().boefjeMeta().organization());
        facts.put("bucket", raw.storageBucket() == null ? defaultBucket : raw.storageBucket());
        facts.put("key", raw.storageKey());
        facts.put("offset", raw.storedOffset());
        facts.put("stored_size", raw.storedSize());
        facts.put("size", raw.size());
        facts.put("encryption", raw.encryption());
        facts.put("key_id", raw.key().keyId());
        facts.put("wrapped_key", raw.key().wrappedKey() == null ? null
                : Base64.getEncoder().encodeToString(raw.key().wrappedKey()));
        exchange.getMessage().setBody(facts);
    }
}
