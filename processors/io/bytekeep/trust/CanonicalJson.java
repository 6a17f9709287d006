package io.bytekeep.trust;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OLPC canonical JSON as python-securesystemslib's {@code encode_canonical} writes it, the byte form TUF signs:
 * object members sorted by name, no whitespace, strings in UTF-8 with only {@code "} and {@code \} escaped (every
 * other character, control characters included, is written as is), integers only, {@code true}, {@code false},
 * {@code null}. Member names are compared by Unicode code point, as Python sorts {@code str}. A string that is not
 * valid Unicode (a lone UTF-16 surrogate) is refused with an {@link IllegalArgumentException}, as Python's UTF-8
 * encoding of it raises: it has no UTF-8 form, and Java's encoder would silently write {@code ?} instead.
 *
 * <p>Values: {@link Map} (String keys), {@link List}, {@link String}, {@link Integer}, {@link Long},
 * {@link Boolean}, null. Anything else (a float, a {@code BigDecimal}) is refused: canonical JSON has no floats.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    /** The canonical bytes of a value. */
    public static byte[] encode(Object value) {
        StringBuilder text = new StringBuilder(256);
        write(value, text);
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof java.math.BigInteger) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            List<String> names = new ArrayList<>(map.size());
            for (Object name : map.keySet()) {
                if (!(name instanceof String s)) {
                    throw new IllegalArgumentException("canonical JSON object members are named by strings, not " + name);
                }
                names.add(s);
            }
            names.sort(CanonicalJson::compareCodePoints);
            out.append('{');
            boolean first = true;
            for (String name : names) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(name, out);
                out.append(':');
                write(map.get(name), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(list.get(i), out);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("not a canonical JSON value: " + value.getClass().getName()
                    + " (canonical JSON has no floats)");
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                // a pair is one code point, written as its 4 UTF-8 bytes; a lone half has no UTF-8 form (Java's
                // encoder would write '?', a different string than the one signed): refused, as Python's encoder does
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    out.append(c).append(s.charAt(++i));
                    continue;
                }
                throw new IllegalArgumentException("canonical JSON strings must be valid Unicode: a lone surrogate U+"
                        + String.format("%04X", (int) c) + " at index " + i + " of a string of length " + s.length()
                        + " has no UTF-8 form");
            }
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }

    /** Python's order of {@code str}: by code point (Java's {@code compareTo} orders UTF-16 units). */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
