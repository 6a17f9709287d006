package io.bytekeep.platform.embedded;

import java.time.Duration;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

import io.bytekeep.platform.BytekeepProperties;

/**
 * The embedded default's servers: an S3 API and an AMQP 0-9-1 broker in the same JVM, so the same Camel
 * components (aws2-s3, spring-rabbitmq) run as in production. Each starts before its client bean is built.
 */
@Configuration(proxyBeanMethods = false)
public class EmbeddedServersConfiguration {

    static final String S3_SERVER = "embeddedS3Server";
    static final String AMQP_BROKER = "embeddedAmqpBroker";
    static final String S3_EXPORTS_SERVER = "embeddedS3ExportsServer";

    @Primary
    @Bean(name = S3_SERVER, destroyMethod = "stop")
    @ConditionalOnProperty(name = "bytekeep.embedded.s3.enabled", havingValue = "true")
    EmbeddedS3Server embeddedS3Server(BytekeepProperties properties) {
        EmbeddedS3Server server = new EmbeddedS3Server(EmbeddedS3Server.Backend.FILESYSTEM,
                properties.dataDir().resolve("s3"), properties.embedded().s3().port(),
                properties.storage().accessKey(), properties.storage().secretKey());
        server.start();
        return server;
    }

    /**
     * The export tree of the distribution holds {@code .../hour} (a listing) beside {@code .../hour/5} (an archive):
     * a key that is also a prefix of other keys, which the plain filesystem backend cannot store. It lives in a second
     * S3 API on disk under {@code <data-dir>/s3-exports} whose files are named by key plus a suffix
     * ({@link PrefixSafeKeys}); in memory it took 350 MB of heap at 3.36 million published keys.
     */
    @Bean(name = S3_EXPORTS_SERVER, destroyMethod = "stop")
    @ConditionalOnProperty(name = "bytekeep.embedded.s3-exports.enabled", havingValue = "true")
    EmbeddedS3Server embeddedS3ExportsServer(BytekeepProperties properties) {
        EmbeddedS3Server server = new EmbeddedS3Server(EmbeddedS3Server.Backend.FILESYSTEM_PREFIX_KEYS,
                properties.dataDir().resolve("s3-exports"), properties.embedded().s3Exports().port(),
                properties.storage().accessKey(), properties.storage().secretKey());
        server.start();
        org.slf4j.LoggerFactory.getLogger(EmbeddedServersConfiguration.class).info(
                "Export bucket {} of the distribution is served by the embedded S3 API on {}",
                properties.distribution().exportBucket(), server.endpoint());
        return server;
    }

    @Bean(name = AMQP_BROKER, destroyMethod = "stop")
    @ConditionalOnProperty(name = "bytekeep.embedded.amqp.enabled", havingValue = "true")
    EmbeddedAmqpBroker embeddedAmqpBroker(BytekeepProperties properties,
                                          org.springframework.boot.autoconfigure.amqp.RabbitProperties rabbit) {
        EmbeddedAmqpBroker broker = new EmbeddedAmqpBroker(properties.dataDir().resolve("amqp"),
                properties.embedded().amqp().port(), rabbit.getUsername(), rabbit.getPassword(),
                List.of(properties.events().rawFileReceivedQueue()));
        broker.start();
        return broker;
    }

    /**
     * The embedded database (H2 in a file) answers a commit only once it is on stable storage, as PostgreSQL does with
     * its defaults: see {@link DurableCommitDataSource}.
     */
    @Bean
    static BeanPostProcessor durableEmbeddedDatabase(Environment environment) {
        // bound here, not injected: a post-processor is built before BytekeepProperties; the record still validates
        Duration window = Binder.get(environment)
                .bind("bytekeep.embedded.database", BytekeepProperties.EmbeddedDatabase.class)
                .orElseThrow(() -> new IllegalStateException("set bytekeep.embedded.database.group-commit-window"))
                .groupCommitWindow();
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource pool && isEmbeddedFileDatabase(pool.getJdbcUrl())) {
                    org.slf4j.LoggerFactory.getLogger(EmbeddedServersConfiguration.class).info(
                            "Embedded database {}: every commit is forced to disk before it returns (groups of commits at "
                                    + "most every {}), and the file at least every {}", pool.getJdbcUrl(), window, FLUSH_EVERY);
                    return new DurableCommitDataSource(pool, window, FLUSH_EVERY);
                }
                return bean;
            }
        };
    }

    /** A fifth of the RETENTION_TIME (5 s) of the embedded default's database URL (config/application.yaml). */
    private static final Duration FLUSH_EVERY = Duration.ofSeconds(1);

    static boolean isEmbeddedFileDatabase(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:h2:mem:");
    }

    /** Clients must not connect before their embedded server listens. */
    @Bean
    static BeanFactoryPostProcessor embeddedServersFirst() {
        return beanFactory -> {
            dependOn(beanFactory, "s3Client", S3_SERVER);
            dependOn(beanFactory, "exportS3Client", S3_EXPORTS_SERVER);
            dependOn(beanFactory, "rabbitConnectionFactory", AMQP_BROKER);
        };
    }

    private static void dependOn(ConfigurableListableBeanFactory beanFactory, String client, String server) {
        if (beanFactory.containsBeanDefinition(client) && beanFactory.containsBeanDefinition(server)) {
            BeanDefinition definition = beanFactory.getBeanDefinition(client);
            String[] existing = definition.getDependsOn();
            String[] dependsOn = existing == null ? new String[] {server} : append(existing, server);
            definition.setDependsOn(dependsOn);
        }
    }

    private static String[] append(String[] values, String value) {
        String[] result = java.util.Arrays.copyOf(values, values.length + 1);
        result[values.length] = value;
        return result;
    }
}
