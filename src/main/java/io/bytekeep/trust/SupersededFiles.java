package io.bytekeep.trust;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * Removes what TUF publishing left behind in the export bucket: metadata versions before the current one and
 * consistent-snapshot copies {@code dir/SHA256.name} that no current target has, each once it has been superseded
 * for longer than {@code keep}, so a client in the middle of an update still finds the files its (older) snapshot
 * names. A metadata version counts as superseded since the next version was written, a copy since the current copy
 * of its path was written (or, for a path that is no target any more, since it was written itself). Root versions
 * are never removed: clients walk them. {@link TrustPublisher} calls it at the end of a publication, under its lock.
 * Reads and deletes in the bucket.
 */
public final class SupersededFiles {

    private static final Logger LOG = LoggerFactory.getLogger(SupersededFiles.class);
    private static final Pattern METADATA = Pattern.compile("(\\d+)\\.(.+)\\.json");
    private static final Pattern COPY = Pattern.compile("(.*/)?([0-9a-f]{64})\\.([^/]+)");

    private final TrustRepository repository;
    private final String metadataPrefix;
    private final S3Client s3;
    private final String bucket;
    private final Duration keep;
    private final Clock clock;

    /** @param metadataPrefix the folder of the metadata in the bucket, e.g. {@code tuf} */
    public SupersededFiles(TrustRepository repository, String metadataPrefix, S3Client s3, String bucket, Duration keep,
                           Clock clock) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.metadataPrefix = Objects.requireNonNull(metadataPrefix, "metadataPrefix");
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.keep = Objects.requireNonNull(keep, "keep");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Deletes the superseded files; answers their keys. */
    public List<String> delete() {
        Map<String, Instant> modified = new HashMap<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> modified.put(o.key(), o.lastModified()));
        List<String> doomed = superseded(modified, clock.instant().minus(keep));
        // one DELETE per object: S3Proxy answers the multi-object delete with 501 for the SDK's checksum header
        for (String key : doomed) {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        }
        if (!doomed.isEmpty()) {
            LOG.info("TUF: deleted {} superseded metadata files and target copies", doomed.size());
        }
        return doomed;
    }

    /** The keys of the listing (key to last modified) superseded before the cutoff. */
    List<String> superseded(Map<String, Instant> modified, Instant cutoff) {
        String prefix = TrustPublisher.metadataKey(metadataPrefix, "");
        List<String> doomed = new ArrayList<>();
        modified.forEach((key, written) -> {
            Instant since;
            if (key.startsWith(prefix)) {
                Matcher m = METADATA.matcher(key.substring(prefix.length()));
                if (!m.matches() || m.group(2).equals(TrustRepository.ROOT)) {
                    return;
                }
                Metadata current = repository.metadata(m.group(2));
                int version = Integer.parseInt(m.group(1));
                if (current != null && version >= current.version()) {
                    return;
                }
                since = current == null ? written
                        : modified.get(TrustPublisher.metadataKey(metadataPrefix, (version + 1) + "." + m.group(2) + ".json"));
            } else {
                Matcher m = COPY.matcher(key);
                if (!m.matches()) {
                    return;
                }
                String path = (m.group(1) == null ? "" : m.group(1)) + m.group(3);
                TargetInfo target = repository.target(path);
                if (target != null && target.sha256().equals(m.group(2))) {
                    return;
                }
                since = target == null ? written : modified.get(TrustPublisher.hashedKey(path, target.sha256()));
            }
            if (since != null && since.isBefore(cutoff)) {
                doomed.add(key);
            }
        });
        doomed.sort(null);
        return doomed;
    }
}
