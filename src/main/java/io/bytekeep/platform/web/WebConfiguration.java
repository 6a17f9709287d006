package io.bytekeep.platform.web;

import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.catalina.Host;
import org.apache.camel.openapi.RestOpenApiProcessor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import io.bytekeep.platform.BytekeepProperties;

/** The HTTP edge shared by all features: JSON in and out, problems, health. */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration {

    @Bean
    ApiJson apiJson() {
        return new ApiJson();
    }

    @Bean
    JsonBody jsonBody(ApiJson apiJson, BytekeepProperties properties) {
        return new JsonBody(apiJson.mapper(), properties.vault().maxRequestSize().toBytes());
    }

    @Bean
    JsonResponder jsonResponder(ApiJson apiJson) {
        return new JsonResponder(apiJson.mapper());
    }

    /** Before every other filter: nothing is read or checked while the routes are not there to answer. */
    @Bean
    FilterRegistrationBean<StartupGate> startupGate(ApplicationAvailability availability) {
        FilterRegistrationBean<StartupGate> registration = new FilterRegistrationBean<>(new StartupGate(availability));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * Errors Tomcat answers itself (headers over the limits, a malformed request line) as problem+json too. Runs after
     * Spring Boot's own Tomcat customizer, whose HTML error report valve it replaces.
     */
    @Bean
    TomcatProblemReports tomcatProblemReports() {
        return new TomcatProblemReports();
    }

    @Bean
    ProblemResponder problemResponder(ApiJson apiJson) {
        return new ProblemResponder(apiJson.mapper());
    }

    /** Renders the OpenAPI document from the REST DSL; served by a route, so it sits behind the token check. */
    @Bean
    RestOpenApiProcessor openApiDocument(CamelContext camel) {
        RestOpenApiProcessor document = new RestOpenApiProcessor(Map.of(
                "api.title", "Bytekeep Vault API (Bytes-compatible)",
                "api.version", BytekeepVersion.get(),
                "api.description", "The OpenKAT Bytes API on Camel routes; differences from Bytes are listed in docs/API.md"),
                camel.getRestConfiguration());
        document.setCamelContext(camel);
        return document;
    }

    @Bean
    HealthReport healthReport(HealthEndpoint health, ObjectProvider<BuildProperties> build) {
        BuildProperties info = build.getIfAvailable();
        String version = info != null ? info.getVersion() : BytekeepVersion.get();
        return new HealthReport(health, version, List.of("db", "s3", "rabbit"));
    }

    /**
     * Errors Tomcat answers itself (headers over the limits, a malformed request line) as problem+json too. Ordered
     * after Spring Boot's own Tomcat customizer, whose HTML error report valve it replaces.
     */
    static final class TomcatProblemReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> ProblemReportValve.install((Host) context.getParent()));
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
