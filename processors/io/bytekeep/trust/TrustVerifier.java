package io.bytekeep.trust;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A TUF client's check of one target file (specification 1.0.31, section 5, without the local cache): from a trusted
 * root, the newer roots (each signed by the threshold of the previous and of its own), then timestamp, snapshot
 * (length and hash as the timestamp says), targets and the delegated roles down to the one that lists the path
 * (versions as the snapshot says), each signed by the threshold of its keys and not expired; the file must have the
 * listed length and SHA-256. Any failure is a {@link Rejected} with the reason.
 */
public final class TrustVerifier {

    /** The check failed: the file or the metadata cannot be trusted. */
    public static final class Rejected extends RuntimeException {
        public Rejected(String reason) {
            super(reason);
        }
    }

    /** A target: its info and the role version that lists it (verified: the file matches it). */
    public record Verified(String path, TargetInfo target, String role, int roleVersion, int snapshotVersion) {
    }

    private static final int MAX_ROOT_ROTATIONS = 256;
    private static final int MAX_DELEGATION_DEPTH = 32;

    private final Clock clock;

    public TrustVerifier(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param trustedRoot the root metadata trusted out of band
     * @param metadata    the published metadata file of a name ({@code 2.root.json}, {@code timestamp.json},
     *                    {@code 3.snapshot.json}, ...), or null if there is none
     * @param path        the target path
     * @param length      the length of the downloaded file
     * @param sha256      its SHA-256
     */
    public Verified verify(byte[] trustedRoot, Function<String, byte[]> metadata, String path, long length, byte[] sha256) {
        Verified listed = target(trustedRoot, metadata, path);
        if (!listed.target().matches(length, sha256)) {
            throw new Rejected(path + " does not match the role " + listed.role() + ": expected "
                    + listed.target().length() + " bytes with SHA-256 " + listed.target().sha256() + ", got " + length
                    + " bytes with " + HexFormat.of().formatHex(sha256));
        }
        return listed;
    }

    /**
     * What the metadata says of a target before it is downloaded (a TUF client's {@code get_targetinfo}): its length
     * and SHA-256, so the client fetches its copy {@code dir/SHA256.name} and checks it ({@link #verify}).
     *
     * @return the target as the metadata lists it (not yet checked against any file)
     */
    public Verified target(byte[] trustedRoot, Function<String, byte[]> metadata, String path) {
        try {
            return walk(trustedRoot, metadata, path);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new Rejected("malformed metadata: " + e.getMessage());
        }
    }

    private Verified walk(byte[] trustedRoot, Function<String, byte[]> metadata, String path) {
        Metadata root = Metadata.parse(trustedRoot);
        requireType(root, TrustRepository.ROOT);
        requireSigned(root, root, TrustRepository.ROOT);
        for (int i = 0; i < MAX_ROOT_ROTATIONS; i++) {
            byte[] next = metadata.apply((root.version() + 1) + ".root.json");
            if (next == null) {
                break;
            }
            Metadata newer = Metadata.parse(next);
            requireType(newer, TrustRepository.ROOT);
            requireSigned(newer, root, TrustRepository.ROOT);
            requireSigned(newer, newer, TrustRepository.ROOT);
            if (newer.version() != root.version() + 1) {
                throw new Rejected("root version " + newer.version() + " published as version " + (root.version() + 1));
            }
            root = newer;
        }
        requireFresh(root);

        Metadata timestamp = fetch(metadata, "timestamp.json");
        requireType(timestamp, TrustRepository.TIMESTAMP);
        requireSigned(timestamp, root, TrustRepository.TIMESTAMP);
        requireFresh(timestamp);

        Map<?, ?> snapshotMeta = (Map<?, ?>) ((Map<?, ?>) timestamp.signed().get("meta")).get("snapshot.json");
        int snapshotVersion = ((Number) snapshotMeta.get("version")).intValue();
        byte[] snapshotBytes = metadata.apply(snapshotVersion + ".snapshot.json");
        if (snapshotBytes == null) {
            throw new Rejected("snapshot version " + snapshotVersion + " is not published");
        }
        requireHashes(snapshotBytes, snapshotMeta, "snapshot.json");
        Metadata snapshot = Metadata.parse(snapshotBytes);
        requireType(snapshot, TrustRepository.SNAPSHOT);
        requireSigned(snapshot, root, TrustRepository.SNAPSHOT);
        requireVersion(snapshot, snapshotVersion, "snapshot");
        requireFresh(snapshot);
        Map<?, ?> versions = (Map<?, ?>) snapshot.signed().get("meta");

        Metadata targets = delegatedRole(metadata, versions, TrustRepository.TARGETS);
        requireSigned(targets, root, TrustRepository.TARGETS);
        requireFresh(targets);
        String pathHash = HexFormat.of().formatHex(TrustKey.sha256(path.getBytes(StandardCharsets.UTF_8)));
        String role = TrustRepository.TARGETS;
        for (int depth = 0; depth < MAX_DELEGATION_DEPTH; depth++) {
            Map<?, ?> listed = (Map<?, ?>) targets.signed().get("targets");
            if (listed != null && listed.get(path) instanceof Map<?, ?> info) {
                return new Verified(path, TargetInfo.fromJson(info), role, targets.version(), snapshot.version());
            }
            Map<?, ?> delegations = (Map<?, ?>) targets.signed().get("delegations");
            Map<?, ?> delegated = delegations == null ? null : delegationFor(delegations, pathHash);
            if (delegated == null) {
                break;
            }
            role = (String) delegated.get("name");
            Metadata next = delegatedRole(metadata, versions, role);
            Map<String, TrustKey> keys = new HashMap<>();
            ((Map<?, ?>) delegations.get("keys")).forEach((id, key) -> keys.put((String) id, TrustKey.fromJson((Map<?, ?>) key)));
            List<String> keyids = ((List<?>) delegated.get("keyids")).stream().map(String.class::cast).toList();
            if (!next.hasThreshold(keys, keyids, ((Number) delegated.get("threshold")).intValue())) {
                throw new Rejected("the role " + role + " is not signed by the threshold of its delegated keys");
            }
            requireFresh(next);
            targets = next;
        }
        throw new Rejected(path + " is not a target of the repository");
    }

    /** The delegated role whose hash prefixes take the path (the repository delegates by hash only). */
    private static Map<?, ?> delegationFor(Map<?, ?> delegations, String pathHash) {
        for (Object role : (List<?>) delegations.get("roles")) {
            Map<?, ?> delegated = (Map<?, ?>) role;
            Object prefixes = delegated.get("path_hash_prefixes");
            if (prefixes instanceof List<?> list && list.stream().anyMatch(p -> pathHash.startsWith((String) p))) {
                return delegated;
            }
        }
        return null;
    }

    private Metadata delegatedRole(Function<String, byte[]> metadata, Map<?, ?> versions, String role) {
        Object meta = versions.get(role + ".json");
        if (!(meta instanceof Map<?, ?> entry)) {
            throw new Rejected("the snapshot does not name the role " + role);
        }
        int version = ((Number) entry.get("version")).intValue();
        Metadata result = fetch(metadata, version + "." + role + ".json");
        requireType(result, TrustRepository.TARGETS);
        requireVersion(result, version, role);
        return result;
    }

    private static Metadata fetch(Function<String, byte[]> metadata, String name) {
        byte[] bytes = metadata.apply(name);
        if (bytes == null) {
            throw new Rejected(name + " is not published");
        }
        try {
            return Metadata.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new Rejected(name + ": " + e.getMessage());
        }
    }

    private static void requireSigned(Metadata metadata, Metadata root, String role) {
        RoleMetadata.RoleKeys keys = RoleMetadata.RoleKeys.of(root, role);
        if (!metadata.hasThreshold(keys.keys(), keys.keyids(), keys.threshold())) {
            throw new Rejected(role + " version " + metadata.version() + " is not signed by the threshold of "
                    + keys.threshold() + " of the keys root version " + root.version() + " gives it");
        }
    }

    private void requireFresh(Metadata metadata) {
        if (!metadata.expires().isAfter(clock.instant())) {
            throw new Rejected(metadata.type() + " version " + metadata.version() + " expired at " + metadata.expires());
        }
    }

    private static void requireType(Metadata metadata, String type) {
        if (!type.equals(metadata.type())) {
            throw new Rejected("expected " + type + " metadata, got " + metadata.type());
        }
    }

    private static void requireVersion(Metadata metadata, int version, String role) {
        if (metadata.version() != version) {
            throw new Rejected(role + " has version " + metadata.version() + ", the snapshot names " + version);
        }
    }

    private static void requireHashes(byte[] bytes, Map<?, ?> meta, String name) {
        Object length = meta.get("length");
        if (length != null && ((Number) length).longValue() != bytes.length) {
            throw new Rejected(name + " has " + bytes.length + " bytes, the timestamp says " + length);
        }
        if (meta.get("hashes") instanceof Map<?, ?> hashes && hashes.get("sha256") instanceof String expected
                && !MessageDigest.isEqual(HexFormat.of().parseHex(expected), TrustKey.sha256(bytes))) {
            throw new Rejected(name + " does not have the SHA-256 the timestamp says");
        }
    }
}
