package io.bytekeep.platform.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.apache.camel.Message;

import io.bytekeep.platform.Problem;

/** Typed access to query and path parameters, answering 422 for values of the wrong shape (as Bytes does). */
public final class QueryParams {

    private final Message message;

    public QueryParams(Message message) {
        this.message = message;
    }

    public String string(String name) {
        List<String> values = list(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The parameter as sent: {@code ""} when it is present and empty ({@code ?x=}), null when it is missing. */
    public String asSent(String name) {
        Object value = message.getHeader(name);
        if (value instanceof Collection<?> many) {
            return many.isEmpty() ? null : String.valueOf(many.iterator().next());
        }
        return value == null ? null : String.valueOf(value);
    }

    public List<String> list(String name) {
        Object value = message.getHeader(name);
        List<String> values = new ArrayList<>();
        if (value instanceof Collection<?> many) {
            many.forEach(v -> values.add(String.valueOf(v)));
        } else if (value != null) {
            values.add(String.valueOf(value));
        }
        values.removeIf(String::isEmpty);
        return values;
    }

    public UUID uuid(String name) {
        String value = string(name);
        return value == null ? null : parseUuid(name, value);
    }

    public UUID requiredUuid(String name) {
        UUID value = uuid(name);
        if (value == null) {
            throw Problem.unprocessable(name + " is required");
        }
        return value;
    }

    public List<UUID> uuids(String name) {
        return list(name).stream().map(v -> parseUuid(name, v)).toList();
    }

    public int integer(String name, int defaultValue, int min, int max) {
        return (int) longInteger(name, defaultValue, min, max);
    }

    public long longInteger(String name, long defaultValue, long min, long max) {
        String value = string(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < min || parsed > max) {
                throw Problem.unprocessable(name + " must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw Problem.unprocessable(name + " must be an integer");
        }
    }

    /** A parameter the request must carry (Bytes answers 422 without it). */
    public String requiredString(String name) {
        String value = string(name);
        if (value == null) {
            throw Problem.unprocessable(name + " is required");
        }
        return value;
    }

    public Boolean bool(String name) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> Boolean.TRUE;
            case "false", "0", "no", "off" -> Boolean.FALSE;
            default -> throw Problem.unprocessable(name + " must be a boolean");
        };
    }

    private static UUID parseUuid(String name, String value) {
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw Problem.unprocessable(name + " must be a UUID");
        }
    }
}
