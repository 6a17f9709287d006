package io.bytekeep.platform;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SchedulerMetaData;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.simpl.RAMJobStore;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.FileSystemUtils;

import io.bytekeep.BytekeepApplication;
import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.support.ProdEnvironment;
import io.bytekeep.support.TestServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the prod profile on one PostgreSQL database form one Quartz cluster: both register under the same
 * scheduler name with instance ids of their own, and the distribution run (here every second) fires once per firing
 * of the schedule, on one instance, never overlapping a run on the other; when one instance stops, the other goes on.
 * The embedded default keeps Quartz in memory.
 */
class ClusteredSchedulerIT {

    private static final String SCHEDULER = "bytekeep";
    private static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/" + TestServices.DATABASE;
    private static final List<String> QUARTZ_TABLES = List.of("qrtz_fired_triggers", "qrtz_paused_trigger_grps",
            "qrtz_scheduler_state", "qrtz_locks", "qrtz_simple_triggers", "qrtz_cron_triggers", "qrtz_simprop_triggers",
            "qrtz_blob_triggers", "qrtz_triggers", "qrtz_job_details", "qrtz_calendars");

    /** Every completed execution of a job, on any instance (Quartz makes one recorder per scheduler). */
    static final Queue<Firing> FIRINGS = new ConcurrentLinkedQueue<>();

    private static EmbeddedS3Server externalS3;

    record Firing(String instanceId, String job, Instant scheduled, Instant started, Instant ended, Throwable failure) {
    }

    /** A Quartz job listener, configured as a plain Quartz property (org.quartz.jobListener.NAME.class). */
    public static class FiringRecorder implements JobListener {

        private String name = "firings";

        public void setName(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public void jobToBeExecuted(JobExecutionContext context) {
        }

        @Override
        public void jobExecutionVetoed(JobExecutionContext context) {
        }

        @Override
        public void jobWasExecuted(JobExecutionContext context, JobExecutionException failure) {
            try {
                FIRINGS.add(new Firing(context.getScheduler().getSchedulerInstanceId(), context.getJobDetail().getKey().toString(),
                        context.getScheduledFireTime().toInstant(), context.getFireTime().toInstant(), Instant.now(), failure));
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeAll
    static void startAnS3EndpointOnAnEmptyJobStore() throws SQLException {
        TestServices.ensureDatabase();
        deleteQuartzRows();
        externalS3 = new EmbeddedS3Server(EmbeddedS3Server.Backend.TRANSIENT, null, 0, "prod-access", "prod-secret-0123456789");
        externalS3.start();
    }

    @AfterAll
    static void stopTheS3EndpointAndForgetTheSchedule() throws SQLException {
        externalS3.stop();
        // the every-second trigger must not outlive the test in the shared database
        deleteQuartzRows();
    }

    @Test
    void twoInstancesShareOneClusterAndEachFiringRunsOnce() {
        FIRINGS.clear();
        ConfigurableApplicationContext first = start(prodEnvironment("first"));
        ConfigurableApplicationContext second = null;
        try {
            second = start(prodEnvironment("second"));
            Scheduler one = scheduler(first);
            Scheduler two = scheduler(second);
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);

            // (a) one cluster in the database: same scheduler name, two instance ids, both checked in
            assertClusteredJdbcStore(one);
            assertClusteredJdbcStore(two);
            assertThat(schedulerName(one)).isEqualTo(SCHEDULER).isEqualTo(schedulerName(two));
            assertThat(instanceId(one)).isNotEqualTo(instanceId(two));
            assertThat(jdbc.queryForList("select table_name from information_schema.tables where table_schema = current_schema()"
                    + " and table_name like 'qrtz\\_%'", String.class)).containsExactlyInAnyOrderElementsOf(QUARTZ_TABLES);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.queryForList(
                    "select instance_name from qrtz_scheduler_state where sched_name = ?", String.class, SCHEDULER))
                    .contains(instanceId(one), instanceId(two)));

            // the route's job, stored once for the cluster: stateful (never concurrent), job data as string properties
            Map<String, Object> job = jdbc.queryForMap("select job_class_name, is_nonconcurrent, job_data from qrtz_job_details"
                    + " where sched_name = ? and job_group = 'bytekeep' and job_name = 'distribution'", SCHEDULER);
            assertThat(job.get("job_class_name")).isEqualTo("org.apache.camel.component.quartz.StatefulCamelJob");
            assertThat(job.get("is_nonconcurrent")).isEqualTo(true);
            assertThat(new String((byte[]) job.get("job_data"), StandardCharsets.ISO_8859_1))
                    .contains("CamelQuartzCamelContextName=").contains("quartz\\://bytekeep/distribution");
            assertThat(jdbc.queryForObject("select cron_expression from qrtz_cron_triggers where sched_name = ?"
                    + " and trigger_group = 'bytekeep' and trigger_name = 'distribution'", String.class, SCHEDULER))
                    .isEqualTo("0/1 * * * * ?");

            // the proof batches' job (routes/custody-proofs.camel.yaml) is a stateful job of the same cluster
            assertThat(jdbc.queryForObject("select is_nonconcurrent from qrtz_job_details where sched_name = ?"
                    + " and job_group = 'bytekeep' and job_name = 'custody-proofs'", Boolean.class, SCHEDULER)).isTrue();

            // (b) every second for a while: each firing runs once, on one instance, never beside another run
            await().atMost(Duration.ofSeconds(30)).until(() -> distributionFirings().size() >= 6);
            assertEachFiringRanOnceAndAlone();

            // the cluster survives an instance: the other one takes every firing from now on
            String survivor = instanceId(two);
            first.close();
            first = null;
            int before = distributionFirings().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> distributionFirings().stream().skip(before)
                    .filter(firing -> firing.instanceId().equals(survivor)).count() >= 3);
            assertEachFiringRanOnceAndAlone();
        } finally {
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    void embeddedDefaultKeepsQuartzInMemory() {
        Path data = Path.of("target", "clustered-scheduler-it", "embedded");
        FileSystemUtils.deleteRecursively(data.toFile());
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("BYTEKEEP_PORT", "0");
        environment.put("bytekeep.routes.reload-enabled", "false");
        environment.put("BYTEKEEP_DATA_DIR", data.toString());
        environment.put("BYTEKEEP_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        environment.put("BYTEKEEP_EMBEDDED_S3_PORT", String.valueOf(TestServices.freePort()));
        environment.put("BYTEKEEP_EMBEDDED_S3_EXPORTS_PORT", String.valueOf(TestServices.freePort()));
        environment.put("BYTEKEEP_EMBEDDED_AMQP_PORT", String.valueOf(TestServices.freePort()));
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(BytekeepApplication.class).properties(environment).run()) {
            assertThat(app.getEnvironment().getProperty("spring.datasource.url")).startsWith("jdbc:h2:");
            SchedulerMetaData metaData = metaData(scheduler(app));
            assertThat(metaData.getJobStoreClass()).isEqualTo(RAMJobStore.class);
            assertThat(metaData.isJobStoreClustered()).isFalse();
            // H2 migrates the portable migrations only: the Quartz tables are PostgreSQL's (db/vendor/postgresql)
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForList("select \"version\" from \"flyway_schema_history\" where \"version\" is not null and \"success\" order by \"installed_rank\"",
                    String.class)).contains("1", "2", "4").doesNotContain("3");
            assertThat(jdbc.queryForObject("select count(*) from information_schema.tables where lower(table_name) like 'qrtz%'",
                    Integer.class)).isZero();
        }
    }

    /** The distribution run's executions (the proof batches' schedule fires beside it). */
    private static List<Firing> distributionFirings() {
        return FIRINGS.stream().filter(firing -> firing.job().equals("bytekeep.distribution")).toList();
    }

    /** Each scheduled firing executed exactly once, without gaps, without failure, and no two executions overlapping. */
    private static void assertEachFiringRanOnceAndAlone() {
        List<Firing> firings = distributionFirings();
        assertThat(firings).allSatisfy(firing -> assertThat(firing.failure()).isNull());
        Map<Instant, Long> runsPerFiring = firings.stream().collect(Collectors.groupingBy(Firing::scheduled, Collectors.counting()));
        assertThat(runsPerFiring).as("runs per scheduled fire time: %s", firings).allSatisfy((time, runs) -> assertThat(runs).isOne());
        assertThat(runsPerFiring).hasSameSizeAs(firings);

        List<Instant> scheduled = firings.stream().map(Firing::scheduled).sorted().toList();
        assertThat(Duration.between(scheduled.get(0), scheduled.get(scheduled.size() - 1)).toSeconds())
                .as("every second between the first and the last firing ran: %s", scheduled)
                .isEqualTo(scheduled.size() - 1);

        List<Firing> byStart = firings.stream().sorted(Comparator.comparing(Firing::started)).toList();
        for (int i = 1; i < byStart.size(); i++) {
            assertThat(byStart.get(i).started()).as("run %s starts after run %s ended", byStart.get(i), byStart.get(i - 1))
                    .isAfterOrEqualTo(byStart.get(i - 1).ended());
        }
    }

    private static void assertClusteredJdbcStore(Scheduler scheduler) {
        SchedulerMetaData metaData = metaData(scheduler);
        assertThat(metaData.getJobStoreClass()).isEqualTo(JobStoreTX.class);
        assertThat(metaData.isJobStoreClustered()).isTrue();
        assertThat(metaData.isJobStoreSupportsPersistence()).isTrue();
        assertThat(metaData.isStarted()).isTrue();
    }

    private static Scheduler scheduler(ConfigurableApplicationContext app) {
        return app.getBean(CamelContext.class).getComponent("quartz", QuartzComponent.class).getScheduler();
    }

    private static SchedulerMetaData metaData(Scheduler scheduler) {
        return quartz(scheduler, Scheduler::getMetaData);
    }

    private static String schedulerName(Scheduler scheduler) {
        return quartz(scheduler, Scheduler::getSchedulerName);
    }

    private static String instanceId(Scheduler scheduler) {
        return quartz(scheduler, Scheduler::getSchedulerInstanceId);
    }

    private interface QuartzCall<T> {
        T apply(Scheduler scheduler) throws SchedulerException;
    }

    private static <T> T quartz(Scheduler scheduler, QuartzCall<T> call) {
        try {
            return call.apply(scheduler);
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConfigurableApplicationContext start(Map<String, Object> environment) {
        return new SpringApplicationBuilder(BytekeepApplication.class).profiles("prod").properties(environment).run();
    }

    /** ProdProfileIT's environment, one data directory per instance, the same database, a run every second. */
    private static Map<String, Object> prodEnvironment(String instance) {
        Map<String, Object> environment = ProdEnvironment.of("clustered_it", externalS3.endpoint(),
                "target/clustered-scheduler-it/" + instance);
        // every second, '+' for spaces as the route's quartz URI needs
        environment.put("BYTEKEEP_DISTRIBUTION_CRON", "0/1+*+*+*+*+?");
        // one more plain Quartz property beside the prod profile's: the recorder of the executions
        environment.put("camel.component.quartz.properties[org.quartz.jobListener.firings.class]", FiringRecorder.class.getName());
        return environment;
    }

    /** Empties the Quartz tables of this scheduler name, if they exist yet (no scheduler runs at these times). */
    private static void deleteQuartzRows() throws SQLException {
        try (Connection db = DriverManager.getConnection(JDBC_URL, "postgres", "")) {
            var exists = db.createStatement().executeQuery("select to_regclass('qrtz_locks') is not null");
            exists.next();
            if (!exists.getBoolean(1)) {
                return;
            }
            for (String table : QUARTZ_TABLES) {
                try (var delete = db.prepareStatement("delete from " + table + " where sched_name = ?")) {
                    delete.setString(1, SCHEDULER);
                    delete.executeUpdate();
                }
            }
        }
    }
}
