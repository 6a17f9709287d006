package io.bytekeep.platform.bytesenv;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import io.bytekeep.platform.DataDirectory;

/**
 * Lets an operator swap the Bytes container for Bytekeep and keep the env file: Bytes' environment variables
 * ({@link BytesVariables}) become a property source of the lowest precedence, so a {@code BYTEKEEP_*} variable, a
 * command-line argument or a configuration file that sets the same thing wins. Runs after the configuration files are
 * loaded and before {@link DataDirectory}, which resolves the data directory. The log names every Bytes variable taken
 * (never a value); an invalid one stops the start with {@link BytesEnvironmentException}.
 */
public class BytesEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE = "bytesEnvironment";

    private final Log log;

    public BytesEnvironment(DeferredLogFactory logs) {
        this.log = logs.getLog(BytesEnvironment.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, String> variables = new LinkedHashMap<>();
        environment.getSystemEnvironment().forEach((name, value) -> variables.put(name, String.valueOf(value)));
        BytesVariables.Translation translation = new BytesVariables(variables, environment::containsProperty,
                Files::isDirectory).translate();
        if (!translation.taken().isEmpty()) {
            log.info("Bytes' environment variables taken: " + translation.taken().entrySet().stream()
                    .map(variable -> variable.getKey() + " (" + String.join(", ", variable.getValue()) + ")")
                    .collect(Collectors.joining(", ")));
        }
        if (!translation.overridden().isEmpty()) {
            log.info("Bytes' environment variables not taken, as their Bytekeep settings are set: "
                    + String.join(", ", translation.overridden()));
        }
        translation.notes().forEach(log::info);
        translation.warnings().forEach(log::warn);
        if (!translation.errors().isEmpty()) {
            throw new BytesEnvironmentException(translation.errors());
        }
        if (!translation.properties().isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, translation.properties()));
        }
    }

    @Override
    public int getOrder() {
        return DataDirectory.ORDER - 10;
    }

    /** Bytes' environment variables that cannot be taken as they are; each message names its variable. */
    public static class BytesEnvironmentException extends IllegalStateException {

        private final List<String> problems;

        BytesEnvironmentException(List<String> problems) {
            super("Bytes' environment variables that Bytekeep cannot take:\n  - " + String.join("\n  - ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
