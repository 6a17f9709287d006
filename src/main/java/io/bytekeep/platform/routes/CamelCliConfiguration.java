package io.bytekeep.platform.routes;

import org.apache.camel.spi.CliConnectorFactory;
import org.apache.camel.springboot.cli.connector.SpringCliConnectorFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.AbstractApplicationContext;

import io.bytekeep.BytekeepApplication;

/**
 * The Camel CLI's connector (ops/camel-cli): on only with {@code bytekeep.camel-cli} ({@code BYTEKEEP_CAMEL_CLI}).
 * Declared here because switching the starter off ({@code camel.cli.enabled=false}) only drops its factory, and Camel
 * then finds the connector's own on the class path, which is on: it would write ~/.camel every second, and stop the
 * service when those files go.
 */
@Configuration(proxyBeanMethods = false)
public class CamelCliConfiguration {

    @Bean
    CliConnectorFactory cliConnectorFactory(AbstractApplicationContext context,
                                            @Value("${bytekeep.camel-cli:false}") boolean enabled) {
        SpringCliConnectorFactory factory = new SpringCliConnectorFactory(context);
        factory.setEnabled(enabled);
        factory.setRuntime("Spring Boot");
        factory.setRuntimeVersion(SpringBootVersion.getVersion());
        factory.setRuntimeStartClass(BytekeepApplication.class.getName());
        return factory;
    }
}
