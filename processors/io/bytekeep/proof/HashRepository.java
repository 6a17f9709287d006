package io.bytekeep.proof;

import java.util.Optional;

/**
 * Where proof hashes go to be witnessed by a third party (Bytes' HashRepository). {@link #store} returns the
 * retrieval link saved next to the raw file, or null when the hash is witnessed later with a batch
 * ({@link QueuedHashRepository}); {@link #verify} checks a link against a hash later.
 */
public interface HashRepository {

    String store(String secureHash);

    boolean verify(String retrievalLink, String secureHash);

    Optional<String> signingProviderUrl();
}
