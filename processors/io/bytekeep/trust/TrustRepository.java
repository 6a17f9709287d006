package io.bytekeep.trust;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A TUF repository (specification 1.0.31) with python-tuf's hash-bin delegation: {@code targets} delegates every
 * path to {@code bins}, which delegates to the {@link HashBins} bin roles by {@code path_hash_prefixes}; the bins
 * hold the targets. Consistent snapshots: metadata files are {@code VERSION.ROLE.json} (timestamp:
 * {@code timestamp.json}), targets are fetched as {@code dir/SHA256.name}.
 *
 * <p>{@link #plan} makes an {@link Update}: only the bins whose targets changed (or that expire within half their
 * lifetime, or were signed by another key) are re-signed, then {@code bins} and {@code targets} if needed, then
 * {@code snapshot} and {@code timestamp} if anything they name changed or they near expiry. The update is
 * {@link #commit committed} first and published after, so no version number is ever signed twice with different
 * content; the bucket may lag behind the stored state, never run ahead of it.
 *
 * <p>Split along python-tuf's {@code tuf/repository} seams: {@link TrustState} opens the stored state and closes an
 * update into it, {@link RoleMetadata} edits the roles' signed bodies, {@link SnapshotAndTimestamp} makes the
 * snapshot and the timestamp; this class plans an update from them (which bins, then {@code bins} and
 * {@code targets}, then snapshot and timestamp; or a root rotation). Every method that reads or changes the state
 * is synchronized, {@link #files} too (only {@link #hashBins}, fixed at construction, is not); the caller still
 * serializes plan, commit and publication ({@link TrustPublisher}'s lock).
 */
public final class TrustRepository {

    public static final String SPEC_VERSION = "1.0.31";
    public static final String ROOT = "root";
    public static final String TARGETS = "targets";
    public static final String BINS = "bins";
    public static final String SNAPSHOT = "snapshot";
    public static final String TIMESTAMP = "timestamp";

    /** The prefixes of {@code targets}' delegation to {@code bins}: every SHA-256 (a path glob would be per segment). */
    private static final List<String> ALL_HASHES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b",
            "c", "d", "e", "f");

    /** The signing keys: one per top-level role, one for {@code bins}, one shared by the bin roles (as the seed). */
    public record Keys(TrustSigner root, TrustSigner targets, TrustSigner snapshot, TrustSigner timestamp,
                       TrustSigner bins, TrustSigner bin) {
        public Keys {
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(targets, "targets");
            Objects.requireNonNull(snapshot, "snapshot");
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(bins, "bins");
            Objects.requireNonNull(bin, "bin");
        }
    }

    /** How long each role's metadata is valid after signing. */
    public record Expiries(Duration root, Duration targets, Duration bins, Duration bin, Duration snapshot,
                           Duration timestamp) {
        public Expiries {
            for (Duration d : new Duration[] {root, targets, bins, bin, snapshot, timestamp}) {
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("every expiry is a positive duration");
                }
            }
        }

        /** The seed's: root and the delegating roles 365 days, the bins 7 days; snapshot 7 days, timestamp 1 day. */
        public static Expiries defaults() {
            return new Expiries(Duration.ofDays(365), Duration.ofDays(365), Duration.ofDays(365), Duration.ofDays(7),
                    Duration.ofDays(7), Duration.ofDays(1));
        }
    }

    /** One metadata file as published: its name (e.g. {@code 3.snapshot.json}) and bytes. */
    public record MetadataFile(String name, byte[] bytes) {
    }

    /**
     * What one publication changes: the new metadata (in publishing order: root, bins, delegating roles, snapshot,
     * timestamp) and the bins' new targets; empty if nothing needs signing.
     */
    public static final class Update {
        private final long base;
        private final Metadata root;
        private final Map<String, Metadata> roles;
        private final Map<String, TreeMap<String, TargetInfo>> binTargets;
        private final Set<String> dropped;

        private Update(long base, Metadata root, Map<String, Metadata> roles,
                       Map<String, TreeMap<String, TargetInfo>> binTargets, Set<String> dropped) {
            this.base = base;
            this.root = root;
            this.roles = roles;
            this.binTargets = binTargets;
            this.dropped = dropped;
        }

        public boolean isEmpty() {
            return root == null && roles.isEmpty();
        }

        /** The roles signed anew, by name. */
        public Set<String> signedRoles() {
            return roles.keySet();
        }

        /** The files to publish, in order; {@code timestamp.json} last. */
        public List<MetadataFile> files() {
            List<MetadataFile> files = new ArrayList<>();
            if (root != null) {
                files.addAll(RoleMetadata.rootFiles(root));
            }
            roles.forEach((role, metadata) -> files.add(RoleMetadata.file(role, metadata)));
            return files;
        }

        long base() {
            return base;
        }

        Metadata root() {
            return root;
        }

        Map<String, Metadata> roles() {
            return roles;
        }

        Map<String, TreeMap<String, TargetInfo>> binTargets() {
            return binTargets;
        }

        Set<String> dropped() {
            return dropped;
        }
    }

    private final HashBins hashBins;
    private final Keys keys;
    private final Expiries expiries;
    private final Clock clock;
    private final TrustState state;
    /** What {@code targets} and {@code bins} delegate, by the configured keys and layout (made once). */
    private final Map<String, Object> targetsDelegations;
    private final Map<String, Object> binsDelegations;

    public TrustRepository(HashBins hashBins, Keys keys, Expiries expiries, Clock clock, TrustStateStore store) {
        this.hashBins = Objects.requireNonNull(hashBins, "hashBins");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.expiries = Objects.requireNonNull(expiries, "expiries");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.targetsDelegations = RoleMetadata.delegations(keys.bins(), List.of(new HashBins.Bin(BINS, ALL_HASHES)));
        this.binsDelegations = RoleMetadata.delegations(keys.bin(), hashBins.bins());
        this.state = new TrustState(hashBins, Objects.requireNonNull(store, "store"));
    }

    public HashBins hashBins() {
        return hashBins;
    }

    /** The current root, or null before the first commit. */
    public synchronized Metadata root() {
        return state.root();
    }

    /** The current metadata of a role (not root), or null. */
    public synchronized Metadata metadata(String role) {
        return state.metadata(role);
    }

    /** The target, or null. */
    public synchronized TargetInfo target(String path) {
        return state.target(path);
    }

    /** Every target by path. */
    public synchronized Map<String, TargetInfo> targets() {
        return state.targets();
    }

    /** How many targets the repository holds. */
    public synchronized int size() {
        return state.size();
    }

    /** The bytes of a published metadata file of the current state ({@code 2.root.json}, {@code 5.00-07.json}), or null. */
    public synchronized byte[] file(String name) {
        return state.file(name);
    }

    /** Every published file of the current state (for a bucket that lost them), {@code timestamp.json} last. */
    public synchronized List<MetadataFile> files() {
        return state.files();
    }

    /** The update that brings the targets to exactly {@code targets}: adds, replaces and removes. */
    public synchronized Update planAll(Map<String, TargetInfo> targets) {
        List<String> removed = new ArrayList<>();
        state.targets().keySet().forEach(path -> {
            if (!targets.containsKey(path)) {
                removed.add(path);
            }
        });
        return plan(targets, removed);
    }

    /** The update that adds or replaces {@code upserts} and removes {@code removals}; re-signs what is due. */
    public synchronized Update plan(Map<String, TargetInfo> upserts, Collection<String> removals) {
        state.reopenIfChanged();
        return plan(upserts, removals, null);
    }

    /**
     * A new root version with the configured keys, signed by the configured root key and, when the root key
     * changes, by {@code previousRoot} (the key of the current root): a client that trusts the current root accepts
     * it. Every role whose key changed is re-signed in the same update.
     */
    public synchronized Update planRootRotation(TrustSigner previousRoot) {
        state.reopenIfChanged();
        Metadata old = state.root();
        if (old == null) {
            throw new IllegalStateException("there is no root yet: the first publication creates it");
        }
        List<TrustSigner> signers = new ArrayList<>(List.of(keys.root()));
        if (previousRoot != null && !previousRoot.key().equals(keys.root().key())) {
            signers.add(previousRoot);
        }
        Metadata rotated = Metadata.sign(RoleMetadata.rootSigned(keys, expiries.root(), now(), old.version() + 1), signers);
        RoleMetadata.RoleKeys previous = RoleMetadata.RoleKeys.of(old, ROOT);
        if (!rotated.hasThreshold(previous.keys(), previous.keyids(), previous.threshold())) {
            throw new IllegalArgumentException("the new root must be signed by the key of root version "
                    + old.version() + " (" + String.join(", ", previous.keyids()) + "): give the previous root key");
        }
        return plan(Map.of(), List.of(), rotated);
    }

    /** Makes a published update the current state, in the store and here. */
    public synchronized void commit(Update update) {
        state.close(update);
    }

    private Update plan(Map<String, TargetInfo> upserts, Collection<String> removals, Metadata rotatedRoot) {
        Instant now = now();
        Metadata root = rotatedRoot;
        if (root == null) {
            Metadata existing = state.root();
            if (existing == null || RoleMetadata.expiresSoon(existing, expiries.root(), now)) {
                root = Metadata.sign(RoleMetadata.rootSigned(keys, expiries.root(), now,
                        existing == null ? 1 : existing.version() + 1), List.of(keys.root()));
            } else {
                RoleMetadata.requireRootNamesTheKeys(existing, keys);
            }
        }
        boolean newRootKeys = rotatedRoot != null;

        Map<String, TreeMap<String, TargetInfo>> changedTargets = changedTargets(upserts, removals);
        Map<String, Metadata> signed = new LinkedHashMap<>();
        signTargetsRoles(changedTargets, newRootKeys, now, signed);

        Metadata snapshot = state.metadata(SNAPSHOT);
        if (!signed.isEmpty() || !state.obsolete().isEmpty() || newRootKeys
                || RoleMetadata.due(snapshot, expiries.snapshot(), now, keys.snapshot())) {
            signed.put(SNAPSHOT, SnapshotAndTimestamp.snapshot(hashBins, role -> versionOf(role, signed), snapshot,
                    expiries, now, keys.snapshot()));
        }
        Metadata timestamp = state.metadata(TIMESTAMP);
        Metadata newSnapshot = signed.get(SNAPSHOT);
        if (newSnapshot != null || root != null || RoleMetadata.due(timestamp, expiries.timestamp(), now, keys.timestamp())) {
            signed.put(TIMESTAMP, SnapshotAndTimestamp.timestamp(newSnapshot != null ? newSnapshot : snapshot, timestamp,
                    expiries, now, keys.timestamp()));
        }
        return new Update(state.generation(), root, signed, changedTargets, state.obsolete());
    }

    /** The bins whose targets the upserts and removals change, each with its new targets. */
    private Map<String, TreeMap<String, TargetInfo>> changedTargets(Map<String, TargetInfo> upserts,
                                                                   Collection<String> removals) {
        Map<String, TreeMap<String, TargetInfo>> changed = new HashMap<>();
        for (String path : removals) {
            String bin = hashBins.binFor(path);
            if (state.targetsOfBin(bin).containsKey(path)) {
                changed.computeIfAbsent(bin, b -> new TreeMap<>(state.targetsOfBin(b))).remove(path);
            }
        }
        upserts.forEach((path, info) -> {
            String bin = hashBins.binFor(path);
            if (!info.equals(state.targetsOfBin(bin).get(path))) {
                changed.computeIfAbsent(bin, b -> new TreeMap<>(state.targetsOfBin(b))).put(path, info);
            }
        });
        return changed;
    }

    /**
     * Signs the bins whose targets changed (or that are misplaced or due), then {@code bins} and {@code targets} if
     * due or their delegations changed; a bin signed anew joins {@code changedTargets} with its targets.
     */
    private void signTargetsRoles(Map<String, TreeMap<String, TargetInfo>> changedTargets, boolean newRootKeys,
                                  Instant now, Map<String, Metadata> signed) {
        for (HashBins.Bin bin : hashBins.bins()) {
            String name = bin.name();
            Metadata existing = state.metadata(name);
            if (changedTargets.containsKey(name) || state.isMisplaced(name)
                    || RoleMetadata.due(existing, expiries.bin(), now, keys.bin())) {
                TreeMap<String, TargetInfo> targets = changedTargets.getOrDefault(name, state.targetsOfBin(name));
                signed.put(name, Metadata.sign(RoleMetadata.targetsSigned(existing, expiries.bin(), now, targets, null),
                        List.of(keys.bin())));
                changedTargets.putIfAbsent(name, targets);
            }
        }
        Metadata bins = state.metadata(BINS);
        if (RoleMetadata.due(bins, expiries.bins(), now, keys.bins())
                || !binsDelegations.equals(bins.signed().get("delegations"))) {
            signed.put(BINS, Metadata.sign(RoleMetadata.targetsSigned(bins, expiries.bins(), now, Map.of(),
                    binsDelegations), List.of(keys.bins())));
        }
        Metadata targets = state.metadata(TARGETS);
        if (newRootKeys || RoleMetadata.due(targets, expiries.targets(), now, keys.targets())
                || !targetsDelegations.equals(targets.signed().get("delegations"))) {
            signed.put(TARGETS, Metadata.sign(RoleMetadata.targetsSigned(targets, expiries.targets(), now, Map.of(),
                    targetsDelegations), List.of(keys.targets())));
        }
    }

    private int versionOf(String role, Map<String, Metadata> signed) {
        Metadata metadata = signed.containsKey(role) ? signed.get(role) : state.metadata(role);
        return metadata.version();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
