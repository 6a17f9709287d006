package io.bytekeep.vault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import io.bytekeep.platform.storage.ResumableListing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The orphan sweep of the raw bucket. An object raw/&lt;organization&gt;/&lt;raw id&gt; (an imported file's:
 * raw/&lt;organization&gt;/&lt;raw id&gt;.&lt;attempt id&gt;) or a pack ({@link RawPacker#packKey}, or packs/&lt;pack id&gt;
 * as packs were stored before) that no raw_file row records as its storage key is what a process killed between the object write and the commit leaves, or
 * uploads whose commit failed or whose outcome was unknown. Once older than the minimum age it is moved to quarantine/&lt;key&gt;; a quarantined object goes back when
 * its row appears and is deleted once its quarantine copy is older than the quarantine period. Other keys are left
 * alone.
 *
 * <p>A sweep lists raw/, packs/, quarantine/raw/ and quarantine/packs/, page by page, at most {@code maxObjectsPerSweep}
 * keys, and the next sweep goes on after the last key listed; after the last prefix it starts again at raw/
 * ({@link ResumableListing}).
 * Several instances may sweep at the same time: each step is repeatable, and an object another instance moved
 * meanwhile is skipped.
 */
public class RawOrphanSweeper {

    /** What one sweep did. */
    public record Sweep(int quarantined, int restored, int deleted) {

        static final Sweep NOTHING = new Sweep(0, 0, 0);

        Sweep plus(Sweep other) {
            return new Sweep(quarantined + other.quarantined, restored + other.restored, deleted + other.deleted);
        }
    }

    /** A listed object under raw/, packs/ or quarantine/, and the key it has (had) outside quarantine/. */
    private record RawObject(S3Object object, String rawKey) {

        String key() {
            return object.key();
        }
    }

    private static final String RAW = "raw/";
    private static final String QUARANTINE = "quarantine/";
    private static final String PACKS = RawPacker.PACKS;
    private static final Logger LOG = LoggerFactory.getLogger(RawOrphanSweeper.class);

    private final S3Client s3;
    private final ObjectCopier copier;
    private final NamedParameterJdbcTemplate jdbc;
    private final String bucket;
    private final ResumableListing listing;
    private final Duration minAge;
    private final Duration quarantinePeriod;
    private final Clock clock;
    private final Counter quarantinedTotal;
    private final Counter restoredTotal;
    private final Counter deletedTotal;

    public RawOrphanSweeper(S3Client s3, ObjectCopier copier, JdbcTemplate jdbc, String bucket, Duration minAge,
                            Duration quarantinePeriod, int maxObjectsPerSweep, Clock clock, MeterRegistry meters) {
        this.s3 = s3;
        this.copier = copier;
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
        this.bucket = bucket;
        this.listing = new ResumableListing(s3, bucket, List.of(RAW, PACKS, QUARANTINE + RAW, QUARANTINE + PACKS),
                maxObjectsPerSweep);
        this.minAge = minAge;
        this.quarantinePeriod = quarantinePeriod;
        this.clock = clock;
        this.quarantinedTotal = Counter.builder("bytekeep.orphan.quarantined")
                .description("Raw objects without a raw_file row moved to quarantine/").register(meters);
        this.restoredTotal = Counter.builder("bytekeep.orphan.restored")
                .description("Quarantined raw objects moved back because their raw_file row appeared").register(meters);
        this.deletedTotal = Counter.builder("bytekeep.orphan.deleted")
                .description("Quarantined raw objects deleted after the quarantine period").register(meters);
    }

    public synchronized Sweep sweep() {
        Instant now = clock.instant();
        Sweep sweep = listing.walk((prefix, page) -> {
            Sweep done = prefix.startsWith(QUARANTINE) ? settleQuarantined(page, now) : quarantineOrphans(page, now);
            quarantinedTotal.increment(done.quarantined());
            restoredTotal.increment(done.restored());
            deletedTotal.increment(done.deleted());
            return done;
        }).stream().reduce(Sweep.NOTHING, Sweep::plus);
        if (!sweep.equals(Sweep.NOTHING)) {
            LOG.info("Orphan sweep of bucket {}: {} object(s) quarantined, {} restored, {} deleted after the quarantine "
                    + "period", bucket, sweep.quarantined(), sweep.restored(), sweep.deleted());
        }
        return sweep;
    }

    /** Copies the orphans of one raw/ or packs/ page to quarantine/, then deletes each original that still has no row. */
    private Sweep quarantineOrphans(List<S3Object> page, Instant now) {
        Instant youngest = now.minus(minAge);
        List<RawObject> orphans = new ArrayList<>();
        for (S3Object object : page) {
            if (sweepable(object.key()) && object.lastModified().isBefore(youngest)) {
                orphans.add(new RawObject(object, object.key()));
            }
        }
        Set<String> recorded = recorded(orphans);
        orphans.removeIf(orphan -> recorded.contains(orphan.rawKey()));
        orphans.removeIf(orphan -> !attempt("copy to quarantine", orphan.key(),
                () -> copier.copy(bucket, orphan.key(), QUARANTINE + orphan.key(), orphan.object().size())));
        Set<String> recordedMeanwhile = recorded(orphans);
        int quarantined = 0;
        for (RawObject orphan : orphans) {
            S3Object object = orphan.object();
            String quarantineKey = QUARANTINE + orphan.key();
            if (recordedMeanwhile.contains(orphan.rawKey())) {
                attempt("delete the quarantine copy of a recorded object", quarantineKey, () -> delete(quarantineKey));
            } else if (attempt("delete after quarantining", orphan.key(), () -> delete(orphan.key()))) {
                LOG.warn("Quarantined object {}/{} ({} bytes, ETag {}, last modified {}) as {}/{}: it has no raw_file row, "
                        + "so its upload was never recorded. It is deleted once bytekeep.orphan-sweep.quarantine-period "
                        + "({}) has passed, unless a raw_file row with storage key {} appears; then it is moved back", bucket,
                        orphan.key(), object.size(), object.eTag(), object.lastModified(), bucket, quarantineKey,
                        quarantinePeriod, orphan.rawKey());
                quarantined++;
            }
        }
        return new Sweep(quarantined, 0, 0);
    }

    /** Moves back the quarantined objects of one page whose row appeared; deletes those quarantined for too long. */
    private Sweep settleQuarantined(List<S3Object> page, Instant now) {
        Instant expired = now.minus(quarantinePeriod);
        List<RawObject> quarantined = new ArrayList<>();
        for (S3Object object : page) {
            String rawKey = object.key().substring(QUARANTINE.length());
            if (sweepable(rawKey)) {
                quarantined.add(new RawObject(object, rawKey));
            }
        }
        Set<String> recorded = recorded(quarantined);
        int restored = 0;
        int deleted = 0;
        for (RawObject entry : quarantined) {
            S3Object object = entry.object();
            String originalKey = entry.rawKey();
            if (recorded.contains(originalKey)) {
                if (attempt("restore", entry.key(), () -> restore(object, originalKey))) {
                    LOG.warn("Restored object {}/{} from {}/{}: its raw_file row appeared", bucket, originalKey, bucket,
                            entry.key());
                    restored++;
                }
            } else if (object.lastModified().isBefore(expired) && attempt("delete", entry.key(), () -> delete(entry.key()))) {
                LOG.warn("Deleted quarantined object {}/{} ({} bytes, ETag {}, quarantined {}): no raw_file row with key {} "
                        + "appeared within bytekeep.orphan-sweep.quarantine-period ({}). A backup of {}/{} is now the only "
                        + "way to restore it", bucket, entry.key(), object.size(), object.eTag(), object.lastModified(),
                        originalKey, quarantinePeriod, bucket, originalKey);
                deleted++;
            }
        }
        return new Sweep(0, restored, deleted);
    }

    private void restore(S3Object quarantined, String originalKey) {
        copier.copy(bucket, quarantined.key(), originalKey, quarantined.size());
        delete(quarantined.key());
    }

    private void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    /** Runs one step on one object; a failure leaves the object for the next sweep over it. */
    private boolean attempt(String step, String key, Runnable action) {
        try {
            action.run();
            return true;
        } catch (NoSuchKeyException movedByAnotherInstance) {
            return false;
        } catch (SdkException e) {
            LOG.error("Orphan sweep could not {} {}/{}; the next sweep over it tries again", step, bucket, key, e);
            return false;
        }
    }

    /**
     * The keys (outside quarantine/) of {@code objects} that a raw_file row records as its storage key: one query, on
     * the storage key's index. By key, not by raw id: an imported raw id can have objects of several attempts, and only
     * the committed one is not an orphan; a pack has the rows of many files.
     */
    private Set<String> recorded(List<RawObject> objects) {
        if (objects.isEmpty()) {
            return Set.of();
        }
        List<String> keys = objects.stream().map(RawObject::rawKey).distinct().toList();
        return new HashSet<>(jdbc.queryForList("select distinct storage_key from raw_file where storage_key in (:keys)",
                Map.of("keys", keys), String.class));
    }

    /** Whether the sweep looks after the object: a raw file's own object or a pack; other keys are left alone. */
    static boolean sweepable(String key) {
        return rawId(key) != null || packId(key) != null;
    }

    /** The id of a pack's key, packs/&lt;shard&gt;/&lt;pack id&gt; or packs/&lt;pack id&gt;; null for any other key. */
    static UUID packId(String key) {
        if (!key.startsWith(PACKS)) {
            return null;
        }
        UUID unsharded = canonicalUuid(key.substring(PACKS.length()));
        if (unsharded != null) {
            return unsharded;
        }
        UUID sharded = canonicalUuid(key.substring(key.lastIndexOf('/') + 1));
        return sharded != null && key.equals(RawPacker.packKey(sharded)) ? sharded : null;
    }

    /** The raw id of a key raw/&lt;organization&gt;/&lt;raw id&gt;[.&lt;attempt id&gt;], null for any other key. */
    static UUID rawId(String key) {
        String[] parts = key.split("/", -1);
        if (parts.length != 3 || !parts[0].equals("raw") || parts[1].isEmpty()) {
            return null;
        }
        String[] name = parts[2].split("\\.", -1);
        if (name.length > 2 || (name.length == 2 && canonicalUuid(name[1]) == null)) {
            return null;
        }
        return canonicalUuid(name[0]);
    }

    private static UUID canonicalUuid(String text) {
        try {
            UUID uuid = UUID.fromString(text);
            return uuid.toString().equals(text) ? uuid : null;
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }
}
