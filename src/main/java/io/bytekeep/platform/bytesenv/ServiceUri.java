package io.bytekeep.platform.bytesenv;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A service URI as libpq, SQLAlchemy and pika read it: {@code scheme://[user[:password]@]host[:port][,host[:port]…][/path][?query]}.
 * Split by hand: {@link java.net.URI} refuses host names with an underscore ({@code ci_rabbitmq} in Bytes' own CI
 * environment) and lists of hosts. Messages never quote the URI, which may hold a password.
 *
 * @param scheme   lower case
 * @param user     percent-decoded; null when the URI has no user information
 * @param password percent-decoded; null when the user information has no {@code :}
 * @param hosts    in order; empty when the authority names none
 * @param path     everything from the {@code /} after the authority up to the query, still percent-encoded; "" if none
 * @param query    the parameters in order, names and values percent-decoded
 */
record ServiceUri(String scheme, String user, String password, List<Host> hosts, String path,
                  List<Map.Entry<String, String>> query) {

    /** @param port null when the URI gives none */
    record Host(String name, Integer port) {

        String text() {
            String host = name.contains(":") ? "[" + name + "]" : name;
            return port == null ? host : host + ":" + port;
        }
    }

    /** @param variable names the variable in error messages */
    static ServiceUri parse(String variable, String uri) {
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd < 1) {
            throw new IllegalArgumentException(variable + " is not a URI of the form scheme://host/...");
        }
        String scheme = uri.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        String rest = uri.substring(schemeEnd + 3);
        int queryStart = rest.indexOf('?');
        String query = queryStart < 0 ? "" : rest.substring(queryStart + 1);
        rest = queryStart < 0 ? rest : rest.substring(0, queryStart);
        int fragment = query.indexOf('#');
        query = fragment < 0 ? query : query.substring(0, fragment);
        int pathStart = rest.indexOf('/');
        String authority = pathStart < 0 ? rest : rest.substring(0, pathStart);
        String path = pathStart < 0 ? "" : rest.substring(pathStart);

        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
            authority = authority.substring(at + 1);
        }
        List<Host> hosts = new ArrayList<>();
        if (!authority.isEmpty()) {
            for (String host : authority.split(",", -1)) {
                hosts.add(host(variable, host));
            }
        }
        List<Map.Entry<String, String>> parameters = new ArrayList<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                parameters.add(Map.entry(name, value));
            }
        }
        return new ServiceUri(scheme, user, password, List.copyOf(hosts), path, List.copyOf(parameters));
    }

    private static Host host(String variable, String text) {
        String name;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(variable + " has an IPv6 host without its closing ']'");
            }
            name = text.substring(1, close);
            String after = text.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException(variable + " has text after an IPv6 host: '" + after + "'");
                }
                port = after.substring(1);
            }
        } else {
            int colon = text.indexOf(':');
            name = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException(variable + " has an empty host name");
        }
        if (port == null || port.isEmpty()) {
            return new Host(name, null);
        }
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException(variable + " has a port that is not a number from 0 to 65535: '" + port + "'");
        }
        return new Host(name, Integer.parseInt(port));
    }

    /** Percent-decoding as Python's urllib.parse.unquote: UTF-8, '+' stays '+', a '%' without two hex digits stays. */
    static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && isHex(text, i + 1) && isHex(text, i + 2)) {
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(encoded);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(String text, int index) {
        return index < text.length() && Character.digit(text.charAt(index), 16) >= 0;
    }
}
