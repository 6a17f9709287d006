package io.bytekeep.trust;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * One TUF metadata file: {@code {"signatures": [{"keyid", "sig"}], "signed": {...}}}, the signatures over the
 * canonical JSON of {@code signed}. The file itself is plain compact JSON with sorted members (canonical JSON is not
 * JSON where a string holds a line break, as a PEM key does), so an unchanged file has unchanged bytes.
 */
public final class Metadata {

    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final Map<String, Object> signed;
    private final List<Map<String, Object>> signatures;
    private final byte[] bytes;
    private volatile Instant expires;

    private Metadata(Map<String, Object> signed, List<Map<String, Object>> signatures) {
        this.signed = signed;
        this.signatures = List.copyOf(signatures);
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("signatures", this.signatures);
        file.put("signed", signed);
        try {
            this.bytes = JSON.writeValueAsBytes(file);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the metadata: " + e.getMessage(), e);
        }
    }

    /** {@code signed} signed by each signer. */
    public static Metadata sign(Map<String, Object> signed, Collection<TrustSigner> signers) {
        byte[] canonical = CanonicalJson.encode(signed);
        List<Map<String, Object>> signatures = new ArrayList<>();
        for (TrustSigner signer : signers) {
            Map<String, Object> signature = new LinkedHashMap<>();
            signature.put("keyid", signer.key().keyid());
            signature.put("sig", signer.sign(canonical));
            signatures.add(signature);
        }
        return new Metadata(signed, signatures);
    }

    /** A metadata file as read; its signatures are checked by {@link #hasThreshold}, not here. */
    @SuppressWarnings("unchecked")
    public static Metadata parse(byte[] bytes) {
        try {
            Map<String, Object> file = JSON.readValue(bytes, Map.class);
            if (!(file.get("signed") instanceof Map<?, ?> signed) || !(file.get("signatures") instanceof List<?> sigs)) {
                throw new IllegalArgumentException("not TUF metadata: needs 'signed' and 'signatures'");
            }
            return new Metadata((Map<String, Object>) signed, (List<Map<String, Object>>) sigs);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("unreadable TUF metadata: " + e.getMessage(), e);
        }
    }

    public Map<String, Object> signed() {
        return signed;
    }

    /** The file's bytes (canonical JSON). */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** The key ids of the signatures. */
    public Set<String> keyids() {
        Set<String> ids = new HashSet<>();
        signatures.forEach(signature -> ids.add(String.valueOf(signature.get("keyid"))));
        return ids;
    }

    public String type() {
        return (String) signed.get("_type");
    }

    public int version() {
        return ((Number) signed.get("version")).intValue();
    }

    public Instant expires() {
        Instant parsed = expires;
        if (parsed == null) {
            parsed = Instant.parse((String) signed.get("expires"));
            expires = parsed;
        }
        return parsed;
    }

    /**
     * True if at least {@code threshold} distinct keys of {@code keyids} (found in {@code keys}) signed: TUF's
     * threshold check. Signatures by other keys, repeated key ids and invalid signatures do not count.
     */
    public boolean hasThreshold(Map<String, TrustKey> keys, Collection<String> keyids, int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("a threshold is at least 1");
        }
        byte[] canonical = CanonicalJson.encode(signed);
        Set<String> valid = new HashSet<>();
        for (Map<String, Object> signature : signatures) {
            Object keyid = signature.get("keyid");
            Object sig = signature.get("sig");
            if (keyid instanceof String id && sig instanceof String hex && keyids.contains(id) && !valid.contains(id)) {
                TrustKey key = keys.get(id);
                if (key != null && key.verifies(canonical, hex)) {
                    valid.add(id);
                }
            }
        }
        return valid.size() >= threshold;
    }
}
