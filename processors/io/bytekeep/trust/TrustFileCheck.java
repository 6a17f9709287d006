package io.bytekeep.trust;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

import io.bytekeep.platform.Problem;

/**
 * {@code POST /trust/verify?path=<target path>}: checks a downloaded file (the request body, streamed) against the
 * repository's published metadata as a TUF client does ({@link TrustVerifier}, from root version 1). Answers what
 * the metadata says of the file, or 422 with the reason it cannot be trusted.
 */
public final class TrustFileCheck {

    private final TrustRepository repository;
    private final TrustVerifier verifier;

    /** @param repository null when TUF publishing is disabled */
    public TrustFileCheck(TrustRepository repository, TrustVerifier verifier) {
        this.repository = repository;
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    public Map<String, Object> verify(Exchange exchange) {
        String path = exchange.getIn().getHeader("path", String.class);
        if (path == null || path.isBlank()) {
            throw Problem.badRequest("give the target path of the file: ?path=version/v1/diagnosis-keys/...");
        }
        if (repository == null) {
            throw Problem.notFound("TUF publishing is disabled (bytekeep.trust.enabled)");
        }
        byte[] firstRoot = repository.file("1.root.json");
        if (firstRoot == null) {
            throw Problem.notFound("no TUF metadata is published yet");
        }
        MessageDigest sha256 = sha256();
        long length = 0;
        try (InputStream in = exchange.getIn().getMandatoryBody(InputStream.class)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
                length += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidPayloadException e) {
            throw Problem.badRequest("send the file as the request body");
        }
        TrustVerifier.Verified verified;
        try {
            verified = verifier.verify(firstRoot, repository::file, path, length, sha256.digest());
        } catch (TrustVerifier.Rejected e) {
            throw Problem.unprocessable("not trusted: " + e.getMessage());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("verified", true);
        answer.put("path", verified.path());
        answer.put("length", verified.target().length());
        answer.put("sha256", verified.target().sha256());
        answer.put("role", verified.role());
        answer.put("roleVersion", verified.roleVersion());
        answer.put("snapshotVersion", verified.snapshotVersion());
        return answer;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
