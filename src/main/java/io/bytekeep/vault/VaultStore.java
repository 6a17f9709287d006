package io.bytekeep.vault;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.platform.Problem;
import io.bytekeep.platform.messaging.Outbox;

/**
 * The Vault's tables: job metadata, raw file records, and their events in the outbox. Every query takes the caller's
 * organisation scope ({@code null} = all organisations) so that no query can forget it.
 */
public class VaultStore {

    /** A page of a raw file listing: at most {@code limit} files, those after the file {@code after} when given. */
    public record RawQuery(List<String> organizations, UUID boefjeMetaId, Boolean normalized, List<UUID> rawIds,
                           List<String> mimeTypes, int limit, UUID after) {

        public RawQuery after(UUID last, int pageLimit) {
            return new RawQuery(organizations, boefjeMetaId, normalized, rawIds, mimeTypes, pageLimit, last);
        }
    }

    public record MimeTypeQuery(List<String> organizations, UUID boefjeMetaId, Boolean normalized, List<String> mimeTypes) {
    }

    public static final String ANY_INPUT_OOI = "*";

    private static final String BOEFJE_META_COLUMNS = "bm.id, bm.organization, bm.boefje_id, bm.boefje_version, bm.input_ooi, "
            + "bm.arguments, bm.runnable_hash, bm.environment, bm.started_at, bm.ended_at";
    private static final String RAW_COLUMNS = "r.id as raw_id, r.secure_hash, r.signing_provider_url, r.hash_retrieval_link, "
            + "r.storage_bucket, r.storage_key, r.stored_offset, r.stored_size_bytes, r.size_bytes, r.encryption, r.key_id, r.wrapped_key";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;
    private final Clock clock;

    public VaultStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
    }

    // ---- boefje meta

    public void createBoefjeMeta(BoefjeMeta meta) {
        try {
            insertBoefjeMeta(meta);
        } catch (DuplicateKeyException e) {
            throw Problem.bytesIntegrityError("Boefje meta with id " + meta.id() + " already exists");
        }
    }

    /** Inserts a boefje meta; a {@link DuplicateKeyException} if its id exists. */
    public void insertBoefjeMeta(BoefjeMeta meta) {
        jdbc.update("insert into boefje_meta (id, organization, boefje_id, boefje_version, input_ooi, arguments, runnable_hash, "
                + "environment, started_at, ended_at) values (:id, :organization, :boefjeId, :boefjeVersion, :inputOoi, "
                + ":arguments, :runnableHash, :environment, :startedAt, :endedAt)", new MapSqlParameterSource()
                .addValue("id", meta.id())
                .addValue("organization", meta.organization())
                .addValue("boefjeId", meta.boefje().id())
                .addValue("boefjeVersion", meta.boefje().version())
                .addValue("inputOoi", meta.inputOoi())
                .addValue("arguments", toJson(meta.arguments()))
                .addValue("runnableHash", meta.runnableHash())
                .addValue("environment", meta.environment() == null ? null : toJson(meta.environment()))
                .addValue("startedAt", timestamp(meta.startedAt()))
                .addValue("endedAt", timestamp(meta.endedAt())));
    }

    public Optional<BoefjeMeta> findBoefjeMeta(UUID id) {
        return jdbc.query("select " + BOEFJE_META_COLUMNS + " from boefje_meta bm where bm.id = :id",
                Map.of("id", id), (rs, n) -> boefjeMeta(rs)).stream().findFirst();
    }

    /**
     * Bytes' boefje meta filter: {@code inputOoi} {@value #ANY_INPUT_OOI} matches every meta, {@code null} only metas
     * without an input OOI (what Bytes does when the parameter is left out). Equal start times keep insertion order.
     */
    public List<BoefjeMeta> queryBoefjeMeta(List<String> organizations, String boefjeId, String inputOoi,
                                            int limit, long offset, boolean descending) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        StringBuilder sql = new StringBuilder("select " + BOEFJE_META_COLUMNS + " from boefje_meta bm where 1 = 1");
        if (organizations != null) {
            if (organizations.isEmpty()) {
                return List.of();
            }
            sql.append(" and bm.organization in (:organizations)");
            params.addValue("organizations", organizations);
        }
        if (boefjeId != null) {
            sql.append(" and bm.boefje_id = :boefjeId");
            params.addValue("boefjeId", boefjeId);
        }
        if (inputOoi == null) {
            sql.append(" and bm.input_ooi is null");
        } else if (!inputOoi.equals(ANY_INPUT_OOI)) {
            sql.append(" and bm.input_ooi = :inputOoi");
            params.addValue("inputOoi", inputOoi);
        }
        sql.append(" order by bm.started_at ").append(descending ? "desc nulls first" : "asc nulls last")
                .append(", bm.seq limit :limit offset :offset");
        params.addValue("limit", limit).addValue("offset", offset);
        return jdbc.query(sql.toString(), params, (rs, n) -> boefjeMeta(rs));
    }

    // ---- normalizer meta

    public void createNormalizerMeta(NormalizerMeta meta) {
        try {
            insertNormalizerMeta(meta);
        } catch (DuplicateKeyException e) {
            throw Problem.bytesIntegrityError("Normalizer meta with id " + meta.id() + " already exists");
        }
    }

    /** Inserts a normalizer meta; a {@link DuplicateKeyException} if its id exists. */
    public void insertNormalizerMeta(NormalizerMeta meta) {
        jdbc.update("insert into normalizer_meta (id, raw_file_id, normalizer_id, normalizer_version, started_at, ended_at) "
                + "values (:id, :rawId, :normalizerId, :normalizerVersion, :startedAt, :endedAt)", new MapSqlParameterSource()
                .addValue("id", meta.id())
                .addValue("rawId", meta.rawData().id())
                .addValue("normalizerId", meta.normalizer().id())
                .addValue("normalizerVersion", meta.normalizer().version())
                .addValue("startedAt", timestamp(meta.startedAt()))
                .addValue("endedAt", timestamp(meta.endedAt())));
    }

    public Optional<NormalizerMeta> findNormalizerMeta(UUID id) {
        return queryNormalizerMeta(null, id, null, null, 1, 0, true).stream().findFirst();
    }

    public List<NormalizerMeta> queryNormalizerMeta(List<String> organizations, UUID id, String normalizerId, UUID rawId,
                                                    int limit, long offset, boolean descending) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        StringBuilder sql = new StringBuilder("select nm.id as nm_id, nm.normalizer_id, nm.normalizer_version, "
                + "nm.started_at as nm_started_at, nm.ended_at as nm_ended_at, " + RAW_COLUMNS + ", " + BOEFJE_META_COLUMNS
                + " from normalizer_meta nm join raw_file r on r.id = nm.raw_file_id join boefje_meta bm on bm.id = r.boefje_meta_id"
                + " where 1 = 1");
        if (organizations != null) {
            if (organizations.isEmpty()) {
                return List.of();
            }
            sql.append(" and r.organization in (:organizations)");
            params.addValue("organizations", organizations);
        }
        if (id != null) {
            sql.append(" and nm.id = :id");
            params.addValue("id", id);
        }
        if (normalizerId != null) {
            sql.append(" and nm.normalizer_id = :normalizerId");
            params.addValue("normalizerId", normalizerId);
        }
        if (rawId != null) {
            sql.append(" and nm.raw_file_id = :rawId");
            params.addValue("rawId", rawId);
        }
        sql.append(" order by nm.started_at ").append(descending ? "desc nulls first" : "asc nulls last")
                .append(", nm.seq limit :limit offset :offset");
        params.addValue("limit", limit).addValue("offset", offset);
        List<NormalizerMeta> rows = jdbc.query(sql.toString(), params, (rs, n) -> new NormalizerMeta(
                rs.getObject("nm_id", UUID.class),
                instant(rs, "nm_started_at"),
                instant(rs, "nm_ended_at"),
                storedRaw(rs).meta(),
                new NormalizerMeta.Normalizer(rs.getString("normalizer_id"), rs.getString("normalizer_version"))));
        return withMimeTypes(rows, NormalizerMeta::rawData, (nm, raw) ->
                new NormalizerMeta(nm.id(), nm.startedAt(), nm.endedAt(), raw, nm.normalizer()));
    }

    // ---- raw files

    public Optional<UUID> findRawWithMimeTypes(UUID boefjeMetaId, SortedSet<String> mimeTypes) {
        return jdbc.queryForList("select id from raw_file where boefje_meta_id = :bm and mime_set_digest = :digest",
                Map.of("bm", boefjeMetaId, "digest", mimeSetDigest(mimeTypes)), UUID.class).stream().findFirst();
    }

    /**
     * Records new raw files and their RawFileReceived events (of those that {@linkplain IncomingRaw#announce announce})
     * in one transaction: all of them or none, each table in one JDBC batch. Returns one event per announcing raw, in
     * the order of {@code raws}. The relay leaves the events alone until {@code relayAfter} (null: it sends them at
     * once), while their writer publishes them itself.
     */
    public List<Outbox.Event> recordRaws(List<IncomingRaw> raws, String eventDestination, Instant relayAfter) {
        return transactions.execute(status -> {
            Instant now = clock.instant();
            List<SqlParameterSource> files = new ArrayList<>(raws.size());
            List<SqlParameterSource> mimeTypes = new ArrayList<>(raws.size());
            List<SqlParameterSource> outbox = new ArrayList<>(raws.size());
            List<Outbox.Event> events = new ArrayList<>(raws.size());
            for (IncomingRaw raw : raws) {
                files.add(new MapSqlParameterSource()
                        .addValue("id", raw.id())
                        .addValue("bm", raw.boefjeMeta().id())
                        .addValue("org", raw.boefjeMeta().organization())
                        .addValue("digest", mimeSetDigest(raw.mimeTypes()))
                        .addValue("hash", raw.secureHash())
                        .addValue("provider", raw.signingProviderUrl())
                        .addValue("link", raw.hashRetrievalLink())
                        .addValue("bucket", raw.storageBucket())
                        .addValue("key", raw.storageKey())
                        .addValue("offset", raw.storedOffset(), java.sql.Types.BIGINT)
                        .addValue("size", raw.content().size())
                        .addValue("storedSize", raw.stored().size())
                        .addValue("encryption", raw.encryption())
                        .addValue("keyId", raw.keyId())
                        .addValue("wrappedKey", raw.wrappedKey(), java.sql.Types.BINARY)
                        .addValue("createdAt", timestamp(now)));
                for (String mimeType : raw.mimeTypes()) {
                    mimeTypes.add(new MapSqlParameterSource().addValue("id", raw.id()).addValue("mime", mimeType));
                }
                if (raw.announce()) {
                    Outbox.Event event = new Outbox.Event(0, UUID.randomUUID(), eventDestination,
                            toJson(rawFileReceived(raw, now)), raw.traceparent());
                    outbox.add(Outbox.row(event, now, relayAfter));
                    events.add(event);
                }
            }
            batch("insert into raw_file (id, boefje_meta_id, organization, mime_set_digest, secure_hash, "
                    + "signing_provider_url, hash_retrieval_link, storage_bucket, storage_key, stored_offset, size_bytes, stored_size_bytes, encryption, key_id, wrapped_key, created_at) "
                    + "values (:id, :bm, :org, :digest, :hash, :provider, :link, :bucket, :key, :offset, :size, :storedSize, :encryption, :keyId, :wrappedKey, :createdAt)", files);
            batch("insert into raw_file_mime_type (raw_file_id, mime_type) values (:id, :mime)", mimeTypes);
            countMimeTypes(raws);
            batch(Outbox.INSERT, outbox);
            return events;
        });
    }

    /**
     * Adds the files to the counters of their organisation's mime types. The row is made first when it is missing
     * ({@code on conflict do nothing} waits for another instance's transaction that makes it too) and then counted up,
     * each in the same order in every transaction, so that two writers never wait for each other in a circle.
     */
    private void countMimeTypes(List<IncomingRaw> raws) {
        Map<Map.Entry<String, String>, Long> counts = new TreeMap<>(Map.Entry.<String, String>comparingByKey()
                .thenComparing(Map.Entry.comparingByValue()));
        for (IncomingRaw raw : raws) {
            for (String mimeType : raw.mimeTypes()) {
                counts.merge(Map.entry(raw.boefjeMeta().organization(), mimeType), 1L, Long::sum);
            }
        }
        List<SqlParameterSource> rows = new ArrayList<>(counts.size());
        counts.forEach((type, files) -> rows.add(new MapSqlParameterSource()
                .addValue("org", type.getKey()).addValue("mime", type.getValue()).addValue("files", files)));
        batch("insert into raw_mime_type_count (organization, mime_type, files) values (:org, :mime, 0) on conflict do nothing", rows);
        batch("update raw_mime_type_count set files = files + :files where organization = :org and mime_type = :mime", rows);
    }

    private void batch(String sql, List<SqlParameterSource> rows) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, rows.toArray(SqlParameterSource[]::new));
        }
    }

    public Optional<StoredRaw> findRaw(UUID id) {
        return queryRaws(new RawQuery(null, null, null, List.of(id), List.of(), 1, null)).stream().findFirst();
    }

    /** One page of the raw files that match, in insertion order, after {@code query.after()} when given. */
    public List<StoredRaw> queryRaws(RawQuery query) {
        if (query.organizations() != null && query.organizations().isEmpty()) {
            return List.of();
        }
        MapSqlParameterSource params = new MapSqlParameterSource();
        StringBuilder sql = new StringBuilder("select " + RAW_COLUMNS + ", " + BOEFJE_META_COLUMNS
                + " from raw_file r join boefje_meta bm on bm.id = r.boefje_meta_id where r.id in (")
                .append(rawIdsInOrder(query, params)).append(')');
        if (query.organizations() != null) {
            sql.append(" and r.organization in (:organizations)");
            params.addValue("organizations", query.organizations());
        }
        List<StoredRaw> rows = jdbc.query(sql.append(" order by r.seq").toString(), params, (rs, n) -> storedRaw(rs));
        return withMimeTypes(rows, StoredRaw::meta, StoredRaw::withMeta);
    }

    /**
     * The select of the ids of the raw files that match, from {@code raw_file} alone, in insertion order (what Bytes
     * answers: it has no ORDER BY, and PostgreSQL returns its rows as they were written), adding its parameters.
     * The order starts with the column of the one equality filter (boefje meta, else a single organisation), which
     * changes nothing in the result but lets H2 (the embedded default) walk that V13 index in order and stop after
     * {@code limit} rows; otherwise it sorts every match, and a few thousand files under one boefje meta exhausted
     * the heap under load (bench/results/reliability-runs-2026-11-26-to-12-04.md, Load). PostgreSQL uses the index
     * either way. With a boefje meta the organisations are left to the outer query (all files of a boefje meta share
     * its organisation): a second condition here makes H2 choose another index.
     */
    static String rawIdsInOrder(RawQuery query, MapSqlParameterSource params) {
        StringBuilder sql = new StringBuilder("select x.id from raw_file x where 1 = 1");
        String leading = null;
        List<String> organizations = query.organizations();
        if (query.boefjeMetaId() != null) {
            sql.append(" and x.boefje_meta_id = :bm");
            params.addValue("bm", query.boefjeMetaId());
            leading = "x.boefje_meta_id";
        } else if (organizations != null && organizations.size() == 1) {
            sql.append(" and x.organization = :organization");
            params.addValue("organization", organizations.get(0));
            leading = "x.organization";
        } else if (organizations != null) {
            sql.append(" and x.organization in (:organizations)");
            params.addValue("organizations", organizations);
        }
        if (query.after() != null) {
            sql.append(" and x.seq > (select a.seq from raw_file a where a.id = :after)");
            params.addValue("after", query.after());
        }
        appendRawFilters(sql, "x", query.normalized(), query.rawIds(), query.mimeTypes(), params);
        sql.append(" order by ").append(leading == null ? "" : leading + ", ").append("x.seq limit :limit");
        params.addValue("limit", query.limit());
        return sql.toString();
    }

    private static void appendRawFilters(StringBuilder sql, String raw, Boolean normalized, List<UUID> rawIds,
                                         List<String> mimeTypes, MapSqlParameterSource params) {
        if (normalized != null) {
            sql.append(normalized ? " and" : " and not")
                    .append(" exists (select 1 from normalizer_meta nm where nm.raw_file_id = ").append(raw).append(".id)");
        }
        if (rawIds != null && !rawIds.isEmpty()) {
            sql.append(" and ").append(raw).append(".id in (:rawIds)");
            params.addValue("rawIds", rawIds);
        }
        List<String> required = mimeTypes == null ? List.of() : mimeTypes;
        for (int i = 0; i < required.size(); i++) {
            sql.append(" and exists (select 1 from raw_file_mime_type m where m.raw_file_id = ").append(raw)
                    .append(".id and m.mime_type = :mime").append(i).append(')');
            params.addValue("mime" + i, required.get(i));
        }
    }

    /**
     * How many raw files of the organisations ({@code null}: all) carry each mime type, from the counters kept as
     * files are recorded: the page of {@code size} mime types after {@code after} (null: the first), in order.
     */
    public List<Map.Entry<String, Long>> countedMimeTypes(List<String> organizations, String after, int size) {
        if (organizations != null && organizations.isEmpty()) {
            return List.of();
        }
        MapSqlParameterSource params = new MapSqlParameterSource();
        return jdbc.query(countedMimeTypesSql(organizations, after, size, params), params,
                (rs, n) -> Map.entry(rs.getString("mime_type"), rs.getLong("files")));
    }

    /** The select of {@link #countedMimeTypes}, adding its parameters: one organisation's page is a range of its key. */
    static String countedMimeTypesSql(List<String> organizations, String after, int size, MapSqlParameterSource params) {
        boolean one = organizations != null && organizations.size() == 1;
        StringBuilder sql = new StringBuilder(one ? "select mime_type, files" : "select mime_type, sum(files) as files")
                .append(" from raw_mime_type_count where 1 = 1");
        if (one) {
            sql.append(" and organization = :organization");
            params.addValue("organization", organizations.get(0));
        } else if (organizations != null) {
            sql.append(" and organization in (:organizations)");
            params.addValue("organizations", organizations);
        }
        if (after != null) {
            sql.append(" and mime_type > :after");
            params.addValue("after", after);
        }
        // one organisation's in the order of its key (H2 walks the index only then), the same order of mime types
        sql.append(one ? " order by organization, mime_type" : " group by mime_type order by mime_type").append(" limit :size");
        params.addValue("size", size);
        return sql.toString();
    }

    /**
     * Bytes' {@code GET /bytes/mime_types} with filters beyond the organisation: how many raw files that match carry
     * each mime type, counted from the files at every request. With
     * {@code normalized=true} Bytes joins the normalizer metas, so a file counts once per normalizer meta; so here.
     */
    public Map<String, Long> mimeTypeCounts(MimeTypeQuery query) {
        if (query.organizations() != null && query.organizations().isEmpty()) {
            return Map.of();
        }
        MapSqlParameterSource params = new MapSqlParameterSource();
        StringBuilder sql = new StringBuilder("select c.mime_type, count(*) as n from raw_file_mime_type c join raw_file r on r.id = c.raw_file_id");
        if (Boolean.TRUE.equals(query.normalized())) {
            sql.append(" join normalizer_meta n on n.raw_file_id = r.id");
        }
        sql.append(" where 1 = 1");
        if (query.organizations() != null) {
            sql.append(" and r.organization in (:organizations)");
            params.addValue("organizations", query.organizations());
        }
        if (query.boefjeMetaId() != null) {
            sql.append(" and r.boefje_meta_id = :bm");
            params.addValue("bm", query.boefjeMetaId());
        }
        appendRawFilters(sql, "r", Boolean.FALSE.equals(query.normalized()) ? Boolean.FALSE : null, null, query.mimeTypes(), params);
        sql.append(" group by c.mime_type order by c.mime_type");
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query(sql.toString(), params, rs -> {
            counts.put(rs.getString("mime_type"), rs.getLong("n"));
        });
        return counts;
    }

    // ---- metrics

    public Map<String, Long> rawFileCountsByOrganization() {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.getJdbcTemplate().query("select organization, count(*) as n from raw_file group by organization order by organization",
                rs -> {
                    counts.put(rs.getString("organization"), rs.getLong("n"));
                });
        return counts;
    }

    // ---- mapping

    static String mimeSetDigest(SortedSet<String> mimeTypes) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String mimeType : mimeTypes) {
                sha256.update(mimeType.getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> rawFileReceived(IncomingRaw raw, Instant now) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event_id", "raw_file_received");
        event.put("created_at", now);
        event.put("organization", raw.boefjeMeta().organization());
        event.put("raw_data", new RawDataMeta(raw.id(), raw.boefjeMeta(),
                raw.mimeTypes().stream().map(RawDataMeta.MimeType::new).toList(),
                raw.secureHash(), raw.signingProviderUrl(), raw.hashRetrievalLink()));
        return event;
    }

    private BoefjeMeta boefjeMeta(ResultSet rs) throws SQLException {
        return new BoefjeMeta(
                rs.getObject("id", UUID.class),
                instant(rs, "started_at"),
                instant(rs, "ended_at"),
                new BoefjeMeta.Boefje(rs.getString("boefje_id"), rs.getString("boefje_version")),
                rs.getString("input_ooi"),
                fromJson(rs.getString("arguments"), new TypeReference<Map<String, Object>>() { }),
                rs.getString("organization"),
                rs.getString("runnable_hash"),
                rs.getString("environment") == null ? null
                        : fromJson(rs.getString("environment"), new TypeReference<Map<String, String>>() { }));
    }

    private StoredRaw storedRaw(ResultSet rs) throws SQLException {
        RawDataMeta meta = new RawDataMeta(rs.getObject("raw_id", UUID.class), boefjeMeta(rs), List.of(),
                rs.getString("secure_hash"), rs.getString("signing_provider_url"), rs.getString("hash_retrieval_link"));
        return new StoredRaw(meta, rs.getString("storage_bucket"), rs.getString("storage_key"),
                rs.getObject("stored_offset", Long.class), rs.getLong("stored_size_bytes"), rs.getLong("size_bytes"),
                rs.getString("encryption"), new io.bytekeep.custody.KeyRecord(rs.getString("key_id"), rs.getBytes("wrapped_key")));
    }

    /** Fills in the mime types of the raw files in {@code rows} with one query. */
    private <T> List<T> withMimeTypes(List<T> rows, java.util.function.Function<T, RawDataMeta> raw,
                                      java.util.function.BiFunction<T, RawDataMeta, T> replace) {
        if (rows.isEmpty()) {
            return rows;
        }
        Map<UUID, List<RawDataMeta.MimeType>> byRaw = new LinkedHashMap<>();
        jdbc.query("select raw_file_id, mime_type from raw_file_mime_type where raw_file_id in (:ids) order by mime_type",
                Map.of("ids", rows.stream().map(r -> raw.apply(r).id()).distinct().toList()),
                rs -> {
                    byRaw.computeIfAbsent(rs.getObject("raw_file_id", UUID.class), k -> new ArrayList<>())
                            .add(new RawDataMeta.MimeType(rs.getString("mime_type")));
                });
        return rows.stream().map(row -> {
            RawDataMeta meta = raw.apply(row);
            return replace.apply(row, new RawDataMeta(meta.id(), meta.boefjeMeta(), byRaw.getOrDefault(meta.id(), List.of()),
                    meta.secureHash(), meta.signingProviderUrl(), meta.hashRetrievalLink()));
        }).toList();
    }

    private static java.time.OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(java.time.ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        java.time.OffsetDateTime value = rs.getObject(column, java.time.OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not representable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private <T> T fromJson(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
