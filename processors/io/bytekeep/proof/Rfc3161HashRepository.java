package io.bytekeep.proof;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import io.bytekeep.platform.Problem;

/**
 * Bytes' RFC3161 hash repository, one TSA request per file: the TSA timestamps the UTF-8 of the secure hash string
 * ({@code sha512:<hex>}); the retrieval link is the verified DER token in base64. An upload fails with 503 while the
 * TSA is down or answers something that does not verify (batching mode queues instead: {@link QueuedHashRepository}).
 */
public final class Rfc3161HashRepository implements HashRepository {

    private final TimestampClient client;

    public Rfc3161HashRepository(TimestampClient client) {
        this.client = client;
    }

    @Override
    public String store(String secureHash) {
        try {
            return Base64.getEncoder().encodeToString(client.timestamp(secureHash.getBytes(StandardCharsets.UTF_8)).getEncoded());
        } catch (TimestampException e) {
            throw Problem.unavailable("The hash of the file could not be timestamped: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean verify(String retrievalLink, String secureHash) {
        try {
            client.verifier().verify(TimestampVerifier.parseToken(retrievalLink), secureHash.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (TimestampException e) {
            return false;
        }
    }

    @Override
    public Optional<String> signingProviderUrl() {
        return Optional.of(client.url().toString());
    }
}
