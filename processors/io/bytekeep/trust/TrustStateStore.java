package io.bytekeep.trust;

import java.util.Map;
import java.util.Set;

/**
 * Where the repository keeps its current signed metadata between runs: one entry per role ({@code targets},
 * {@code bins}, each bin, {@code snapshot}, {@code timestamp}) and one per root version ({@code 1.root}, ...),
 * each the bytes of the metadata file. The published files are copies of these.
 */
public interface TrustStateStore {

    /** Every entry. */
    Map<String, byte[]> load();

    /** One entry, or null. */
    byte[] load(String name);

    /**
     * Writes the entries and removes the names, all or nothing, if the stored {@code timestamp} is still
     * {@code expectedTimestamp} (null: none yet); else an {@link IllegalStateException} and nothing changes. Every
     * commit writes a new timestamp, so this refuses a commit planned on a state another instance has changed.
     */
    void save(Map<String, byte[]> entries, Set<String> removed, byte[] expectedTimestamp);
}
