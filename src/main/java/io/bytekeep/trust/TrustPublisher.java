package io.bytekeep.trust;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bytekeep.platform.Problem;
import io.bytekeep.publication.ExportFile;
import io.bytekeep.publication.ExportUploader;
import io.bytekeep.publication.Publication;
import io.bytekeep.publication.PublishPlan;
import io.bytekeep.publication.PublishResult;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The steps of routes/trust-publish.camel.yaml, each one whole TUF publication under the publication lock, taken and
 * released here (never by the route): plan the update of the {@link TrustRepository}, {@linkplain TrustRepository#commit
 * commit} it, upload its files through routes/export-upload.camel.yaml, delete what it superseded.
 * <ul>
 *   <li>{@link #publishTree}: in a distribution run, once its archives are in the bucket and before its index files
 *       are, every file of the run's export tree (the new index files too) becomes a target (path = object key;
 *       length and SHA-256, the {@code cwa-hash} in {@code custom});</li>
 *   <li>{@link #refresh}: the same without new targets (expiring timestamp, snapshot, bins);</li>
 *   <li>{@link #rotateRoot}: a new root version and every role whose key changed.</li>
 * </ul>
 * The publish plan: the consistent-snapshot copies {@code dir/SHA256.name} of the new or changed targets, in
 * parallel (a copy in the bucket for an archive), then the metadata files one after the other, {@code timestamp.json}
 * last; a publication of its own ({@link Publication}: its own failure counter and counts). The update is committed
 * before the upload: each version number is signed once, and an upload that fails or a process killed in its middle
 * leaves the bucket behind the database, never ahead of it; the next publication then sends every current file again,
 * byte for byte (when the bucket lacks the committed {@code timestamp.json}: a new, emptied or altered bucket; the
 * uploader skips those the bucket holds with the same hash). This class reads the bucket (a HEAD of
 * {@code timestamp.json}, a listing when it is not current).
 */
public final class TrustPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(TrustPublisher.class);

    /**
     * @param enabled             publish TUF metadata at all
     * @param bucket              the export bucket
     * @param metadataPrefix      folder of the metadata in the bucket, e.g. {@code tuf}
     * @param lockTimeoutMillis   how long a publication waits for the one under way
     * @param maxFailedOperations failed upload operations after which a publication's upload stops
     */
    public record Settings(boolean enabled, String bucket, String metadataPrefix, long lockTimeoutMillis,
                           int maxFailedOperations) {
        public Settings {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(metadataPrefix, "metadataPrefix");
            if (metadataPrefix.startsWith("/") || metadataPrefix.endsWith("/")) {
                throw new IllegalArgumentException("the metadata prefix is a folder name without leading or trailing '/'");
            }
        }
    }

    /** What one publication signs and uploads: the planned update and its publish plan. */
    private record Planned(TrustRepository.Update update, PublishPlan plan) {
    }

    private final TrustRepository repository;
    private final TrustSigner previousRoot;
    private final S3Client s3;
    private final Function<PublishPlan, PublishResult> upload;
    private final SupersededFiles superseded;
    private final Settings settings;
    private final Semaphore lock = new Semaphore(1);

    /**
     * @param repository   null when trust publishing is disabled
     * @param previousRoot the key of the current root when a rotation replaces it, else null
     * @param upload       uploads a plan (routes/export-upload.camel.yaml) and answers what it did
     * @param superseded   deletes what a publication superseded; null when disabled
     */
    public TrustPublisher(TrustRepository repository, TrustSigner previousRoot, S3Client s3,
                          Function<PublishPlan, PublishResult> upload, SupersededFiles superseded, Settings settings) {
        this.repository = repository;
        this.previousRoot = previousRoot;
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.upload = Objects.requireNonNull(upload, "upload");
        this.superseded = superseded;
        this.settings = Objects.requireNonNull(settings, "settings");
        if (settings.enabled() && (repository == null || superseded == null)) {
            throw new IllegalArgumentException("an enabled publisher needs a repository and its superseded files");
        }
    }

    public boolean isEnabled() {
        return settings.enabled();
    }

    public TrustRepository repository() {
        return repository;
    }

    /** The object key of a metadata file. */
    public String metadataKey(String name) {
        return metadataKey(settings.metadataPrefix(), name);
    }

    static String metadataKey(String prefix, String name) {
        return prefix + "/" + name;
    }

    /** The object key under which a TUF client fetches the target (consistent snapshots): {@code dir/SHA256.name}. */
    public static String hashedKey(String path, String sha256) {
        int slash = path.lastIndexOf('/');
        return path.substring(0, slash + 1) + sha256 + "." + path.substring(slash + 1);
    }

    /**
     * In a distribution run, after its archives and before its index files: the TUF publication of the whole tree
     * (the body), then the superseded files deleted. Every archive of the tree must be in the bucket (its length and
     * SHA-256 are what the bucket holds), and none of its index files yet (they name the new tree: a TUF client must
     * be able to verify it by then); else the run route's steps are out of order and this fails.
     */
    public Map<String, Object> publishTree(List<ExportFile> tree) {
        Objects.requireNonNull(tree, "the export tree");
        List<String> notStored = tree.stream().filter(file -> file.isArchive() && file.content().storedAt() == null)
                .map(ExportFile::objectKey).limit(5).toList();
        if (!notStored.isEmpty()) {
            throw new IllegalStateException("TUF names only archives the bucket holds; not there yet: " + notStored
                    + ": upload the tree's archives first");
        }
        List<String> early = tree.stream().filter(file -> !file.isArchive() && file.content().storedAt() != null)
                .map(ExportFile::objectKey).limit(5).toList();
        if (!early.isEmpty()) {
            throw new IllegalStateException("the TUF metadata goes before the index files that name the new tree; "
                    + "already uploaded: " + early);
        }
        return publish(() -> planTree(tree), true);
    }

    /**
     * The timestamp refresh, then the superseded files deleted. Nothing is uploaded if nothing nears expiry, nor
     * while the bucket is behind the committed state: only a distribution run has the target files to send again, and
     * metadata put before them would name copies that are not there.
     */
    public Map<String, Object> refresh() {
        return publish(() -> {
            boolean bucketCurrent = bucketIsCurrent();
            if (bucketLacksTargets(bucketCurrent)) {
                LOG.warn("TUF refresh skipped: the export bucket lacks files of the committed publication; the next distribution run sends them again");
                return null;
            }
            return planned(repository.plan(Map.of(), List.of()), List.of(), bucketCurrent);
        }, true);
    }

    /**
     * Root rotation: the new root (the configured keys, signed by the configured root key and the previous one) and
     * every role whose key changed.
     */
    public Map<String, Object> rotateRoot() {
        return publish(() -> {
            boolean bucketCurrent = bucketIsCurrent();
            if (bucketLacksTargets(bucketCurrent)) {
                throw Problem.unavailable("the export bucket lacks files of the committed TUF publication; rotate the root after "
                        + "the next distribution run has sent them again", null);
            }
            TrustRepository.Update update;
            try {
                update = repository.planRootRotation(previousRoot);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw Problem.unprocessable("cannot rotate the root: " + e.getMessage());
            }
            return planned(update, List.of(), bucketCurrent);
        }, false);
    }

    /**
     * One publication under the lock, released here whatever happens: plan (null: nothing to publish), commit,
     * upload ({@link PublishResult.Failed} unless every file is in the bucket), the superseded files deleted.
     */
    private Map<String, Object> publish(Supplier<Planned> planner, boolean deleteSuperseded) {
        if (!settings.enabled()) {
            throw new IllegalStateException("TUF publishing is disabled (bytekeep.trust.enabled)");
        }
        acquire();
        try {
            Planned planned = planner.get();
            TrustRepository.Update update = planned == null ? null : planned.update();
            if (planned != null) {
                repository.commit(update);
                PublishResult result = upload.apply(planned.plan());
                if (!result.succeeded()) {
                    throw new PublishResult.Failed(result);
                }
            }
            Map<String, Object> summary = published(update);
            if (deleteSuperseded) {
                superseded.delete();
            }
            return summary;
        } finally {
            lock.release();
        }
    }

    private void acquire() {
        try {
            if (!lock.tryAcquire(settings.lockTimeoutMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("another TUF publication is still under way");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the TUF publication under way", e);
        }
    }

    /** The tree's targets, the update to them, and the copies of the new or changed ones then the metadata. */
    private Planned planTree(List<ExportFile> tree) {
        boolean bucketCurrent = bucketIsCurrent();
        Map<String, TargetInfo> targets = new HashMap<>();
        List<ExportFile> copies = new ArrayList<>();
        for (ExportFile file : tree) {
            // an archive's length and SHA-256 are those of the object the bucket holds (put or kept by this run)
            TargetInfo known = repository.target(file.objectKey());
            TargetInfo info = new TargetInfo(file.size(), file.sha256(), file.cwaHash());
            targets.put(file.objectKey(), info);
            if (!bucketCurrent || !info.equals(known)) {
                copies.add(new ExportFile(hashedKey(file.objectKey(), info.sha256()), file.content(),
                        file.contentType(), file.cwaHash(), file.kind()));
            }
        }
        return planned(repository.planAll(targets), copies, bucketCurrent);
    }

    /** The publish plan: the target copies in parallel, then the metadata one after the other. */
    private Planned planned(TrustRepository.Update update, List<ExportFile> copies, boolean bucketCurrent) {
        PublishPlan plan = new Publication(settings.maxFailedOperations()).plan(
                PublishPlan.Batch.parallel("TUF target copies", copies),
                PublishPlan.Batch.inOrder("TUF metadata", metadataFiles(update, bucketCurrent)));
        return new Planned(update, plan);
    }

    /** A summary of the published state. */
    private Map<String, Object> published(TrustRepository.Update update) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("signed", update == null ? 0 : update.signedRoles().size());
        summary.put("root", repository.root().version());
        summary.put("snapshot", repository.metadata(TrustRepository.SNAPSHOT).version());
        summary.put("timestamp", repository.metadata(TrustRepository.TIMESTAMP).version());
        summary.put("targets", repository.size());
        if (update != null && !update.isEmpty()) {
            LOG.info("TUF metadata published: {} role(s) signed, snapshot {}, timestamp {}, {} targets",
                    summary.get("signed"), summary.get("snapshot"), summary.get("timestamp"), summary.get("targets"));
        }
        return summary;
    }

    /**
     * Whether nothing of the TUF publication is missing from the bucket (always, with the publication off): a
     * distribution run that finds its tree unchanged may then leave the bucket as it is.
     */
    public boolean isCompleteInBucket() {
        return !settings.enabled() || bucketIsCurrent();
    }

    /**
     * True if the bucket holds the committed {@code timestamp.json}, and so (the timestamp goes last) every file of
     * the committed state; false for a new, emptied or altered bucket.
     */
    private boolean bucketIsCurrent() {
        Metadata timestamp = repository.metadata(TrustRepository.TIMESTAMP);
        boolean current = timestamp != null
                && ExportFile.md5Hex(timestamp.bytes()).equals(ExportUploader.storedCwaHash(s3, settings.bucket(), metadataKey("timestamp.json")));
        if (timestamp != null && !current) {
            LOG.info("The export bucket lacks the current TUF metadata: sending all of it and every target again");
        }
        return current;
    }

    /**
     * True if the bucket, not current, lacks the copy of a committed target: a publication was committed but not all
     * of it put. Only a distribution run has those files; metadata sent without them would name copies that are not
     * there. (A bucket whose metadata alone was lost or altered gets the metadata again.)
     */
    private boolean bucketLacksTargets(boolean bucketCurrent) {
        if (bucketCurrent || repository.size() == 0) {
            return false;
        }
        Set<String> keys = new HashSet<>();
        s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket())).contents().forEach(object -> keys.add(object.key()));
        return repository.targets().entrySet().stream()
                .anyMatch(target -> !keys.contains(hashedKey(target.getKey(), target.getValue().sha256())));
    }

    /** The update's files; after them every current file if the bucket is not current. */
    private List<ExportFile> metadataFiles(TrustRepository.Update update, boolean bucketCurrent) {
        Map<String, TrustRepository.MetadataFile> files = new LinkedHashMap<>();
        if (!bucketCurrent) {
            repository.files().forEach(file -> files.put(file.name(), file));
        }
        for (TrustRepository.MetadataFile file : update.files()) {
            files.remove(file.name());
            files.put(file.name(), file);
        }
        return files.values().stream()
                .map(file -> ExportFile.index(metadataKey(file.name()), file.bytes(), ExportFile.APPLICATION_JSON))
                .toList();
    }
}
