package io.bytekeep.platform.plugins;

import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.bytekeep.platform.BytekeepProperties;

/**
 * Plugins are JAR files in {@code bytekeep.plugins.directory}: their classes become visible to Camel's class
 * resolver before the route files load, so a route file can declare a plugin bean ({@code beans:} with its
 * {@code type}) or call one ({@code #class:...}). Loaded once per start; route files using them reload as usual.
 */
@Configuration(proxyBeanMethods = false)
public class PluginsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PluginsConfiguration.class);

    @Bean(destroyMethod = "close")
    PluginJars pluginJars(BytekeepProperties properties) {
        PluginJars plugins = PluginJars.load(properties.plugins().directory(), PluginsConfiguration.class.getClassLoader());
        if (plugins.jars().isEmpty()) {
            LOG.info("No plugin JARs in {}", plugins.directory());
        }
        for (PluginJars.Jar jar : plugins.jars()) {
            LOG.info("Plugin JAR {} ({} bytes, sha256 {}) from {}", jar.file(), jar.size(), jar.sha256(), plugins.directory());
        }
        return plugins;
    }

    @Bean
    CamelContextConfiguration pluginClasses(PluginJars plugins) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                camel.getClassResolver().addClassLoader(plugins.classLoader());
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing after start
            }
        };
    }

    /** {@code GET /admin/plugins}: the directory and each loaded JAR with its size and SHA-256. */
    @Bean
    Processor adminPlugins(PluginJars plugins) {
        return exchange -> exchange.getMessage().setBody(java.util.Map.of(
                "directory", plugins.directory().toString(), "jars", plugins.jars()));
    }
}
