package io.bytekeep.vault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import io.bytekeep.platform.storage.ListingPosition;
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
 * as packs were stored before) that no raw_file row records as its storage key is what a process killed between the
 * object write and the commit leaves, or uploads whose commit failed or whose outcome was unknown. Once older than the
 * minimum age it is moved to quarantine/&lt;key&gt;; a quarantined object goes back when its row appears and is deleted
 * once its quarantine copy is older than the quarantine period. Other keys are left alone.
 *
 * <p>A sweep first settles the intent rows of packs ({@link PackIntents}) older than the minimum age: a pack written
 * since they were introduced is found through its row, so a new orphan needs no listing. Then it lists raw/, packs/,
 * quarantine/raw/ and quarantine/packs/, page by page, at most {@code maxObjectsPerSweep} keys, and the next sweep goes
 * on after the last key listed; after the last prefix it starts again at raw/ ({@link ResumableListing}). That place is
 * kept in the database, so a round finishes across restarts and instances share it. The listing finds what has no
 * row: raw files' own objects, packs written before intent rows, objects left after a database was restored from a
 * backup, and quarantined objects.
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
    private static final int INTENT_PAGE = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(RawOrphanSweeper.class);

    private final S3Client s3;
    private final ObjectCopier copier;
    private final NamedParameterJdbcTemplate jdbc;
    private final String bucket;
    private final ResumableListing listing;
    private final int maxObjectsPerSweep;
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
                maxObjectsPerSweep, new ListingPosition(jdbc, "orphan-sweep:" + bucket, clock));
        this.maxObjectsPerSweep = maxObjectsPerSweep;
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
        Sweep intents = counted(settleIntents(now));
        Sweep sweep = listing.walk((prefix, page) -> counted(prefix.startsWith(QUARANTINE) ? settleQuarantined(page, now)
                : quarantineOrphans(listed(page), now).sweep())).stream().reduce(intents, Sweep::plus);
        if (!sweep.equals(Sweep.NOTHING)) {
            LOG.info("Orphan sweep of bucket {}: {} object(s) quarantined, {} restored, {} deleted after the quarantine "
                    + "period", bucket, sweep.quarantined(), sweep.restored(), sweep.deleted());
        }
        return sweep;
    }

    private Sweep counted(Sweep done) {
        quarantinedTotal.increment(done.quarantined());
        restoredTotal.increment(done.restored());
        deletedTotal.increment(done.deleted());
        return done;
    }

    /**
     * Settles the intent rows of the raw bucket older than the minimum age ({@link PackIntents}), oldest first, at most
     * {@code maxObjectsPerSweep} of them: a row whose object does not exist (never written, or removed when its uploads
     * failed) is dropped; any other object is handled as a listed one is (quarantined once older than the minimum age
     * unless a file records it), and its row is dropped once it is quarantined or found recorded. A row whose step
     * failed, or whose object is younger, stays for the next sweep.
     */
    private Sweep settleIntents(Instant now) {
        Instant cutoff = now.minus(minAge);
        Sweep settled = Sweep.NOTHING;
        Intent after = null;
        int budget = maxObjectsPerSweep;
        while (budget > 0) {
            List<Intent> page = intentsAfter(after, cutoff, Math.min(INTENT_PAGE, budget));
            if (page.isEmpty()) {
                break;
            }
            budget -= page.size();
            after = page.get(page.size() - 1);
            // a recorded pack's row went in its files' transaction, so these are packs without files (quarantineOrphans
            // still looks their keys up in raw_file: files may be recorded meanwhile)
            Set<String> done = new HashSet<>();
            List<RawObject> written = new ArrayList<>();
            for (Intent intent : page) {
                S3Object object = existing(intent.key());
                if (object == null) {
                    done.add(intent.key());
                } else {
                    written.add(new RawObject(object, intent.key()));
                }
            }
            Quarantine quarantine = quarantineOrphans(written, now);
            done.addAll(quarantine.settled());
            if (!done.isEmpty()) {
                jdbc.update("delete from raw_object_intent where bucket = :bucket and storage_key in (:keys)",
                        Map.of("bucket", bucket, "keys", done));
            }
            settled = settled.plus(quarantine.sweep());
        }
        return settled;
    }

    /** An intent row of the raw bucket: where a pack was (to be) written, and when the row was made. */
    private record Intent(String key, Instant createdAt) {
    }

    /** The intent rows of the raw bucket made before {@code cutoff}, after {@code after} in (created_at, key) order. */
    private List<Intent> intentsAfter(Intent after, Instant cutoff, int limit) {
        String sql = "select storage_key, created_at from raw_object_intent where bucket = :bucket and created_at < :cutoff"
                + (after == null ? "" : " and (created_at > :at or (created_at = :at and storage_key > :key))")
                + " order by created_at, storage_key limit :limit";
        Map<String, Object> parameters = new HashMap<>(Map.of("bucket", bucket, "cutoff", VaultRows.timestamp(cutoff),
                "limit", limit));
        if (after != null) {
            parameters.put("at", VaultRows.timestamp(after.createdAt()));
            parameters.put("key", after.key());
        }
        return jdbc.query(sql, parameters, (rs, row) -> new Intent(rs.getString("storage_key"),
                VaultRows.instant(rs, "created_at")));
    }

    /** The object under {@code key} as a listing would show it; null when there is none. */
    private S3Object existing(String key) {
        try {
            var head = s3.headObject(b -> b.bucket(bucket).key(key));
            return S3Object.builder().key(key).size(head.contentLength()).eTag(head.eTag())
                    .lastModified(head.lastModified()).build();
        } catch (NoSuchKeyException none) {
            return null;
        }
    }

    private static List<String> rawKeys(List<RawObject> objects) {
        return objects.stream().map(RawObject::rawKey).toList();
    }

    private static List<RawObject> listed(List<S3Object> page) {
        return page.stream().map(object -> new RawObject(object, object.key())).toList();
    }

    /** What quarantining some objects did, and which of them need no further look (quarantined, or recorded). */
    private record Quarantine(Sweep sweep, List<String> settled) {
    }

    /** Copies the orphans among {@code objects} to quarantine/, then deletes each original that still has no row. */
    private Quarantine quarantineOrphans(List<RawObject> objects, Instant now) {
        Instant youngest = now.minus(minAge);
        List<RawObject> orphans = new ArrayList<>();
        for (RawObject object : objects) {
            if (sweepable(object.key()) && object.object().lastModified().isBefore(youngest)) {
                orphans.add(object);
            }
        }
        Set<String> recorded = recorded(rawKeys(orphans));
        List<String> settled = new ArrayList<>(recorded);
        orphans.removeIf(orphan -> recorded.contains(orphan.rawKey()));
        orphans.removeIf(orphan -> !attempt("copy to quarantine", orphan.key(),
                () -> copier.copy(bucket, orphan.key(), QUARANTINE + orphan.key(), orphan.object().size())));
        Set<String> recordedMeanwhile = recorded(rawKeys(orphans));
        int quarantined = 0;
        for (RawObject orphan : orphans) {
            S3Object object = orphan.object();
            String quarantineKey = QUARANTINE + orphan.key();
            if (recordedMeanwhile.contains(orphan.rawKey())) {
                attempt("delete the quarantine copy of a recorded object", quarantineKey, () -> delete(quarantineKey));
                settled.add(orphan.rawKey());
            } else if (attempt("delete after quarantining", orphan.key(), () -> delete(orphan.key()))) {
                settled.add(orphan.rawKey());
                LOG.warn("Quarantined object {}/{} ({} bytes, ETag {}, last modified {}) as {}/{}: it has no raw_file row, "
                        + "so its upload was never recorded. It is deleted once bytekeep.orphan-sweep.quarantine-period "
                        + "({}) has passed, unless a raw_file row with storage key {} appears; then it is moved back", bucket,
                        orphan.key(), object.size(), object.eTag(), object.lastModified(), bucket, quarantineKey,
                        quarantinePeriod, orphan.rawKey());
                quarantined++;
            }
        }
        return new Quarantine(new Sweep(quarantined, 0, 0), settled);
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
        Set<String> recorded = recorded(rawKeys(quarantined));
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
    private Set<String> recorded(List<String> keys) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList("select distinct storage_key from raw_file where storage_key in (:keys)",
                Map.of("keys", keys.stream().distinct().toList()), String.class));
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
