package io.bytekeep.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * PUTs and ranged GETs against presigned S3 URLs with blocking {@link HttpURLConnection}s (keep-alive pooled by the
 * JDK), one per worker thread: for bodies of many MiB this moves bytes markedly faster than java.net.http's single
 * selector thread (bench/results/sharing-*.md). Error messages name the host only: the URL carries a signature.
 */
final class PresignedTransfers {

    private static final int CONNECT_TIMEOUT_MILLIS = 15_000;
    private static final int READ_TIMEOUT_MILLIS = 600_000;

    private PresignedTransfers() {
    }

    /** Answers the status and, for 200, the ETag. */
    record PutResult(int status, String etag) {
    }

    static PutResult put(URI url, byte[] body) throws ClientException {
        HttpURLConnection connection = open(url, "PUT");
        try {
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            drain(connection, status);
            return new PutResult(status, connection.getHeaderField("ETag"));
        } catch (IOException e) {
            throw failed(url, "PUT", e);
        }
    }

    /** The bytes {@code from..to} (inclusive); a refusal becomes a {@link ClientException} with the exit code for it. */
    static byte[] getRange(URI url, long from, long to) throws ClientException {
        HttpURLConnection connection = open(url, "GET");
        try {
            connection.setRequestProperty("Range", "bytes=" + from + "-" + to);
            int status = connection.getResponseCode();
            if (status != 206 && status != 200) {
                drain(connection, status);
                throw new ClientException(status == 403 || status == 404 ? ClientException.NOT_FOUND : ClientException.SERVER,
                        "S3 refused the download (" + status + ")");
            }
            byte[] bytes = new byte[Math.toIntExact(to - from + 1)];
            int read;
            try (InputStream in = connection.getInputStream()) {
                read = in.readNBytes(bytes, 0, bytes.length);
            }
            if (read != bytes.length || (status == 200 && from != 0)) {
                throw new ClientException(ClientException.SERVER, "S3 answered " + read + " bytes for a range of " + bytes.length);
            }
            return bytes;
        } catch (IOException e) {
            throw failed(url, "GET", e);
        }
    }

    private static HttpURLConnection open(URI url, String method) throws ClientException {
        try {
            HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
            connection.setRequestMethod(method);
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setReadTimeout(READ_TIMEOUT_MILLIS);
            return connection;
        } catch (IOException e) {
            throw failed(url, method, e);
        }
    }

    /** Reads the rest of the answer so that the connection goes back to the keep-alive pool. */
    private static void drain(HttpURLConnection connection, int status) throws IOException {
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            if (in != null) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
    }

    private static ClientException failed(URI url, String method, IOException e) {
        return new ClientException(ClientException.SERVER, method + " to " + url.getHost() + ":" + url.getPort() + " failed: "
                + e.getClass().getSimpleName(), e);
    }
}
