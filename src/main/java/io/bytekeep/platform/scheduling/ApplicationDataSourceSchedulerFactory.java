package io.bytekeep.platform.scheduling;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SchedulerFactory;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Builds camel-quartz's scheduler from plain Quartz properties, with the JDBC job store on the application's
 * {@link DataSource} (Spring Boot's pool: spring.datasource.*) instead of a second pool Quartz would make itself.
 * <p>
 * Quartz finds a job store's connections by name in a JVM-wide registry ({@link DBConnectionManager}) and keeps its
 * schedulers by instance name in another ({@link SchedulerRepository}). Each scheduler built here registers the
 * application's DataSource under a name of its own, and is taken out of the scheduler registry once built (as
 * Spring's SchedulerFactoryBean does): so several application contexts in one JVM (the tests) can each run a member
 * of the same cluster, which shares one instance name by definition. Camel's quartz component owns the scheduler's
 * life cycle (start with the CamelContext, shut down with it).
 */
final class ApplicationDataSourceSchedulerFactory implements SchedulerFactory {

    private static final AtomicInteger REGISTRATIONS = new AtomicInteger();

    private final Properties properties;
    private final DataSource dataSource;
    private Scheduler scheduler;

    ApplicationDataSourceSchedulerFactory(Map<String, String> quartzProperties, DataSource dataSource) {
        this.properties = new Properties();
        this.properties.putAll(quartzProperties);
        // never call home
        this.properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        this.dataSource = dataSource;
    }

    @Override
    public synchronized Scheduler getScheduler() throws SchedulerException {
        if (scheduler == null || scheduler.isShutdown()) {
            scheduler = createScheduler();
        }
        return scheduler;
    }

    @Override
    public synchronized Scheduler getScheduler(String schedName) throws SchedulerException {
        return scheduler != null && scheduler.getSchedulerName().equals(schedName) ? scheduler : null;
    }

    @Override
    public synchronized Collection<Scheduler> getAllSchedulers() {
        return scheduler == null ? List.of() : List.of(scheduler);
    }

    private Scheduler createScheduler() throws SchedulerException {
        Properties settings = new Properties();
        settings.putAll(properties);
        String dataSourceName = settings.getProperty(StdSchedulerFactory.PROP_JOB_STORE_PREFIX + ".dataSource", "application")
                + "#" + REGISTRATIONS.incrementAndGet();
        settings.setProperty(StdSchedulerFactory.PROP_JOB_STORE_PREFIX + ".dataSource", dataSourceName);
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new SharedDataSource(dataSource));

        String name = settings.getProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME);
        SchedulerRepository repository = SchedulerRepository.getInstance();
        synchronized (repository) {
            if (repository.lookup(name) != null) {
                throw new SchedulerException("another Quartz scheduler named '" + name + "' is registered in this JVM");
            }
            Scheduler created = new StdSchedulerFactory(settings).getScheduler();
            repository.remove(created.getSchedulerName());
            return created;
        }
    }

    /** The application's pool as Quartz's connection provider; the pool is Spring's to close, not Quartz's. */
    private record SharedDataSource(DataSource dataSource) implements ConnectionProvider {

        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // Spring closes the pool after Camel (and with it Quartz) has stopped
        }

        @Override
        public void initialize() {
            // the pool is up already
        }
    }
}
