package io.bytekeep.platform;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code bytekeep.data-dir} absolute before anything uses it: H2 refuses implicitly relative paths, and
 * log lines naming files should say where they are.
 */
public class DataDirectory implements EnvironmentPostProcessor, Ordered {

    public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 10;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty("bytekeep.data-dir");
        if (configured != null && !configured.isBlank()) {
            String absolute = Path.of(configured).toAbsolutePath().normalize().toString();
            environment.getPropertySources().addFirst(new MapPropertySource("bytekeepDataDirectory", Map.of("bytekeep.data-dir", absolute)));
        }
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
