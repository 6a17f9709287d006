package io.bytekeep.trust;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Canonical JSON over generated metadata-shaped values: the bytes do not depend on the order members were put in,
 * and for valid Unicode (any code point, supplementary ones as surrogate pairs) a JSON reader gets the same value
 * back (canonical JSON writes control characters unescaped, so the reader allows them). A string with a lone
 * surrogate, anywhere in the value or as a member name, is refused, as Python's encoder raises on it.
 */
class CanonicalJsonPropertiesTest {

    private static final JsonMapper READER = JsonMapper.builder().enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS).build();

    @Property(tries = 500)
    void memberOrderDoesNotChangeTheBytes(@ForAll("values") Object value, @ForAll long seed) {
        assertThat(CanonicalJson.encode(shuffled(value, new Random(seed)))).isEqualTo(CanonicalJson.encode(value));
    }

    @Property(tries = 500)
    void aJsonReaderGetsTheValueBack(@ForAll("values") Object value) throws Exception {
        // read as text: from bytes, Jackson guesses UTF-16/32 when a string starts with NUL characters
        Object read = READER.readValue(new String(CanonicalJson.encode(value), StandardCharsets.UTF_8), Object.class);
        assertThat(normalized(read)).isEqualTo(normalized(value));
    }

    @Property(tries = 500)
    void aLoneSurrogateAnywhereIsRefused(@ForAll("values") Object value, @ForAll("invalidUnicode") String broken,
                                         @ForAll boolean asMemberName) {
        Map<String, Object> holder = new LinkedHashMap<>();
        holder.put("v", value);
        holder.put(asMemberName ? broken : "k", asMemberName ? 1 : List.of(broken));
        Object withBroken = java.util.Arrays.asList(value, holder);
        assertThatThrownBy(() -> CanonicalJson.encode(withBroken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lone surrogate");
    }

    @Property(tries = 300)
    void validUnicodeIsWrittenAsItsUtf8(@ForAll("validUnicode") String text) {
        byte[] expected = ("\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"").getBytes(StandardCharsets.UTF_8);
        assertThat(CanonicalJson.encode(text)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<Object> values() {
        Arbitrary<Object> leaves = Arbitraries.oneOf(validUnicode(12).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l), Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
        return Arbitraries.recursive(() -> leaves, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.maps(validUnicode(6), inner).ofMaxSize(4).map(m -> (Object) m)), 0, 4);
    }

    @Provide
    Arbitrary<String> validUnicode() {
        return validUnicode(12);
    }

    /**
     * Valid Unicode around one lone surrogate: a high one not followed by a low one, or a low one not preceded by a
     * high one (a valid string never ends in a high surrogate nor starts with a low one, so the half stays alone).
     */
    @Provide
    Arbitrary<String> invalidUnicode() {
        Arbitrary<Character> lone = Arbitraries.chars().range(Character.MIN_SURROGATE, Character.MAX_SURROGATE);
        return net.jqwik.api.Combinators.combine(validUnicode(6), lone, validUnicode(6)).as((a, half, b) -> a + half + b);
    }

    /** Strings of any code points but surrogates (U+0000 to U+10FFFF, supplementary ones as surrogate pairs). */
    private static Arbitrary<String> validUnicode(int maxCodePoints) {
        Arbitrary<Integer> codePoint = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0x7F), // ASCII, quotes and backslashes included, often
                Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                        .filter(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE),
                Arbitraries.integers().between(Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT));
        return codePoint.list().ofMaxSize(maxCodePoints)
                .map(points -> new String(points.stream().mapToInt(Integer::intValue).toArray(), 0, points.size()));
    }

    private static Object shuffled(Object value, Random random) {
        if (value instanceof Map<?, ?> map) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
            Collections.shuffle(entries, random);
            Map<Object, Object> out = new LinkedHashMap<>();
            entries.forEach(e -> out.put(e.getKey(), shuffled(e.getValue(), random)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> shuffled(v, random)).toList();
        }
        return value;
    }

    /** Numbers compared by value (the reader gives Integer or Long), maps by content. */
    private static Object normalized(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new java.util.TreeMap<>();
            map.forEach((k, v) -> out.put(k, normalized(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(CanonicalJsonPropertiesTest::normalized).toList();
        }
        return value;
    }
}
