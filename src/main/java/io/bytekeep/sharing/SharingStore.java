package io.bytekeep.sharing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.platform.messaging.Outbox;

/**
 * The sharing tables. Grants, revocations and issued downloads are written with their audit row and an outbox event
 * (published to the audit queue by routes/outbox-relay.camel.yaml) in one transaction.
 */
public class SharingStore {

    /** One document as one user sees it: the row and the document key wrapped for that user. */
    public record Access(SharedDocument document, String wrappedKey) {
    }

    public static final String GRANTED = "SHARE_GRANTED";
    public static final String REVOKED = "SHARE_REVOKED";
    public static final String DOWNLOAD_ISSUED = "DOWNLOAD_URL_ISSUED";
    public static final String UPLOADED = "DOCUMENT_UPLOADED";
    public static final String DELETED = "DOCUMENT_DELETED";
    public static final String ABANDONED = "UPLOAD_ABANDONED";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;
    private final Clock clock;
    private final String auditQueue;
    private final Supplier<String> traceParent;

    /** @param traceParent the trace context of the current request, which its audit events carry (null without) */
    public SharingStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, ObjectMapper json, Clock clock,
                        String auditQueue, Supplier<String> traceParent) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
        this.auditQueue = auditQueue;
        this.traceParent = traceParent;
    }

    // ---- user keys

    public void putUserKey(String username, String publicKey) {
        transactions.executeWithoutResult(status -> {
            MapSqlParameterSource params = new MapSqlParameterSource().addValue("user", username)
                    .addValue("key", publicKey).addValue("now", now());
            if (jdbc.update("update sharing_user_key set public_key = :key, updated_at = :now where username = :user", params) == 0) {
                jdbc.update("insert into sharing_user_key (username, public_key, updated_at) values (:user, :key, :now)", params);
            }
        });
    }

    public Optional<String> userKey(String username) {
        return jdbc.queryForList("select public_key from sharing_user_key where username = :user", Map.of("user", username),
                String.class).stream().findFirst();
    }

    // ---- documents

    public void create(SharedDocument d, String ownerWrappedKey) {
        transactions.executeWithoutResult(status -> {
            jdbc.update("insert into sharing_document (id, owner, organization, name, content_type, size_bytes, sha256, encryption, "
                    + "chunk_size, encrypted_size, object_key, upload_id, part_size, part_count, status, created_at) values (:id, "
                    + ":owner, :org, :name, :type, :size, :sha, :enc, :chunk, :encSize, :key, :upload, :partSize, :parts, :status, "
                    + ":created)",
                    new MapSqlParameterSource()
                            .addValue("id", d.id()).addValue("owner", d.owner()).addValue("org", d.organization())
                            .addValue("name", d.name())
                            .addValue("type", d.contentType()).addValue("size", d.size()).addValue("sha", d.sha256())
                            .addValue("enc", d.encryption()).addValue("chunk", d.chunkSize())
                            .addValue("encSize", d.encryptedSize()).addValue("key", d.objectKey())
                            .addValue("upload", d.uploadId()).addValue("partSize", d.partSize())
                            .addValue("parts", d.partCount()).addValue("status", d.status())
                            .addValue("created", Timestamp.from(d.createdAt())));
            insertGrant(d.id(), d.owner(), ownerWrappedKey, d.owner());
        });
    }

    public Optional<SharedDocument> find(UUID id) {
        return jdbc.query("select * from sharing_document where id = :id", Map.of("id", id), (rs, n) -> document(rs))
                .stream().findFirst();
    }

    /** The document if {@code username} owns it or was granted it. */
    public Optional<Access> access(UUID id, String username) {
        return jdbc.query("select d.*, g.wrapped_key from sharing_document d join sharing_grant g on g.document_id = d.id "
                        + "where d.id = :id and g.username = :user", Map.of("id", id, "user", username),
                (rs, n) -> new Access(document(rs), rs.getString("wrapped_key"))).stream().findFirst();
    }

    /** Own and shared documents of {@code username}, newest first. */
    public List<SharedDocument> visibleTo(String username) {
        return jdbc.query("select d.* from sharing_document d join sharing_grant g on g.document_id = d.id "
                + "where g.username = :user order by d.created_at desc, d.id", Map.of("user", username), (rs, n) -> document(rs));
    }

    /** The users a document is shared with (not the owner), by name. */
    public List<String> grantees(SharedDocument d) {
        return jdbc.queryForList("select username from sharing_grant where document_id = :id and username <> :owner "
                + "order by username", Map.of("id", d.id(), "owner", d.owner()), String.class);
    }

    /** Marks an upload complete; false when another complete came first. */
    public boolean complete(SharedDocument d, String actor) {
        Boolean done = transactions.execute(status -> {
            int updated = jdbc.update("update sharing_document set status = :available, upload_id = null, completed_at = :now "
                    + "where id = :id and status = :uploading", new MapSqlParameterSource().addValue("id", d.id())
                    .addValue("available", SharedDocument.AVAILABLE).addValue("uploading", SharedDocument.UPLOADING)
                    .addValue("now", now()));
            if (updated == 1) {
                audit(d.id(), UPLOADED, actor, null);
            }
            return updated == 1;
        });
        return Boolean.TRUE.equals(done);
    }

    /**
     * Removes the document and every grant of it, with an audit event ({@link #DELETED} by its owner,
     * {@link #ABANDONED} by the sweep); false when it was already gone. The ciphertext must be gone from S3 first.
     */
    public boolean remove(SharedDocument d, String action, String actor, String subject) {
        Boolean removed = transactions.execute(status -> {
            jdbc.update("delete from sharing_grant where document_id = :id", Map.of("id", d.id()));
            int deleted = jdbc.update("delete from sharing_document where id = :id", Map.of("id", d.id()));
            if (deleted == 1) {
                audit(d.id(), action, actor, subject);
            }
            return deleted == 1;
        });
        return Boolean.TRUE.equals(removed);
    }

    // ---- abandoned uploads

    /**
     * Uploads not completed before {@code cutoff}, and those claimed earlier whose removal did not finish (S3 was
     * unavailable), oldest first.
     */
    public List<SharedDocument> abandoned(Instant cutoff, int limit) {
        return jdbc.query("select * from sharing_document where (status = :uploading and created_at < :cutoff) "
                + "or status = :abandoned order by created_at, id limit :limit", new MapSqlParameterSource()
                .addValue("uploading", SharedDocument.UPLOADING).addValue("abandoned", SharedDocument.ABANDONED)
                .addValue("cutoff", Timestamp.from(cutoff)).addValue("limit", limit), (rs, n) -> document(rs));
    }

    /**
     * Claims an incomplete upload for removal: from then on complete refuses it. False when it is no longer
     * incomplete (completed meanwhile, or gone); a document claimed before stays claimed (true).
     */
    public boolean claimAbandoned(UUID id) {
        return jdbc.update("update sharing_document set status = :abandoned where id = :id and status in (:uploading, :abandoned)",
                new MapSqlParameterSource().addValue("id", id).addValue("abandoned", SharedDocument.ABANDONED)
                        .addValue("uploading", SharedDocument.UPLOADING)) == 1;
    }

    /** Which of these document ids have a row. */
    public Set<UUID> existing(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList("select id from sharing_document where id in (:ids)",
                Map.of("ids", ids), UUID.class));
    }

    /** Which of these S3 multipart uploads a document row holds. */
    public Set<String> heldUploads(Collection<String> uploadIds) {
        if (uploadIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList("select upload_id from sharing_document where upload_id in (:uploads)",
                Map.of("uploads", uploadIds), String.class));
    }

    // ---- grants

    /** Grants {@code username} the document (or replaces its wrapped key); audited. */
    public void grant(UUID id, String username, String wrappedKey, String actor) {
        transactions.executeWithoutResult(status -> {
            int updated = jdbc.update("update sharing_grant set wrapped_key = :key, granted_by = :by, created_at = :now "
                    + "where document_id = :id and username = :user", new MapSqlParameterSource().addValue("id", id)
                    .addValue("user", username).addValue("key", wrappedKey).addValue("by", actor).addValue("now", now()));
            if (updated == 0) {
                insertGrant(id, username, wrappedKey, actor);
            }
            audit(id, GRANTED, actor, username);
        });
    }

    /** Removes the grant of {@code username}; false when there was none. Audited when there was one. */
    public boolean revoke(UUID id, String username, String actor) {
        Boolean revoked = transactions.execute(status -> {
            int deleted = jdbc.update("delete from sharing_grant where document_id = :id and username = :user",
                    Map.of("id", id, "user", username));
            if (deleted == 1) {
                audit(id, REVOKED, actor, username);
            }
            return deleted == 1;
        });
        return Boolean.TRUE.equals(revoked);
    }

    public void downloadIssued(UUID id, String actor) {
        transactions.executeWithoutResult(status -> audit(id, DOWNLOAD_ISSUED, actor, null));
    }

    private void insertGrant(UUID id, String username, String wrappedKey, String by) {
        jdbc.update("insert into sharing_grant (document_id, username, wrapped_key, granted_by, created_at) "
                + "values (:id, :user, :key, :by, :now)", new MapSqlParameterSource().addValue("id", id)
                .addValue("user", username).addValue("key", wrappedKey).addValue("by", by).addValue("now", now()));
    }

    private void audit(UUID documentId, String action, String actor, String subject) {
        UUID eventId = UUID.randomUUID();
        Instant at = clock.instant();
        jdbc.update("insert into sharing_audit (id, document_id, action, actor, subject, at) "
                + "values (:id, :doc, :action, :actor, :subject, :at)", new MapSqlParameterSource().addValue("id", eventId)
                .addValue("doc", documentId).addValue("action", action).addValue("actor", actor)
                .addValue("subject", subject).addValue("at", Timestamp.from(at)));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event_id", eventId.toString());
        event.put("action", action);
        event.put("document_id", documentId.toString());
        event.put("actor", actor);
        event.put("subject", subject);
        event.put("at", at.toString());
        jdbc.update(Outbox.INSERT, Outbox.row(new Outbox.Event(0, UUID.randomUUID(), auditQueue, toJson(event),
                traceParent.get()), at, null));
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private static SharedDocument document(ResultSet rs) throws SQLException {
        Timestamp completed = rs.getTimestamp("completed_at");
        return new SharedDocument(rs.getObject("id", UUID.class), rs.getString("owner"), rs.getString("organization"),
                rs.getString("name"),
                rs.getString("content_type"), rs.getLong("size_bytes"), rs.getString("sha256"), rs.getString("encryption"),
                rs.getInt("chunk_size"), rs.getLong("encrypted_size"), rs.getString("object_key"), rs.getString("upload_id"),
                rs.getLong("part_size"), rs.getInt("part_count"), rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(), completed == null ? null : completed.toInstant());
    }
}
