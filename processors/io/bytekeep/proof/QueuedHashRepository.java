package io.bytekeep.proof;

import java.util.Optional;

/**
 * The RFC3161 repository in Merkle batching mode: nothing is sent per file. The hash is queued with its raw file (in
 * the same transaction) and witnessed later, as a leaf of a batch whose Merkle root one TSA request timestamps. So
 * there is no per-file retrieval link; the proof is served by GET /bytes/raw/{id}/proof.
 */
public final class QueuedHashRepository implements HashRepository {

    private final String tsaUrl;

    public QueuedHashRepository(String tsaUrl) {
        this.tsaUrl = tsaUrl;
    }

    @Override
    public String store(String secureHash) {
        return null;
    }

    @Override
    public boolean verify(String retrievalLink, String secureHash) {
        return false;
    }

    @Override
    public Optional<String> signingProviderUrl() {
        return Optional.of(tsaUrl);
    }
}
