package io.bytekeep.vault;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** How many raw files there are, by organisation and by mime type: Bytes' mime type counts and the metrics. */
public interface RawCounts {

    record MimeTypeQuery(List<String> organizations, UUID boefjeMetaId, Boolean normalized, List<String> mimeTypes) {
    }

    /**
     * How many raw files of the organisations ({@code null}: all) carry each mime type, from the counters kept as
     * files are recorded: the page of {@code size} mime types after {@code after} (null: the first), in order.
     */
    List<Map.Entry<String, Long>> countedMimeTypes(List<String> organizations, String after, int size);

    /**
     * Bytes' {@code GET /bytes/mime_types} with filters beyond the organisation: how many raw files that match carry
     * each mime type, counted from the files at every request. With
     * {@code normalized=true} Bytes joins the normalizer metas, so a file counts once per normalizer meta; so here.
     */
    Map<String, Long> mimeTypeCounts(MimeTypeQuery query);

    Map<String, Long> rawFileCountsByOrganization();
}
