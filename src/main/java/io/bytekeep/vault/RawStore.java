package io.bytekeep.vault;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.UUID;

import io.bytekeep.platform.messaging.Outbox;

/**
 * Raw file records (Bytes' {@code RawRepository} with the rows Bytes keeps in its metadata tables): where a file's
 * stored bytes are, its proof hash and mime types, and its RawFileReceived event in the outbox, written together.
 */
public interface RawStore {

    /** A page of a raw file listing: at most {@code limit} files, those after the file {@code after} when given. */
    record RawQuery(List<String> organizations, UUID boefjeMetaId, Boolean normalized, List<UUID> rawIds,
                    List<String> mimeTypes, int limit, UUID after) {

        public RawQuery after(UUID last, int pageLimit) {
            return new RawQuery(organizations, boefjeMetaId, normalized, rawIds, mimeTypes, pageLimit, last);
        }
    }

    /** The file of a boefje meta with exactly these mime types, if one was stored (Bytes' duplicate check). */
    Optional<UUID> findRawWithMimeTypes(UUID boefjeMetaId, SortedSet<String> mimeTypes);

    /**
     * Records new raw files and their RawFileReceived events (of those that {@linkplain IncomingRaw#announce announce})
     * in one transaction: all of them or none, each table in one JDBC batch. Returns one event per announcing raw, in
     * the order of {@code raws}. The relay leaves the events alone until {@code relayAfter} (null: it sends them at
     * once), while their writer publishes them itself.
     */
    List<Outbox.Event> recordRaws(List<IncomingRaw> raws, String eventDestination, Instant relayAfter);

    Optional<StoredRaw> findRaw(UUID id);

    /** One page of the raw files that match, in insertion order, after {@code query.after()} when given. */
    List<StoredRaw> queryRaws(RawQuery query);
}
