package io.bytekeep.platform.web;

import java.util.Iterator;
import java.util.Map;

/**
 * A JSON object answer written while the client reads it ({@link JsonResponder}): each field is produced when the
 * answer reaches it, so an object of any number of fields needs the memory of one.
 */
public record JsonFields(Iterator<? extends Map.Entry<String, ?>> fields) {

    public static JsonFields of(Map<String, ?> fields) {
        return new JsonFields(fields.entrySet().iterator());
    }
}
