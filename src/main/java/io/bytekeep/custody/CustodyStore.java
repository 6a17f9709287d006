package io.bytekeep.custody;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.custody.chain.CustodyLink;
import io.bytekeep.platform.Problem;

/** The custody_case and custody_link tables. A link is appended only at the index the case expects next. */
public class CustodyStore {

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;
    private final Clock clock;

    public CustodyStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
    }

    public void open(CustodyCase opened, CustodyLink ingest) {
        transactions.executeWithoutResult(status -> {
            jdbc.update("insert into custody_case (id, raw_file_id, organization, user_id, session_id, input_hash, recipients, "
                    + "envelope_key, link_count, closed, created_at) values (:id, :raw, :org, :user, :session, :input, :recipients, "
                    + ":envelope, 1, false, :now)", new MapSqlParameterSource()
                    .addValue("id", opened.id())
                    .addValue("raw", opened.rawId())
                    .addValue("org", opened.organization())
                    .addValue("user", opened.userId())
                    .addValue("session", opened.sessionId())
                    .addValue("input", opened.inputHash())
                    .addValue("recipients", String.join(",", opened.recipients()))
                    .addValue("envelope", opened.envelopeKey())
                    .addValue("now", now()));
            insertLink(opened.id(), ingest, null);
        });
    }

    /** Appends {@code link} if the case still has {@code link.index()} links; 409 when another step came first. */
    public void append(UUID caseId, CustodyLink link, String envelopeKey) {
        transactions.executeWithoutResult(status -> {
            int updated = jdbc.update("update custody_case set link_count = link_count + 1, closed = :closed "
                    + "where id = :id and link_count = :index and closed = false", new MapSqlParameterSource()
                    .addValue("id", caseId)
                    .addValue("index", link.index())
                    .addValue("closed", CustodyLink.EXPORT.equals(link.kind())));
            if (updated != 1) {
                throw conflict(caseId);
            }
            try {
                insertLink(caseId, link, envelopeKey);
            } catch (DuplicateKeyException e) {
                throw conflict(caseId);
            }
        });
    }

    public Optional<CustodyCase> find(UUID id) {
        return jdbc.query("select * from custody_case where id = :id", Map.of("id", id), (rs, n) -> custodyCase(rs))
                .stream().findFirst();
    }

    public List<CustodyLink> links(UUID caseId) {
        return jdbc.query("select * from custody_link where case_id = :id order by link_index", Map.of("id", caseId),
                (rs, n) -> new CustodyLink(rs.getInt("link_index"), rs.getString("station_id"), rs.getString("kind"),
                        rs.getString("previous_signature"), rs.getString("result_hash"), metadata(rs.getString("metadata")),
                        rs.getString("signature")));
    }

    public Optional<String> envelopeKey(UUID caseId, int index) {
        return jdbc.queryForList("select envelope_key from custody_link where case_id = :id and link_index = :index "
                        + "and envelope_key is not null", Map.of("id", caseId, "index", index), String.class)
                .stream().findFirst();
    }

    private void insertLink(UUID caseId, CustodyLink link, String envelopeKey) {
        jdbc.update("insert into custody_link (case_id, link_index, station_id, kind, previous_signature, result_hash, metadata, "
                + "signature, envelope_key, created_at) values (:id, :index, :station, :kind, :previous, :result, :metadata, "
                + ":signature, :envelope, :now)", new MapSqlParameterSource()
                .addValue("id", caseId)
                .addValue("index", link.index())
                .addValue("station", link.stationId())
                .addValue("kind", link.kind())
                .addValue("previous", link.previousSignature())
                .addValue("result", link.resultHash())
                .addValue("metadata", toJson(link.metadata()))
                .addValue("signature", link.signature())
                .addValue("envelope", envelopeKey)
                .addValue("now", now()));
    }

    private static Problem conflict(UUID caseId) {
        return new Problem(409, "Conflict", "Case " + caseId + " changed meanwhile (another link was appended, or the "
                + "export closed it); fetch the chain and sign over its last link again");
    }

    private static CustodyCase custodyCase(ResultSet rs) throws SQLException {
        return new CustodyCase(rs.getObject("id", UUID.class), rs.getObject("raw_file_id", UUID.class),
                rs.getString("organization"), rs.getString("user_id"), rs.getString("session_id"), rs.getString("input_hash"),
                Arrays.asList(rs.getString("recipients").split(",")), rs.getString("envelope_key"), rs.getInt("link_count"),
                rs.getBoolean("closed"), rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private SortedMap<String, String> metadata(String text) {
        try {
            return CustodyLink.metadata(json.readValue(text, new TypeReference<Map<String, String>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored link metadata is unreadable", e);
        }
    }
}
