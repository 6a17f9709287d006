package io.bytekeep.platform.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;

/** What the embedded servers share: argument checks and keeping third-party servers' logs quiet. */
final class EmbeddedServers {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServers.class);

    private EmbeddedServers() {
    }

    /**
     * Sets the given loggers to WARN where the application's logging configuration gave them no
     * level of their own (so {@code logging.level.<name>} still wins), through Spring Boot's
     * logging system; does nothing where that is not available.
     */
    static void quietUnlessConfigured(String... loggerNames) {
        try {
            LoggingSystem loggingSystem = LoggingSystem.get(EmbeddedServers.class.getClassLoader());
            for (String name : loggerNames) {
                LoggerConfiguration current = loggingSystem.getLoggerConfiguration(name);
                if (current == null || current.getConfiguredLevel() == null) {
                    loggingSystem.setLogLevel(name, LogLevel.WARN);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Could not adjust the log levels of {}", String.join(", ", loggerNames), e);
        }
    }

    static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
