package io.bytekeep.trust;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** A {@link TrustStateStore} in memory: for the benchmark and unit tests. */
public final class InMemoryTrustStateStore implements TrustStateStore {

    private final Map<String, byte[]> entries = new HashMap<>();

    @Override
    public synchronized Map<String, byte[]> load() {
        return Map.copyOf(entries);
    }

    @Override
    public synchronized void save(Map<String, byte[]> changed, Set<String> removed) {
        entries.keySet().removeAll(removed);
        entries.putAll(changed);
    }
}
