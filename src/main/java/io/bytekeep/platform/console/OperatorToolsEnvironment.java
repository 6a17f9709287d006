package io.bytekeep.platform.console;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * What the two operator tools switch on, derived from their settings so that config/application.yaml says each once:
 * Camel's in-process management (MBeans; it counts per exchange, so it is off otherwise) when the Camel CLI
 * ({@code bytekeep.camel-cli}) or the web console ({@code bytekeep.console}) is on; the console's Actuator endpoints
 * (Hawtio, and Jolokia, the JMX bridge it reads) only with the console.
 */
public class OperatorToolsEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String CAMEL_MANAGEMENT = "bytekeep.operator-tools.camel-management";
    static final String CONSOLE_ENDPOINTS = "bytekeep.operator-tools.console-endpoints";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean cli = environment.getProperty("bytekeep.camel-cli", Boolean.class, false);
        boolean console = environment.getProperty("bytekeep.console", Boolean.class, false);
        environment.getPropertySources().addLast(new MapPropertySource("bytekeepOperatorTools", Map.of(
                CAMEL_MANAGEMENT, String.valueOf(cli || console),
                CONSOLE_ENDPOINTS, console ? "unrestricted" : "none")));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
