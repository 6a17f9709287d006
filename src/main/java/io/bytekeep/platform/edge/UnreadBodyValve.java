package io.bytekeep.platform.edge;

import java.io.IOException;
import java.nio.ByteBuffer;

import jakarta.servlet.ServletException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.net.ApplicationBufferHandler;

/**
 * Closes the connection instead of draining a body the application did not read (a request refused before or while
 * its body came): Tomcat would otherwise read the rest of it on a container thread after the answer, at whatever
 * speed the client sends, and a few clients trickling large bodies after a 401 would hold every thread.
 * <p>
 * The close lingers, as web servers' lingering close does: the answer is sent first, then what keeps arriving is read
 * and dropped while it keeps coming (a pause of {@link #IDLE_MILLIS} ends it), for at most {@link #LINGER_MILLIS} and
 * {@link #LINGER_BYTES}, and only then is the connection closed: a client trickling bytes holds the thread no longer
 * than the pause.
 * Closing a connection with unread bytes makes the kernel reset it, and a reset that reaches a client still busy
 * sending before it read the answer makes the client lose the answer: it would see a dropped connection instead of
 * its 413. A client whose body is all there (or that stops sending) keeps its connection without the wait.
 */
final class UnreadBodyValve extends ValveBase {

    private static final int LINGER_BYTES = 16 * 1024 * 1024;
    private static final long LINGER_MILLIS = 2000;
    private static final long IDLE_MILLIS = 200;

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
        if (!sentAnswer(response) || !drainedWhileLingering(coyote)) {
            coyote.action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        }
    }

    private static boolean sentAnswer(Response response) {
        try {
            response.flushBuffer();
            return true;
        } catch (IOException clientGone) {
            return false;
        }
    }

    /**
     * Reads and drops what arrives without waiting on the socket until the body ended, it paused, or a limit was
     * reached: whether the body ended. It reads below the servlet layer, whose input stream the answer
     * closed.
     */
    private static boolean drainedWhileLingering(org.apache.coyote.Request coyote) {
        Dropped dropped = new Dropped();
        long deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000;
        long lastBytes = System.nanoTime();
        long drained = 0;
        try {
            while (!coyote.isFinished() && drained < LINGER_BYTES && System.nanoTime() < deadline
                    && System.nanoTime() - lastBytes < IDLE_MILLIS * 1_000_000) {
                // a read attempt on the socket that does not block: the bytes that came, if any
                coyote.action(ActionCode.AVAILABLE, Boolean.TRUE);
                if (coyote.getAvailable() <= 0) {
                    Thread.sleep(5);
                    continue;
                }
                int n = coyote.doRead(dropped);
                if (n < 0) {
                    break;
                }
                drained += n;
                lastBytes = System.nanoTime();
            }
        } catch (IOException | IllegalStateException unreadable) {
            return false;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
        return coyote.isFinished();
    }

    /** Where Tomcat hands the bytes read: nowhere, they are dropped. */
    private static final class Dropped implements ApplicationBufferHandler {

        private ByteBuffer buffer = EMPTY_BUFFER;

        @Override
        public void setByteBuffer(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public ByteBuffer getByteBuffer() {
            return buffer;
        }

        @Override
        public void expand(int size) {
        }
    }
}
