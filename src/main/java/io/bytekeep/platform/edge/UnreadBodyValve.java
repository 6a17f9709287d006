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
 * speed the client sends, and a few clients trickling large bodies after a 401 would hold every thread. A small rest
 * that arrives at once (a body sent just after its headers) is read and dropped first, for at most
 * {@link #DRAIN_MILLIS}: closing a connection with unread bytes makes the kernel reset it, and the client would lose
 * the answer.
 */
final class UnreadBodyValve extends ValveBase {

    private static final int DRAIN_BYTES = 64 * 1024;
    private static final long DRAIN_MILLIS = 500;

    UnreadBodyValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        org.apache.coyote.Request coyote = request.getCoyoteRequest();
        if (request.isAsyncStarted() || coyote.isFinished()) {
            return;
        }
        if (!drainedInTime(request, coyote)) {
            coyote.action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        }
    }

    /** Reads and drops what arrives without waiting on the socket, within the byte and time limits. */
    private static boolean drainedInTime(Request request, org.apache.coyote.Request coyote) {
        long remaining = request.getContentLengthLong();
        if (remaining > DRAIN_BYTES) {
            return false;
        }
        byte[] buffer = new byte[8192];
        long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000;
        int drained = 0;
        try {
            InputStream in = request.getInputStream();
            while (!coyote.isFinished() && drained < DRAIN_BYTES && System.nanoTime() < deadline) {
                // a read attempt on the socket that does not block: the bytes that came, if any
                coyote.action(ActionCode.AVAILABLE, Boolean.TRUE);
                int available = in.available();
                if (available <= 0) {
                    Thread.sleep(5);
                    continue;
                }
                int n = in.read(buffer, 0, Math.min(buffer.length, available));
                if (n < 0) {
                    break;
                }
                drained += n;
            }
        } catch (IOException | IllegalStateException unreadable) {
            return false;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
        return coyote.isFinished();
    }
}
