package io.bytekeep.platform.routes;

import java.nio.file.Path;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Route files reload on change through {@link SafeRouteReloadStrategy} (Camel's own watcher is off:
 * {@code camel.main.routes-reload-enabled=false}); directory and pattern are Camel's usual settings.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "bytekeep.routes.reload-enabled", havingValue = "true")
public class RouteReloadConfiguration {

    @Bean
    SafeRouteReloadStrategy routeReloadStrategy(@Value("${camel.main.routes-reload-directory}") String directory,
                                                @Value("${camel.main.routes-reload-pattern:*.camel.yaml}") String pattern) {
        return new SafeRouteReloadStrategy(Path.of(directory), pattern);
    }

    /** {@code bytekeep_routes_rejected_files}: route files whose last edit did not load (the previous version runs). */
    @Bean
    MeterBinder routeReloadMetrics(SafeRouteReloadStrategy strategy) {
        return registry -> Gauge.builder("bytekeep.routes.rejected.files", strategy, s -> s.rejectedFiles().size())
                .description("route files whose last change was rejected; the previous version keeps running")
                .register(registry);
    }

    @Bean
    RouteFilesHealthIndicator routeFilesHealthIndicator(SafeRouteReloadStrategy strategy) {
        return new RouteFilesHealthIndicator(strategy);
    }

    @Bean
    CamelContextConfiguration safeRouteReload(SafeRouteReloadStrategy strategy) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                try {
                    camel.addService(strategy);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot watch the route files", e);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing after start
            }
        };
    }
}
