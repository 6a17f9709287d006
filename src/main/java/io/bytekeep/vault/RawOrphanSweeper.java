package io.bytekeep.vault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Deletes objects under raw/ of the raw bucket that are older than the minimum age and have no raw_file row. Keys
 * are raw/&lt;organization&gt;/&lt;raw id&gt;; anything else under raw/ is left alone. Idempotent: several instances
 * may sweep at the same time.
 */
public class RawOrphanSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(RawOrphanSweeper.class);

    private final S3Client s3;
    private final JdbcTemplate jdbc;
    private final String bucket;
    private final Duration minAge;
    private final Clock clock;

    public RawOrphanSweeper(S3Client s3, JdbcTemplate jdbc, String bucket, Duration minAge, Clock clock) {
        this.s3 = s3;
        this.jdbc = jdbc;
        this.bucket = bucket;
        this.minAge = minAge;
        this.clock = clock;
    }

    /** @return the number of objects deleted */
    public int sweep() {
        Instant cutoff = clock.instant().minus(minAge);
        int deleted = 0;
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("raw/")).contents()) {
            UUID rawId = rawId(object.key());
            if (rawId == null || object.lastModified().isAfter(cutoff) || hasRow(rawId)) {
                continue;
            }
            s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
            LOG.warn("Deleted orphan object {}/{} ({} bytes, written {}): no raw_file row, its upload never committed",
                    bucket, object.key(), object.size(), object.lastModified());
            deleted++;
        }
        return deleted;
    }

    private boolean hasRow(UUID rawId) {
        Integer rows = jdbc.queryForObject("select count(*) from raw_file where id = ?", Integer.class, rawId);
        return rows != null && rows > 0;
    }

    private static UUID rawId(String key) {
        String[] parts = key.split("/");
        if (parts.length != 3) {
            return null;
        }
        try {
            return UUID.fromString(parts[2]);
        } catch (IllegalArgumentException notARawKey) {
            return null;
        }
    }
}
