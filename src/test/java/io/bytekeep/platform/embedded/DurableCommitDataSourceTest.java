package io.bytekeep.platform.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Commits through {@link DurableCommitDataSource} survive the process dying right after them: a child JVM commits
 * (in transactions from several threads, and in auto-commit), prints how many, and halts at once, with no shutdown
 * hook and no close; this JVM then opens the same file and finds every row. Without the wrapper H2 keeps such commits
 * in memory for up to its write delay (500 ms) and the halt loses them.
 */
class DurableCommitDataSourceTest {

    @TempDir
    Path directory;

    @Test
    void commitsSurviveAHaltRightAfterThem() throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve("db") + ";MODE=PostgreSQL";
        int committed = runChild(url);
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            ResultSet rows = db.createStatement().executeQuery("select count(*) from committed_row");
            rows.next();
            assertThat(rows.getInt(1)).as("rows the child answered as committed").isEqualTo(committed).isPositive();
        }
    }

    @Test
    void aTransactionThatAcceptsLossInACrashIsNotForcedAndTheNextOneIs() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:asynchronous-commit;DB_CLOSE_DELAY=-1;MODE=PostgreSQL");
        AtomicInteger forcedWrites = new AtomicInteger();
        DataSource durable = new DurableCommitDataSource(countingForcedWrites(h2, forcedWrites), Duration.ZERO,
                Duration.ofHours(1));
        JdbcTemplate jdbc = new JdbcTemplate(durable);
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(durable));
        jdbc.execute("create table marked (id int primary key)");
        forcedWrites.set(0);

        transactions.executeWithoutResult(status -> {
            jdbc.execute("SET LOCAL synchronous_commit TO OFF");
            jdbc.update("insert into marked values (1)");
        });
        assertThat(forcedWrites).as("a commit that said it may be lost").hasValue(0);
        assertThat(jdbc.queryForObject("select count(*) from marked", Integer.class)).isEqualTo(1);

        transactions.executeWithoutResult(status -> jdbc.update("insert into marked values (2)"));
        assertThat(forcedWrites).as("the next transaction did not say so").hasValue(1);

        jdbc.execute("SET LOCAL synchronous_commit TO OFF"); // outside a transaction: changes nothing, as in PostgreSQL
        jdbc.update("insert into marked values (3)");
        assertThat(forcedWrites).hasValue(2);
    }

    /** What H2 stores on its own (an open transaction's pages) reaches the disk without waiting for a commit. */
    @Test
    void aFlushRunsEveryIntervalWithoutACommit() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:flush-every;DB_CLOSE_DELAY=-1;MODE=PostgreSQL");
        AtomicInteger forcedWrites = new AtomicInteger();
        try (DurableCommitDataSource durable = new DurableCommitDataSource(countingForcedWrites(h2, forcedWrites),
                Duration.ZERO, Duration.ofMillis(50))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> forcedWrites.get() >= 3);
        }
    }

    /**
     * The application context destroys the pool, not this wrapper of it: the flushes then stop, without a warning
     * that the database could not be forced to disk every second until the process ends.
     */
    @Test
    void theFlushesStopQuietlyOnceThePoolUnderneathIsClosed() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:h2:mem:pool-closed;DB_CLOSE_DELAY=-1;MODE=PostgreSQL");
        AtomicInteger attempts = new AtomicInteger();
        DataSource countingAttempts = new DelegatingDataSource(pool) {
            @Override
            public Connection getConnection() throws SQLException {
                attempts.incrementAndGet();
                return super.getConnection();
            }
        };
        Logger logger = (Logger) LoggerFactory.getLogger(DurableCommitDataSource.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            new DurableCommitDataSource(countingAttempts, Duration.ZERO, Duration.ofMillis(20));
            await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() >= 2);
            pool.close();
            int atTheClose = attempts.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() > atTheClose);
            int stoppedAt = attempts.get();
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> attempts.get() == stoppedAt);
            assertThat(logged.list).as("warnings after the pool closed").isEmpty();
        } finally {
            logger.detachAppender(logged);
        }
    }

    /** Connections of {@code target} that count the statements {@code CHECKPOINT SYNC} run on them. */
    private static DataSource countingForcedWrites(DataSource target, AtomicInteger count) {
        return new DelegatingDataSource(target) {
            @Override
            public Connection getConnection() throws SQLException {
                Connection connection = super.getConnection();
                return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                            Object result = method.invoke(connection, args);
                            if (!method.getName().equals("createStatement")) {
                                return result;
                            }
                            Statement statement = (Statement) result;
                            return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                                    (statementProxy, call, callArgs) -> {
                                        if (call.getName().equals("execute") && "CHECKPOINT SYNC".equals(callArgs[0])) {
                                            count.incrementAndGet();
                                        }
                                        return call.invoke(statement, callArgs);
                                    });
                        });
            }
        };
    }

    private static int runChild(String url) throws Exception {
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), CommitThenHalt.class.getName(), url)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(child.getInputStream().readAllBytes()).trim();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("the child halts itself").isEqualTo(9);
        return Integer.parseInt(out.substring(out.lastIndexOf('\n') + 1).trim());
    }

    /** The child: commits, reports, halts. */
    public static final class CommitThenHalt {

        public static void main(String[] args) throws Exception {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(args[0]);
            h2.setUser("sa");
            // a pool keeps connections open: H2 would otherwise close (and store) the database with the last one
            Connection pooled = h2.getConnection();
            DataSource durable = new DurableCommitDataSource(h2, Duration.ofMillis(5), Duration.ofHours(1));
            JdbcTemplate jdbc = new JdbcTemplate(durable);
            jdbc.execute("create table committed_row (id int primary key, via varchar(16))");
            // H2 stores the table in the background within its write delay; the commits below then fall in one
            Thread.sleep(1500);
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(durable));
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        int id = thread * 1000 + i;
                        transactions.executeWithoutResult(status -> {
                            jdbc.update("insert into committed_row values (?, 'transaction')", id);
                            jdbc.update("update committed_row set via = 'transaction' where id = ?", id);
                        });
                    }
                }));
            }
            for (Future<?> done : work) {
                done.get();
            }
            for (int i = 0; i < 20; i++) {
                jdbc.update("insert into committed_row values (?, 'autocommit')", 100_000 + i);
            }
            System.out.println(4 * 50 + 20);
            System.out.flush();
            Runtime.getRuntime().halt(9);
        }
    }

}
