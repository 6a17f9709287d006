package io.bytekeep.platform;

import java.util.UUID;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;

/**
 * Ids of rows written on every upload (raw files, their outbox events): UUID version 7 (RFC 9562), the creation
 * millisecond in front and 74 fresh random bits behind, so that an index keyed by them grows at its end, as a
 * sequence's does, instead of changing a page at a random place for each new row. A random id (version 4) made every
 * group commit touch, and the embedded H2 rewrite, a different page of each such index per upload
 * (bench/results/vault-2026-12-06-ids-v7-ab.md). The random part is drawn afresh for every id, not counted up within a
 * millisecond, so an id does not give away its neighbours; the time it tells is the row's {@code created_at}, which
 * the API answers anyway.
 */
public final class TimeOrderedIds {

    private static final TimeBasedEpochRandomGenerator GENERATOR = Generators.timeBasedEpochRandomGenerator();

    private TimeOrderedIds() {
    }

    public static UUID next() {
        return GENERATOR.generate();
    }
}
