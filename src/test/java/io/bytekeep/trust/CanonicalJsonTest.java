package io.bytekeep.trust;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Byte-exact against python-securesystemslib's {@code encode_canonical}: the expected texts below are what that
 * algorithm writes (members sorted by code point, {@code "} and {@code \} escaped, nothing else, no whitespace).
 */
class CanonicalJsonTest {

    @Test
    void sortsMembersAndWritesNoWhitespace() {
        Map<String, Object> signed = new LinkedHashMap<>();
        signed.put("version", 3);
        signed.put("_type", "snapshot");
        signed.put("meta", Map.of("targets.json", Map.of("version", 1), "bins.json", Map.of("version", 12)));
        signed.put("expires", "2027-01-01T00:00:00Z");
        signed.put("consistent_snapshot", true);
        signed.put("nothing", null);
        signed.put("list", List.of(3, "b", false, List.of()));
        signed.put("big", 9_007_199_254_740_993L);

        assertThat(text(signed)).isEqualTo("{\"_type\":\"snapshot\",\"big\":9007199254740993,\"consistent_snapshot\":true,"
                + "\"expires\":\"2027-01-01T00:00:00Z\",\"list\":[3,\"b\",false,[]],"
                + "\"meta\":{\"bins.json\":{\"version\":12},\"targets.json\":{\"version\":1}},"
                + "\"nothing\":null,\"version\":3}");
    }

    @Test
    void escapesOnlyQuoteAndBackslashAndWritesUtf8() {
        byte[] bytes = CanonicalJson.encode(Map.of("k", "a\"b\\c\nd\te\u0001f\u00fc\u20ac/"));
        byte[] expected = concat("{\"k\":\"a\\\"b\\\\c".getBytes(StandardCharsets.US_ASCII),
                new byte[] {'\n', 'd', '\t', 'e', 1, 'f', (byte) 0xc3, (byte) 0xbc, (byte) 0xe2, (byte) 0x82, (byte) 0xac,
                        '/', '"', '}'});
        assertThat(bytes).isEqualTo(expected);
    }

    @Test
    void ordersNamesByCodePointAsPythonDoes() {
        // U+FFFD sorts before U+1F600 by code point; by UTF-16 units (String.compareTo) it would sort after
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("\uD83D\uDE00", 1);
        map.put("\uFFFD", 2);
        map.put("B", 3);
        map.put("a", 4);
        map.put("", 5);
        assertThat(text(map)).isEqualTo("{\"\":5,\"B\":3,\"a\":4,\"\uFFFD\":2,\"\uD83D\uDE00\":1}");
    }

    @Test
    void writesSurrogatePairsAsOneCodePointAndRefusesLoneHalves() {
        // U+1F600 is one code point: 4 UTF-8 bytes (Python: '\U0001F600'.encode('utf-8'))
        assertThat(CanonicalJson.encode("\uD83D\uDE00")).isEqualTo(new byte[] {'"', (byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80, '"'});
        // Python: '\ud800'.encode('utf-8') raises UnicodeEncodeError; Java's getBytes would write '?'
        for (String lone : List.of("\uD800", "a\uD83Db", "\uDE00\uD83D", "x\uDE00")) {
            assertThatThrownBy(() -> CanonicalJson.encode(Map.of("path", lone))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("lone surrogate");
            assertThatThrownBy(() -> CanonicalJson.encode(Map.of(lone, 1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("lone surrogate");
        }
    }

    @Test
    void refusesFloats() {
        assertThatThrownBy(() -> CanonicalJson.encode(Map.of("x", 1.5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no floats");
    }

    @Test
    void keyIdIsTheSha256OfTheCanonicalKey() {
        // python3: hashlib.sha256(b'{"keytype":"ed25519","keyval":{"public":"73a6b9...b084"},"scheme":"ed25519"}')
        TrustKey key = TrustKey.fromJson(Map.of("keytype", "ed25519", "scheme", "ed25519", "keyval",
                Map.of("public", "73a6b911df78e01529a2d28adbff8792880e414f3750dd239a33f9e5865fb084")));
        assertThat(text(key.toJson())).isEqualTo("{\"keytype\":\"ed25519\",\"keyval\":{\"public\":"
                + "\"73a6b911df78e01529a2d28adbff8792880e414f3750dd239a33f9e5865fb084\"},\"scheme\":\"ed25519\"}");
        assertThat(key.keyid()).isEqualTo("81d95a0c9d9c7c50fd03fd7a5a255fe7551beef73e37be4ea9a79050b6550178");
    }

    private static String text(Object value) {
        return new String(CanonicalJson.encode(value), StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
