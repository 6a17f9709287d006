package io.bytekeep.platform.admin;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The effective configuration ({@code bytekeep.*}, {@code spring.datasource.*}, {@code spring.rabbitmq.*},
 * {@code camel.*}) as the Spring Environment resolves it, secrets masked.
 *
 * <p>The masking rule: the last segment of a key (after the last dot, without a list index) is split into words
 * at '-', '_' and camelCase humps; the value is masked when one word is one of {@link #SECRET_WORDS}. So
 * {@code jwt-secret}, {@code users[0].password}, {@code secret-key}, {@code access-key}, {@code submission-token},
 * {@code signing-key-pem} are masked, and {@code raw-bucket}, {@code max-keys-per-submission} ("keys" is not
 * "key") are not. Besides, a value is masked when it equals a masked value (an alias of a secret) or contains
 * {@code password=} (credentials in a URL).
 */
public class AdminConfig {

    public static final String MASK = "******";
    static final Set<String> SECRET_WORDS = Set.of("secret", "password", "passwd", "passphrase", "token", "key",
            "credential", "credentials", "pem", "private");
    static final List<String> PREFIXES = List.of("bytekeep.", "spring.datasource.", "spring.rabbitmq.", "camel.");
    private static final Pattern HUMP = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])");

    private final ConfigurableEnvironment environment;

    public AdminConfig(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    public static boolean isSecretKey(String key) {
        String last = key.substring(key.lastIndexOf('.') + 1).replaceAll("\\[\\d+]", "");
        return Arrays.stream(HUMP.matcher(last).replaceAll("-").toLowerCase(Locale.ROOT).split("[-_]+"))
                .anyMatch(SECRET_WORDS::contains);
    }

    public Map<String, String> effective() {
        Set<String> keys = new HashSet<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (PREFIXES.stream().anyMatch(name::startsWith)) {
                        keys.add(name);
                    }
                }
            }
        }
        Map<String, String> values = new TreeMap<>();
        for (String key : keys) {
            String value;
            try {
                value = environment.getProperty(key);
            } catch (RuntimeException e) {
                value = "<unresolvable: " + e.getMessage() + ">";
            }
            values.put(key, value);
        }
        Set<String> secrets = new HashSet<>();
        values.forEach((key, value) -> {
            if (isSecretKey(key) && value != null && !value.isEmpty()) {
                secrets.add(value);
            }
        });
        Map<String, String> masked = new TreeMap<>();
        values.forEach((key, value) -> masked.put(key, mask(key, value, secrets)));
        return masked;
    }

    private static String mask(String key, String value, Set<String> secrets) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (isSecretKey(key) || secrets.contains(value) || value.toLowerCase(Locale.ROOT).contains("password=")) {
            return MASK;
        }
        return value;
    }
}
