package io.bytekeep.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import io.bytekeep.platform.routes.RoutesDirectory;

/**
 * A jar started outside its checkout runs on the defaults it carries: its config/application*.yaml are on the class
 * path (Spring Boot reads classpath:/config/, and a config/ directory beside the start overrides them), and when there
 * is no routes/ directory where it starts (and none is configured) the jar's own route files are installed into the
 * data directory once and used from there, where an integrator edits them and the service reloads them; the same for
 * the distribution's config/app-configuration.yaml. A later jar does not overwrite what is installed.
 */
public class PackagedDefaults implements EnvironmentPostProcessor, Ordered {

    /** After the data directory is made absolute, before the routes directory is resolved. */
    public static final int ORDER = DataDirectory.ORDER + 2;
    static final String ROUTES = "classpath:bytekeep/routes/*.camel.yaml";
    static final String APP_CONFIGURATION = "classpath:config/app-configuration.yaml";
    private static final String APP_CONFIGURATION_FILE = "bytekeep.distribution.configuration-file";

    private final Log log;

    public PackagedDefaults(DeferredLogFactory logs) {
        this.log = logs.getLog(PackagedDefaults.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Path workingDirectory = Path.of(System.getProperty("user.dir"));
        Path data = Path.of(environment.getProperty("bytekeep.data-dir", "data"));
        Map<String, Object> installed = new LinkedHashMap<>();
        if (isMissingDefault(environment, RoutesDirectory.PROPERTY, workingDirectory.resolve("routes"))) {
            Path routes = data.resolve("routes");
            if (!holdsRouteFiles(routes)) {
                copy(ROUTES, routes);
                log.info("No routes/ where Bytekeep started: the jar's route files are installed in " + routes
                        + "; edit them there (they reload), or set BYTEKEEP_ROUTES_DIR");
            }
            installed.put(RoutesDirectory.PROPERTY, routes.toString());
        }
        if (isMissingDefault(environment, APP_CONFIGURATION_FILE, workingDirectory.resolve("config/app-configuration.yaml"))) {
            Path file = data.resolve("config").resolve("app-configuration.yaml");
            if (!Files.exists(file)) {
                copy(APP_CONFIGURATION, file.getParent());
                log.info("No config/app-configuration.yaml where Bytekeep started: the jar's is installed as " + file);
            }
            installed.put(APP_CONFIGURATION_FILE, file.toString());
        }
        if (!installed.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource("bytekeepPackagedDefaults", installed));
        }
    }

    /** The setting is its default, beside the working directory, and nothing is there. */
    private static boolean isMissingDefault(ConfigurableEnvironment environment, String property, Path defaultPath) {
        String configured = environment.getProperty(property);
        return configured != null && Path.of(configured).toAbsolutePath().normalize().equals(defaultPath)
                && !Files.exists(defaultPath);
    }

    private static boolean holdsRouteFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".camel.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + directory, e);
        }
    }

    private static void copy(String pattern, Path directory) {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver(PackagedDefaults.class.getClassLoader())
                    .getResources(pattern);
            if (resources.length == 0) {
                throw new IllegalStateException("this build of Bytekeep carries no " + pattern);
            }
            Files.createDirectories(directory);
            for (Resource resource : resources) {
                try (InputStream in = resource.getInputStream()) {
                    Files.copy(in, directory.resolve(resource.getFilename()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the jar's defaults in " + directory, e);
        }
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
