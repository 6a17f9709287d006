package io.bytekeep.vault;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;

import io.bytekeep.platform.Problem;
import io.bytekeep.platform.security.Caller;
import io.bytekeep.platform.web.QueryParams;

/** The read side of the Bytes API; every answer is limited to the caller's organisations. */
public class VaultQueries {

    private final VaultStore store;
    private final int maxLimit;

    public VaultQueries(VaultStore store, int maxLimit) {
        this.store = store;
        this.maxLimit = maxLimit;
    }

    public BoefjeMeta boefjeMetaById(Exchange exchange) {
        UUID id = new QueryParams(exchange.getIn()).requiredUuid("id");
        BoefjeMeta meta = store.findBoefjeMeta(id).orElseThrow(() -> Problem.notFound("Boefje meta " + id + " not found"));
        MetaReader.caller(exchange).requireVisible(meta.organization(), "Boefje meta " + id);
        return meta;
    }

    public List<BoefjeMeta> boefjeMetas(Exchange exchange) {
        QueryParams params = new QueryParams(exchange.getIn());
        return store.queryBoefjeMeta(scope(exchange, params.list("organization")), params.string("boefje_id"),
                params.string("input_ooi"), params.integer("limit", 1, 0, maxLimit), params.integer("offset", 0, 0, Integer.MAX_VALUE),
                !Boolean.FALSE.equals(params.bool("descending")));
    }

    public NormalizerMeta normalizerMetaById(Exchange exchange) {
        UUID id = new QueryParams(exchange.getIn()).requiredUuid("id");
        NormalizerMeta meta = store.findNormalizerMeta(id).orElseThrow(() -> Problem.notFound("Normalizer meta " + id + " not found"));
        MetaReader.caller(exchange).requireVisible(meta.rawData().boefjeMeta().organization(), "Normalizer meta " + id);
        return meta;
    }

    public List<NormalizerMeta> normalizerMetas(Exchange exchange) {
        QueryParams params = new QueryParams(exchange.getIn());
        return store.queryNormalizerMeta(scope(exchange, params.list("organization")), null, params.string("normalizer_id"),
                params.uuid("raw_id"), params.integer("limit", 1, 0, maxLimit), params.integer("offset", 0, 0, Integer.MAX_VALUE),
                !Boolean.FALSE.equals(params.bool("descending")));
    }

    public RawDataMeta rawMetaById(Exchange exchange) {
        return storedRaw(exchange).meta();
    }

    /** Finds a raw file the caller may see, with where its bytes are stored. */
    public StoredRaw storedRaw(Exchange exchange) {
        UUID id = new QueryParams(exchange.getIn()).requiredUuid("id");
        StoredRaw raw = store.findRaw(id).orElseThrow(() -> Problem.notFound("Raw data " + id + " not found"));
        MetaReader.caller(exchange).requireVisible(raw.meta().boefjeMeta().organization(), "Raw data " + id);
        return raw;
    }

    public List<StoredRaw> storedRaws(Exchange exchange) {
        QueryParams params = new QueryParams(exchange.getIn());
        return store.queryRaws(new VaultStore.RawQuery(scope(exchange, params.list("organization")), params.uuid("boefje_meta_id"),
                params.bool("normalized"), params.uuids("raw_ids"), params.list("mime_types"), params.integer("limit", 1, 0, maxLimit)));
    }

    public List<RawDataMeta> rawMetas(Exchange exchange) {
        return storedRaws(exchange).stream().map(StoredRaw::meta).toList();
    }

    public Map<String, Long> mimeTypeCounts(Exchange exchange) {
        QueryParams params = new QueryParams(exchange.getIn());
        return store.mimeTypeCounts(scope(exchange, params.list("organization")));
    }

    private static List<String> scope(Exchange exchange, List<String> requested) {
        Caller caller = MetaReader.caller(exchange);
        return caller.scope(requested);
    }
}
