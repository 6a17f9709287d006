package io.bytekeep.cli;

import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a Bytes database as Bytes' alembic migrations leave it (bytes/bytes/database/db_models.py at cae5e26):
 * boefje_meta, raw_file (mime_types a varchar array, signing_provider_id pointing at signing_provider.url) and
 * normalizer_meta. One read-only repeatable-read transaction for the whole import, so the three tables are one
 * snapshot of a Bytes that may still be running; rows stream through a cursor, never all in memory. Metas come out
 * in the JSON of Bytes' API models.
 */
final class BytesDatabase implements AutoCloseable {

    /** A raw file as Bytes recorded it, with what the import needs of its boefje meta. */
    record RawRow(UUID id, UUID boefjeMetaId, String organization, List<String> mimeTypes, String secureHash,
                  String signingProviderUrl, String hashRetrievalLink) {
    }

    @FunctionalInterface
    interface RowHandler<T> {
        void accept(T row) throws Exception;
    }

    private static final int FETCH_SIZE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final String schema;

    BytesDatabase(BytesSettings.Jdbc jdbc, String schema) throws SQLException {
        Properties properties = new Properties();
        if (jdbc.user() != null) {
            properties.setProperty("user", jdbc.user());
        }
        if (jdbc.password() != null) {
            properties.setProperty("password", jdbc.password());
        }
        properties.setProperty("ApplicationName", "bytekeep import-bytes");
        this.connection = DriverManager.getConnection(jdbc.url(), properties);
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        this.schema = schema;
    }

    long count(String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select count(*) from " + table(table));
             ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every boefje meta as Bytes' BoefjeMeta JSON. */
    void boefjeMetas(RowHandler<ObjectNode> handler) throws Exception {
        stream("select id, boefje_id, boefje_version, organization, input_ooi, arguments::text as arguments, "
                + "environment::text as environment, runnable_hash, started_at, ended_at from " + table("boefje_meta"), rs -> {
            ObjectNode meta = JSON.createObjectNode();
            meta.put("id", rs.getString("id"));
            meta.put("started_at", instant(rs, "started_at"));
            meta.put("ended_at", instant(rs, "ended_at"));
            meta.putObject("boefje").put("id", rs.getString("boefje_id")).put("version", rs.getString("boefje_version"));
            meta.put("input_ooi", rs.getString("input_ooi"));
            meta.set("arguments", json(rs.getString("arguments")));
            meta.put("organization", rs.getString("organization"));
            meta.put("runnable_hash", rs.getString("runnable_hash"));
            // SQLAlchemy's JSON column stores Python's None as the JSON text null
            meta.set("environment", json(rs.getString("environment")));
            handler.accept(meta);
        });
    }

    /**
     * Every raw file, in the order of Bytes' table (physical order: Bytes' raw listings have no ORDER BY, so this is
     * the order they answer in), which is the order Bytekeep records them in.
     */
    void raws(RowHandler<RawRow> handler) throws Exception {
        stream("select r.id, r.boefje_meta_id, bm.organization, r.mime_types, r.secure_hash, sp.url as signing_provider_url, "
                + "r.hash_retrieval_link from " + table("raw_file") + " r join " + table("boefje_meta")
                + " bm on bm.id = r.boefje_meta_id left join " + table("signing_provider")
                + " sp on sp.id = r.signing_provider_id order by r.ctid", rs -> {
            Array array = rs.getArray("mime_types");
            List<String> mimeTypes = array == null ? List.of() : new ArrayList<>(Arrays.asList((String[]) array.getArray()));
            handler.accept(new RawRow(rs.getObject("id", UUID.class), rs.getObject("boefje_meta_id", UUID.class),
                    rs.getString("organization"), mimeTypes, rs.getString("secure_hash"),
                    rs.getString("signing_provider_url"), rs.getString("hash_retrieval_link")));
        });
    }

    /** Every normalizer meta as Bytes' NormalizerMeta JSON, with raw_data carrying only the raw file's id. */
    void normalizerMetas(RowHandler<ObjectNode> handler) throws Exception {
        stream("select id, normalizer_id, normalizer_version, started_at, ended_at, raw_file_id from "
                + table("normalizer_meta"), rs -> {
            ObjectNode meta = JSON.createObjectNode();
            meta.put("id", rs.getString("id"));
            meta.put("started_at", instant(rs, "started_at"));
            meta.put("ended_at", instant(rs, "ended_at"));
            meta.putObject("raw_data").put("id", rs.getString("raw_file_id"));
            meta.putObject("normalizer").put("id", rs.getString("normalizer_id"))
                    .put("version", rs.getString("normalizer_version"));
            handler.accept(meta);
        });
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }

    private void stream(String sql, RowHandler<ResultSet> handler) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    handler.accept(rs);
                }
            }
        }
    }

    private String table(String name) {
        return '"' + schema + "\"." + name;
    }

    private static String instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant().toString();
    }

    private static JsonNode json(String text) throws IOException {
        return text == null ? JSON.nullNode() : JSON.readTree(text);
    }
}
