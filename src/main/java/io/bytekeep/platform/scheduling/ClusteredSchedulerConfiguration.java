package io.bytekeep.platform.scheduling;

import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.Component;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Camel's quartz component on a JDBC job store backed by the application's DataSource.
 * <p>
 * The scheduler is configured with plain Quartz properties in {@code camel.component.quartz.properties} (the prod
 * profile: config/application-prod.yaml, a clustered {@link JobStoreTX} on PostgreSQL; tables from the Flyway
 * location db/vendor/postgresql). When those properties choose a JDBC job store and define no Quartz-made pool
 * ({@code org.quartz.dataSource.*}), the store takes its connections from the application's DataSource. Without such
 * properties (the embedded default) camel-quartz builds its usual in-memory scheduler (RAMJobStore).
 */
@Configuration(proxyBeanMethods = false)
public class ClusteredSchedulerConfiguration {

    static final String QUARTZ_PROPERTIES = "camel.component.quartz.properties";
    private static final Logger LOG = LoggerFactory.getLogger(ClusteredSchedulerConfiguration.class);

    @Bean
    ComponentCustomizer quartzJobStoreOnApplicationDataSource(Environment environment, DataSource dataSource) {
        Map<String, String> quartz = Binder.get(environment)
                .bind(QUARTZ_PROPERTIES, Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        return new ComponentCustomizer() {
            @Override
            public boolean isEnabled(String name, Component target) {
                return target instanceof QuartzComponent && usesApplicationDataSource(quartz);
            }

            @Override
            public void configure(String name, Component target) {
                LOG.info("Quartz scheduler '{}': {} on the application's DataSource, clustered: {}",
                        quartz.get("org.quartz.scheduler.instanceName"), quartz.get("org.quartz.jobStore.class"),
                        quartz.getOrDefault("org.quartz.jobStore.isClustered", "false"));
                ((QuartzComponent) target).setSchedulerFactory(new ApplicationDataSourceSchedulerFactory(quartz, dataSource));
            }
        };
    }

    static boolean usesApplicationDataSource(Map<String, String> quartz) {
        String store = quartz.get("org.quartz.jobStore.class");
        if (store == null || quartz.keySet().stream().anyMatch(key -> key.startsWith("org.quartz.dataSource."))) {
            return false;
        }
        try {
            return JobStoreTX.class.isAssignableFrom(ClassUtils.forName(store.trim(), null));
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException(QUARTZ_PROPERTIES + "[org.quartz.jobStore.class]: no such class " + store, e);
        }
    }
}
