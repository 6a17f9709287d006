package io.bytekeep.platform;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertiesPropertySource;

/**
 * Lets the embedded default start with nothing configured, without a password in the repository: on first
 * start it creates random secrets (token signing key, the API user's password, the embedded S3 keys, the
 * key submission token, the key-encryption key) in
 * {@code <data-dir>/generated-secrets.properties} (owner-only), and offers them as {@code bytekeep.generated.*}.
 * The configuration uses them only where no environment variable gives a value. Production turns this off.
 */
public class GeneratedSecrets implements EnvironmentPostProcessor, Ordered {

    static final String FILE_NAME = "generated-secrets.properties";
    private static final String[] NAMES = {"jwt-secret", "password", "s3-access-key", "s3-secret-key", "submission-token", "kek-key-b64",
            "padding-secret"};

    private final Log log;

    public GeneratedSecrets(DeferredLogFactory logs) {
        this.log = logs.getLog(GeneratedSecrets.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("bytekeep.generate-missing-secrets", Boolean.class, false)) {
            return;
        }
        Path file = Path.of(environment.getProperty("bytekeep.data-dir", "data")).resolve(FILE_NAME);
        Properties secrets = load(file);
        boolean changed = false;
        SecureRandom random = new SecureRandom();
        for (String name : NAMES) {
            if (secrets.getProperty(name, "").isEmpty()) {
                byte[] bytes = new byte[name.equals("s3-access-key") ? 10 : 32];
                random.nextBytes(bytes);
                // the key-encryption key is configured as base64 of its 32 bytes, like every key of bytekeep.custody
                secrets.setProperty(name, name.endsWith("-b64") ? Base64.getEncoder().encodeToString(bytes) : HexFormat.of().formatHex(bytes));
                changed = true;
            }
        }
        if (changed) {
            store(file, secrets);
            log.info("Generated secrets for the embedded default in " + file
                    + " (the API password is 'password' there; set BYTEKEEP_PASSWORD to choose your own)");
        } else if (Files.isRegularFile(file) && readText(file).contains("\\=")) {
            // a file of an earlier version, written with Properties' escapes: the same secrets in the plain form
            store(file, secrets);
        }
        Map<String, Object> values = secrets.stringPropertyNames().stream()
                .collect(Collectors.toMap(name -> "bytekeep.generated." + name, secrets::getProperty));
        Properties prefixed = new Properties();
        prefixed.putAll(values);
        environment.getPropertySources().addLast(new PropertiesPropertySource("bytekeepGeneratedSecrets", prefixed));
    }

    /** After {@link DataDirectory}, which makes the directory absolute. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return properties;
    }

    /**
     * The secrets as {@code key=value} lines, sorted, unescaped (what Properties reads back, and what
     * {@code grep '^key=' | cut -d= -f2-} reads too: Properties' own writer escapes the {@code =} of base64 padding,
     * which such a command returned with a backslash); in Properties' own form when a value someone wrote into the
     * file needs escaping.
     */
    static String text(Properties secrets) throws IOException {
        boolean plain = secrets.stringPropertyNames().stream().allMatch(key -> key.matches("[a-z0-9.-]+")
                && secrets.getProperty(key).matches("[A-Za-z0-9+/=_.:-]*"));
        if (!plain) {
            StringWriter escaped = new StringWriter();
            secrets.store(escaped, COMMENT);
            return escaped.toString();
        }
        StringBuilder text = new StringBuilder("# " + COMMENT + "\n");
        new TreeSet<>(secrets.stringPropertyNames()).forEach(key ->
                text.append(key).append('=').append(secrets.getProperty(key)).append('\n'));
        return text.toString();
    }

    private static final String COMMENT = "Generated by Bytekeep for the embedded default run. Keep private.";

    private static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void store(Path file, Properties secrets) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                Files.createFile(file);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system; the data directory's own permissions apply
                }
            }
            try (Writer writer = Files.newBufferedWriter(file)) {
                writer.write(text(secrets));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
