package io.bytekeep.support;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import software.amazon.awssdk.services.s3.S3Client;

import io.bytekeep.platform.embedded.EmbeddedS3Server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bytekeep as separate processes, as an operator runs it ({@code java -cp <this JVM's class path>
 * io.bytekeep.BytekeepApplication}), for the tests that kill it with SIGKILL. Two ways:
 * <ul>
 *   <li>{@link #prod}: the prod profile ({@link ProdEnvironment}) on this machine's PostgreSQL and RabbitMQ and an S3
 *       server in the test's JVM, which outlives the killed instances; each instance has its own data directory;</li>
 *   <li>{@link #embedded}: the embedded default (H2, S3Proxy on disk, Qpid Broker-J, all inside the instance), each
 *       restart on the same data directory and the same ports, as an operator restarts {@code ./mvnw spring-boot:run}.</li>
 * </ul>
 * Data directories and logs are under {@code target/<directory>/}. Every instance signs in {@code operator}.
 */
public final class ApplicationProcesses implements AutoCloseable {

    public static final String USERNAME = "operator";
    public static final String PASSWORD = "prod-password";

    private final String test;
    private final String directory;
    private final EmbeddedS3Server s3Server;
    private final Map<String, String> embeddedPorts;
    private final List<Process> started = new ArrayList<>();
    private S3Client s3;

    private ApplicationProcesses(String test, String directory, EmbeddedS3Server s3Server, Map<String, String> embeddedPorts) {
        this.test = test;
        this.directory = directory;
        this.s3Server = s3Server;
        this.embeddedPorts = embeddedPorts;
    }

    /**
     * The prod profile; starts the S3 server the instances share.
     *
     * @param test      names the queues and the export bucket ({@link ProdEnvironment#of})
     * @param directory under target/: data directories and logs
     */
    public static ApplicationProcesses prod(String test, String directory) {
        EmbeddedS3Server server = ProdEnvironment.s3Server();
        server.start();
        ApplicationProcesses processes = new ApplicationProcesses(test, directory, server, Map.of());
        processes.s3 = ProdEnvironment.s3Client(server.endpoint());
        return processes;
    }

    /** The embedded default, on an empty data directory target/&lt;directory&gt;/data and free ports kept for every start. */
    public static ApplicationProcesses embedded(String test, String directory) throws IOException {
        deleteRecursively(Path.of("target", directory, "data"));
        Map<String, String> ports = new LinkedHashMap<>();
        ports.put("BYTEKEEP_EMBEDDED_S3_PORT", String.valueOf(TestServices.freePort()));
        ports.put("BYTEKEEP_EMBEDDED_S3_EXPORTS_PORT", String.valueOf(TestServices.freePort()));
        ports.put("BYTEKEEP_EMBEDDED_AMQP_PORT", String.valueOf(TestServices.freePort()));
        return new ApplicationProcesses(test, directory, null, ports);
    }

    public boolean isEmbedded() {
        return s3Server == null;
    }

    /** A client of the instances' S3 API (for the embedded default: of the running instance's, once one started). */
    public S3Client s3() {
        if (s3 == null) {
            throw new IllegalStateException("no instance has started yet");
        }
        return s3;
    }

    /** Where the instances' AMQP broker listens (guest/guest). */
    public int amqpPort() {
        return isEmbedded() ? Integer.parseInt(embeddedPorts.get("BYTEKEEP_EMBEDDED_AMQP_PORT")) : 5672;
    }

    /** The queue of RawFileReceived events. */
    public String rawFileReceivedQueue() {
        return isEmbedded() ? "raw_file_received" : "bytekeep_" + test + "_raw_file_received";
    }

    /** Stops the S3 server of the prod profile (an @AfterAll, after {@link #killAll}). */
    @Override
    public void close() {
        if (s3 != null) {
            s3.close();
        }
        if (s3Server != null) {
            s3Server.stop();
        }
    }

    /** Starts an instance on the port, with these settings on top of the profile's, and waits until healthy. */
    public Process start(String name, int port, Map<String, String> settings) throws Exception {
        Map<String, Object> environment = isEmbedded() ? embeddedEnvironment() : ProdEnvironment.of(test, s3Server.endpoint(),
                "target/" + directory + "/" + name);
        environment.put("BYTEKEEP_PORT", String.valueOf(port));
        environment.putAll(settings);
        List<String> command = javaCommand();
        if (!isEmbedded()) {
            command.add("--spring.profiles.active=prod");
        }
        environment.forEach((key, value) -> command.add("--" + key + "=" + value));
        Process process = launch(command, Map.of(), new File("target/" + directory + "/" + name + ".log"), port,
                started::add);
        if (s3 == null) {
            s3 = embeddedS3Client();
        }
        return process;
    }

    /** The command line that starts Bytekeep in a JVM of its own with this JVM's class path; arguments go after it. */
    public static List<String> javaCommand() {
        return new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), "io.bytekeep.BytekeepApplication"));
    }

    /**
     * Starts the command with these variables added to this process's environment, its output in {@code log}, and
     * waits until it answers {@code GET /health} on the port with 200.
     *
     * @param started told of the process before the wait, so that a caller can kill it when the wait fails
     */
    public static Process launch(List<String> command, Map<String, String> addedEnvironment, File log, int port,
                                 java.util.function.Consumer<Process> started) throws IOException {
        return launch(command, addedEnvironment, log, port, started, null);
    }

    /** As {@link #launch(List, Map, File, int, java.util.function.Consumer)}, started in {@code directory}. */
    public static Process launch(List<String> command, Map<String, String> addedEnvironment, File log, int port,
                                 java.util.function.Consumer<Process> started, File directory) throws IOException {
        log.getParentFile().mkdirs();
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory).redirectErrorStream(true)
                .redirectOutput(log);
        builder.environment().putAll(addedEnvironment);
        Process process = builder.start();
        started.accept(process);
        ApiClient probe = new ApiClient(port);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .failFast("the instance died at start-up, see " + log, () -> !process.isAlive())
                .until(() -> probe.send("GET", "/health", Map.of(), null).status() == 200);
        return process;
    }

    private Map<String, Object> embeddedEnvironment() {
        Map<String, Object> environment = new LinkedHashMap<>(embeddedPorts);
        environment.put("BYTEKEEP_DATA_DIR", "target/" + directory + "/data");
        environment.put("BYTEKEEP_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        environment.put("bytekeep.routes.reload-enabled", "false");
        environment.put("BYTEKEEP_USERNAME", USERNAME);
        environment.put("BYTEKEEP_PASSWORD", PASSWORD);
        return environment;
    }

    private S3Client embeddedS3Client() throws IOException {
        Properties secrets = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("target", directory, "data", "generated-secrets.properties"))) {
            secrets.load(reader);
        }
        return ProdEnvironment.s3Client(URI.create("http://127.0.0.1:" + embeddedPorts.get("BYTEKEEP_EMBEDDED_S3_PORT")),
                secrets.getProperty("s3-access-key"), secrets.getProperty("s3-secret-key"));
    }

    /** SIGKILL (no shutdown hook, no graceful stop), and waits until the process is gone. */
    public static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the killed process ended").isTrue();
    }

    /** Kills every instance still running (an @AfterEach). */
    public void killAll() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        started.clear();
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
