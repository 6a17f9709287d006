package io.bytekeep.custody.chain;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The exact bytes a custody link's signature covers (docs/VERIFY.md, "Custody chains"): a sequence of fields,
 * each a 4-byte big-endian length followed by that many bytes, and 4-byte big-endian integers:
 * <pre>
 * field("bytekeep-custody-link-v1") field(case id) u32(index) field(station id) field(kind)
 * field(previous signature, decoded from base64) field(result hash) u32(n) n × (field(key) field(value))
 * </pre>
 * Strings are UTF-8; metadata keys are ASCII and sorted, so every implementation gets the same bytes.
 */
public final class SignedBytes {

    static final String LINK_DOMAIN = "bytekeep-custody-link-v1";
    static final String INPUT_DOMAIN = "bytekeep-custody-input-v1";

    /** Metadata keys: short ASCII names, whose byte order and UTF-16 order agree. */
    public static final Pattern METADATA_KEY = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private SignedBytes() {
    }

    public static byte[] of(UUID caseId, CustodyLink link) {
        SignedBytes out = new SignedBytes()
                .field(LINK_DOMAIN)
                .field(caseId.toString())
                .u32(link.index())
                .field(link.stationId())
                .field(link.kind())
                .field(Base64.getDecoder().decode(link.previousSignature()))
                .field(link.resultHash())
                .u32(link.metadata().size());
        for (Map.Entry<String, String> entry : link.metadata().entrySet()) {
            if (!METADATA_KEY.matcher(entry.getKey()).matches()) {
                throw new IllegalArgumentException("metadata key '" + entry.getKey() + "' is not " + METADATA_KEY);
            }
            out.field(entry.getKey()).field(entry.getValue());
        }
        return out.bytes.toByteArray();
    }

    /** What link 0's input hash is taken over: the raw file's proof hash bound to who opened the case, in which session. */
    static byte[] input(String secureHash, String userId, String sessionId) {
        return new SignedBytes().field(INPUT_DOMAIN).field(secureHash).field(userId).field(sessionId).bytes.toByteArray();
    }

    private SignedBytes field(String value) {
        return field(value.getBytes(StandardCharsets.UTF_8));
    }

    private SignedBytes field(byte[] value) {
        u32(value.length);
        bytes.writeBytes(value);
        return this;
    }

    private SignedBytes u32(int value) {
        bytes.writeBytes(ByteBuffer.allocate(4).putInt(value).array());
        return this;
    }
}
