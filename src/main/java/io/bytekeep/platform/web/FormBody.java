package io.bytekeep.platform.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Exchange;

import io.bytekeep.platform.Problem;

/** Reads an {@code application/x-www-form-urlencoded} request, whether or not the servlet parsed it first. */
public final class FormBody {

    /**
     * A login form is a user name and a password (a 60 MB form once ran the heap out): the edge's budget for
     * {@code /token}, enforced before and while the body is read (io.bytekeep.platform.edge.EdgePolicy).
     */
    public static final int MAX_BYTES = 16 * 1024;

    private FormBody() {
    }

    public static Map<String, String> read(Exchange exchange) {
        String contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        if (!contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw Problem.unsupportedMediaType("send the form as application/x-www-form-urlencoded");
        }
        Map<String, String> fields = new HashMap<>();
        Object body = exchange.getIn().getBody();
        if (body instanceof Map<?, ?> parsed && !parsed.isEmpty()) {
            // the servlet container parsed the form already (platform-http hands it over as a map)
            parsed.forEach((key, value) -> fields.put(String.valueOf(key), first(value)));
        } else {
            String text = exchange.getIn().getBody(String.class);
            if (text != null) {
                for (String pair : text.split("&")) {
                    int eq = pair.indexOf('=');
                    String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    fields.putIfAbsent(key, value);
                }
            }
        }
        return fields;
    }

    private static String first(Object value) {
        if (value instanceof Iterable<?> values) {
            var iterator = values.iterator();
            return iterator.hasNext() ? String.valueOf(iterator.next()) : null;
        }
        return value == null ? null : String.valueOf(value);
    }
}
