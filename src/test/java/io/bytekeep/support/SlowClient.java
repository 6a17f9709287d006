package io.bytekeep.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** A client on a raw socket: sends the request head, then body bytes only when told to. */
public final class SlowClient {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final StringBuilder received = new StringBuilder();
    private boolean closed;

    private SlowClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    public static SlowClient open(int port, String requestLine, Map<String, String> headers) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(50);
        StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        SlowClient client = new SlowClient(socket);
        client.out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        client.out.flush();
        return client;
    }

    /** A streamed raw upload ({@code POST /bytes/raw}, octet-stream) declaring {@code length} bytes; none sent yet. */
    public static SlowClient streamedUpload(int port, String token, java.util.UUID boefjeMetaId, String name, long length)
            throws IOException {
        return open(port, "POST /bytes/raw?name=" + name + "&boefje_meta_id=" + boefjeMetaId, Map.of(
                "Authorization", "Bearer " + token, "Content-Type", "application/octet-stream",
                "Content-Length", String.valueOf(length)));
    }

    public void trickle() {
        send(1);
    }

    public void send(int bytes) {
        if (closed) {
            return;
        }
        try {
            out.write(new byte[bytes]);
            out.flush();
        } catch (IOException reset) {
            closed = true;
        }
        poll();
    }

    /** Reads what the server sent so far; notes when it closed the connection. */
    private void poll() {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                received.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
            if (n < 0) {
                closed = true;
            }
        } catch (SocketTimeoutException nothingYet) {
            // the server has not answered or closed yet
        } catch (IOException reset) {
            closed = true;
        }
    }

    /** Ends the request body here, whatever it declared (half-closes the connection; the answer can still come). */
    public void endBody() {
        try {
            socket.shutdownOutput();
        } catch (IOException reset) {
            closed = true;
        }
    }

    public boolean closedByServer() {
        poll();
        return closed;
    }

    public int status() {
        poll();
        return received.length() >= 12 ? Integer.parseInt(received.substring(9, 12)) : -1;
    }

    public int awaitStatus() {
        await().atMost(Duration.ofSeconds(5)).until(() -> status() > 0);
        return status();
    }

    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test connection
        }
    }

    /** Milliseconds the call took. */
    public static long timed(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    public static long p99(List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * 0.99) - 1));
    }
}
