package io.bytekeep.trust;

import java.util.Arrays;
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
    public synchronized byte[] load(String name) {
        return entries.get(name);
    }

    @Override
    public synchronized void save(Map<String, byte[]> changed, Set<String> removed, byte[] expectedTimestamp) {
        if (!Arrays.equals(entries.get(TrustRepository.TIMESTAMP), expectedTimestamp)) {
            throw new IllegalStateException("the trust metadata changed since the update was planned");
        }
        entries.keySet().removeAll(removed);
        entries.putAll(changed);
    }
}
