package io.bytekeep.trust;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
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
 * Its methods are synchronized; the caller still serializes plan, commit and publication.
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
        public synchronized List<MetadataFile> files() {
            List<MetadataFile> files = new ArrayList<>();
            if (root != null) {
                files.addAll(rootFiles(root));
            }
            roles.forEach((role, metadata) -> files.add(file(role, metadata)));
            return files;
        }
    }

    private final HashBins hashBins;
    private final Keys keys;
    private final Expiries expiries;
    private final Clock clock;
    private final TrustStateStore store;

    private final TreeMap<Integer, Metadata> roots = new TreeMap<>();
    private final Map<String, Metadata> current = new HashMap<>();
    private final Map<String, TreeMap<String, TargetInfo>> targetsByBin = new HashMap<>();
    /** Bins whose stored metadata does not hold what the layout puts in them (another number of bins before). */
    private final Set<String> misplaced = new HashSet<>();
    /** Stored roles outside the current layout, removed by the next commit. */
    private final Set<String> obsolete = new HashSet<>();
    private long generation;
    /** What {@code targets} and {@code bins} delegate, by the configured keys and layout (made once). */
    private final Map<String, Object> targetsDelegations;
    private Map<String, Object> binsDelegations;

    public TrustRepository(HashBins hashBins, Keys keys, Expiries expiries, Clock clock, TrustStateStore store) {
        this.hashBins = Objects.requireNonNull(hashBins, "hashBins");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.expiries = Objects.requireNonNull(expiries, "expiries");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = Objects.requireNonNull(store, "store");
        this.targetsDelegations = delegations(keys.bins(), List.of(new HashBins.Bin(BINS, ALL_HASHES)));
        load(store.load());
    }

    /** Loads the stored state again if another instance committed since (its timestamp differs from ours). */
    private void reloadIfChanged() {
        Metadata timestamp = current.get(TIMESTAMP);
        byte[] stored = store.load(TIMESTAMP);
        if (!Arrays.equals(stored, timestamp == null ? null : timestamp.bytes())) {
            roots.clear();
            current.clear();
            targetsByBin.clear();
            misplaced.clear();
            obsolete.clear();
            generation++;
            load(store.load());
        }
    }

    private void load(Map<String, byte[]> stored) {
        Map<String, TargetInfo> all = new HashMap<>();
        Set<String> layout = new HashSet<>();
        hashBins.bins().forEach(bin -> layout.add(bin.name()));
        stored.forEach((name, bytes) -> {
            Metadata metadata = Metadata.parse(bytes);
            if (name.endsWith("." + ROOT)) {
                roots.put(metadata.version(), metadata);
            } else if (name.equals(TARGETS) || name.equals(BINS) || name.equals(SNAPSHOT) || name.equals(TIMESTAMP)) {
                current.put(name, metadata);
            } else {
                targetsOf(metadata).forEach(all::put);
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
            if (metadata != null && !targetsOf(metadata).equals(targets)) {
                misplaced.add(bin);
            }
        });
    }

    public HashBins hashBins() {
        return hashBins;
    }

    /** The current root, or null before the first commit. */
    public synchronized Metadata root() {
        return roots.isEmpty() ? null : roots.lastEntry().getValue();
    }

    /** The current metadata of a role (not root), or null. */
    public synchronized Metadata metadata(String role) {
        return current.get(role);
    }

    /** The target, or null. */
    public synchronized TargetInfo target(String path) {
        return targetsByBin.get(hashBins.binFor(path)).get(path);
    }

    /** Every target by path. */
    public synchronized Map<String, TargetInfo> targets() {
        Map<String, TargetInfo> all = new HashMap<>();
        targetsByBin.values().forEach(all::putAll);
        return all;
    }

    /** How many targets the repository holds. */
    public synchronized int size() {
        return targetsByBin.values().stream().mapToInt(Map::size).sum();
    }

    /** The bytes of a published metadata file of the current state ({@code 2.root.json}, {@code 5.00-07.json}), or null. */
    public synchronized byte[] file(String name) {
        if (name.equals(ROOT + ".json")) {
            return roots.isEmpty() ? null : root().bytes();
        }
        if (name.equals(TIMESTAMP + ".json")) {
            Metadata timestamp = current.get(TIMESTAMP);
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
        Metadata metadata = ROOT.equals(role) ? roots.get(version) : current.get(role);
        return metadata != null && metadata.version() == version ? metadata.bytes() : null;
    }

    /** Every published file of the current state (for a bucket that lost them), {@code timestamp.json} last. */
    public List<MetadataFile> files() {
        List<MetadataFile> files = new ArrayList<>();
        roots.values().forEach(root -> files.add(new MetadataFile(root.version() + "." + ROOT + ".json", root.bytes())));
        if (!roots.isEmpty()) {
            files.add(new MetadataFile(ROOT + ".json", root().bytes()));
        }
        hashBins.bins().forEach(bin -> addFile(files, bin.name()));
        for (String role : List.of(BINS, TARGETS, SNAPSHOT, TIMESTAMP)) {
            addFile(files, role);
        }
        return files;
    }

    private void addFile(List<MetadataFile> files, String role) {
        Metadata metadata = current.get(role);
        if (metadata != null) {
            files.add(file(role, metadata));
        }
    }

    /** The update that brings the targets to exactly {@code targets}: adds, replaces and removes. */
    public synchronized Update planAll(Map<String, TargetInfo> targets) {
        List<String> removed = new ArrayList<>();
        targetsByBin.values().forEach(bin -> bin.keySet().forEach(path -> {
            if (!targets.containsKey(path)) {
                removed.add(path);
            }
        }));
        return plan(targets, removed);
    }

    /** The update that adds or replaces {@code upserts} and removes {@code removals}; re-signs what is due. */
    public synchronized Update plan(Map<String, TargetInfo> upserts, Collection<String> removals) {
        return plan(upserts, removals, null);
    }

    /**
     * A new root version with the configured keys, signed by the configured root key and, when the root key
     * changes, by {@code previousRoot} (the key of the current root): a client that trusts the current root accepts
     * it. Every role whose key changed is re-signed in the same update.
     */
    public synchronized Update planRootRotation(TrustSigner previousRoot) {
        reloadIfChanged();
        Metadata old = root();
        if (old == null) {
            throw new IllegalStateException("there is no root yet: the first publication creates it");
        }
        List<TrustSigner> signers = new ArrayList<>(List.of(keys.root()));
        if (previousRoot != null && !previousRoot.key().equals(keys.root().key())) {
            signers.add(previousRoot);
        }
        Metadata rotated = Metadata.sign(rootSigned(old.version() + 1), signers);
        RoleKeys previous = RoleKeys.of(old, ROOT);
        if (!rotated.hasThreshold(previous.keys, previous.keyids, previous.threshold)) {
            throw new IllegalArgumentException("the new root must be signed by the key of root version "
                    + old.version() + " (" + String.join(", ", previous.keyids) + "): give the previous root key");
        }
        return plan(Map.of(), List.of(), rotated);
    }

    private Update plan(Map<String, TargetInfo> upserts, Collection<String> removals, Metadata rotatedRoot) {
        if (rotatedRoot == null) {
            reloadIfChanged();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Metadata root = rotatedRoot;
        if (root == null) {
            Metadata existing = root();
            if (existing == null || expiresSoon(existing, expiries.root(), now)) {
                root = Metadata.sign(rootSigned(existing == null ? 1 : existing.version() + 1), List.of(keys.root()));
            } else {
                requireRootNamesTheKeys(existing);
            }
        }
        boolean newRootKeys = rotatedRoot != null;
        boolean newRoot = root != null;

        Map<String, TreeMap<String, TargetInfo>> changedTargets = new HashMap<>();
        for (String path : removals) {
            String bin = hashBins.binFor(path);
            if (targetsByBin.get(bin).containsKey(path)) {
                changedTargets.computeIfAbsent(bin, b -> new TreeMap<>(targetsByBin.get(b))).remove(path);
            }
        }
        upserts.forEach((path, info) -> {
            String bin = hashBins.binFor(path);
            if (!info.equals(targetsByBin.get(bin).get(path))) {
                changedTargets.computeIfAbsent(bin, b -> new TreeMap<>(targetsByBin.get(b))).put(path, info);
            }
        });

        Map<String, Metadata> signed = new LinkedHashMap<>();
        for (HashBins.Bin bin : hashBins.bins()) {
            String name = bin.name();
            Metadata existing = current.get(name);
            if (changedTargets.containsKey(name) || misplaced.contains(name)
                    || due(existing, expiries.bin(), now, keys.bin())) {
                TreeMap<String, TargetInfo> targets = changedTargets.getOrDefault(name, targetsByBin.get(name));
                signed.put(name, Metadata.sign(targetsSigned(existing, expiries.bin(), now, targets, null),
                        List.of(keys.bin())));
                changedTargets.putIfAbsent(name, targets);
            }
        }
        Metadata bins = current.get(BINS);
        if (due(bins, expiries.bins(), now, keys.bins()) || !binsDelegations().equals(bins.signed().get("delegations"))) {
            signed.put(BINS, Metadata.sign(targetsSigned(bins, expiries.bins(), now, Map.of(), binsDelegations()),
                    List.of(keys.bins())));
        }
        Metadata targets = current.get(TARGETS);
        if (newRootKeys || due(targets, expiries.targets(), now, keys.targets())
                || !targetsDelegations.equals(targets.signed().get("delegations"))) {
            signed.put(TARGETS, Metadata.sign(targetsSigned(targets, expiries.targets(), now, Map.of(), targetsDelegations),
                    List.of(keys.targets())));
        }

        Metadata snapshot = current.get(SNAPSHOT);
        if (!signed.isEmpty() || !obsolete.isEmpty() || newRootKeys || due(snapshot, expiries.snapshot(), now, keys.snapshot())) {
            Map<String, Object> meta = new HashMap<>();
            for (HashBins.Bin bin : hashBins.bins()) {
                meta.put(bin.name() + ".json", Map.of("version", versionOf(bin.name(), signed)));
            }
            meta.put(BINS + ".json", Map.of("version", versionOf(BINS, signed)));
            meta.put(TARGETS + ".json", Map.of("version", versionOf(TARGETS, signed)));
            signed.put(SNAPSHOT, Metadata.sign(common(SNAPSHOT, snapshot, expiries.snapshot(), now, Map.of("meta", meta)),
                    List.of(keys.snapshot())));
        }

        Metadata timestamp = current.get(TIMESTAMP);
        Metadata newSnapshot = signed.get(SNAPSHOT);
        if (newSnapshot != null || newRoot || due(timestamp, expiries.timestamp(), now, keys.timestamp())) {
            Metadata ofSnapshot = newSnapshot != null ? newSnapshot : current.get(SNAPSHOT);
            Map<String, Object> snapshotMeta = new LinkedHashMap<>();
            snapshotMeta.put("version", ofSnapshot.version());
            snapshotMeta.put("length", ofSnapshot.length());
            snapshotMeta.put("hashes", Map.of("sha256", HexFormat.of().formatHex(TrustKey.sha256(ofSnapshot.bytes()))));
            signed.put(TIMESTAMP, Metadata.sign(common(TIMESTAMP, timestamp, expiries.timestamp(), now,
                    Map.of("meta", Map.of(SNAPSHOT + ".json", snapshotMeta))), List.of(keys.timestamp())));
        }
        return new Update(generation, root, signed, changedTargets, Set.copyOf(obsolete));
    }

    /** Makes a published update the current state, in the store and here. */
    public synchronized void commit(Update update) {
        if (update.base != generation) {
            throw new IllegalStateException("the update was planned on an older state of the repository");
        }
        if (update.isEmpty()) {
            return;
        }
        Map<String, byte[]> entries = new HashMap<>();
        if (update.root != null) {
            entries.put(update.root.version() + "." + ROOT, update.root.bytes());
        }
        update.roles.forEach((role, metadata) -> entries.put(role, metadata.bytes()));
        Metadata timestamp = current.get(TIMESTAMP);
        store.save(entries, update.dropped, timestamp == null ? null : timestamp.bytes());
        if (update.root != null) {
            roots.put(update.root.version(), update.root);
        }
        current.putAll(update.roles);
        targetsByBin.putAll(update.binTargets);
        misplaced.removeAll(update.roles.keySet());
        obsolete.removeAll(update.dropped);
        generation++;
    }

    private Map<String, Object> binsDelegations() {
        if (binsDelegations == null) {
            binsDelegations = delegations(keys.bin(), hashBins.bins());
        }
        return binsDelegations;
    }

    /** True if the role must be signed anew: missing, signed by another key, or in the second half of its life. */
    private static boolean due(Metadata metadata, Duration lifetime, Instant now, TrustSigner signer) {
        return metadata == null || expiresSoon(metadata, lifetime, now) || !signedBy(metadata, signer);
    }

    private static boolean expiresSoon(Metadata metadata, Duration lifetime, Instant now) {
        return metadata.expires().isBefore(now.plus(lifetime.dividedBy(2)));
    }

    /** By the key ids only: the stored state is the repository's own (its signatures were made here). */
    private static boolean signedBy(Metadata metadata, TrustSigner signer) {
        return metadata.keyids().contains(signer.key().keyid());
    }

    private int versionOf(String role, Map<String, Metadata> signed) {
        Metadata metadata = signed.containsKey(role) ? signed.get(role) : current.get(role);
        return metadata.version();
    }

    /** The top-level roles of the current root must have the configured keys, else only a root rotation helps. */
    private void requireRootNamesTheKeys(Metadata root) {
        Map<String, TrustSigner> configured = Map.of(ROOT, keys.root(), TARGETS, keys.targets(), SNAPSHOT,
                keys.snapshot(), TIMESTAMP, keys.timestamp());
        configured.forEach((role, signer) -> {
            if (!RoleKeys.of(root, role).keyids.contains(signer.key().keyid())) {
                throw new IllegalStateException("the configured " + role + " key (" + signer.key().keyid()
                        + ") is not a key of root version " + root.version()
                        + ": rotate the root (POST /admin/trust/rotate-root) before publishing");
            }
        });
    }

    private Map<String, Object> rootSigned(int version) {
        Map<String, Object> keyObjects = new LinkedHashMap<>();
        Map<String, Object> roles = new LinkedHashMap<>();
        Map<String, TrustSigner> byRole = new LinkedHashMap<>();
        byRole.put(ROOT, keys.root());
        byRole.put(TARGETS, keys.targets());
        byRole.put(SNAPSHOT, keys.snapshot());
        byRole.put(TIMESTAMP, keys.timestamp());
        byRole.forEach((role, signer) -> {
            keyObjects.put(signer.key().keyid(), signer.key().toJson());
            roles.put(role, Map.of("keyids", List.of(signer.key().keyid()), "threshold", 1));
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("consistent_snapshot", true);
        body.put("keys", keyObjects);
        body.put("roles", roles);
        Map<String, Object> signed = common(ROOT, null, expiries.root(), clock.instant().truncatedTo(ChronoUnit.SECONDS), body);
        signed.put("version", version);
        return signed;
    }

    private static Map<String, Object> targetsSigned(Metadata previous, Duration lifetime, Instant now,
                                                     Map<String, TargetInfo> targets, Map<String, Object> delegations) {
        Map<String, Object> targetObjects = new LinkedHashMap<>();
        targets.forEach((path, info) -> targetObjects.put(path, info.toJson()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("targets", targetObjects);
        if (delegations != null) {
            body.put("delegations", delegations);
        }
        return common(TARGETS, previous, lifetime, now, body);
    }

    private static Map<String, Object> common(String type, Metadata previous, Duration lifetime, Instant now,
                                              Map<String, Object> body) {
        Map<String, Object> signed = new LinkedHashMap<>();
        signed.put("_type", type);
        signed.put("spec_version", SPEC_VERSION);
        signed.put("version", previous == null ? 1 : previous.version() + 1);
        signed.put("expires", now.plus(lifetime).toString());
        signed.putAll(body);
        return signed;
    }

    /** A delegation of each bin to one key, threshold 1, not terminating, by hash prefixes. */
    private static Map<String, Object> delegations(TrustSigner signer, List<HashBins.Bin> bins) {
        List<Object> roles = new ArrayList<>(bins.size());
        for (HashBins.Bin bin : bins) {
            Map<String, Object> role = new LinkedHashMap<>();
            role.put("name", bin.name());
            role.put("keyids", List.of(signer.key().keyid()));
            role.put("threshold", 1);
            role.put("terminating", false);
            role.put("path_hash_prefixes", bin.prefixes());
            roles.add(role);
        }
        Map<String, Object> delegations = new LinkedHashMap<>();
        delegations.put("keys", Map.of(signer.key().keyid(), signer.key().toJson()));
        delegations.put("roles", roles);
        return delegations;
    }

    private static Map<String, TargetInfo> targetsOf(Metadata metadata) {
        Map<String, TargetInfo> targets = new TreeMap<>();
        Object objects = metadata.signed().get("targets");
        if (objects instanceof Map<?, ?> map) {
            map.forEach((path, info) -> targets.put((String) path, TargetInfo.fromJson((Map<?, ?>) info)));
        }
        return targets;
    }

    private static MetadataFile file(String role, Metadata metadata) {
        String name = TIMESTAMP.equals(role) ? TIMESTAMP + ".json" : metadata.version() + "." + role + ".json";
        return new MetadataFile(name, metadata.bytes());
    }

    private static List<MetadataFile> rootFiles(Metadata root) {
        return List.of(new MetadataFile(root.version() + "." + ROOT + ".json", root.bytes()),
                new MetadataFile(ROOT + ".json", root.bytes()));
    }

    /** The keys and threshold a root gives one of its roles. */
    record RoleKeys(Map<String, TrustKey> keys, List<String> keyids, int threshold) {
        static RoleKeys of(Metadata root, String role) {
            Map<String, TrustKey> keys = new HashMap<>();
            ((Map<?, ?>) root.signed().get("keys")).forEach((id, key) -> keys.put((String) id, TrustKey.fromJson((Map<?, ?>) key)));
            Map<?, ?> spec = (Map<?, ?>) ((Map<?, ?>) root.signed().get("roles")).get(role);
            List<String> keyids = ((List<?>) spec.get("keyids")).stream().map(String.class::cast).toList();
            return new RoleKeys(keys, keyids, ((Number) spec.get("threshold")).intValue());
        }
    }
}
