package io.bytekeep.vault;

import java.time.Instant;
import java.util.UUID;

/** Metadata of one normalizer job, as Bytes' NormalizerMeta (wire names in snake_case). */
public record NormalizerMeta(
        UUID id,
        Instant startedAt,
        Instant endedAt,
        RawDataMeta rawData,
        Normalizer normalizer) {

    public record Normalizer(String id, String version) {
    }
}
