import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection of the bench clients, on a plain socket: a request's head and body out, its status
 * and body in (Content-Length or chunked). Much lighter than the JDK's HttpClient, which matters when the client shares
 * the two cores with the service it measures.
 */
final class HttpConnection {
    record Response(int status, byte[] body) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
    private final StringBuilder line = new StringBuilder(128);
    private boolean closeAfter;

    HttpConnection(String host, int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    Response exchange(byte[] head, int contentLength, byte[]... bodyParts) throws IOException {
        if (closeAfter) {
            throw new IOException("server closed the connection");
        }
        out.write(head);
        out.write(("Content-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] part : bodyParts) {
            out.write(part);
        }
        out.flush();

        String status = readLine();
        if (status == null) {
            throw new IOException("connection closed before the status line");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String h; (h = readLine()) != null && !h.isEmpty(); ) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        body.reset();
        if (chunked) {
            for (String size; (size = readLine()) != null; ) {
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    while (true) {          // trailers until the empty line
                        String t = readLine();
                        if (t == null || t.isEmpty()) {
                            break;
                        }
                    }
                    break;
                }
                copy(n);
                readLine();
            }
        } else if (length >= 0) {
            copy(length);
        } else if (code != 204 && code != 304) {
            closeAfter = true;              // body until close
            in.transferTo(body);
        }
        return new Response(code, body.toByteArray());
    }

    private void copy(long n) throws IOException {
        byte[] buf = new byte[8192];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new IOException("connection closed inside a body");
            }
            body.write(buf, 0, r);
            n -= r;
        }
    }

    private String readLine() throws IOException {
        line.setLength(0);
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    boolean reusable() {
        return !closeAfter;
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
