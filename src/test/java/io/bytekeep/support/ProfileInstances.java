package io.bytekeep.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One running instance per profile, the embedded default ({@code embedded}) and the prod profile ({@code prod}), each
 * a separate process, started on first use and shared by the tests of a class (they work in organisations of their
 * own); {@link #close()} in an {@code @AfterAll}.
 */
public final class ProfileInstances implements AutoCloseable {

    /** A running instance: its processes, port and data directory. */
    public record Instance(ApplicationProcesses processes, int port, Path dataDirectory) {
        public ApiClient api() {
            return new ApiClient(port).login(ApplicationProcesses.USERNAME, ApplicationProcesses.PASSWORD);
        }
    }

    private final String test;
    private final Map<String, String> settings;
    private final Map<String, Instance> running = new HashMap<>();

    /**
     * @param test     names the queues, the export bucket and the directories under target/ ({@code <test>-<profile>})
     * @param settings added to every instance's configuration
     */
    public ProfileInstances(String test, Map<String, String> settings) {
        this.test = test;
        this.settings = settings;
        TestServices.ensureDatabase();
    }

    public synchronized Instance get(String profile) throws Exception {
        Instance instance = running.get(profile);
        if (instance == null) {
            String directory = test + "-" + profile;
            ApplicationProcesses processes = switch (profile) {
                case "embedded" -> ApplicationProcesses.embedded(test, directory);
                case "prod" -> ApplicationProcesses.prod(test, directory);
                default -> throw new IllegalArgumentException("no profile " + profile);
            };
            int port = TestServices.freePort();
            processes.start(profile, port, settings);
            Path data = processes.isEmbedded() ? Path.of("target", directory, "data") : Path.of("target", directory, profile);
            instance = new Instance(processes, port, data);
            running.put(profile, instance);
        }
        return instance;
    }

    @Override
    public synchronized void close() throws Exception {
        for (Instance instance : running.values()) {
            instance.processes().killAll();
            instance.processes().close();
        }
        running.clear();
    }
}
