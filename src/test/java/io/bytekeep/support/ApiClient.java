package io.bytekeep.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain HTTP client of the Bytes API, as an external caller sees it. */
public final class ApiClient {

    public record Response(int status, String contentType, byte[] body, java.net.http.HttpHeaders headers) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private String token;

    public ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public ApiClient login(String username, String password) {
        Response response = token(username, password);
        if (response.status() != 200) {
            throw new AssertionError("login failed: " + response.status() + " " + response.text());
        }
        token = response.json().get("access_token").asText();
        return this;
    }

    public ApiClient withToken(String token) {
        ApiClient client = new ApiClient(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)));
        client.token = token;
        return client;
    }

    public String token() {
        return token;
    }

    public Response token(String username, String password) {
        String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(URI.create(base + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** A boefje meta of the organisation that ended at {@code ended}, as the Bytes API takes it. */
    public static Map<String, Object> boefjeMeta(UUID id, String organization, Instant ended) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("id", id.toString());
        meta.put("started_at", ended.minusSeconds(10).toString());
        meta.put("ended_at", ended.toString());
        meta.put("boefje", Map.of("id", "dns-records", "version", "1.2"));
        meta.put("input_ooi", "Hostname|internet|example.org");
        meta.put("arguments", Map.of("domain", "example.org"));
        meta.put("organization", organization);
        meta.put("runnable_hash", "a1b2c3");
        meta.put("environment", Map.of("TIMEOUT", "30"));
        return meta;
    }

    /** A boefje meta of the organisation that ended at {@code ended}, through the API (201 or a failed test); its id. */
    public UUID createBoefjeMeta(String organization, Instant ended) {
        UUID id = UUID.randomUUID();
        Response response = postJson("/bytes/boefje_meta", boefjeMeta(id, organization, ended));
        if (response.status() != 201) {
            throw new AssertionError("boefje meta not created: " + response.status() + " " + response.text());
        }
        return id;
    }

    public Response get(String path) {
        return send(authorized(path).GET());
    }

    public Response postJson(String path, Object body) {
        try {
            return post(path, "application/json", JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Response post(String path, String contentType, byte[] body) {
        return send(authorized(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** Without Content-Length: the server learns the size only by reading. */
    public Response postChunked(String path, String contentType, byte[] body) {
        return send(authorized(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))));
    }

    public Response send(String method, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request);
    }

    private HttpRequest.Builder authorized(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
