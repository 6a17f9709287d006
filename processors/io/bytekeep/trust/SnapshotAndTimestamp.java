package io.bytekeep.trust;

import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The last two steps of every update (python-tuf's {@code Repository.do_snapshot} and {@code do_timestamp}): a new
 * snapshot naming the version of every targets role, and a new timestamp naming the snapshot (version, length,
 * SHA-256). Stateless.
 */
final class SnapshotAndTimestamp {

    private SnapshotAndTimestamp() {
    }

    /**
     * The snapshot after {@code previous}: the version of each bin, {@code bins} and {@code targets} as
     * {@code versionOf} gives it (signed in this update, else the current one).
     */
    static Metadata snapshot(HashBins hashBins, Function<String, Integer> versionOf, Metadata previous,
                             TrustRepository.Expiries expiries, Instant now, TrustSigner key) {
        Map<String, Object> meta = new HashMap<>();
        for (HashBins.Bin bin : hashBins.bins()) {
            meta.put(bin.name() + ".json", Map.of("version", versionOf.apply(bin.name())));
        }
        meta.put(TrustRepository.BINS + ".json", Map.of("version", versionOf.apply(TrustRepository.BINS)));
        meta.put(TrustRepository.TARGETS + ".json", Map.of("version", versionOf.apply(TrustRepository.TARGETS)));
        return Metadata.sign(RoleMetadata.common(TrustRepository.SNAPSHOT, previous, expiries.snapshot(), now,
                Map.of("meta", meta)), List.of(key));
    }

    /** The timestamp after {@code previous}, naming {@code snapshot}. */
    static Metadata timestamp(Metadata snapshot, Metadata previous, TrustRepository.Expiries expiries, Instant now,
                              TrustSigner key) {
        Map<String, Object> snapshotMeta = new LinkedHashMap<>();
        snapshotMeta.put("version", snapshot.version());
        snapshotMeta.put("length", snapshot.length());
        snapshotMeta.put("hashes", Map.of("sha256", HexFormat.of().formatHex(TrustKey.sha256(snapshot.bytes()))));
        return Metadata.sign(RoleMetadata.common(TrustRepository.TIMESTAMP, previous, expiries.timestamp(), now,
                Map.of("meta", Map.of(TrustRepository.SNAPSHOT + ".json", snapshotMeta))), List.of(key));
    }
}
