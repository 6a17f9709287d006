package io.bytekeep.vault;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Metadata of one boefje job, as Bytes' BoefjeMeta (wire names in snake_case). */
public record BoefjeMeta(
        UUID id,
        Instant startedAt,
        Instant endedAt,
        Boefje boefje,
        String inputOoi,
        Map<String, Object> arguments,
        String organization,
        String runnableHash,
        Map<String, String> environment) {

    public record Boefje(String id, String version) {
    }
}
