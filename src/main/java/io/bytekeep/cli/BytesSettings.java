package io.bytekeep.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.bytekeep.client.ClientException;

/**
 * Where a Bytes deployment keeps its data, from its own settings (bytes/bytes/config.py at cae5e26) with their names
 * and defaults: a value given on the command line, else from Bytes' env file, else from the environment. Names are
 * matched without regard to case, as pydantic-settings does; the deprecated names Bytes still reads count too.
 *
 * @param dbUri             BYTES_DB_URI as JDBC: the URL, user and password
 * @param schema            the schema of Bytes' tables (public; Bytes' alembic migrations create them there)
 * @param dataDir           BYTES_DATA_DIR (default /data): the file repository
 * @param s3                S3_BUCKET_PREFIX / S3_BUCKET / BUCKET_PER_ORG: the S3 repository, null for the file repository
 * @param middleware        BYTES_ENCRYPTION_MIDDLEWARE: IDENTITY (default) or NACL_SEALBOX
 * @param privateKeyB64     BYTES_PRIVATE_KEY_B64 (or KAT_PRIVATE_KEY_B64)
 * @param publicKeyB64      BYTES_PUBLIC_KEY_B64 (or VWS_PUBLIC_KEY_B64)
 */
record BytesSettings(Jdbc dbUri, String schema, Path dataDir, S3 s3, String middleware, String privateKeyB64,
                     String publicKeyB64) {

    /** A JDBC connection to Bytes' PostgreSQL. */
    record Jdbc(String url, String user, String password) {

        @Override
        public String toString() {
            return url + " as " + user;
        }
    }

    /**
     * Bytes' S3RawRepository: a bucket per organisation ({@code <prefix><organization>}, key {@code <raw id>}) or one
     * bucket ({@code <bucket>}, key {@code <organization>/<raw id>}); endpoint, region and credentials as boto3 reads
     * them (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, AWS_REGION or AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID, ...).
     */
    record S3(boolean bucketPerOrg, String bucketPrefix, String bucket, URI endpoint, String region, String accessKey,
              String secretKey) {

        String bucketOf(String organization) {
            return bucketPerOrg ? bucketPrefix + organization : bucket;
        }

        String keyOf(String organization, String rawId) {
            return bucketPerOrg ? rawId : organization + "/" + rawId;
        }
    }

    static final String IDENTITY = "IDENTITY";
    static final String NACL_SEALBOX = "NACL_SEALBOX";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    /** The settings: {@code options} (null values: not given) over the env file's over {@code environment}'s. */
    static BytesSettings resolve(Map<String, String> options, Path envFile, Map<String, String> environment)
            throws ClientException {
        Map<String, String> values = new LinkedHashMap<>();
        environment.forEach((name, value) -> values.put(name.toUpperCase(Locale.ROOT), value));
        if (envFile != null) {
            envFile(envFile).forEach((name, value) -> values.put(name.toUpperCase(Locale.ROOT), value));
        }
        options.forEach((name, value) -> {
            if (value != null) {
                values.put(name, value);
            }
        });
        Lookup lookup = new Lookup(values);

        String uri = lookup.get("BYTES_DB_URI");
        if (uri == null) {
            throw new ClientException(ClientException.BAD_INPUT, "no Bytes database: give --db-uri or BYTES_DB_URI");
        }
        String schema = lookup.get("BYTES_DB_SCHEMA", "public");
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new ClientException(ClientException.BAD_INPUT, "--db-schema must be a plain SQL identifier, not " + schema);
        }
        String middleware = lookup.get("BYTES_ENCRYPTION_MIDDLEWARE", "ENCRYPTION_MIDDLEWARE", IDENTITY).toUpperCase(Locale.ROOT);
        String privateKey = lookup.get("BYTES_PRIVATE_KEY_B64", "KAT_PRIVATE_KEY_B64", null);
        String publicKey = lookup.get("BYTES_PUBLIC_KEY_B64", "VWS_PUBLIC_KEY_B64", null);
        if (!middleware.equals(IDENTITY) && !middleware.equals(NACL_SEALBOX)) {
            throw new ClientException(ClientException.BAD_INPUT, "BYTES_ENCRYPTION_MIDDLEWARE must be IDENTITY or NACL_SEALBOX, not " + middleware);
        }
        if (middleware.equals(NACL_SEALBOX) && (privateKey == null || publicKey == null)) {
            throw new ClientException(ClientException.BAD_INPUT,
                    "NACL_SEALBOX needs BYTES_PRIVATE_KEY_B64 and BYTES_PUBLIC_KEY_B64 (in the environment or the --bytes-env file)");
        }
        return new BytesSettings(jdbc(uri), schema, Path.of(lookup.get("BYTES_DATA_DIR", "/data")), s3(lookup), middleware,
                privateKey, publicKey);
    }

    /** Bytes' choice (raw/file_raw_repository.py, create_raw_repository): S3 when S3_BUCKET or S3_BUCKET_PREFIX is set. */
    private static S3 s3(Lookup lookup) throws ClientException {
        String prefix = lookup.get("S3_BUCKET_PREFIX");
        String bucket = lookup.get("S3_BUCKET");
        if (prefix == null && bucket == null) {
            return null;
        }
        String perOrg = lookup.get("BUCKET_PER_ORG", "true").trim().toLowerCase(Locale.ROOT);
        boolean bucketPerOrg = switch (perOrg) {
            case "true", "1", "yes", "on", "t", "y" -> true;
            case "false", "0", "no", "off", "f", "n" -> false;
            default -> throw new ClientException(ClientException.BAD_INPUT, "BUCKET_PER_ORG must be a boolean, not " + perOrg);
        };
        String endpoint = lookup.get("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", null);
        return new S3(bucketPerOrg, prefix != null ? prefix : "OpenKAT-", bucket != null ? bucket : "OpenKAT",
                endpoint == null ? null : URI.create(endpoint), lookup.get("AWS_REGION", "AWS_DEFAULT_REGION", "us-east-1"),
                lookup.get("AWS_ACCESS_KEY_ID"), lookup.get("AWS_SECRET_ACCESS_KEY"));
    }

    /** BYTES_DB_URI ({@code postgresql://user:password@host:port/database?options}) as JDBC. */
    static Jdbc jdbc(String uri) throws ClientException {
        URI parsed;
        try {
            parsed = new URI(uri.trim());
        } catch (URISyntaxException e) {
            throw new ClientException(ClientException.BAD_INPUT, "BYTES_DB_URI is not a URI: " + e.getMessage());
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("postgres") && !scheme.equals("postgresql") && !scheme.startsWith("postgresql+")) {
            throw new ClientException(ClientException.BAD_INPUT, "BYTES_DB_URI must be a postgresql:// URI");
        }
        if (parsed.getHost() == null || parsed.getPath() == null || parsed.getPath().length() < 2) {
            throw new ClientException(ClientException.BAD_INPUT, "BYTES_DB_URI needs a host and a database name");
        }
        String user = null;
        String password = null;
        if (parsed.getRawUserInfo() != null) {
            String[] userInfo = parsed.getRawUserInfo().split(":", 2);
            user = decode(userInfo[0]);
            password = userInfo.length > 1 ? decode(userInfo[1]) : null;
        }
        String url = "jdbc:postgresql://" + parsed.getHost() + (parsed.getPort() > 0 ? ":" + parsed.getPort() : "")
                + parsed.getRawPath() + (parsed.getRawQuery() != null ? "?" + parsed.getRawQuery() : "");
        return new Jdbc(url, user, password);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** KEY=VALUE lines as Bytes' env files (and docker compose's) have them: # comments, optional quotes. */
    static Map<String, String> envFile(Path file) throws ClientException {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String text = line.strip();
                if (text.startsWith("export ")) {
                    text = text.substring("export ".length()).strip();
                }
                int equals = text.indexOf('=');
                if (text.isEmpty() || text.startsWith("#") || equals < 1) {
                    continue;
                }
                String value = text.substring(equals + 1).strip();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                values.put(text.substring(0, equals).strip(), value);
            }
        } catch (IOException e) {
            throw new ClientException(ClientException.BAD_INPUT, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return values;
    }

    private record Lookup(Map<String, String> values) {

        String get(String name) {
            String value = values.get(name);
            return value == null || value.isEmpty() ? null : value;
        }

        String get(String name, String fallback) {
            String value = get(name);
            return value != null ? value : fallback;
        }

        /** {@code name}, else Bytes' deprecated name for it, else the default. */
        String get(String name, String deprecated, String fallback) {
            String value = get(name);
            return value != null ? value : get(deprecated, fallback);
        }
    }
}
