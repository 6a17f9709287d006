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

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bytekeep.distribution.ExportFile;
import io.bytekeep.distribution.ExportUploader;
import io.bytekeep.platform.Problem;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The steps of routes/trust-publish.camel.yaml. In a distribution run, once its archives are in the bucket and
 * before its index files are, {@link #targets} makes every file of the run's export tree (the new index files too) a
 * target (path = object key; length and SHA-256, the {@code cwa-hash} in {@code custom}), plans
 * the update of the {@link TrustRepository} and answers what to upload through the export upload route: the
 * consistent-snapshot copies {@code dir/SHA256.name} of the files (archives, which the uploader puts in parallel),
 * then the metadata files in order, {@code timestamp.json} last. {@link #commit} makes the update the repository's
 * state before the upload: each version number is signed once, and an upload that fails or a process killed in its
 * middle leaves the bucket behind the database, never ahead of it; the next publication then sends every current
 * file again, byte for byte. {@link #refresh} does the same without new targets (expiring timestamp, snapshot, bins).
 *
 * <p>Only new or changed targets get a copy uploaded. One publication at a time (plan, commit, upload):
 * {@link #release} ends it, also after a failure. When the bucket lacks the committed {@code timestamp.json} (a new,
 * emptied or altered bucket), every target copy and every current metadata file is sent again; the uploader skips
 * those the bucket holds with the same hash.
 */
public final class TrustPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(TrustPublisher.class);

    /** Exchange property: the tree of the distribution run (set by routes/distribution-run.camel.yaml). */
    public static final String EXPORT_TREE = "bytekeep.exportTree";
    static final String UPDATE = "bytekeep.trustUpdate";
    private static final String HOLDS_LOCK = "bytekeep.trustLock";

    /**
     * @param enabled        publish TUF metadata at all
     * @param bucket         the export bucket
     * @param metadataPrefix folder of the metadata in the bucket, e.g. {@code tuf}
     * @param lockTimeoutMillis how long a publication waits for the one under way
     */
    public record Settings(boolean enabled, String bucket, String metadataPrefix, long lockTimeoutMillis) {
        public Settings {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(metadataPrefix, "metadataPrefix");
            if (metadataPrefix.startsWith("/") || metadataPrefix.endsWith("/")) {
                throw new IllegalArgumentException("the metadata prefix is a folder name without leading or trailing '/'");
            }
        }
    }

    private final TrustRepository repository;
    private final TrustSigner previousRoot;
    private final S3Client s3;
    private final Settings settings;
    private final Semaphore lock = new Semaphore(1);

    /**
     * @param repository   null when trust publishing is disabled
     * @param previousRoot the key of the current root when a rotation replaces it, else null
     */
    public TrustPublisher(TrustRepository repository, TrustSigner previousRoot, S3Client s3, Settings settings) {
        this.repository = repository;
        this.previousRoot = previousRoot;
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (settings.enabled() && repository == null) {
            throw new IllegalArgumentException("an enabled publisher needs a repository");
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
        return settings.metadataPrefix() + "/" + name;
    }

    /** The object key under which a TUF client fetches the target (consistent snapshots): {@code dir/SHA256.name}. */
    public static String hashedKey(String path, String sha256) {
        int slash = path.lastIndexOf('/');
        return path.substring(0, slash + 1) + sha256 + "." + path.substring(slash + 1);
    }

    /** In a distribution run, after its archives: the files to upload for the tree's targets (see the class comment). */
    public List<ExportFile> targets(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<ExportFile> tree = exchange.getProperty(EXPORT_TREE, List.class);
        if (tree == null) {
            throw new IllegalStateException("no export tree on the exchange (property " + EXPORT_TREE + ")");
        }
        begin(exchange);
        boolean bucketCurrent = bucketIsCurrent();
        Map<String, TargetInfo> targets = new HashMap<>();
        List<ExportFile> uploads = new ArrayList<>();
        for (ExportFile file : tree) {
            // an archive's length and SHA-256 are those of the object the bucket holds (put or kept by this run)
            TargetInfo known = repository.target(file.objectKey());
            TargetInfo info = new TargetInfo(file.size(), file.sha256(), file.cwaHash());
            targets.put(file.objectKey(), info);
            if (!bucketCurrent || !info.equals(known)) {
                uploads.add(new ExportFile(hashedKey(file.objectKey(), info.sha256()), file.content(),
                        file.contentType(), file.cwaHash(), file.kind()));
            }
        }
        TrustRepository.Update update = repository.planAll(targets);
        uploads.addAll(metadataFiles(update, bucketCurrent));
        exchange.setProperty(UPDATE, update);
        return uploads;
    }

    /**
     * The timestamp refresh: the metadata files to upload, empty if nothing nears expiry. Empty too while the bucket
     * is behind the committed state: only a distribution run has the target files to send again, and metadata put
     * before them would name copies that are not there.
     */
    public List<ExportFile> refresh(Exchange exchange) {
        begin(exchange);
        boolean bucketCurrent = bucketIsCurrent();
        if (bucketLacksTargets(bucketCurrent)) {
            LOG.warn("TUF refresh skipped: the export bucket lacks files of the committed publication; the next distribution run sends them again");
            return List.of();
        }
        TrustRepository.Update update = repository.plan(Map.of(), List.of());
        exchange.setProperty(UPDATE, update);
        return metadataFiles(update, bucketCurrent);
    }

    /**
     * Root rotation: the new root (the configured keys, signed by the configured root key and the previous one) and
     * every role whose key changed.
     */
    public List<ExportFile> rotateRoot(Exchange exchange) {
        begin(exchange);
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
        exchange.setProperty(UPDATE, update);
        return metadataFiles(update, bucketCurrent);
    }

    /** Before the upload: the planned update becomes the repository's state (see the class comment). */
    public void commit(Exchange exchange) {
        TrustRepository.Update update = exchange.getProperty(UPDATE, TrustRepository.Update.class);
        if (update != null) {
            repository.commit(update);
        }
    }

    /** After the upload: a summary of the published state. */
    public Map<String, Object> published(Exchange exchange) {
        TrustRepository.Update update = exchange.getProperty(UPDATE, TrustRepository.Update.class);
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

    /** Ends the publication of this exchange (after success or failure); nothing if it holds none. */
    public void release(Exchange exchange) {
        if (Boolean.TRUE.equals(exchange.removeProperty(HOLDS_LOCK))) {
            lock.release();
        }
    }

    private void begin(Exchange exchange) {
        if (!settings.enabled()) {
            throw new IllegalStateException("TUF publishing is disabled (bytekeep.trust.enabled)");
        }
        try {
            if (!lock.tryAcquire(settings.lockTimeoutMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("another TUF publication is still under way");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the TUF publication under way", e);
        }
        exchange.setProperty(HOLDS_LOCK, true);
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
