package io.bytekeep.trust;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The repository's committed state, opened from and closed into its {@link TrustStateStore} (python-tuf's
 * {@code Repository.open} and {@code close}): every root version, the current metadata of the other roles and the
 * targets of each bin. Not thread-safe: {@link TrustRepository} holds it under its lock.
 */
final class TrustState {

    private final HashBins hashBins;
    private final TrustStateStore store;

    private final TreeMap<Integer, Metadata> roots = new TreeMap<>();
    private final Map<String, Metadata> current = new HashMap<>();
    private final Map<String, TreeMap<String, TargetInfo>> targetsByBin = new HashMap<>();
    /** Bins whose stored metadata does not hold what the layout puts in them (another number of bins before). */
    private final Set<String> misplaced = new HashSet<>();
    /** Stored roles outside the current layout, removed by the next commit. */
    private final Set<String> obsolete = new HashSet<>();
    /** Counts the states: an update planned on one is committed only onto the same. */
    private long generation;

    TrustState(HashBins hashBins, TrustStateStore store) {
        this.hashBins = Objects.requireNonNull(hashBins, "hashBins");
        this.store = Objects.requireNonNull(store, "store");
        open(store.load());
    }

    /** Opens the stored state again if another instance committed since (its timestamp differs from ours). */
    void reopenIfChanged() {
        Metadata timestamp = current.get(TrustRepository.TIMESTAMP);
        byte[] stored = store.load(TrustRepository.TIMESTAMP);
        if (!Arrays.equals(stored, timestamp == null ? null : timestamp.bytes())) {
            roots.clear();
            current.clear();
            targetsByBin.clear();
            misplaced.clear();
            obsolete.clear();
            generation++;
            open(store.load());
        }
    }

    private void open(Map<String, byte[]> stored) {
        Map<String, TargetInfo> all = new HashMap<>();
        Set<String> layout = new HashSet<>();
        hashBins.bins().forEach(bin -> layout.add(bin.name()));
        stored.forEach((name, bytes) -> {
            Metadata metadata = Metadata.parse(bytes);
            if (name.endsWith("." + TrustRepository.ROOT)) {
                roots.put(metadata.version(), metadata);
            } else if (name.equals(TrustRepository.TARGETS) || name.equals(TrustRepository.BINS)
                    || name.equals(TrustRepository.SNAPSHOT) || name.equals(TrustRepository.TIMESTAMP)) {
                current.put(name, metadata);
            } else {
                RoleMetadata.targetsOf(metadata).forEach(all::put);
                if (layout.contains(name)) {
                    current.put(name, metadata);
                } else {
                    obsolete.add(name);
                }
            }
        });
        hashBins.bins().forEach(bin -> targetsByBin.put(bin.name(), new TreeMap<>()));
        all.forEach((path, info) -> targetsByBin.get(hashBins.binFor(path)).put(path, info));
        targetsByBin.forEach((bin, targets) -> {
            Metadata metadata = current.get(bin);
            if (metadata != null && !RoleMetadata.targetsOf(metadata).equals(targets)) {
                misplaced.add(bin);
            }
        });
    }

    /**
     * Closes an update into the store and into this state: new root, roles and bin targets; the obsolete roles it
     * drops removed. The store saves only if its timestamp is still the one this state holds.
     */
    void close(TrustRepository.Update update) {
        if (update.base() != generation) {
            throw new IllegalStateException("the update was planned on an older state of the repository");
        }
        if (update.isEmpty()) {
            return;
        }
        Map<String, byte[]> entries = new HashMap<>();
        if (update.root() != null) {
            entries.put(update.root().version() + "." + TrustRepository.ROOT, update.root().bytes());
        }
        update.roles().forEach((role, metadata) -> entries.put(role, metadata.bytes()));
        Metadata timestamp = current.get(TrustRepository.TIMESTAMP);
        store.save(entries, update.dropped(), timestamp == null ? null : timestamp.bytes());
        if (update.root() != null) {
            roots.put(update.root().version(), update.root());
        }
        current.putAll(update.roles());
        targetsByBin.putAll(update.binTargets());
        misplaced.removeAll(update.roles().keySet());
        obsolete.removeAll(update.dropped());
        generation++;
    }

    long generation() {
        return generation;
    }

    /** The current root, or null before the first commit. */
    Metadata root() {
        return roots.isEmpty() ? null : roots.lastEntry().getValue();
    }

    /** The current metadata of a role (not root), or null. */
    Metadata metadata(String role) {
        return current.get(role);
    }

    /** The bin's targets (the stored map: not to be changed by the caller). */
    TreeMap<String, TargetInfo> targetsOfBin(String bin) {
        return targetsByBin.get(bin);
    }

    boolean isMisplaced(String bin) {
        return misplaced.contains(bin);
    }

    Set<String> obsolete() {
        return Set.copyOf(obsolete);
    }

    TargetInfo target(String path) {
        return targetsByBin.get(hashBins.binFor(path)).get(path);
    }

    Map<String, TargetInfo> targets() {
        Map<String, TargetInfo> all = new HashMap<>();
        targetsByBin.values().forEach(all::putAll);
        return all;
    }

    int size() {
        return targetsByBin.values().stream().mapToInt(Map::size).sum();
    }

    /** The bytes of a published metadata file of this state ({@code 2.root.json}, {@code 5.00-07.json}), or null. */
    byte[] file(String name) {
        if (name.equals(TrustRepository.ROOT + ".json")) {
            return roots.isEmpty() ? null : root().bytes();
        }
        if (name.equals(TrustRepository.TIMESTAMP + ".json")) {
            Metadata timestamp = current.get(TrustRepository.TIMESTAMP);
            return timestamp == null ? null : timestamp.bytes();
        }
        int dot = name.indexOf('.');
        if (dot < 1 || !name.endsWith(".json")) {
            return null;
        }
        String role = name.substring(dot + 1, name.length() - ".json".length());
        int version;
        try {
            version = Integer.parseInt(name.substring(0, dot));
        } catch (NumberFormatException e) {
            return null;
        }
        Metadata metadata = TrustRepository.ROOT.equals(role) ? roots.get(version) : current.get(role);
        return metadata != null && metadata.version() == version ? metadata.bytes() : null;
    }

    /** Every published file of this state, {@code timestamp.json} last. */
    List<TrustRepository.MetadataFile> files() {
        List<TrustRepository.MetadataFile> files = new ArrayList<>();
        roots.values().forEach(root -> files.add(new TrustRepository.MetadataFile(
                root.version() + "." + TrustRepository.ROOT + ".json", root.bytes())));
        if (!roots.isEmpty()) {
            files.add(new TrustRepository.MetadataFile(TrustRepository.ROOT + ".json", root().bytes()));
        }
        hashBins.bins().forEach(bin -> addFile(files, bin.name()));
        for (String role : List.of(TrustRepository.BINS, TrustRepository.TARGETS, TrustRepository.SNAPSHOT,
                TrustRepository.TIMESTAMP)) {
            addFile(files, role);
        }
        return files;
    }

    private void addFile(List<TrustRepository.MetadataFile> files, String role) {
        Metadata metadata = current.get(role);
        if (metadata != null) {
            files.add(RoleMetadata.file(role, metadata));
        }
    }
}
