package io.bytekeep.trust;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What targets metadata says of one target file: its length and SHA-256, and in {@code custom} the
 * {@code cwa-hash} the export uploader compares (so an unchanged export needs neither its bytes nor a new signature).
 *
 * @param cwaHash null when the target has none
 */
public record TargetInfo(long length, String sha256, String cwaHash) {

    public TargetInfo {
        Objects.requireNonNull(sha256, "sha256");
        if (length < 0 || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a target has a length >= 0 and a lower-case hex SHA-256");
        }
    }

    /** The info of the bytes. */
    public static TargetInfo of(byte[] content, String cwaHash) {
        return new TargetInfo(content.length, HexFormat.of().formatHex(TrustKey.sha256(content)), cwaHash);
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("length", length);
        json.put("hashes", Map.of("sha256", sha256));
        if (cwaHash != null) {
            json.put("custom", Map.of("cwa-hash", cwaHash));
        }
        return json;
    }

    static TargetInfo fromJson(Map<?, ?> json) {
        Map<?, ?> hashes = (Map<?, ?>) json.get("hashes");
        Map<?, ?> custom = (Map<?, ?>) json.get("custom");
        return new TargetInfo(((Number) json.get("length")).longValue(), (String) hashes.get("sha256"),
                custom == null ? null : (String) custom.get("cwa-hash"));
    }

    /** True if the bytes are this target: same length and SHA-256, compared in constant time. */
    public boolean matches(long actualLength, byte[] actualSha256) {
        return actualLength == length
                && java.security.MessageDigest.isEqual(HexFormat.of().parseHex(sha256), actualSha256);
    }
}
