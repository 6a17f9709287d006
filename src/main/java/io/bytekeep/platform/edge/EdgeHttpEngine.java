package io.bytekeep.platform.edge;

import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;

/**
 * The platform-http engine of Bytekeep's REST routes: {@link EdgeHttpConsumer}s, which run a route on the container's
 * thread that took its request; the edge's admission control ({@link EdgeFilter}) decides how many run at once.
 */
final class EdgeHttpEngine implements PlatformHttpEngine {

    private final int port;

    EdgeHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new EdgeHttpConsumer(endpoint, processor);
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
