package io.bytekeep.custody;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A custody case over one raw file: who opened it in which session, for whom its envelopes are sealed. */
public record CustodyCase(UUID id, UUID rawId, String organization, String userId, String sessionId, String inputHash,
                          List<String> recipients, String envelopeKey, int linkCount, boolean closed, Instant createdAt) {
}
