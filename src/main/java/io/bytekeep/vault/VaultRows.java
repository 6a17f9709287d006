package io.bytekeep.vault;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** What the Vault's JDBC stores share: the columns and row mappers of boefje metas and raw files, JSON columns, times. */
final class VaultRows {

    static final String BOEFJE_META_COLUMNS = "bm.id, bm.organization, bm.boefje_id, bm.boefje_version, bm.input_ooi, "
            + "bm.arguments, bm.runnable_hash, bm.environment, bm.started_at, bm.ended_at";
    static final String RAW_COLUMNS = "r.id as raw_id, r.secure_hash, r.signing_provider_url, r.hash_retrieval_link, "
            + "r.storage_bucket, r.storage_key, r.stored_offset, r.stored_size_bytes, r.size_bytes, r.encryption, r.key_id, r.wrapped_key";

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    VaultRows(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    BoefjeMeta boefjeMeta(ResultSet rs) throws SQLException {
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

    StoredRaw storedRaw(ResultSet rs) throws SQLException {
        RawDataMeta meta = new RawDataMeta(rs.getObject("raw_id", UUID.class), boefjeMeta(rs), List.of(),
                rs.getString("secure_hash"), rs.getString("signing_provider_url"), rs.getString("hash_retrieval_link"));
        return new StoredRaw(meta, rs.getString("storage_bucket"), rs.getString("storage_key"),
                rs.getObject("stored_offset", Long.class), rs.getLong("stored_size_bytes"), rs.getLong("size_bytes"),
                rs.getString("encryption"), new io.bytekeep.atrest.KeyRecord(rs.getString("key_id"), rs.getBytes("wrapped_key")));
    }

    /** Fills in the mime types of the raw files in {@code rows} with one query. */
    <T> List<T> withMimeTypes(List<T> rows, java.util.function.Function<T, RawDataMeta> raw,
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

    static java.time.OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(java.time.ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        java.time.OffsetDateTime value = rs.getObject(column, java.time.OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not representable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    <T> T fromJson(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    static void appendRawFilters(StringBuilder sql, String raw, Boolean normalized, List<UUID> rawIds,
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
}
