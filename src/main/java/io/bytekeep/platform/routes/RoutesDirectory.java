package io.bytekeep.platform.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Resolves {@code bytekeep.routes.directory} to the real directory before Camel reads it. Camel walks the directory
 * without following links, so a routes directory that is a symbolic link (a release folder a deployment tool links
 * in) loaded no route at all, and the service answered 404 everywhere while its health said UP. A directory that is
 * missing or holds no route file stops the start instead: without its routes the service does nothing.
 */
public class RoutesDirectory implements EnvironmentPostProcessor, Ordered {

    public static final String PROPERTY = "bytekeep.routes.directory";
    private static final String ROUTE_FILES = ".camel.yaml";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            return;
        }
        Path real = real(Path.of(configured));
        environment.getPropertySources().addFirst(new MapPropertySource("bytekeepRoutesDirectory", Map.of(PROPERTY, real.toString())));
    }

    static Path real(Path configured) {
        if (!Files.isDirectory(configured)) {
            throw new IllegalStateException("The route files' directory " + configured.toAbsolutePath() + " does not exist "
                    + "(bytekeep.routes.directory, BYTEKEEP_ROUTES_DIR): start Bytekeep from its installation directory or set it");
        }
        try {
            Path real = configured.toRealPath();
            try (Stream<Path> files = Files.list(real)) {
                if (files.noneMatch(file -> file.getFileName().toString().endsWith(ROUTE_FILES))) {
                    throw new IllegalStateException("The route files' directory " + real + " holds no *" + ROUTE_FILES
                            + " file (bytekeep.routes.directory, BYTEKEEP_ROUTES_DIR)");
                }
            }
            return real;
        } catch (IOException e) {
            throw new UncheckedIOException("The route files' directory " + configured + " cannot be read", e);
        }
    }

    /** After the jar's default routes are installed when there are none ({@code PackagedDefaults}). */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 5;
    }
}
