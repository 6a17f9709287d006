package io.bytekeep.platform.web;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON answers written while the client reads them: an array's elements are produced one at a time, so an answer of
 * any length needs the memory of one element (Bytes has no upper bound on {@code limit}).
 */
public final class JsonStreams {

    private JsonStreams() {
    }

    /** {@code [e1,e2,...]}, each element read from its own stream, opened only when the one before is done. */
    public static InputStream array(Iterator<? extends InputStream> elements) {
        return enclosed("[", elements, "]");
    }

    /** <code>{"name1":value1,...}</code>, each field serialised when the object reaches it. */
    public static InputStream object(ObjectMapper json, Iterator<? extends Map.Entry<String, ?>> fields) {
        return enclosed("{", serialized(fields, field -> {
            byte[] name = json.writeValueAsBytes(field.getKey());
            byte[] value = json.writeValueAsBytes(field.getValue());
            byte[] text = Arrays.copyOf(name, name.length + 1 + value.length);
            text[name.length] = ':';
            System.arraycopy(value, 0, text, name.length + 1, value.length);
            return text;
        }), "}");
    }

    private static InputStream enclosed(String open, Iterator<? extends InputStream> elements, String close) {
        return new SequenceInputStream(new Enumeration<InputStream>() {
            private boolean opened;
            private boolean first = true;
            private boolean closed;

            @Override
            public boolean hasMoreElements() {
                return !closed;
            }

            @Override
            public InputStream nextElement() {
                if (closed) {
                    throw new NoSuchElementException();
                }
                if (!opened) {
                    opened = true;
                    return text(open);
                }
                if (!elements.hasNext()) {
                    closed = true;
                    return text(close);
                }
                InputStream element = elements.next();
                if (first) {
                    first = false;
                    return element;
                }
                return new SequenceInputStream(text(","), element);
            }
        });
    }

    /** Each item as its JSON text, serialised when the array reaches it. */
    public static <T> Iterator<InputStream> serialized(ObjectMapper json, Iterator<T> items) {
        return serialized(items, json::writeValueAsBytes);
    }

    private interface Serializer<T> {
        byte[] bytes(T item) throws JsonProcessingException;
    }

    private static <T> Iterator<InputStream> serialized(Iterator<T> items, Serializer<? super T> serializer) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return items.hasNext();
            }

            @Override
            public InputStream next() {
                try {
                    return new ByteArrayInputStream(serializer.bytes(items.next()));
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    public static InputStream text(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
