package io.bytekeep.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Bytekeep API over plain java.net.http: bearer token, JSON in and out, problem+json turned into a
 * {@link ClientException} with the detail the server gave. Never prints or logs URLs it is handed.
 */
public final class BytekeepClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final HttpClient http;
    private final String server;
    private final String token;

    public BytekeepClient(HttpClient http, String server, String token) {
        this.http = http;
        this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        this.token = token;
    }

    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(15)).build();
    }

    public HttpClient http() {
        return http;
    }

    /** OAuth2 password grant: the access token. */
    public static String login(HttpClient http, String server, String username, String password) throws ClientException {
        String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        BytekeepClient anonymous = new BytekeepClient(http, server, null);
        JsonNode answer = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        return answer.get("access_token").asText();
    }

    public JsonNode get(String path) throws ClientException {
        return send(authorized(path).GET());
    }

    /** A GET whose 404 means there is none: empty then. */
    public Optional<JsonNode> find(String path) throws ClientException {
        HttpResponse<byte[]> response = exchange(authorized(path).GET().timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
        return response.statusCode() == 404 ? Optional.empty() : Optional.of(json(response));
    }

    public JsonNode post(String path, Object body) throws ClientException {
        return send(authorized(path).header("Content-Type", "application/json").POST(json(body)));
    }

    public JsonNode put(String path, Object body) throws ClientException {
        return send(authorized(path).header("Content-Type", "application/json").PUT(json(body)));
    }

    public JsonNode delete(String path) throws ClientException {
        return send(authorized(path).DELETE());
    }

    /** A raw request (e.g. a streamed octet-stream body), answered as JSON. */
    public JsonNode send(String path, String method, String contentType, HttpRequest.BodyPublisher body) throws ClientException {
        return send(authorized(path).header("Content-Type", contentType).method(method, body));
    }

    /** An answer whatever its status: the status and the JSON body (empty when there is none or it is no JSON). */
    public record Answer(int status, JsonNode body) {

        /** The problem type of a problem+json answer, else "". */
        public String problemType() {
            return body.path("type").asText("");
        }

        /** The detail of a problem+json answer, else its title, else "". */
        public String detail() {
            return body.path("detail").asText(body.path("title").asText(""));
        }
    }

    /**
     * A request whose answer the caller judges (a 4xx may be an expected outcome): only a failure to exchange it at all
     * is a {@link ClientException}.
     */
    public Answer call(String path, String method, String contentType, HttpRequest.BodyPublisher body, Duration timeout)
            throws ClientException {
        HttpResponse<byte[]> response = exchange(authorized(path).header("Content-Type", contentType).method(method, body)
                .timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json;
        try {
            json = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException notJson) {
            json = JSON.createObjectNode();
        }
        return new Answer(response.statusCode(), json);
    }

    /** A GET whose body is streamed to the caller; 2xx only. */
    public InputStream stream(String path) throws ClientException {
        HttpResponse<InputStream> response = exchange(authorized(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() / 100 != 2) {
            try (InputStream body = response.body()) {
                throw failure(response.statusCode(), body.readAllBytes());
            } catch (IOException e) {
                throw new ClientException(ClientException.SERVER, "reading the answer failed: " + e.getMessage(), e);
            }
        }
        return response.body();
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws ClientException {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            // the request's host only: the URL may be presigned
            throw new ClientException(ClientException.SERVER, request.method() + " to " + request.uri().getHost() + ":"
                    + request.uri().getPort() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ClientException.SERVER, "interrupted", e);
        }
    }

    private JsonNode send(HttpRequest.Builder request) throws ClientException {
        return json(exchange(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray()));
    }

    /** The JSON body of a 2xx answer; any other answer is a {@link ClientException} with the server's detail. */
    private static JsonNode json(HttpResponse<byte[]> response) throws ClientException {
        if (response.statusCode() / 100 != 2) {
            throw failure(response.statusCode(), response.body());
        }
        try {
            return response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ClientException(ClientException.SERVER, "the server answered no JSON (" + response.statusCode() + ")", e);
        }
    }

    private static ClientException failure(int status, byte[] body) {
        String detail;
        try {
            JsonNode problem = JSON.readTree(body);
            detail = problem.path("detail").asText(problem.path("title").asText(""));
        } catch (IOException | RuntimeException e) {
            detail = "";
        }
        return new ClientException(ClientException.forStatus(status), "the server answered " + status
                + (detail.isEmpty() ? "" : ": " + detail));
    }

    private HttpRequest.Builder authorized(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private URI uri(String path) {
        return URI.create(server + path);
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
