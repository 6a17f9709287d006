package io.bytekeep.vault;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.platform.TimeOrderedIds;
import io.bytekeep.platform.messaging.Outbox;

/**
 * {@link RawStore} on the Vault's tables {@code raw_file}, {@code raw_file_mime_type}, the mime type counters
 * ({@code raw_mime_type_count}, kept in the files' transaction) and the outbox.
 */
public class JdbcRawStore implements RawStore {

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final VaultRows rows;
    private final Clock clock;

    public JdbcRawStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.rows = new VaultRows(jdbc, json);
        this.clock = clock;
    }

    @Override
    public Optional<UUID> findRawWithMimeTypes(UUID boefjeMetaId, SortedSet<String> mimeTypes) {
        return jdbc.queryForList("select id from raw_file where boefje_meta_id = :bm and mime_set_digest = :digest",
                Map.of("bm", boefjeMetaId, "digest", mimeSetDigest(mimeTypes)), UUID.class).stream().findFirst();
    }

    @Override
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
                        .addValue("createdAt", VaultRows.timestamp(now)));
                for (String mimeType : raw.mimeTypes()) {
                    mimeTypes.add(new MapSqlParameterSource().addValue("id", raw.id()).addValue("mime", mimeType));
                }
                if (raw.announce()) {
                    Outbox.Event event = new Outbox.Event(0, TimeOrderedIds.next(), eventDestination,
                            rows.toJson(rawFileReceived(raw, now)), raw.traceparent());
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
            batch("delete from raw_object_intent where bucket = :bucket and storage_key = :key", packsRecorded(raws));
            return events;
        });
    }

    /** The packs of {@code raws}, each once: a recorded file makes its pack's intent row moot ({@link PackIntents}). */
    private static List<SqlParameterSource> packsRecorded(List<IncomingRaw> raws) {
        Map<String, SqlParameterSource> packs = new LinkedHashMap<>();
        for (IncomingRaw raw : raws) {
            if (raw.storedOffset() != null) {
                packs.computeIfAbsent(raw.storageBucket() + "/" + raw.storageKey(), pack -> new MapSqlParameterSource()
                        .addValue("bucket", raw.storageBucket()).addValue("key", raw.storageKey()));
            }
        }
        return new ArrayList<>(packs.values());
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

    @Override
    public Optional<StoredRaw> findRaw(UUID id) {
        return queryRaws(new RawQuery(null, null, null, List.of(id), List.of(), 1, null)).stream().findFirst();
    }

    @Override
    public List<StoredRaw> queryRaws(RawQuery query) {
        if (query.organizations() != null && query.organizations().isEmpty()) {
            return List.of();
        }
        MapSqlParameterSource params = new MapSqlParameterSource();
        StringBuilder sql = new StringBuilder("select " + VaultRows.RAW_COLUMNS + ", " + VaultRows.BOEFJE_META_COLUMNS
                + " from raw_file r join boefje_meta bm on bm.id = r.boefje_meta_id where r.id in (")
                .append(rawIdsInOrder(query, params)).append(')');
        if (query.organizations() != null) {
            sql.append(" and r.organization in (:organizations)");
            params.addValue("organizations", query.organizations());
        }
        List<StoredRaw> found = jdbc.query(sql.append(" order by r.seq").toString(), params, (rs, n) -> rows.storedRaw(rs));
        return rows.withMimeTypes(found, StoredRaw::meta, StoredRaw::withMeta);
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
        VaultRows.appendRawFilters(sql, "x", query.normalized(), query.rawIds(), query.mimeTypes(), params);
        sql.append(" order by ").append(leading == null ? "" : leading + ", ").append("x.seq limit :limit");
        params.addValue("limit", query.limit());
        return sql.toString();
    }

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
}
