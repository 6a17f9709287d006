package io.bytekeep.support;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.services.s3.S3Client;

import io.bytekeep.platform.embedded.EmbeddedS3Server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bytekeep as separate processes, as an operator runs it: {@code java -cp <this JVM's class path>
 * io.bytekeep.BytekeepApplication} with the prod profile ({@link ProdEnvironment}, this machine's PostgreSQL and
 * RabbitMQ, and an S3 server in the test's JVM, which outlives the killed instances), for the tests that kill it with
 * SIGKILL. Each instance's data directory and log are {@code target/<directory>/<name>}.
 */
public final class ApplicationProcesses implements AutoCloseable {

    private final String test;
    private final String directory;
    private final EmbeddedS3Server s3Server;
    private final S3Client s3;
    private final List<Process> started = new ArrayList<>();

    /**
     * Starts the S3 server the instances share.
     *
     * @param test      names the queues and the export bucket ({@link ProdEnvironment#of})
     * @param directory under target/: data directories and logs
     */
    public ApplicationProcesses(String test, String directory) {
        this.test = test;
        this.directory = directory;
        this.s3Server = ProdEnvironment.s3Server();
        s3Server.start();
        this.s3 = ProdEnvironment.s3Client(s3Server.endpoint());
    }

    /** A client of the instances' S3 server. */
    public S3Client s3() {
        return s3;
    }

    /** Stops the S3 server (an @AfterAll, after {@link #killAll}). */
    @Override
    public void close() {
        s3.close();
        s3Server.stop();
    }

    /** Starts an instance on the port, with these settings on top of the prod environment, and waits until healthy. */
    public Process start(String name, int port, Map<String, String> settings) throws Exception {
        Map<String, Object> environment = ProdEnvironment.of(test, s3Server.endpoint(), "target/" + directory + "/" + name);
        environment.put("BYTEKEEP_PORT", String.valueOf(port));
        environment.putAll(settings);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), "io.bytekeep.BytekeepApplication", "--spring.profiles.active=prod"));
        environment.forEach((key, value) -> command.add("--" + key + "=" + value));
        File log = new File("target/" + directory + "/" + name + ".log");
        log.getParentFile().mkdirs();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        started.add(process);
        ApiClient probe = new ApiClient(port);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .failFast("the " + name + " instance died at start-up, see " + log, () -> !process.isAlive())
                .until(() -> probe.send("GET", "/health", Map.of(), null).status() == 200);
        return process;
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
}
