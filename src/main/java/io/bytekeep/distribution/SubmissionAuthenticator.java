package io.bytekeep.distribution;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import io.bytekeep.platform.Problem;

/**
 * Route step: lets a key submission through only with the configured submission token in the
 * {@code cwa-authorization} header (CWA's header name), compared in constant time. Without a configured token
 * every submission over HTTP is refused (403). No token in the request: 401, like every other operation of the API
 * without its credentials; a wrong token: 403, as CWA answers an invalid TAN.
 */
public final class SubmissionAuthenticator implements Processor {

    public static final String HEADER = "cwa-authorization";

    private final byte[] expectedDigest;

    /** @param token the submission token; null or empty = submission over HTTP is off */
    public SubmissionAuthenticator(String token) {
        this.expectedDigest = token == null || token.isEmpty() ? null : sha256(token);
    }

    @Override
    public void process(Exchange exchange) {
        String given = exchange.getIn().getHeader(HEADER, String.class);
        exchange.getIn().removeHeader(HEADER);
        if (expectedDigest == null) {
            throw Problem.forbidden("key submission over HTTP is off: no submission token is configured");
        }
        if (given == null || given.isEmpty()) {
            throw Problem.unauthorized("a submission token is required in the " + HEADER + " header");
        }
        // digests of equal length, compared in constant time: neither the token nor its length leaks through timing
        if (!MessageDigest.isEqual(expectedDigest, sha256(given))) {
            throw Problem.forbidden("a valid submission token is required in the " + HEADER + " header");
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
