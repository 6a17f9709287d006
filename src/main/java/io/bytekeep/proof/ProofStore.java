package io.bytekeep.proof;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;


/** The tables of Merkle batching: the queue of hashes (raw_file_proof) and the timestamped batches (proof_batch). */
public class ProofStore {

    public record QueuedHash(UUID rawFileId, String secureHash) {
    }

    public record Batch(UUID id, int treeSize, String rootHex, String imprintAlgorithm, String tokenBase64, String tsaUrl,
                        Instant createdAt) {
    }

    public record Leaf(UUID rawFileId, int index, byte[] inclusionProof) {
    }

    /** A raw file's entry: {@code batch} is empty while the hash is queued; the proof's hashes are concatenated. */
    public record FileProof(UUID rawFileId, String secureHash, Instant queuedAt, Optional<Batch> batch, int leafIndex,
                            byte[] inclusionProof) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    public ProofStore(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void enqueue(List<QueuedHash> hashes) {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        jdbc.batchUpdate("insert into raw_file_proof (raw_file_id, secure_hash, queued_at) values (:id, :hash, :queuedAt)",
                hashes.stream().map(hash -> (SqlParameterSource) new MapSqlParameterSource()
                        .addValue("id", hash.rawFileId()).addValue("hash", hash.secureHash()).addValue("queuedAt", now))
                        .toArray(SqlParameterSource[]::new));
    }

    /**
     * The oldest queued hashes, locked until the caller's transaction ends; rows another instance has claimed are
     * skipped, so two instances never put one hash into two batches.
     */
    public List<QueuedHash> claimQueued(int limit) {
        return jdbc.query("select raw_file_id, secure_hash from raw_file_proof where batch_id is null "
                        + "order by queued_at, raw_file_id limit :limit for update skip locked",
                Map.of("limit", limit), (rs, n) -> new QueuedHash(rs.getObject("raw_file_id", UUID.class), rs.getString("secure_hash")));
    }

    public void recordBatch(Batch batch, List<Leaf> leaves) {
        jdbc.update("insert into proof_batch (id, tree_size, root_hash, imprint_algorithm, timestamp_token, tsa_url, created_at) "
                + "values (:id, :size, :root, :algorithm, :token, :tsa, :createdAt)", new MapSqlParameterSource()
                .addValue("id", batch.id())
                .addValue("size", batch.treeSize())
                .addValue("root", batch.rootHex())
                .addValue("algorithm", batch.imprintAlgorithm())
                .addValue("token", batch.tokenBase64())
                .addValue("tsa", batch.tsaUrl())
                .addValue("createdAt", batch.createdAt().atOffset(ZoneOffset.UTC)));
        jdbc.batchUpdate("update raw_file_proof set batch_id = :batch, leaf_index = :index, inclusion_proof = :proof "
                        + "where raw_file_id = :id and batch_id is null",
                leaves.stream().map(leaf -> (SqlParameterSource) new MapSqlParameterSource()
                        .addValue("batch", batch.id()).addValue("index", leaf.index())
                        .addValue("proof", leaf.inclusionProof()).addValue("id", leaf.rawFileId()))
                        .toArray(SqlParameterSource[]::new));
    }

    public Optional<FileProof> find(UUID rawFileId) {
        return jdbc.query("select p.raw_file_id, p.secure_hash, p.queued_at, p.leaf_index, p.inclusion_proof, b.id as batch_id, "
                        + "b.tree_size, b.root_hash, b.imprint_algorithm, b.timestamp_token, b.tsa_url, b.created_at "
                        + "from raw_file_proof p left join proof_batch b on b.id = p.batch_id where p.raw_file_id = :id",
                Map.of("id", rawFileId), (rs, n) -> {
                    UUID batchId = rs.getObject("batch_id", UUID.class);
                    Optional<Batch> batch = batchId == null ? Optional.empty() : Optional.of(new Batch(batchId,
                            rs.getInt("tree_size"), rs.getString("root_hash"), rs.getString("imprint_algorithm"),
                            rs.getString("timestamp_token"), rs.getString("tsa_url"),
                            rs.getObject("created_at", OffsetDateTime.class).toInstant()));
                    return new FileProof(rs.getObject("raw_file_id", UUID.class), rs.getString("secure_hash"),
                            rs.getObject("queued_at", OffsetDateTime.class).toInstant(), batch, rs.getInt("leaf_index"),
                            rs.getBytes("inclusion_proof"));
                }).stream().findFirst();
    }
}
