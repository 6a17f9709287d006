package io.bytekeep.platform.admin;

import org.apache.camel.CamelContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

import io.micrometer.core.instrument.MeterRegistry;

/** The admin API of routes/admin-api.camel.yaml: route control and metrics, the effective configuration. */
@Configuration(proxyBeanMethods = false)
public class AdminConfiguration {

    @Bean
    AdminRoutes adminRoutes(CamelContext camel, MeterRegistry meters) {
        return new AdminRoutes(camel, meters);
    }

    /** {@code GET /admin/reload}: the route files' reload counts and the last rejected edit. */
    @Bean
    org.apache.camel.Processor adminReloadStatus(
            org.springframework.beans.factory.ObjectProvider<io.bytekeep.platform.routes.SafeRouteReloadStrategy> reload) {
        return exchange -> {
            var strategy = reload.getIfAvailable();
            exchange.getMessage().setBody(strategy != null ? strategy.status() : java.util.Map.of("enabled", false));
        };
    }

    @Bean
    AdminConfig adminConfig(ConfigurableEnvironment environment) {
        return new AdminConfig(environment);
    }
}
