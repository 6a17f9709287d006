package io.bytekeep.distribution;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import software.amazon.awssdk.services.s3.S3Client;
import io.bytekeep.publication.ExportUploader;

/**
 * What the last completed distribution run was made of, so a run with the same inputs can leave the published tree
 * as it is instead of loading, encoding and comparing every archive again ({@code distribution_published}).
 * <p>
 * The inputs are everything the tree is a function of: the settings of the distribution and of the TUF publication
 * and the signing key (as one digest, {@code settingsDigest}), the configuration documents' file, the run's hour (the
 * policies and the listings depend on it) and the retention cutoff, and the keys of the window
 * ({@link DiagnosisKeyStore.WindowState}). The tree builder is deterministic (RFC 6979 signatures, fixed zip entry
 * times), so equal inputs give the identical tree. Only their SHA-256 is stored.
 * <p>
 * A full run forgets the record before its first upload and writes it once everything is published; a run that fails
 * in between leaves none, and the next run is full. The published tree counts as there while the central index in
 * the bucket has the hash recorded with it (an export bucket emptied, or its central index deleted, makes the next run
 * full); other objects deleted by hand come back with the next full run, at the latest in the next hour.
 */
public class PublishedInputs {

    /** The last completed run: its inputs and what it published. */
    public record Published(String inputs, String centralIndexHash, int archives, int indexes, long keys) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final S3Client exportS3;
    private final String bucket;
    private final String settingsDigest;
    private final ConfigurationPublication documents;
    private final Clock clock;

    public PublishedInputs(NamedParameterJdbcTemplate jdbc, S3Client exportS3, String bucket, String settingsDigest,
                           ConfigurationPublication documents, Clock clock) {
        this.jdbc = jdbc;
        this.exportS3 = exportS3;
        this.bucket = bucket;
        this.settingsDigest = settingsDigest;
        this.documents = documents;
        this.clock = clock;
    }

    /**
     * The digest of the settings part of the inputs: the distribution's and the TUF publication's settings as text and
     * the signing key's public key (null without one).
     */
    static String settingsDigest(String distributionSettings, String trustSettings, byte[] signingPublicKey) {
        MessageDigest sha256 = sha256();
        sha256.update(distributionSettings.getBytes(StandardCharsets.UTF_8));
        sha256.update(trustSettings.getBytes(StandardCharsets.UTF_8));
        if (signingPublicKey != null) {
            sha256.update(signingPublicKey);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** The configuration documents' file as it is now: read once per run, for its inputs and its publication. */
    public byte[] documentsFile() {
        return documents.fileContent();
    }

    /** The SHA-256 (hex) of a run's inputs; {@code documentsFile} from {@link #documentsFile()}. */
    public String inputs(long currentHour, long cutoffHour, DiagnosisKeyStore.WindowState window, byte[] documentsFile) {
        MessageDigest sha256 = sha256();
        sha256.update(settingsDigest.getBytes(StandardCharsets.US_ASCII));
        sha256.update(documentsFile);
        sha256.update((";" + currentHour + ";" + cutoffHour + ";" + window.count() + ";" + window.seqSum())
                .getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** The last completed run whose inputs are these and whose central index is still in the bucket, or null. */
    public Published currentWith(String inputs, String centralIndexKey) {
        List<Published> last = jdbc.query("select inputs, central_index_hash, archives, indexes, keys_published"
                + " from distribution_published where id = 1", Map.of(), (rs, n) -> new Published(rs.getString(1),
                rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getLong(5)));
        if (last.isEmpty() || !last.get(0).inputs().equals(inputs)) {
            return null;
        }
        String stored = ExportUploader.storedCwaHash(exportS3, bucket, centralIndexKey);
        return last.get(0).centralIndexHash().equals(stored) ? last.get(0) : null;
    }

    /** Before a full run changes the bucket: until it completes, no run may take the bucket as current. */
    public void forget() {
        jdbc.update("delete from distribution_published where id = 1", Map.of());
    }

    /** After a completed run. */
    public void record(Published published) {
        Map<String, Object> row = Map.of("inputs", published.inputs(), "hash", published.centralIndexHash(),
                "archives", published.archives(), "indexes", published.indexes(), "keys", published.keys(),
                "at", Timestamp.from(clock.instant()));
        jdbc.update("delete from distribution_published where id = 1", Map.of());
        jdbc.update("insert into distribution_published (id, inputs, central_index_hash, archives, indexes, keys_published,"
                + " completed_at) values (1, :inputs, :hash, :archives, :indexes, :keys, :at)", row);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
