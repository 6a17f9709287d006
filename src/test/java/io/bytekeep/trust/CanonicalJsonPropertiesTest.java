package io.bytekeep.trust;

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

/**
 * Canonical JSON over generated metadata-shaped values: the bytes do not depend on the order members were put in,
 * and a JSON reader gets the same value back (canonical JSON writes control characters unescaped, so the reader
 * allows them).
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
        Object read = READER.readValue(new String(CanonicalJson.encode(value), java.nio.charset.StandardCharsets.UTF_8), Object.class);
        assertThat(normalized(read)).isEqualTo(normalized(value));
    }

    @Provide
    Arbitrary<Object> values() {
        Arbitrary<Object> leaves = Arbitraries.oneOf(// lone surrogates have no UTF-8 form (Python's encode_canonical raises on them; here they become '?')
                Arbitraries.strings().ofMaxLength(12).filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c))).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l), Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
        return Arbitraries.recursive(() -> leaves, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.maps(Arbitraries.strings().ofMaxLength(6).filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c))), inner).ofMaxSize(4).map(m -> (Object) m)), 0, 4);
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
