package io.bytekeep.platform.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.ConfiguredObject;
import org.apache.qpid.server.model.Port;
import org.apache.qpid.server.model.SystemConfig;
import org.apache.qpid.server.model.VirtualHost;
import org.apache.qpid.server.model.VirtualHostNode;
import org.apache.qpid.server.virtualhost.QueueManagingVirtualHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AMQP 0-9-1 broker served in-process by Apache Qpid Broker-J on 127.0.0.1, for Spring AMQP /
 * the RabbitMQ Java client.
 *
 * <ul>
 *   <li>One user (username/password from the constructor), SASL PLAIN allowed without TLS (the
 *       RabbitMQ client's default mechanism).</li>
 *   <li>One virtual host, named {@value #VIRTUAL_HOST}; it is also the broker's default virtual
 *       host, so the RabbitMQ client's / Spring Boot's default virtual host {@code "/"} reaches it
 *       (Qpid strips the leading '/', and the empty name resolves through the port's default-alias),
 *       and so do {@code "default"} and {@code "/default"}.</li>
 *   <li>Persistent: the virtual host node is a Berkeley DB Java Edition store under
 *       {@code <workDirectory>/default/config}, holding the durable exchanges/queues/bindings and the persistent
 *       messages, so they survive a restart on the same work directory. A message is confirmed once the store's log
 *       is forced to disk; Qpid forces it once for all the commits that queued up meanwhile, where its Derby store
 *       forced it per message (1.5 ms of CPU per upload's event on the bench machine, against 0.15 ms). A store that an earlier version
 *       made with Derby stays Derby, so that no queued message is lost: {@link #storeType} tells them apart. The JE
 *       cache is {@value #JE_CACHE_BYTES} bytes (JE's own default would be 60 % of the heap).
 *       The broker-level configuration (port, user) is not stored: it is rebuilt from
 *       {@code classpath:embedded/qpid-initial-config.json} at each start.</li>
 *   <li>Deleting one of the {@code rabbitMqDeleteQueues} that does not exist answers delete-ok with a message count
 *       of 0, as RabbitMQ does, where Qpid closes the channel with 404 (see
 *       {@link #answerDeleteOfMissingQueuesLikeRabbitMq}). Any other missing queue still gets Qpid's 404.</li>
 *   <li>No broker log files and no logging takeover: no Qpid logging plugin is on the classpath and
 *       the configuration declares no broker loggers; Qpid logs through SLF4J into the application's
 *       logging. Its operational messages ({@code qpid.message.*}, one INFO line per connection,
 *       channel and consumer) and {@code org.apache.qpid} are set to WARN at start unless the
 *       application configured a level for them (e.g. {@code logging.level.qpid.message=INFO}).
 *       JE's {@code je.info.*} and, for a Derby store, {@code derby.log} are written in the work directory.</li>
 * </ul>
 *
 * <p>Plain class, no Spring annotations; {@link #start()} and {@link #stop()} are idempotent.
 */
public final class EmbeddedAmqpBroker {

    /** Host the broker binds to: loopback only. */
    public static final String HOST = "127.0.0.1";

    /** Name of the single virtual host; clients may also use "/" (default) or "/default". */
    public static final String VIRTUAL_HOST = "default";

    static final String INITIAL_CONFIG_RESOURCE = "embedded/qpid-initial-config.json";

    /** The JE cache of the store: the queued events of a backlog are read from the log, not held in the heap. */
    static final long JE_CACHE_BYTES = 16L * 1024 * 1024;

    private static final String STORE_TYPE_PLACEHOLDER = "@STORE_TYPE@";
    static final String BDB = "BDB";
    static final String DERBY = "DERBY";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedAmqpBroker.class);

    private final Path workDirectory;
    private final int requestedPort;
    private final String username;
    private final String password;
    private final Set<String> rabbitMqDeleteQueues;

    private SystemLauncher launcher;
    private volatile SystemConfig<?> systemConfig;
    private int boundPort = -1;

    /**
     * @param workDirectory directory of the broker's store (the default run uses {@code ./data/amqp})
     * @param port TCP port on 127.0.0.1, 0 for a free one (see {@link #port()} after start)
     * @param username the one user's name
     * @param password the one user's password
     * @param rabbitMqDeleteQueues queues whose deletion answers delete-ok when they do not exist, as on RabbitMQ
     */
    public EmbeddedAmqpBroker(Path workDirectory, int port, String username, String password,
                              Collection<String> rabbitMqDeleteQueues) {
        this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory").toAbsolutePath().normalize();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.requestedPort = port;
        this.username = EmbeddedServers.requireText(username, "username");
        this.password = EmbeddedServers.requireText(password, "password");
        this.rabbitMqDeleteQueues = Set.copyOf(rabbitMqDeleteQueues);
    }

    /**
     * Starts the broker; does nothing if it is already running. When the port given to the
     * constructor was 0 and the broker ran before, a restart binds the port it had then, so that
     * clients holding the old address reconnect to the same broker.
     */
    public synchronized void start() {
        if (launcher != null) {
            return;
        }
        int portToBind = requestedPort == 0 && boundPort > 0 ? boundPort : requestedPort;
        SystemLauncher newLauncher = new SystemLauncher(new ContainerTracker());
        try {
            Files.createDirectories(workDirectory);
            String storeType = storeType(workDirectory);
            if (storeType.equals(DERBY)) {
                LOG.info("The embedded AMQP broker's store under {} was made with Derby by an earlier version and stays"
                        + " Derby; delete it while the service is stopped and its queues are empty to move to the"
                        + " faster BDB store", workDirectory.resolve("default"));
            }
            // Derby writes derby.log into the process's working directory unless told otherwise
            // (read once per JVM, when the Derby engine boots).
            if (storeType.equals(DERBY) && System.getProperty("derby.stream.error.file") == null
                    && System.getProperty("derby.stream.error.field") == null
                    && System.getProperty("derby.stream.error.method") == null) {
                System.setProperty("derby.stream.error.file", workDirectory.resolve("derby.log").toString());
            }
            // Qpid's operational log (qpid.message.*: one INFO line per connection, channel, consumer)
            // and its store upgrader notes: WARN unless the application configured these loggers.
            EmbeddedServers.quietUnlessConfigured("qpid.message", "org.apache.qpid");
            Path initialConfig = copyInitialConfig(storeType);

            Map<String, String> context = new HashMap<>();
            context.put("qpid.work_dir", workDirectory.toString());
            context.put("QPID_WORK", workDirectory.toString());
            context.put("bytekeep.amqp.port", Integer.toString(portToBind));
            context.put("bytekeep.amqp.username", username);
            context.put("bytekeep.amqp.password", password);
            context.put("qpid.broker.bdbTotalCacheSize", Long.toString(JE_CACHE_BYTES));

            Map<String, Object> attributes = new HashMap<>();
            // "Memory": the broker-level configuration is not persisted (rebuilt from the initial
            // configuration at each start); the virtual host node keeps its own store.
            attributes.put(ConfiguredObject.TYPE, "Memory");
            attributes.put(SystemConfig.INITIAL_CONFIGURATION_LOCATION, initialConfig.toUri().toString());
            attributes.put(SystemConfig.STARTUP_LOGGED_TO_SYSTEM_OUT, Boolean.FALSE);
            attributes.put(ConfiguredObject.CONTEXT, context);

            newLauncher.startup(attributes);
            this.launcher = newLauncher;
            this.boundPort = resolveBoundPort();
            answerDeleteOfMissingQueuesLikeRabbitMq();
            leaveShutdownToTheApplication();
        } catch (Exception e) {
            try {
                newLauncher.shutdown();
            } catch (RuntimeException ignored) {
                // already failing
            }
            this.launcher = null;
            this.systemConfig = null;
            throw new IllegalStateException("Could not start the embedded AMQP broker on " + HOST + ":" + portToBind
                    + " (work directory " + workDirectory + ")", e);
        }
        LOG.info("Embedded AMQP 0-9-1 broker (Qpid Broker-J) listening on amqp://{}:{}", HOST, boundPort);
    }

    /**
     * The store of the virtual host node: {@code DERBY} where an earlier version made a Derby database there (it has
     * Derby's {@code service.properties}), so that its queued messages stay readable; {@code BDB} otherwise. To move
     * such a store to BDB, stop the service once its queues are empty and delete {@code <workDirectory>/default}.
     */
    static String storeType(Path workDirectory) {
        return Files.exists(workDirectory.resolve("default/config/default/service.properties")) ? DERBY : BDB;
    }

    /** Stops the broker; does nothing if it is not running. Durable state stays in the work directory. */
    public synchronized void stop() {
        if (launcher == null) {
            return;
        }
        try {
            launcher.shutdown();
        } catch (RuntimeException e) {
            LOG.warn("Stopping the embedded AMQP broker on port {} failed", boundPort, e);
        } finally {
            launcher = null;
            systemConfig = null;
        }
        LOG.info("Embedded AMQP 0-9-1 broker on amqp://{}:{} stopped", HOST, boundPort);
    }

    /** Whether {@link #start()} has run and {@link #stop()} has not since. */
    public synchronized boolean isRunning() {
        return launcher != null;
    }

    /** The port the broker listens on (valid after the first start; kept after stop). */
    public synchronized int port() {
        if (boundPort <= 0) {
            throw new IllegalStateException("The embedded AMQP broker has not been started");
        }
        return boundPort;
    }

    /** {@code amqp://127.0.0.1:PORT} (valid after the first start). */
    public String uri() {
        return "amqp://" + HOST + ":" + port();
    }

    public String host() {
        return HOST;
    }

    public String virtualHost() {
        return VIRTUAL_HOST;
    }

    public String username() {
        return username;
    }

    public Path workDirectory() {
        return workDirectory;
    }

    private Path copyInitialConfig(String storeType) throws IOException {
        // Qpid's own "classpath:" URLs depend on java.protocol.handler.pkgs and the system class
        // loader, which does not see the application's classes in a Spring Boot jar: copy the
        // resource (it contains no secrets, only ${...} placeholders resolved from the context,
        // except the node's type, which Qpid reads before it resolves anything).
        Path target = workDirectory.resolve("initial-config.json");
        try (InputStream in = EmbeddedAmqpBroker.class.getClassLoader().getResourceAsStream(INITIAL_CONFIG_RESOURCE)) {
            if (in == null) {
                throw new IOException("classpath resource " + INITIAL_CONFIG_RESOURCE + " not found");
            }
            String config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Files.writeString(target, config.replace(STORE_TYPE_PLACEHOLDER, storeType), StandardCharsets.UTF_8);
        }
        return target;
    }

    private int resolveBoundPort() {
        SystemConfig<?> config = systemConfig;
        if (config == null) {
            throw new IllegalStateException("Qpid did not report its system configuration");
        }
        Broker<?> broker = config.getContainer(Broker.class);
        for (Port<?> port : broker.getChildren(Port.class)) {
            if ("AMQP".equals(port.getName())) {
                int bound = port.getBoundPort();
                if (bound > 0) {
                    return bound;
                }
                throw new IllegalStateException("The AMQP port is not bound (state " + port.getState() + ")");
            }
        }
        throw new IllegalStateException("The broker has no AMQP port");
    }

    /**
     * RabbitMQ answers {@code queue.delete} of a queue that does not exist with delete-ok (0 messages) and the channel
     * stays open; Qpid Broker-J 9 closes the channel with 404, unconditionally (AMQChannel.receiveQueueDelete), and has
     * no setting for it. Bytes' own test fixture deletes {@code raw_file_received} before every test, whether it exists
     * or not. Qpid does find the queue to delete through the virtual host's node auto-creation policies, though: with a
     * policy for these names (created on consume, never on publish) the look-up creates the missing queue and the
     * delete removes it again, so the client sees delete-ok with 0 messages. The same look-up serves passive
     * {@code queue.declare}, {@code basic.get}, {@code basic.consume}, {@code queue.purge} and (un)bind, which for
     * these names therefore create the queue instead of answering 404; publishing to a missing one is still unroutable.
     * Set at every start, so that a store made by an earlier version gets the policy too.
     */
    private void answerDeleteOfMissingQueuesLikeRabbitMq() {
        List<Map<String, Object>> policies = rabbitMqDeleteQueues.isEmpty() ? List.of() : List.of(Map.of(
                "pattern", rabbitMqDeleteQueues.stream().sorted().map(Pattern::quote).collect(Collectors.joining("|")),
                "nodeType", "Queue",
                "createdOnPublish", false,
                "createdOnConsume", true,
                "attributes", Map.of("durable", true)));
        Broker<?> broker = systemConfig.getContainer(Broker.class);
        for (VirtualHostNode<?> node : broker.getChildren(VirtualHostNode.class)) {
            VirtualHost<?> virtualHost = node.getVirtualHost();
            if (virtualHost instanceof QueueManagingVirtualHost<?>) {
                virtualHost.setAttributes(Map.of(QueueManagingVirtualHost.NODE_AUTO_CREATION_POLICIES, policies));
            }
        }
    }

    /**
     * Qpid adds a JVM shutdown hook of its own, which on SIGTERM closes the broker while the application's
     * consumers still run (their channels then time out for seconds, and the application's own stop fails).
     * The application stops the broker after its consumers instead (this bean's destroy method).
     */
    private void leaveShutdownToTheApplication() {
        try {
            Object broker = systemConfig.getContainer(org.apache.qpid.server.model.Broker.class);
            for (Class<?> type = broker.getClass(); type != null; type = type.getSuperclass()) {
                for (java.lang.reflect.Field field : type.getDeclaredFields()) {
                    if (field.getName().equals("_shutdownHook") && Thread.class.isAssignableFrom(field.getType())) {
                        field.setAccessible(true);
                        Runtime.getRuntime().removeShutdownHook((Thread) field.get(broker));
                        return;
                    }
                }
            }
            LOG.debug("Qpid's broker has no shutdown hook field; its own hook stays in place");
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Qpid's own shutdown hook stays in place", e);
        }
    }

    private final class ContainerTracker implements SystemLauncherListener {
        @Override
        public void beforeStartup() {
        }

        @Override
        public void errorOnStartup(RuntimeException e) {
        }

        @Override
        public void afterStartup() {
        }

        @Override
        public void onContainerResolve(SystemConfig<?> config) {
            systemConfig = config;
        }

        @Override
        public void onContainerClose(SystemConfig<?> config) {
        }

        @Override
        public void onShutdown(int exitCode) {
        }

        @Override
        public void exceptionOnShutdown(Exception e) {
        }
    }
}
