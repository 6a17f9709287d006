package io.bytekeep.platform.edge;

import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The platform-http engine of Bytekeep's REST routes: {@link EdgeHttpConsumer}s on a pool of its own, sized to the
 * edge's lanes (so the admission control, not a queue in front of a small shared pool, decides who waits).
 */
final class EdgeHttpEngine implements PlatformHttpEngine {

    private final int port;
    private final ThreadPoolTaskExecutor executor;

    EdgeHttpEngine(int port, ThreadPoolTaskExecutor executor) {
        this.port = port;
        this.executor = executor;
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new EdgeHttpConsumer(endpoint, processor, executor);
    }

    @Override
    public int getServerPort() {
        return port;
    }

    /** After the web server stopped taking requests (graceful shutdown): the routes' threads end with the context. */
    void shutdown() {
        executor.shutdown();
    }
}
