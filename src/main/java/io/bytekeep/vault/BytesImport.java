package io.bytekeep.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import org.apache.camel.Exchange;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.platform.Problem;
import io.bytekeep.platform.security.Caller;
import io.bytekeep.platform.web.JsonBody;

/**
 * The admin side of {@code bytekeep import-bytes} (routes/vault-import.camel.yaml): metas and raw files of a Bytes
 * deployment come in with the ids, secure_hash, signing_provider_url and hash_retrieval_link they had there. Every
 * call can be repeated: what is already here and equal answers {@code present}, what is here and differs
 * {@code conflict}; nothing is overwritten. A raw file is stored only after its bytes hash to its secure_hash again.
 */
public class BytesImport {

    /** The most items of one batch request. */
    public static final int MAX_BATCH = 1000;

    /** A raw file as Bytes recorded it, without its bytes (POST /admin/import/raw/status). */
    public record RawRecord(UUID id, UUID boefjeMetaId, List<String> mimeTypes, String secureHash,
                            String signingProviderUrl, String hashRetrievalLink) {
    }

    /** What became of one item: created, present, conflict, rejected (and for a status check: absent). */
    public record Outcome(UUID id, String status, String detail) {

        static Outcome of(UUID id, String status) {
            return new Outcome(id, status, null);
        }
    }

    private final JsonBody body;
    private final MetaStore metas;
    private final RawStore raws;
    private final TransactionTemplate transactions;
    private final String eventQueue;

    public BytesImport(JsonBody body, MetaStore metas, RawStore raws, TransactionTemplate transactions, String eventQueue) {
        this.body = body;
        this.metas = metas;
        this.raws = raws;
        this.transactions = transactions;
        this.eventQueue = eventQueue;
    }

    /** POST /admin/import/boefje_meta: a batch of Bytes' BoefjeMeta, in one transaction. */
    public Map<String, List<Outcome>> boefjeMetas(Exchange exchange) throws IOException {
        return importAll(exchange, BoefjeMeta[].class, BoefjeMeta::id, this::importBoefjeMeta);
    }

    private Outcome importBoefjeMeta(BoefjeMeta incoming, Caller caller) {
        BoefjeMeta meta;
        try {
            meta = MetaReader.checked(incoming, caller);
        } catch (Problem rejected) {
            return new Outcome(incoming.id(), "rejected", rejected.detail());
        }
        Optional<BoefjeMeta> existing = metas.findBoefjeMeta(meta.id());
        if (existing.isPresent()) {
            return existing.get().equals(meta) ? Outcome.of(meta.id(), "present")
                    : new Outcome(meta.id(), "conflict", "a boefje meta with this id and other fields exists");
        }
        metas.insertBoefjeMeta(meta);
        return Outcome.of(meta.id(), "created");
    }

    /** POST /admin/import/normalizer_meta: a batch of Bytes' NormalizerMeta (raw_data.id is what counts), in one transaction. */
    public Map<String, List<Outcome>> normalizerMetas(Exchange exchange) throws IOException {
        return importAll(exchange, NormalizerMeta[].class, NormalizerMeta::id, this::importNormalizerMeta);
    }

    /** A batch of metas, each imported by {@code one} for the caller, all in one transaction. */
    private <T> Map<String, List<Outcome>> importAll(Exchange exchange, Class<T[]> type, Function<T, UUID> id,
                                                     java.util.function.BiFunction<T, Caller, Outcome> one) throws IOException {
        List<T> metas = batch(exchange, type, id);
        Caller caller = Caller.of(exchange);
        return results(inOneTransaction(() -> {
            List<Outcome> outcomes = new ArrayList<>();
            for (T incoming : metas) {
                outcomes.add(one.apply(incoming, caller));
            }
            return outcomes;
        }));
    }

    private Outcome importNormalizerMeta(NormalizerMeta meta, Caller caller) {
        try {
            MetaReader.checked(meta, caller, raws);
        } catch (Problem rejected) {
            return new Outcome(meta.id(), "rejected", rejected.detail());
        }
        Optional<NormalizerMeta> existing = metas.findNormalizerMeta(meta.id());
        if (existing.isPresent()) {
            NormalizerMeta stored = existing.get();
            boolean same = stored.rawData().id().equals(meta.rawData().id()) && stored.normalizer().equals(meta.normalizer())
                    && Objects.equals(stored.startedAt(), meta.startedAt()) && Objects.equals(stored.endedAt(), meta.endedAt());
            return same ? Outcome.of(meta.id(), "present")
                    : new Outcome(meta.id(), "conflict", "a normalizer meta with this id and other fields exists");
        }
        metas.insertNormalizerMeta(meta);
        return Outcome.of(meta.id(), "created");
    }

    /** POST /admin/import/raw/status: which raw files are here already (present), differ (conflict) or are absent. */
    public Map<String, List<Outcome>> rawStatus(Exchange exchange) throws IOException {
        List<RawRecord> records = batch(exchange, RawRecord[].class, RawRecord::id);
        Caller caller = Caller.of(exchange);
        Map<UUID, RawDataMeta> stored = new LinkedHashMap<>();
        List<UUID> ids = records.stream().map(RawRecord::id).distinct().toList();
        if (!ids.isEmpty()) {
            raws.queryRaws(new RawStore.RawQuery(null, null, null, ids, List.of(), ids.size(), null))
                    .forEach(raw -> stored.put(raw.meta().id(), raw.meta()));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (RawRecord record : records) {
            outcomes.add(status(record, stored.get(record.id()), caller));
        }
        return results(outcomes);
    }

    private Outcome status(RawRecord record, RawDataMeta stored, Caller caller) {
        SortedSet<String> mimeTypes;
        try {
            require(record.boefjeMetaId() != null, "boefje_meta_id is required");
            require(record.secureHash() != null, "secure_hash is required");
            mimeTypes = RawUploadReader.mimeTypes(record.mimeTypes());
        } catch (Problem rejected) {
            return new Outcome(record.id(), "rejected", rejected.detail());
        }
        if (stored != null) {
            if (!caller.canSee(stored.boefjeMeta().organization())) {
                return new Outcome(record.id(), "rejected", "Raw data " + record.id() + " belongs to an organisation the caller cannot see");
            }
            String difference = difference(record.boefjeMetaId(), mimeTypes, record.secureHash(), record.signingProviderUrl(),
                    record.hashRetrievalLink(), stored);
            return difference == null ? Outcome.of(record.id(), "present") : new Outcome(record.id(), "conflict", difference);
        }
        return raws.findRawWithMimeTypes(record.boefjeMetaId(), mimeTypes)
                .map(other -> new Outcome(record.id(), "conflict", sameMimeTypes(other, record.boefjeMetaId())))
                .orElse(Outcome.of(record.id(), "absent"));
    }

    /**
     * Route step of POST /admin/import/raw after the body was spooled: the bytes must hash to the secure_hash they
     * came with (else 422 hash-mismatch); a raw file with the id that is here already and equal is marked a
     * duplicate (nothing more is stored), one that differs is a 409.
     */
    public void check(Exchange exchange) throws Exception {
        IncomingRaw raw = exchange.getIn().getMandatoryBody(IncomingRaw.class);
        String actual;
        try (InputStream content = raw.content().open()) {
            actual = ProofHasher.forHash(raw.secureHash()).hash(content, raw.boefjeMeta().endedAt());
        }
        if (!MessageDigest.isEqual(actual.getBytes(StandardCharsets.US_ASCII), raw.secureHash().getBytes(StandardCharsets.US_ASCII))) {
            throw new Problem(422, "Hash Mismatch", "The bytes of raw file " + raw.id() + " with the ended_at of boefje meta "
                    + raw.boefjeMeta().id() + " hash to " + actual + ", not to its secure_hash " + raw.secureHash());
        }
        Optional<StoredRaw> existing = raws.findRaw(raw.id());
        if (existing.isPresent()) {
            String difference = difference(raw.boefjeMeta().id(), raw.mimeTypes(), raw.secureHash(), raw.signingProviderUrl(),
                    raw.hashRetrievalLink(), existing.get().meta());
            if (difference != null) {
                throw new Problem(409, "Conflict", "Raw file " + raw.id() + " exists: " + difference);
            }
            raw.existingId(raw.id());
            return;
        }
        Optional<UUID> sameMimeTypes = raws.findRawWithMimeTypes(raw.boefjeMeta().id(), raw.mimeTypes());
        if (sameMimeTypes.isPresent()) {
            throw new Problem(409, "Conflict", sameMimeTypes(sameMimeTypes.get(), raw.boefjeMeta().id()));
        }
    }

    /**
     * Route step after the object was written: the row (and the event, when asked) in one transaction, under the
     * orphan guard; a row that another request wrote meanwhile is a 409 and this request's object goes again.
     */
    public void record(Exchange exchange) throws Exception {
        IncomingRaw raw = exchange.getIn().getMandatoryBody(IncomingRaw.class);
        try {
            // an event asked for goes out through the relay, at once
            OrphanGuard.record(exchange, transactions, () -> raws.recordRaws(List.of(raw), eventQueue, null));
        } catch (DuplicateKeyException e) {
            throw new Problem(409, "Conflict", "Raw file " + raw.id() + ", or another of boefje meta " + raw.boefjeMeta().id()
                    + " with the same mime types, was stored by another request meanwhile");
        }
    }

    /** The answer of POST /admin/import/raw: 201 created, or 200 present. */
    public Outcome answer(Exchange exchange) throws Exception {
        IncomingRaw raw = exchange.getIn().getMandatoryBody(IncomingRaw.class);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, raw.isDuplicate() ? 200 : 201);
        return Outcome.of(raw.id(), raw.isDuplicate() ? "present" : "created");
    }

    /** Null when the stored raw file has these fields, else which ones differ. */
    private static String difference(UUID boefjeMetaId, SortedSet<String> mimeTypes, String secureHash,
                                     String signingProviderUrl, String hashRetrievalLink, RawDataMeta stored) {
        List<String> differing = new ArrayList<>();
        if (!stored.boefjeMeta().id().equals(boefjeMetaId)) {
            differing.add("boefje_meta_id");
        }
        TreeSet<String> storedMimeTypes = new TreeSet<>();
        stored.mimeTypes().forEach(mimeType -> storedMimeTypes.add(mimeType.value()));
        if (!storedMimeTypes.equals(mimeTypes)) {
            differing.add("mime_types");
        }
        if (!Objects.equals(stored.secureHash(), secureHash)) {
            differing.add("secure_hash");
        }
        if (!Objects.equals(stored.signingProviderUrl(), signingProviderUrl)) {
            differing.add("signing_provider_url");
        }
        if (!Objects.equals(stored.hashRetrievalLink(), hashRetrievalLink)) {
            differing.add("hash_retrieval_link");
        }
        return differing.isEmpty() ? null : "it differs in " + String.join(", ", differing);
    }

    private static String sameMimeTypes(UUID other, UUID boefjeMetaId) {
        return "raw file " + other + " of boefje meta " + boefjeMetaId + " has the same mime types (a boefje meta has one raw "
                + "file per set of mime types, as Bytes' API keeps it)";
    }

    private <T> List<T> batch(Exchange exchange, Class<T[]> type, Function<T, UUID> id) throws IOException {
        T[] items = body.read(exchange, type);
        if (items.length > MAX_BATCH) {
            throw Problem.unprocessable("at most " + MAX_BATCH + " items per request, not " + items.length);
        }
        for (T item : items) {
            require(item != null && id.apply(item) != null, "every item needs an id");
        }
        return List.of(items);
    }

    /** The batch's writes, all or none; an id another request inserted meanwhile makes it a 409 (send it again). */
    private List<Outcome> inOneTransaction(java.util.function.Supplier<List<Outcome>> work) {
        try {
            return transactions.execute(status -> work.get());
        } catch (DuplicateKeyException e) {
            throw new Problem(409, "Conflict", "Another request stored an item of this batch meanwhile; send the batch again");
        }
    }

    private static Map<String, List<Outcome>> results(List<Outcome> outcomes) {
        return Map.of("results", outcomes);
    }

    private static void require(boolean condition, String detail) {
        if (!condition) {
            throw Problem.unprocessable(detail);
        }
    }
}
