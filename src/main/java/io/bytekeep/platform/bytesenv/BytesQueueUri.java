package io.bytekeep.platform.bytesenv;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Bytes' {@code QUEUE_URI} ({@code amqp://user:password@host:port/vhost?heartbeat=…}) read as pika's URLParameters read
 * it: amqps = TLS on port 5671 by default, else 5672; no user information = guest/guest; host localhost by default; the
 * virtual host is the percent-decoded first path segment ({@code %2F} for "/", {@code %2Fkat} for "/kat"), "/" when the
 * path is empty or "/". Parameters pika does not know stop the start, as they stop pika.
 *
 * @param options the query parameters (pika's names), each given once
 */
record BytesQueueUri(String host, int port, String virtualHost, String username, String password, boolean tls,
                     Map<String, String> options) {

    static final String VARIABLE = "QUEUE_URI";

    /** pika.connection.URLParameters' query parameters. */
    static final Set<String> PIKA_OPTIONS = Set.of("blocked_connection_timeout", "channel_max", "client_properties",
            "connection_attempts", "frame_max", "heartbeat", "locale", "retry_delay", "socket_timeout", "ssl_options",
            "stack_timeout", "tcp_options");

    BytesQueueUri {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    static BytesQueueUri parse(String uri) {
        ServiceUri parsed = ServiceUri.parse(VARIABLE, uri.trim());
        boolean tls = switch (parsed.scheme()) {
            case "amqp" -> false;
            case "amqps" -> true;
            default -> throw new IllegalArgumentException(VARIABLE + " must start with amqp:// or amqps:// (was "
                    + parsed.scheme() + "://)");
        };
        if (parsed.hosts().size() > 1) {
            throw new IllegalArgumentException(VARIABLE + " names more than one host; pika connects to one");
        }
        ServiceUri.Host host = parsed.hosts().isEmpty() ? new ServiceUri.Host("localhost", null) : parsed.hosts().get(0);
        if (parsed.user() != null && parsed.password() == null) {
            throw new IllegalArgumentException(VARIABLE + " names a user without a password (user:password@host)");
        }
        String path = parsed.path();
        String virtualHost = path.length() > 1 ? ServiceUri.decode(path.split("/", -1)[1]) : "/";
        Map<String, String> options = new LinkedHashMap<>();
        for (Map.Entry<String, String> option : parsed.query()) {
            if (option.getValue().isEmpty()) {
                continue; // urllib's parse_qs drops blank values
            }
            if (!PIKA_OPTIONS.contains(option.getKey())) {
                throw new IllegalArgumentException(VARIABLE + " has the parameter '" + option.getKey()
                        + "', which pika does not know either");
            }
            if (options.put(option.getKey(), option.getValue()) != null) {
                throw new IllegalArgumentException(VARIABLE + " gives the parameter '" + option.getKey() + "' twice");
            }
        }
        return new BytesQueueUri(host.name(), host.port() != null ? host.port() : tls ? 5671 : 5672, virtualHost,
                parsed.user() == null ? "guest" : parsed.user(), parsed.user() == null ? "guest" : parsed.password(),
                tls, options);
    }

    /** Without the password (a record would print it). */
    @Override
    public String toString() {
        return "BytesQueueUri[" + (tls ? "amqps" : "amqp") + "://" + username + "@" + host + ":" + port + ", vhost "
                + virtualHost + "]";
    }
}
