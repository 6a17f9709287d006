package io.bytekeep.platform.edge;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.ServletException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Closes the connection instead of draining a body the application did not read (a request refused before or while
 * its body came): Tomcat would otherwise read the rest of it on a container thread after the answer, at whatever
 * speed the client sends, and a few clients trickling large bodies after a 401 would hold every thread. What has
 * already arrived (a small body sent with its headers) is read first without waiting, so such a connection stays
 * open and its client sees the answer rather than a reset.
 */
final class UnreadBodyValve extends ValveBase {

    private static final int MAX_ARRIVED_BYTES = 64 * 1024;

    UnreadBodyValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        if (request.isAsyncStarted() || request.getCoyoteRequest().isFinished()) {
            return;
        }
        discardArrived(request);
        if (!request.getCoyoteRequest().isFinished()) {
            request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        }
    }

    private static void discardArrived(Request request) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = request.getInputStream();
            int discarded = 0;
            int available;
            while (discarded < MAX_ARRIVED_BYTES && (available = in.available()) > 0) {
                int n = in.read(buffer, 0, Math.min(buffer.length, available));
                if (n < 0) {
                    return;
                }
                discarded += n;
            }
        } catch (IOException | IllegalStateException unreadable) {
            // the connection is closed below anyway
        }
    }
}
