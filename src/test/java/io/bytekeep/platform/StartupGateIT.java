package io.bytekeep.platform;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.bytekeep.support.ApiClient;
import io.bytekeep.support.ApplicationProcesses;
import io.bytekeep.support.TestServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A starting instance (the embedded default, its own process) is asked for an upload and for /health from the moment
 * its port opens until it is ready: every answer before the routes run is 503 problem+json with Retry-After, never
 * Spring's 404 "No static resource" or a 405, which a Bytes client takes as final.
 */
class StartupGateIT {

    private ApplicationProcesses processes;

    @AfterEach
    void stop() throws InterruptedException {
        processes.killAll();
        processes.close();
    }

    @Test
    void everyPathAnswers503WithRetryAfterUntilTheRoutesAreStarted() throws Exception {
        processes = ApplicationProcesses.embedded("startup_gate_it", "startup-gate-it");
        int port = TestServices.freePort();
        Map<Integer, Integer> answers = new ConcurrentHashMap<>();
        AtomicBoolean starting = new AtomicBoolean(true);
        ExecutorService client = Executors.newSingleThreadExecutor();
        Future<?> asking = client.submit(() -> {
            ApiClient anonymous = new ApiClient(port);
            while (starting.get()) {
                for (String[] request : new String[][] {{"POST", "/bytes/raw"}, {"GET", "/health"}, {"POST", "/token"}}) {
                    try {
                        ApiClient.Response response = anonymous.send(request[0], request[1],
                                Map.of("Content-Type", "application/json"), "{}".getBytes());
                        answers.merge(response.status(), 1, Integer::sum);
                        if (response.status() == 503) {
                            assertThat(response.headers().firstValue("Retry-After")).as(request[1]).contains("5");
                            assertThat(response.contentType()).startsWith("application/problem+json");
                        }
                    } catch (IllegalStateException notListeningYet) {
                        answers.merge(0, 1, Integer::sum);
                        Thread.sleep(10);
                    }
                }
            }
            return null;
        });
        processes.start("start", port, Map.of());
        starting.set(false);
        asking.get();
        client.shutdown();

        System.out.printf("[startup] answers while starting (0 = not listening yet): %s%n", new TreeMap<>(answers));
        assertThat(answers.keySet()).as("answers while starting").doesNotContain(404, 405, 500);
        assertThat(answers).as("the port opened before the routes were ready").containsKey(503);
    }
}
