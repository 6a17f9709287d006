package io.bytekeep.platform.edge;

import java.io.IOException;

import jakarta.servlet.ServletException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Puts on each request when its first byte was read ({@link System#nanoTime()}), so that its latency counts the time
 * it waited for a container thread too: under a CPU that is saturated, that wait is most of it.
 */
final class ArrivalValve extends ValveBase {

    static final String ATTRIBUTE = "io.bytekeep.edge.arrivalNanos";
    /** Tomcat's value before the first byte was read */
    static final long UNKNOWN = -1;

    ArrivalValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        request.setAttribute(ATTRIBUTE, request.getCoyoteRequest().getStartTimeNanos());
        getNext().invoke(request, response);
    }
}
