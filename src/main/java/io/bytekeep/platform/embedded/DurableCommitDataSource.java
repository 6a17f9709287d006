package io.bytekeep.platform.embedded;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.ConnectionProxy;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The embedded H2 database with commits on stable storage before they return. H2 keeps committed changes in memory
 * and writes them in the background ({@code WRITE_DELAY}, 500 ms), and never forces them to disk: a process killed
 * (or a machine losing power) in that window loses transactions whose callers were already answered. Every commit,
 * and every auto-commit statement that may write, is followed here by {@code CHECKPOINT SYNC} (store the changes,
 * then {@code fsync}), shared by concurrent committers ({@link GroupSync}). Read-only work costs nothing.
 * <p>
 * A transaction that says {@code SET LOCAL synchronous_commit TO OFF}, PostgreSQL's way of accepting that a crash may
 * lose it, commits without waiting for the disk here too (the statement is not passed to H2, which does not know it);
 * the next forced write takes its changes along.
 * <p>
 * Also every {@code flushEvery}, whatever H2 stored on its own since (a long transaction's pages, before its commit):
 * H2 writes changed pages to new places and may reuse the space of a dead chunk {@code RETENTION_TIME} after it died,
 * assuming by then its successors are on the disk. Its default of 45 s left the file 30 times the size of its data
 * after a 150 s upload load (1,954 MB for 66 MB, bench/h2-growth.sh); the embedded default's URL sets 5 s, which this flush makes true.
 */
public final class DurableCommitDataSource extends DelegatingDataSource implements AutoCloseable {

    private static final Set<String> WRITING_CALLS = Set.of("execute", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch");
    private static final Set<String> STATEMENT_FACTORIES = Set.of("createStatement", "prepareStatement", "prepareCall");
    private static final Pattern ASYNCHRONOUS_COMMIT =
            Pattern.compile("\\s*set\\s+local\\s+synchronous_commit\\s*(to|=)\\s*'?off'?\\s*;?\\s*", Pattern.CASE_INSENSITIVE);

    private static final Logger LOG = LoggerFactory.getLogger(DurableCommitDataSource.class);

    private final GroupSync sync;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "embedded-database-flush");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param window flushes start at most this often; commits waiting meanwhile share the next one
     * @param flushEvery how often a flush runs without a commit asking for it
     */
    public DurableCommitDataSource(DataSource target, Duration window, Duration flushEvery) {
        super(target);
        this.sync = new GroupSync(window);
        flusher.scheduleWithFixedDelay(this::flush, flushEvery.toNanos(), flushEvery.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void flush() {
        try (Connection connection = obtainTargetDataSource().getConnection()) {
            awaitDurable(connection);
        } catch (SQLException | RuntimeException e) {
            if (poolClosed()) {
                // the application context closes the pool itself, not this wrapper (see close()): H2 stores
                // everything as its last connection closes
                flusher.shutdown();
                return;
            }
            LOG.warn("Could not force the embedded database to disk; the next commit or flush tries again", e);
        }
    }

    private boolean poolClosed() {
        try {
            DataSource target = obtainTargetDataSource();
            return target.isWrapperFor(HikariDataSource.class) && target.unwrap(HikariDataSource.class).isClosed();
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return durable(obtainTargetDataSource().getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return durable(obtainTargetDataSource().getConnection(username, password));
    }

    /**
     * Stops the flushes and closes the pool underneath. The application context does not call this: it destroys the
     * pool bean this wraps, and the flushes stop when they find it closed.
     */
    @Override
    public void close() throws Exception {
        flusher.shutdownNow();
        if (obtainTargetDataSource() instanceof AutoCloseable pool) {
            pool.close();
        }
    }

    private Connection durable(Connection target) {
        return (Connection) Proxy.newProxyInstance(ConnectionProxy.class.getClassLoader(),
                new Class<?>[] {ConnectionProxy.class}, new DurableConnection(target));
    }

    private void awaitDurable(Connection target) throws SQLException {
        sync.awaitDurable(target, DurableCommitDataSource::checkpointSync);
    }

    private static void checkpointSync(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
        }
    }

    private final class DurableConnection implements InvocationHandler {

        private final Connection target;
        /** A statement of the open transaction may have written: its commit must be made durable. */
        private boolean dirty;
        /** The open transaction said that its commit need not wait for the disk. */
        private boolean asynchronousCommit;

        DurableConnection(Connection target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "getTargetConnection":
                    return target;
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "durable commits on " + target;
                default:
                    break;
            }
            boolean commits = method.getName().equals("commit")
                    || (method.getName().equals("setAutoCommit") && Boolean.TRUE.equals(args[0]) && !target.getAutoCommit());
            Object result = call(target, method, args);
            if (commits) {
                boolean force = dirty && !asynchronousCommit;
                dirty = false;
                asynchronousCommit = false;
                if (force) {
                    awaitDurable(target);
                }
            } else if (method.getName().equals("rollback") && (args == null || args.length == 0)) {
                dirty = false;
                asynchronousCommit = false;
            } else if (STATEMENT_FACTORIES.contains(method.getName())) {
                return statement((Statement) result, method.getReturnType());
            }
            return result;
        }

        private Object statement(Statement statement, Class<?> type) {
            Class<?> api = CallableStatement.class.isAssignableFrom(type) ? CallableStatement.class
                    : PreparedStatement.class.isAssignableFrom(type) ? PreparedStatement.class : Statement.class;
            return Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, (proxy, method, args) -> {
                if (method.getName().equals("execute") && args != null && args.length == 1
                        && args[0] instanceof String sql && ASYNCHRONOUS_COMMIT.matcher(sql).matches()) {
                    asynchronousCommit = !target.getAutoCommit();
                    return false;
                }
                Object result = call(statement, method, args);
                if (WRITING_CALLS.contains(method.getName())) {
                    if (target.getAutoCommit()) {
                        awaitDurable(target);
                    } else {
                        dirty = true;
                    }
                }
                return result;
            });
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getTargetException();
        }
    }
}
