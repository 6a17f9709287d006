package io.bytekeep.platform.routes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's route file watcher, with one difference: an edit that does not load (a YAML error, an unknown bean, a
 * duplicate id) leaves the previous version of that file's routes running instead of none. Camel removes a file's
 * routes before it loads the new version; when that fails, the last version that loaded is loaded again from
 * memory, and the failure is logged and counted ({@link #getFailedCounter()}, {@link #getLastError()}).
 */
public class SafeRouteReloadStrategy extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(SafeRouteReloadStrategy.class);

    private final Path directory;
    private final Map<Path, String> lastGood = new ConcurrentHashMap<>();
    private final Map<Path, Rejection> rejected = new ConcurrentHashMap<>();

    /** A route file whose current content did not load: the routes of its previous version run instead. */
    public record Rejection(String file, String error, Instant at) {
    }

    public SafeRouteReloadStrategy(Path directory, String pattern) {
        super(directory.toString(), false);
        this.directory = directory.toAbsolutePath().normalize();
        setPattern(pattern);
        setRemoveAllRoutes(false);
    }

    @Override
    protected void doStart() throws Exception {
        PathMatcher matcher = directory.getFileSystem().getPathMatcher("glob:" + getPattern());
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> matcher.matches(f.getFileName())).toList()) {
                lastGood.put(file.toAbsolutePath().normalize(), Files.readString(file));
            }
        }
        super.doStart();
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        try {
            super.onRouteReload(resources, removeEverything);
            resources.forEach(resource -> rejected.remove(fileOf(resource)));
            remakeTemplatedRoutes(resources);
        } catch (RuntimeException failure) {
            restore(resources, failure);
            throw failure;
        }
        for (Resource resource : resources) {
            Path file = fileOf(resource);
            try {
                lastGood.put(file, Files.readString(file));
            } catch (IOException e) {
                LOG.warn("Cannot keep the loaded version of {}: {}", file, e.getMessage());
            }
        }
    }

    /**
     * Camel's reload adds a file's route templates beside the loaded ones (a look-up by id still finds the old one) and
     * keeps the routes made from them (templatedRoute) as they were: here the file's templates replace the old ones,
     * and its routes are made again from them, under their ids.
     */
    private void remakeTemplatedRoutes(Collection<Resource> resources) {
        CamelContext camel = getCamelContext();
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        try {
            List<Resource> withTemplates = resources.stream().filter(SafeRouteReloadStrategy::hasTemplates).toList();
            if (withTemplates.isEmpty()) {
                return;
            }
            for (RoutesBuilder builder : PluginHelper.getRoutesLoader(camel).findRoutesBuilders(withTemplates)) {
                if (builder instanceof RouteBuilder routes) {
                    routes.configureRoutes(camel);
                    for (RouteTemplateDefinition template : routes.getRouteTemplateCollection().getRouteTemplates()) {
                        model.removeRouteTemplateDefinitions(template.getId());
                        model.addRouteTemplateDefinition(template);
                    }
                    for (TemplatedRouteDefinition templated : routes.getTemplatedRouteCollection().getTemplatedRoutes()) {
                        String id = templated.getRouteId();
                        if (camel.getRoute(id) != null) {
                            camel.getRouteController().stopRoute(id);
                            camel.removeRoute(id);
                        }
                        model.addRouteFromTemplatedRoute(templated);
                        camel.getRouteController().startRoute(id);
                    }
                }
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the routes made from the templates of " + resources + " could not be made again: "
                    + e.getMessage(), e);
        }
    }

    /** Whether a route file (still there) has route templates or routes made from one: only those are read twice. */
    private static boolean hasTemplates(Resource resource) {
        if (!resource.exists()) {
            return false;
        }
        try (InputStream in = resource.getInputStream()) {
            String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return content.contains("routeTemplate:") || content.contains("templatedRoute:");
        } catch (IOException e) {
            return true;
        }
    }

    private void restore(Collection<Resource> resources, RuntimeException failure) {
        List<Resource> previous = new ArrayList<>();
        for (Resource resource : resources) {
            Path file = fileOf(resource);
            rejected.put(file, new Rejection(directory.relativize(file).toString(), failure.getMessage(), Instant.now()));
            String content = lastGood.get(file);
            if (content != null) {
                previous.add(ResourceHelper.fromString(resource.getLocation(), content));
            }
        }
        LOG.error("Route file change rejected, the previous version keeps running: {}", failure.getMessage());
        try {
            PluginHelper.getRoutesLoader(getCamelContext()).updateRoutes(previous);
            remakeTemplatedRoutes(previous);
        } catch (Exception e) {
            LOG.error("The previous version of {} could not be loaded again either", resources, e);
        }
    }

    /** What the admin API reports: the watched directory, reloads that loaded, reloads that were rejected and why. */
    public Map<String, Object> status() {
        Map<String, Object> status = new java.util.LinkedHashMap<>();
        status.put("directory", directory.toString());
        status.put("reloads", getReloadCounter());
        status.put("rejected", getFailedCounter());
        status.put("last_error", getLastError() == null ? null : getLastError().getMessage());
        status.put("rejected_files", rejectedFiles());
        return status;
    }

    /** The content of a route file that its running routes were loaded from (this strategy's start or last reload). */
    public java.util.Optional<String> loadedVersion(Path file) {
        return java.util.Optional.ofNullable(lastGood.get(file.toAbsolutePath().normalize()));
    }

    /** Route files whose current content is not what runs, because it did not load; empty once each loads. */
    public List<Rejection> rejectedFiles() {
        return rejected.values().stream().sorted(java.util.Comparator.comparing(Rejection::file)).toList();
    }

    private static Path fileOf(Resource resource) {
        String location = resource.getLocation();
        String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
        return Path.of(path).toAbsolutePath().normalize();
    }
}
