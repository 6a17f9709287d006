package io.bytekeep.platform;

/**
 * A failure a caller can cause or needs to know about, answered as {@code application/problem+json}
 * (RFC 9457). Thrown by any step; mapped to a response in one place.
 */
public class Problem extends RuntimeException {

    /** Seconds a client is asked to wait (Retry-After) before it tries a 503 again. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private final int status;
    private final String title;
    private java.util.Map<String, Object> plainBody;
    private long retryAfterSeconds = RETRY_AFTER_SECONDS;

    public Problem(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public Problem(int status, String title, String detail, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.title = title;
    }

    /**
     * The body a client of the API this problem belongs to reads instead of problem+json, when it does not ask for
     * {@code application/problem+json}; null when there is none.
     */
    public java.util.Map<String, Object> plainBody() {
        return plainBody;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** A stable identifier of the kind of problem, e.g. {@code urn:bytekeep:problem:not-found}. */
    public String type() {
        return "urn:bytekeep:problem:" + title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    /** Headers the answer carries besides the body: a challenge with a 401, Retry-After with a 429 or 503. */
    public java.util.Map<String, String> headers() {
        return switch (status) {
            case 401 -> java.util.Map.of("WWW-Authenticate", "Bearer");
            case 429, 503 -> java.util.Map.of("Retry-After", String.valueOf(retryAfterSeconds));
            default -> java.util.Map.of();
        };
    }

    /** The RFC 9457 members of this problem; {@code instance} is the request path, or null. */
    public java.util.Map<String, Object> toBody(String instance) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("type", type());
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail());
        if (instance != null) {
            body.put("instance", instance);
        }
        return body;
    }

    public static Problem badRequest(String detail) {
        return new Problem(400, "Bad Request", detail);
    }

    public static Problem unauthorized(String detail) {
        return new Problem(401, "Unauthorized", detail);
    }

    public static Problem forbidden(String detail) {
        return new Problem(403, "Forbidden", detail);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "Not Found", detail);
    }

    /** The body did not arrive in time (too slow, or stalled). */
    public static Problem requestTimeout(String detail) {
        return new Problem(408, "Request Timeout", detail);
    }

    public static Problem payloadTooLarge(String detail) {
        return new Problem(413, "Payload Too Large", detail);
    }

    public static Problem unsupportedMediaType(String detail) {
        return new Problem(415, "Unsupported Media Type", detail);
    }

    /** Too many attempts: try again after {@code retryAfterSeconds} (sent as Retry-After). */
    public static Problem tooManyRequests(String detail, long retryAfterSeconds) {
        Problem problem = new Problem(429, "Too Many Requests", detail);
        problem.retryAfterSeconds = retryAfterSeconds;
        return problem;
    }

    public static Problem unprocessable(String detail) {
        return new Problem(422, "Unprocessable Entity", detail);
    }

    public static Problem unavailable(String detail, Throwable cause) {
        return new Problem(503, "Service Unavailable", detail, cause);
    }

    /** Busy: try again after {@code retryAfterSeconds} (sent as Retry-After). */
    public static Problem overloaded(String detail, long retryAfterSeconds) {
        Problem problem = unavailable(detail, null);
        problem.retryAfterSeconds = retryAfterSeconds;
        return problem;
    }

    /**
     * A meta that already exists, or names a raw file that does not: Bytes answers both with 400 and the body
     * {@code {"status": "failed", "message": "Integrity error: object might already exist"}}, which clients compare.
     */
    public static Problem bytesIntegrityError(String detail) {
        Problem problem = badRequest(detail);
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("status", "failed");
        body.put("message", "Integrity error: object might already exist");
        problem.plainBody = java.util.Collections.unmodifiableMap(body);
        return problem;
    }

    public static Problem integrity(String detail) {
        return new Problem(500, "Integrity Check Failed", detail);
    }
}
