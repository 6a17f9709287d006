package io.bytekeep.platform.bytesenv;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Bytes' environment variables (the settings of {@code bytes/bytes/config.py} in OpenKAT, its deprecated names, and
 * boto3's {@code AWS_*} where Bytes keeps its files in S3) translated to the {@code BYTEKEEP_*} names config/application*.yaml reads,
 * or to Spring keys that no shipped configuration file sets. A Bytes variable accepts what Bytes accepts; its name is
 * case-insensitive, as for pydantic-settings; an empty value counts as not set. A Bytes value whose Bytekeep name is
 * set already is not taken. A value Bytekeep cannot honour is an error when ignoring it would change what is stored or
 * who may read it, else a warning. docs/API.md "Bytes' environment variables" is the table of all of them.
 */
final class BytesVariables {

    /**
     * Bytekeep's schema in a database that came from BYTES_DB_URI: Bytes' tables, of the same names, are in
     * {@code public}, and {@code bytekeep import-bytes} reads them there.
     */
    static final String SCHEMA = "bytekeep";

    /** Bytes' default data directory (config.py, and ENV in its container image). */
    static final String BYTES_DATA_DIR_DEFAULT = "/data";

    /**
     * @param properties what the translated variables set, by BYTEKEEP_* name or Spring key
     * @param taken      each Bytes variable that set something, with what it set
     * @param overridden Bytes variables not taken because their Bytekeep name is set
     * @param notes      variables without a meaning in Bytekeep that change nothing
     */
    record Translation(Map<String, Object> properties, Map<String, List<String>> taken, List<String> overridden,
                       List<String> notes, List<String> warnings, List<String> errors) {
    }

    /** A Bytes variable as found: the name it was given under (maybe a deprecated one) and its value. */
    private record Setting(String name, String value) {

        String trimmed() {
            return value.trim();
        }
    }

    private final Map<String, String> environment;
    private final Map<String, String> nameByLowerCase = new LinkedHashMap<>();
    private final Predicate<String> alreadySet;
    private final Predicate<Path> isDirectory;

    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final Map<String, List<String>> taken = new LinkedHashMap<>();
    private final List<String> overridden = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    /**
     * @param environment the process environment
     * @param alreadySet  whether a BYTEKEEP_* name or Spring key has a value from anywhere else
     * @param isDirectory whether a path is an existing directory
     */
    BytesVariables(Map<String, String> environment, Predicate<String> alreadySet, Predicate<Path> isDirectory) {
        this.environment = environment;
        this.alreadySet = alreadySet;
        this.isDirectory = isDirectory;
        environment.keySet().forEach(name -> nameByLowerCase.putIfAbsent(name.toLowerCase(Locale.ROOT), name));
    }

    Translation translate() {
        security();
        database();
        queue();
        dataDirectory();
        storage();
        logging();
        proofs();
        encryption();
        metrics();
        bytes("SPAN_EXPORT_GRPC_ENDPOINT").ifPresent(span -> warnings.add(span.name() + " is not honoured: Bytekeep "
                + "exports no OpenTelemetry traces (its metrics are at /actuator/prometheus)"));
        return new Translation(properties, taken, overridden, notes, warnings, errors);
    }

    private void security() {
        bytes("BYTES_SECRET", "SECRET").ifPresent(secret -> put(secret, "BYTEKEEP_JWT_SECRET", secret.value()));
        bytes("BYTES_USERNAME").ifPresent(username -> put(username, "BYTEKEEP_USERNAME", username.value()));
        bytes("BYTES_PASSWORD").ifPresent(password -> put(password, "BYTEKEEP_PASSWORD", password.value()));
        bytes("BYTES_ACCESS_TOKEN_EXPIRE_MINUTES", "ACCESS_TOKEN_EXPIRE_MINUTES")
                .ifPresent(minutes -> minutes(minutes).ifPresent(ttl -> put(minutes, "BYTEKEEP_TOKEN_TTL", ttl.toString())));
    }

    private void database() {
        bytes("BYTES_DB_URI").ifPresent(uri -> {
            if (overridden(uri, "BYTEKEEP_DB_URL")) {
                return;
            }
            try {
                BytesDatabaseUri database = BytesDatabaseUri.parse(uri.value());
                put(uri, "BYTEKEEP_DB_URL", database.jdbcUrl(SCHEMA));
                put(uri, "BYTEKEEP_DB_USERNAME", database.username());
                put(uri, "BYTEKEEP_DB_PASSWORD", database.password());
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        });
        bytes("BYTES_DB_CONNECTION_POOL_SIZE")
                .ifPresent(size -> integer(size, 1).ifPresent(n -> put(size, "BYTEKEEP_DB_POOL_SIZE", String.valueOf(n))));
    }

    private void queue() {
        bytes("QUEUE_URI").ifPresent(uri -> {
            if (overridden(uri, "BYTEKEEP_AMQP_HOST")) {
                return;
            }
            BytesQueueUri queue;
            try {
                queue = BytesQueueUri.parse(uri.value());
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
                return;
            }
            put(uri, "BYTEKEEP_AMQP_HOST", queue.host());
            put(uri, "BYTEKEEP_AMQP_PORT", String.valueOf(queue.port()));
            put(uri, "BYTEKEEP_AMQP_VHOST", queue.virtualHost());
            put(uri, "BYTEKEEP_AMQP_USERNAME", queue.username());
            put(uri, "BYTEKEEP_AMQP_PASSWORD", queue.password());
            put(uri, "BYTEKEEP_EMBEDDED_AMQP_ENABLED", "false");
            if (queue.tls()) {
                put(uri, "spring.rabbitmq.ssl.enabled", "true");
            }
            queue.options().forEach((name, value) -> queueOption(uri, name, value));
        });
    }

    private void queueOption(Setting uri, String name, String value) {
        Setting option = new Setting(uri.name() + " parameter " + name, value);
        switch (name) {
            case "heartbeat" -> integer(option, 0).ifPresent(seconds ->
                    put(uri, "spring.rabbitmq.requested-heartbeat", seconds + "s"));
            case "channel_max" -> integer(option, 1).ifPresent(channels ->
                    put(uri, "spring.rabbitmq.requested-channel-max", String.valueOf(channels)));
            default -> warnings.add(option.name() + " is not honoured (Bytekeep's connection to RabbitMQ is configured "
                    + "under spring.rabbitmq.*)");
        }
    }

    /**
     * Bytes' data directory is Bytekeep's: the embedded S3 server, spool files and generated keys go there, beside
     * Bytes' organisation folders (which Bytekeep neither reads nor changes; import-bytes reads them). In Bytes'
     * environment (BYTES_DB_URI set) Bytes' default /data applies, so that nothing lands in the working directory of a
     * container whose volume is /data.
     */
    private void dataDirectory() {
        Optional<Setting> given = bytes("BYTES_DATA_DIR");
        if (given.isEmpty() && bytes("BYTES_DB_URI").isEmpty()) {
            return;
        }
        Setting directory = given.orElse(new Setting("BYTES_DATA_DIR (Bytes' default, as BYTES_DB_URI is set)", BYTES_DATA_DIR_DEFAULT));
        if (overridden(directory, "BYTEKEEP_DATA_DIR")) {
            return;
        }
        if (!isDirectory.test(Path.of(directory.value()))) {
            errors.add(directory.name() + ": " + directory.value() + " is not a directory (Bytes too needs it to exist)"
                    + (given.isEmpty() ? "; set BYTES_DATA_DIR" : ""));
            return;
        }
        put(directory, "BYTEKEEP_DATA_DIR", directory.value());
    }

    /**
     * With S3_BUCKET or S3_BUCKET_PREFIX Bytes kept its files in S3, with endpoint, keys and region from boto3's AWS_*
     * variables (which mean nothing to Bytes without them). Bytekeep then uses that S3 service too, for its own bucket:
     * Bytes' buckets stay as they are.
     */
    private void storage() {
        Optional<Setting> bucket = bytes("S3_BUCKET").or(() -> bytes("S3_BUCKET_PREFIX"));
        if (bucket.isEmpty()) {
            bytes("BUCKET_PER_ORG").ifPresent(perOrganization -> notes.add(perOrganization.name()
                    + " has no meaning without S3_BUCKET or S3_BUCKET_PREFIX, in Bytes as in Bytekeep"));
            return;
        }
        Setting s3 = bucket.get();
        put(s3, "BYTEKEEP_EMBEDDED_S3_ENABLED", "false");
        put(s3, "BYTEKEEP_S3_CREATE_BUCKETS", "true");
        notes.add("S3_BUCKET, S3_BUCKET_PREFIX and BUCKET_PER_ORG name Bytes' buckets: Bytekeep leaves them as they "
                + "are (bytekeep import-bytes reads them) and keeps its raw files in its own bucket on the same S3 "
                + "service (bytekeep.storage.raw-bucket)");
        if (aws("AWS_ACCESS_KEY_ID").isEmpty() && !alreadySet.test("BYTEKEEP_S3_ACCESS_KEY")
                || aws("AWS_SECRET_ACCESS_KEY").isEmpty() && !alreadySet.test("BYTEKEEP_S3_SECRET_KEY")) {
            errors.add(s3.name() + " is set (Bytes used S3), but not both of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: "
                    + "Bytekeep does not read boto3's other credential sources (~/.aws, instance roles); set them, "
                    + "or BYTEKEEP_S3_ACCESS_KEY and BYTEKEEP_S3_SECRET_KEY");
        }
        // boto3: the S3-specific endpoint before the general one
        aws("AWS_ENDPOINT_URL_S3").or(() -> aws("AWS_ENDPOINT_URL"))
                .ifPresent(endpoint -> put(endpoint, "BYTEKEEP_S3_ENDPOINT", endpoint.trimmed()));
        aws("AWS_ACCESS_KEY_ID").ifPresent(key -> put(key, "BYTEKEEP_S3_ACCESS_KEY", key.value()));
        aws("AWS_SECRET_ACCESS_KEY").ifPresent(key -> put(key, "BYTEKEEP_S3_SECRET_KEY", key.value()));
        aws("AWS_DEFAULT_REGION").or(() -> aws("AWS_REGION"))
                .ifPresent(region -> put(region, "BYTEKEEP_S3_REGION", region.trimmed()));
        aws("AWS_SESSION_TOKEN").ifPresent(token -> warnings.add(token.name() + " is not honoured: Bytekeep signs S3 "
                + "requests with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY alone (temporary credentials will be refused)"));
    }

    private void logging() {
        Optional<Setting> configuration = bytes("BYTES_LOG_CFG", "LOG_CFG");
        configuration.ifPresent(file -> warnings.add(file.name() + " names a Python logging configuration, which "
                + "Bytekeep does not read: it logs with Logback (logging.level.*, LOGGING_CONFIG)"));
        Optional<Setting> logFile = bytes("BYTES_LOG_FILE");
        boolean toFile = logFile.isPresent() && configuration.isPresent() && put(logFile.get(), "logging.file.name", logFile.get().value());
        if (logFile.isPresent() && configuration.isEmpty()) {
            notes.add("BYTES_LOG_FILE is not taken: Bytes writes it only through a logging configuration with a file "
                    + "handler (BYTES_LOG_CFG, as its Debian package sets); without one it logs to the console, as Bytekeep does");
        }
        bytes("BYTES_LOGGING_FORMAT").ifPresent(format -> {
            switch (format.trimmed().toLowerCase(Locale.ROOT)) {
                case "text" -> {
                    // Bytekeep's own default
                }
                case "json" -> {
                    put(format, "logging.structured.format.console", "ecs");
                    if (toFile) {
                        put(format, "logging.structured.format.file", "ecs");
                    }
                }
                default -> errors.add(format.name() + " must be text or json");
            }
        });
        for (String permission : new String[] {"BYTES_FOLDER_PERMISSION", "BYTES_FILE_PERMISSION"}) {
            bytes(permission).ifPresent(mode -> warnings.add(mode.name() + "=" + mode.trimmed() + " is not honoured: "
                    + "Bytekeep keeps raw files in S3 (the embedded S3 server writes them under <data directory>/s3 with "
                    + "the process's umask): restrict the data directory or the service's umask"));
        }
    }

    private void proofs() {
        bytes("BYTES_HASHING_ALGORITHM", "HASHING_ALGORITHM").ifPresent(algorithm -> {
            String name = algorithm.trimmed().toLowerCase(Locale.ROOT);
            if (name.equals("sha512") || name.equals("sha224")) {
                put(algorithm, "BYTEKEEP_HASHING_ALGORITHM", name.toUpperCase(Locale.ROOT));
            } else {
                errors.add(algorithm.name() + " must be sha512 or sha224 (Bytes' hashing algorithms; Bytekeep's others "
                        + "through BYTEKEEP_HASHING_ALGORITHM)");
            }
        });
        bytes("BYTES_EXT_HASH_REPOSITORY", "EXT_HASH_REPOSITORY", "EXT_HASH_SERVICE").ifPresent(repository -> {
            switch (repository.trimmed().toUpperCase(Locale.ROOT)) {
                case "IN_MEMORY" -> put(repository, "BYTEKEEP_HASH_REPOSITORY", "IN_MEMORY");
                case "RFC3161" -> {
                    put(repository, "BYTEKEEP_HASH_REPOSITORY", "RFC3161");
                    // Bytes' way: one TSA request per file, its token in hash_retrieval_link
                    put(repository, "BYTEKEEP_PROOF_MODE", "SINGLE");
                }
                case "PASTEBIN" -> errors.add(repository.name() + "=PASTEBIN is not supported: Bytekeep has no Pastebin "
                        + "hash repository; use RFC3161 (with BYTES_RFC3161_PROVIDER and BYTES_RFC3161_CERT_FILE) or IN_MEMORY");
                default -> errors.add(repository.name() + " must be IN_MEMORY, PASTEBIN or RFC3161");
            }
        });
        bytes("BYTES_PASTEBIN_API_DEV_KEY", "PASTEBIN_API_DEV_KEY").ifPresent(key -> notes.add(key.name()
                + " has no meaning in Bytekeep (it has no Pastebin hash repository)"));
        bytes("BYTES_RFC3161_PROVIDER", "RFC3161_PROVIDER").ifPresent(url -> put(url, "BYTEKEEP_TSA_URL", url.trimmed()));
        bytes("BYTES_RFC3161_CERT_FILE", "RFC3161_CERT_FILE")
                .ifPresent(file -> put(file, "BYTEKEEP_TSA_CERTIFICATE", file.trimmed()));
    }

    private void encryption() {
        Optional<Setting> privateKey = bytes("BYTES_PRIVATE_KEY_B64", "KAT_PRIVATE_KEY_B64");
        Optional<Setting> publicKey = bytes("BYTES_PUBLIC_KEY_B64", "VWS_PUBLIC_KEY_B64");
        privateKey.ifPresent(key -> put(key, "BYTEKEEP_PRIVATE_KEY_B64", key.value()));
        publicKey.ifPresent(key -> put(key, "BYTEKEEP_PUBLIC_KEY_B64", key.value()));
        bytes("BYTES_ENCRYPTION_MIDDLEWARE", "ENCRYPTION_MIDDLEWARE").ifPresent(middleware -> {
            String name = middleware.trimmed().toUpperCase(Locale.ROOT);
            if (!name.equals("IDENTITY") && !name.equals("NACL_SEALBOX")) {
                errors.add(middleware.name() + " must be IDENTITY or NACL_SEALBOX (Bytes' middlewares; Bytekeep's "
                        + "ENVELOPE_AES_GCM through BYTEKEEP_ENCRYPTION_MIDDLEWARE)");
                return;
            }
            boolean keysMissing = privateKey.isEmpty() && !alreadySet.test("BYTEKEEP_PRIVATE_KEY_B64")
                    || publicKey.isEmpty() && !alreadySet.test("BYTEKEEP_PUBLIC_KEY_B64");
            if (put(middleware, "BYTEKEEP_ENCRYPTION_MIDDLEWARE", name) && name.equals("NACL_SEALBOX") && keysMissing) {
                // as Bytes' make_middleware: never store in the clear what was meant to be encrypted
                errors.add(middleware.name() + "=NACL_SEALBOX requires private and public keys: set BYTES_PRIVATE_KEY_B64 "
                        + "and BYTES_PUBLIC_KEY_B64");
            }
        });
    }

    private void metrics() {
        bytes("BYTES_METRICS_TTL_SECONDS")
                .ifPresent(ttl -> integer(ttl, 0).ifPresent(seconds -> put(ttl, "BYTEKEEP_METRICS_TTL", seconds + "s")));
        bytes("BYTES_METRICS_CACHE_SIZE").ifPresent(size -> notes.add(size.name() + " has no meaning in Bytekeep: "
                + "it answers GET /bytes/mime_types from the database at every request (Bytes caches that many answers)"));
    }

    /**
     * A Bytes setting under its name in any case (pydantic-settings reads the environment case-insensitively), else
     * under a deprecated name of Bytes' BackwardsCompatibleEnvSettings, with Bytes' deprecation warning.
     */
    private Optional<Setting> bytes(String name, String... deprecatedNames) {
        Optional<Setting> setting = anyCase(name);
        for (int i = 0; setting.isEmpty() && i < deprecatedNames.length; i++) {
            setting = anyCase(deprecatedNames[i]);
            setting.ifPresent(deprecated -> warnings.add("Deprecation: " + deprecated.name() + " is deprecated, use " + name + " instead"));
        }
        return setting;
    }

    private Optional<Setting> anyCase(String name) {
        String actual = environment.containsKey(name) ? name : nameByLowerCase.get(name.toLowerCase(Locale.ROOT));
        return actual == null ? Optional.empty() : present(actual);
    }

    /** boto3 reads its variables as written (upper case). */
    private Optional<Setting> aws(String name) {
        return present(name);
    }

    private Optional<Setting> present(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(new Setting(name, value));
    }

    /** Sets {@code target} from a Bytes variable unless it is set already; whether it did. */
    private boolean put(Setting from, String target, String value) {
        if (overridden(from, target)) {
            return false;
        }
        properties.put(target, value);
        taken.computeIfAbsent(from.name(), name -> new ArrayList<>()).add(target);
        return true;
    }

    private boolean overridden(Setting from, String target) {
        if (!alreadySet.test(target)) {
            return false;
        }
        overridden.add(from.name() + " (" + target + " is set)");
        return true;
    }

    /** Bytes' float minutes (access_token_expire_minutes) as a duration. */
    private Optional<Duration> minutes(Setting setting) {
        String text = setting.trimmed();
        if (text.matches("[+]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            double seconds = Double.parseDouble(text) * 60;
            // Duration.ofNanos holds up to 292 years
            if (seconds > 0 && seconds * 1e9 < Long.MAX_VALUE) {
                return Optional.of(Duration.ofNanos(Math.round(seconds * 1e9)));
            }
        }
        errors.add(setting.name() + " must be a positive number of minutes (up to 292 years), was '" + text + "'");
        return Optional.empty();
    }

    private Optional<Integer> integer(Setting setting, int minimum) {
        String text = setting.trimmed();
        if (text.matches("[+-]?\\d{1,9}") && Integer.parseInt(text) >= minimum) {
            return Optional.of(Integer.parseInt(text));
        }
        errors.add(setting.name() + " must be a whole number of at least " + minimum + ", was '" + text + "'");
        return Optional.empty();
    }
}
