package io.bytekeep.proof;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Bytes' IN_MEMORY hash repository: a stand-in that witnesses nothing outside this process. It keeps the
 * newest {@code capacity} links so a long-running instance does not grow without bound.
 */
public final class InMemoryHashRepository implements HashRepository {

    private final Map<String, String> hashesByLink;

    public InMemoryHashRepository(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.hashesByLink = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        });
    }

    @Override
    public String store(String secureHash) {
        String link = UUID.randomUUID().toString();
        hashesByLink.put(link, secureHash);
        return link;
    }

    @Override
    public boolean verify(String retrievalLink, String secureHash) {
        String stored = hashesByLink.get(retrievalLink);
        return stored != null && java.security.MessageDigest.isEqual(stored.getBytes(), secureHash.getBytes());
    }

    @Override
    public Optional<String> signingProviderUrl() {
        return Optional.empty();
    }
}
