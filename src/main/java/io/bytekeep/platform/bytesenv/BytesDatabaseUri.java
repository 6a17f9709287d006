package io.bytekeep.platform.bytesenv;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Bytes' {@code BYTES_DB_URI} ({@code postgresql://user:password@host:port/database?sslmode=…}) read as SQLAlchemy 1.4
 * reads it for psycopg2 (bytes/bytes/database/db.py), for the PostgreSQL JDBC driver: user and password
 * percent-decoded, the database name as written; without a user, libpq's default (the operating-system user). Query
 * parameters that libpq and the JDBC driver both know are carried over; any other stops the start, so that no
 * connection setting (TLS above all) is silently dropped.
 *
 * @param host     the one host SQLAlchemy connects to; port null = 5432
 * @param database as written in the URI (SQLAlchemy does not decode it); empty = the user's name
 * @param jdbcParameters the JDBC driver's names and values
 */
public record BytesDatabaseUri(ServiceUri.Host host, String database, String username, String password,
                               Map<String, String> jdbcParameters) {

    static final String VARIABLE = "BYTES_DB_URI";

    /** Pydantic's PostgresDsn: postgres, postgresql and postgresql+driver. */
    private static final Set<String> SCHEMES = Set.of("postgres", "postgresql");

    /** libpq's name → the JDBC driver's name (the values mean the same in both). */
    private static final Map<String, String> PARAMETERS = Map.of(
            "sslmode", "sslmode",
            "sslrootcert", "sslrootcert",
            "sslcert", "sslcert",
            "sslkey", "sslkey",
            "sslpassword", "sslpassword",
            "connect_timeout", "connectTimeout",
            "application_name", "ApplicationName",
            "options", "options");

    public BytesDatabaseUri {
        jdbcParameters = Collections.unmodifiableMap(new LinkedHashMap<>(jdbcParameters));
    }

    public static BytesDatabaseUri parse(String uri) {
        ServiceUri parsed = ServiceUri.parse(VARIABLE, uri.trim());
        String scheme = parsed.scheme();
        int plus = scheme.indexOf('+');
        if (!SCHEMES.contains(plus < 0 ? scheme : scheme.substring(0, plus))) {
            throw new IllegalArgumentException(VARIABLE + " must start with postgresql:// (was " + scheme + "://)");
        }
        if (parsed.hosts().isEmpty()) {
            throw new IllegalArgumentException(VARIABLE + " names no host: libpq then uses a Unix socket, which the JDBC "
                    + "driver cannot; give host:port");
        }
        if (parsed.hosts().size() > 1) {
            throw new IllegalArgumentException(VARIABLE + " names more than one host, which SQLAlchemy refuses");
        }
        Map<String, String> jdbc = new LinkedHashMap<>();
        for (Map.Entry<String, String> parameter : parsed.query()) {
            String name = PARAMETERS.get(parameter.getKey());
            if (name == null) {
                throw new IllegalArgumentException(VARIABLE + " has the parameter '" + parameter.getKey() + "', which Bytekeep "
                        + "does not translate for the JDBC driver (it knows " + PARAMETERS.keySet().stream().sorted()
                        .collect(Collectors.joining(", ")) + "); set BYTEKEEP_DB_URL, BYTEKEEP_DB_USERNAME and "
                        + "BYTEKEEP_DB_PASSWORD instead");
            }
            jdbc.put(name, parameter.getValue());
        }
        String path = parsed.path().startsWith("/") ? parsed.path().substring(1) : parsed.path();
        String user = parsed.user() == null || parsed.user().isEmpty() ? System.getProperty("user.name") : parsed.user();
        return new BytesDatabaseUri(parsed.hosts().get(0), path, user,
                parsed.password() == null ? "" : parsed.password(), jdbc);
    }

    /** The database as Bytes connects to it: its tables are in the schema {@code public}. */
    public String jdbcUrl() {
        return jdbcUrl(jdbcParameters);
    }

    /** The same database with {@code currentSchema}: unqualified names (and Flyway's default schema) go there. */
    public String jdbcUrl(String currentSchema) {
        Map<String, String> parameters = new LinkedHashMap<>(jdbcParameters);
        parameters.put("currentSchema", currentSchema);
        return jdbcUrl(parameters);
    }

    private String jdbcUrl(Map<String, String> parameters) {
        // the driver URL-decodes the database name and the parameter values
        String url = "jdbc:postgresql://" + host.text() + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
        String query = parameters.entrySet().stream()
                .map(parameter -> parameter.getKey() + "=" + URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? url : url + "?" + query;
    }

    /** Without the password (a record would print it). */
    @Override
    public String toString() {
        return "BytesDatabaseUri[" + jdbcUrl() + ", user " + username + "]";
    }
}
