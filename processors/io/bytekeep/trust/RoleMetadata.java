package io.bytekeep.trust;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The signed bodies of the roles as the repository edits them (python-tuf's {@code Repository.edit}): root with the
 * configured keys, the targets roles with their targets and delegations, the fields every role has; when a role is
 * due to be signed anew; the keys a root gives a role. Stateless.
 */
final class RoleMetadata {

    private RoleMetadata() {
    }

    /** The signed part of root version {@code version}: the configured keys of the four top-level roles. */
    static Map<String, Object> rootSigned(TrustRepository.Keys keys, Duration lifetime, Instant now, int version) {
        Map<String, Object> keyObjects = new LinkedHashMap<>();
        Map<String, Object> roles = new LinkedHashMap<>();
        Map<String, TrustSigner> byRole = new LinkedHashMap<>();
        byRole.put(TrustRepository.ROOT, keys.root());
        byRole.put(TrustRepository.TARGETS, keys.targets());
        byRole.put(TrustRepository.SNAPSHOT, keys.snapshot());
        byRole.put(TrustRepository.TIMESTAMP, keys.timestamp());
        byRole.forEach((role, signer) -> {
            keyObjects.put(signer.key().keyid(), signer.key().toJson());
            roles.put(role, Map.of("keyids", List.of(signer.key().keyid()), "threshold", 1));
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("consistent_snapshot", true);
        body.put("keys", keyObjects);
        body.put("roles", roles);
        Map<String, Object> signed = common(TrustRepository.ROOT, null, lifetime, now, body);
        signed.put("version", version);
        return signed;
    }

    /** The top-level roles of the current root must have the configured keys, else only a root rotation helps. */
    static void requireRootNamesTheKeys(Metadata root, TrustRepository.Keys keys) {
        Map<String, TrustSigner> configured = Map.of(TrustRepository.ROOT, keys.root(), TrustRepository.TARGETS,
                keys.targets(), TrustRepository.SNAPSHOT, keys.snapshot(), TrustRepository.TIMESTAMP, keys.timestamp());
        configured.forEach((role, signer) -> {
            if (!RoleKeys.of(root, role).keyids().contains(signer.key().keyid())) {
                throw new IllegalStateException("the configured " + role + " key (" + signer.key().keyid()
                        + ") is not a key of root version " + root.version()
                        + ": rotate the root (POST /admin/trust/rotate-root) before publishing");
            }
        });
    }

    /** The signed part of a targets role (targets, bins, a bin) after {@code previous}. */
    static Map<String, Object> targetsSigned(Metadata previous, Duration lifetime, Instant now,
                                             Map<String, TargetInfo> targets, Map<String, Object> delegations) {
        Map<String, Object> targetObjects = new LinkedHashMap<>();
        targets.forEach((path, info) -> targetObjects.put(path, info.toJson()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("targets", targetObjects);
        if (delegations != null) {
            body.put("delegations", delegations);
        }
        return common(TrustRepository.TARGETS, previous, lifetime, now, body);
    }

    /** The fields of every role: type, specification version, the version after {@code previous}, expiry. */
    static Map<String, Object> common(String type, Metadata previous, Duration lifetime, Instant now,
                                      Map<String, Object> body) {
        Map<String, Object> signed = new LinkedHashMap<>();
        signed.put("_type", type);
        signed.put("spec_version", TrustRepository.SPEC_VERSION);
        signed.put("version", previous == null ? 1 : previous.version() + 1);
        signed.put("expires", now.plus(lifetime).toString());
        signed.putAll(body);
        return signed;
    }

    /** A delegation of each bin to one key, threshold 1, not terminating, by hash prefixes. */
    static Map<String, Object> delegations(TrustSigner signer, List<HashBins.Bin> bins) {
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

    /** The targets a targets role's metadata holds, by path. */
    static Map<String, TargetInfo> targetsOf(Metadata metadata) {
        Map<String, TargetInfo> targets = new TreeMap<>();
        Object objects = metadata.signed().get("targets");
        if (objects instanceof Map<?, ?> map) {
            map.forEach((path, info) -> targets.put((String) path, TargetInfo.fromJson((Map<?, ?>) info)));
        }
        return targets;
    }

    /** True if the role must be signed anew: missing, signed by another key, or in the second half of its life. */
    static boolean due(Metadata metadata, Duration lifetime, Instant now, TrustSigner signer) {
        return metadata == null || expiresSoon(metadata, lifetime, now) || !signedBy(metadata, signer);
    }

    static boolean expiresSoon(Metadata metadata, Duration lifetime, Instant now) {
        return metadata.expires().isBefore(now.plus(lifetime.dividedBy(2)));
    }

    /** By the key ids only: the stored state is the repository's own (its signatures were made here). */
    private static boolean signedBy(Metadata metadata, TrustSigner signer) {
        return metadata.keyids().contains(signer.key().keyid());
    }

    /** The published file of a role's metadata: {@code VERSION.ROLE.json}, {@code timestamp.json} for timestamp. */
    static TrustRepository.MetadataFile file(String role, Metadata metadata) {
        String name = TrustRepository.TIMESTAMP.equals(role) ? TrustRepository.TIMESTAMP + ".json"
                : metadata.version() + "." + role + ".json";
        return new TrustRepository.MetadataFile(name, metadata.bytes());
    }

    /** A root's files: {@code VERSION.root.json} and {@code root.json}. */
    static List<TrustRepository.MetadataFile> rootFiles(Metadata root) {
        return List.of(new TrustRepository.MetadataFile(root.version() + "." + TrustRepository.ROOT + ".json", root.bytes()),
                new TrustRepository.MetadataFile(TrustRepository.ROOT + ".json", root.bytes()));
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
