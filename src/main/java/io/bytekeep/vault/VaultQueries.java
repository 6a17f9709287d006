package io.bytekeep.vault;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;

import io.bytekeep.platform.Problem;
import io.bytekeep.platform.security.Caller;
import io.bytekeep.platform.web.JsonFields;
import io.bytekeep.platform.web.QueryParams;

/**
 * The read side of the Bytes API; every answer is limited to the caller's organisations. Listings take any
 * {@code limit} (Bytes has no upper bound; rocky asks for as many files as it has ids) and are read page by page
 * while the answer is written.
 */
public class VaultQueries {

    private final MetaStore metas;
    private final RawStore raws;
    private final RawCounts counts;
    private final long maxListedFileBytes;

    /** @param maxListedFileBytes the largest file a BoefjeOutput ({@code GET /bytes/raws}) carries */
    public VaultQueries(MetaStore metas, RawStore raws, RawCounts counts, long maxListedFileBytes) {
        this.metas = metas;
        this.raws = raws;
        this.counts = counts;
        this.maxListedFileBytes = maxListedFileBytes;
    }

    public BoefjeMeta boefjeMetaById(Exchange exchange) {
        UUID id = new QueryParams(exchange.getIn()).requiredUuid("id");
        BoefjeMeta meta = metas.findBoefjeMeta(id).orElseThrow(() -> Problem.notFound("Boefje meta not found"));
        Caller.of(exchange).requireVisible(meta.organization(), "Boefje meta");
        return meta;
    }

    public Iterator<BoefjeMeta> boefjeMetas(Exchange exchange) {
        QueryParams params = new QueryParams(exchange.getIn());
        params.requiredString("organization");
        List<String> organizations = scope(exchange, params.list("organization"));
        String boefjeId = params.string("boefje_id");
        // FastAPI keeps input_ooi= as "" (no meta has it); only a missing one means "without an input OOI"
        String inputOoi = params.asSent("input_ooi");
        long offset = offset(params);
        boolean descending = descending(params);
        return new Pages<>(limit(params), (last, read, size) ->
                metas.queryBoefjeMeta(organizations, boefjeId, inputOoi, size, offset + read, descending));
    }

    public NormalizerMeta normalizerMetaById(Exchange exchange) {
        UUID id = new QueryParams(exchange.getIn()).requiredUuid("id");
        NormalizerMeta meta = metas.findNormalizerMeta(id).orElseThrow(() -> Problem.notFound("Normalizer meta not found"));
        Caller.of(exchange).requireVisible(meta.rawData().boefjeMeta().organization(), "Normalizer meta");
        return meta;
    }

    public Iterator<NormalizerMeta> normalizerMetas(Exchange exchange) {
        QueryParams params = new QueryParams(exchange.getIn());
        params.requiredString("organization");
        List<String> organizations = scope(exchange, params.list("organization"));
        String normalizerId = params.string("normalizer_id");
        UUID rawId = params.uuid("raw_id");
        long offset = offset(params);
        boolean descending = descending(params);
        return new Pages<>(limit(params), (last, read, size) ->
                metas.queryNormalizerMeta(organizations, null, normalizerId, rawId, size, offset + read, descending));
    }

    public RawDataMeta rawMetaById(Exchange exchange) {
        return storedRaw(exchange).meta();
    }

    /** Finds a raw file the caller may see, with where its bytes are stored. */
    public StoredRaw storedRaw(Exchange exchange) {
        UUID id = new QueryParams(exchange.getIn()).requiredUuid("id");
        StoredRaw raw = raws.findRaw(id).orElseThrow(() -> Problem.notFound("Raw data not found"));
        Caller.of(exchange).requireVisible(raw.meta().boefjeMeta().organization(), "Raw data");
        return raw;
    }

    public Iterator<StoredRaw> storedRaws(Exchange exchange) {
        QueryParams params = new QueryParams(exchange.getIn());
        RawStore.RawQuery query = new RawStore.RawQuery(scope(exchange, params.list("organization")), params.uuid("boefje_meta_id"),
                params.bool("normalized"), params.uuids("raw_ids"), params.list("mime_types"), Pages.PAGE_SIZE, null);
        return new Pages<>(limit(params), (last, read, size) ->
                raws.queryRaws(query.after(last == null ? null : last.meta().id(), size)));
    }

    /**
     * The files of a BoefjeOutput ({@code GET /bytes/raws}), after a first pass over the same pages that refuses the
     * answer when one of them is over the limit: Bytes' clients read the whole answer into memory, and once it is
     * being sent it can no longer become a problem.
     */
    public Iterator<StoredRaw> listableRaws(Exchange exchange) {
        Iterator<StoredRaw> sizes = storedRaws(exchange);
        while (sizes.hasNext()) {
            StoredRaw raw = sizes.next();
            if (raw.size() > maxListedFileBytes) {
                throw Problem.unprocessable("raw file " + raw.meta().id() + " is " + raw.size() + " bytes, more than a "
                        + "listing carries (bytekeep.vault.max-listed-file-size, " + maxListedFileBytes
                        + " bytes): read it alone with GET /bytes/raw/{id}");
            }
        }
        return storedRaws(exchange);
    }

    public Iterator<RawDataMeta> rawMetas(Exchange exchange) {
        Iterator<StoredRaw> raws = storedRaws(exchange);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return raws.hasNext();
            }

            @Override
            public RawDataMeta next() {
                return raws.next().meta();
            }
        };
    }

    /**
     * Bytes' {@code GET /bytes/mime_types}. Filtered by organisations alone (what OpenKAT's clients ask), it is read
     * page by page from the counters kept as files are recorded; other filters count the files that match.
     */
    public JsonFields mimeTypeCounts(Exchange exchange) {
        QueryParams params = new QueryParams(exchange.getIn());
        RawCounts.MimeTypeQuery query = new RawCounts.MimeTypeQuery(scope(exchange, params.list("organization")),
                params.uuid("boefje_meta_id"), params.bool("normalized"), params.list("mime_types"));
        if (query.boefjeMetaId() == null && query.normalized() == null && query.mimeTypes().isEmpty()) {
            return new JsonFields(new Pages<Map.Entry<String, Long>>(Long.MAX_VALUE, (last, read, size) ->
                    counts.countedMimeTypes(query.organizations(), last == null ? null : last.getKey(), size)));
        }
        return JsonFields.of(counts.mimeTypeCounts(query));
    }

    private static long limit(QueryParams params) {
        return params.longInteger("limit", 1, 0, Long.MAX_VALUE);
    }

    private static long offset(QueryParams params) {
        return params.longInteger("offset", 0, 0, Long.MAX_VALUE);
    }

    private static boolean descending(QueryParams params) {
        return !Boolean.FALSE.equals(params.bool("descending"));
    }

    private static List<String> scope(Exchange exchange, List<String> requested) {
        Caller caller = Caller.of(exchange);
        return caller.scope(requested);
    }
}
