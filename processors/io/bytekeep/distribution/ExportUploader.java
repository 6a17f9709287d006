package io.bytekeep.distribution;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Publishes the tree of one distribution run ({@link ExportTreeBuilder#build}) to the export bucket, as CWA's
 * S3 publisher does: an object whose {@code cwa-hash} user metadata (read with a HEAD, not from a local cache) equals
 * the file's hash is skipped, the others are put with their content type, {@code Cache-Control: max-age=N}, the
 * {@code cwa-hash} and, if configured, the {@code public-read} canned ACL.
 * <p>
 * <b>Order.</b> The archives go first, in parallel on {@link Settings#threads()} threads; the index files only after
 * every archive is there, one after the other in list order (deepest first), so a reader never sees an index entry
 * before its archive.
 * <p>
 * <b>Failures.</b> One operation is the HEAD and the put of one file. A failed operation is tried again
 * {@link Settings#retryAttempts()} times, {@link Settings#retryBackoffMillis()} apart; an operation that still fails
 * counts as failed. Once {@link Settings#maxFailedOperations()} operations have failed no further archive is started.
 * If any archive failed, no index file is uploaded (an index must not name a missing archive); a failed index file
 * stops the index files after it. Objects already uploaded stay: each is complete and valid, and the next run skips
 * them by their hash. The outcome is in the {@link Result}; this class throws nothing for a failed upload.
 */
public final class ExportUploader {

    private static final Logger LOG = LoggerFactory.getLogger(ExportUploader.class);

    /** The user metadata key of the hash ({@code x-amz-meta-cwa-hash}). */
    public static final String CWA_HASH = "cwa-hash";

    /**
     * @param bucket              the export bucket
     * @param cacheMaxAgeSeconds  {@code Cache-Control: max-age=} of every object (CWA: 300)
     * @param publicRead          put with the canned ACL {@code public-read}
     * @param threads             archives uploaded in parallel
     * @param retryAttempts       retries of a failed operation (CWA: 3)
     * @param retryBackoffMillis  pause before each retry (CWA: 2000)
     * @param maxFailedOperations failed operations after which the run aborts (CWA: 5)
     */
    public record Settings(String bucket, int cacheMaxAgeSeconds, boolean publicRead, int threads, int retryAttempts,
                           long retryBackoffMillis, int maxFailedOperations) {
        public Settings {
            Objects.requireNonNull(bucket, "bucket");
            if (threads < 1 || retryAttempts < 0 || retryBackoffMillis < 0 || maxFailedOperations < 1
                    || cacheMaxAgeSeconds < 0) {
                throw new IllegalArgumentException("invalid upload settings: threads >= 1, retryAttempts >= 0, "
                        + "retryBackoffMillis >= 0, maxFailedOperations >= 1, cacheMaxAgeSeconds >= 0");
            }
        }
    }

    /**
     * What an upload did.
     *
     * @param archives         archives in the tree
     * @param indexes          index files in the tree
     * @param uploaded         objects put
     * @param skipped          objects already there with the same hash
     * @param bytes            bytes put
     * @param retries          retries of failed operations
     * @param failedOperations operations that failed after all retries
     * @param failedKeys       their object keys
     * @param notAttempted     files not tried (after the abort, or indexes held back)
     * @param aborted          whether the run stopped at the threshold of failed operations
     */
    public record Result(int archives, int indexes, int uploaded, int skipped, long bytes, int retries,
                         int failedOperations, List<String> failedKeys, int notAttempted, boolean aborted) {
        public Result {
            failedKeys = List.copyOf(failedKeys);
        }

        /** True if every file of the tree is in the bucket. */
        public boolean succeeded() {
            return failedOperations == 0 && notAttempted == 0;
        }
    }

    private enum Outcome { UPLOADED, SKIPPED }

    private final S3Client s3;
    private final Settings settings;

    public ExportUploader(S3Client s3, Settings settings) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Settings settings() {
        return settings;
    }

    /** Uploads the tree in the order described in the class comment. */
    public Result upload(List<ExportFile> tree) {
        Run run = new Run();
        List<ExportFile> archives = tree.stream().filter(ExportFile::isArchive).toList();
        List<ExportFile> indexes = tree.stream().filter(file -> !file.isArchive()).toList();

        ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.threads(), Math.max(1, archives.size())),
                runnable -> {
                    Thread thread = new Thread(runnable, "export-upload");
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (ExportFile archive : archives) {
                futures.add(pool.submit(() -> run.uploadUnlessAborted(archive)));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("an archive upload failed unexpectedly", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while uploading the archives", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }

        if (run.failed.get() > 0) {
            LOG.warn("{} archive upload(s) failed: none of the {} index files is uploaded in this run",
                    run.failed.get(), indexes.size());
            run.notAttempted.addAndGet(indexes.size());
        } else {
            for (int i = 0; i < indexes.size(); i++) {
                if (!run.uploadCounted(indexes.get(i))) {
                    run.notAttempted.addAndGet(indexes.size() - i - 1);
                    break;
                }
            }
        }
        return new Result(archives.size(), indexes.size(), run.uploaded.get(), run.skipped.get(), run.bytes.get(),
                run.retries.get(), run.failed.get(), run.failedKeys, run.notAttempted.get(),
                run.failed.get() >= settings.maxFailedOperations());
    }

    /** The counters of one upload. */
    private final class Run {
        final AtomicInteger uploaded = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
        final AtomicInteger retries = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger notAttempted = new AtomicInteger();
        final List<String> failedKeys = Collections.synchronizedList(new ArrayList<>());

        void uploadUnlessAborted(ExportFile file) {
            if (failed.get() >= settings.maxFailedOperations()) {
                notAttempted.incrementAndGet();
                return;
            }
            uploadCounted(file);
        }

        /** True if the file is in the bucket afterwards. */
        boolean uploadCounted(ExportFile file) {
            try {
                Outcome outcome = withRetries(file);
                if (outcome == Outcome.UPLOADED) {
                    uploaded.incrementAndGet();
                    bytes.addAndGet(file.bytes().length);
                } else {
                    skipped.incrementAndGet();
                }
                return true;
            } catch (SdkException e) {
                int count = failed.incrementAndGet();
                failedKeys.add(file.objectKey());
                LOG.warn("Upload of {} failed after {} retries ({} of at most {} failed operations): {}",
                        file.objectKey(), settings.retryAttempts(), count, settings.maxFailedOperations(),
                        e.getMessage());
                return false;
            }
        }

        private Outcome withRetries(ExportFile file) {
            for (int attempt = 0; ; attempt++) {
                try {
                    return uploadOnce(file);
                } catch (SdkException e) {
                    if (attempt >= settings.retryAttempts()) {
                        throw e;
                    }
                    retries.incrementAndGet();
                    LOG.debug("Upload of {} failed (attempt {}), retrying in {} ms: {}", file.objectKey(),
                            attempt + 1, settings.retryBackoffMillis(), e.getMessage());
                    pause();
                }
            }
        }

        private void pause() {
            try {
                Thread.sleep(settings.retryBackoffMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SdkException.create("interrupted before a retry", e);
            }
        }
    }

    private Outcome uploadOnce(ExportFile file) {
        if (file.cwaHash().equals(existingHash(file.objectKey()))) {
            return Outcome.SKIPPED;
        }
        PutObjectRequest.Builder put = PutObjectRequest.builder()
                .bucket(settings.bucket())
                .key(file.objectKey())
                .contentType(file.contentType())
                .cacheControl("max-age=" + settings.cacheMaxAgeSeconds())
                .metadata(Map.of(CWA_HASH, file.cwaHash()));
        if (settings.publicRead()) {
            put.acl(ObjectCannedACL.PUBLIC_READ);
        }
        s3.putObject(put.build(), RequestBody.fromBytes(file.bytes()));
        return Outcome.UPLOADED;
    }

    /** The {@code cwa-hash} of the object in the bucket, or null if there is no such object. */
    private String existingHash(String key) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(settings.bucket()).key(key));
            return head.metadata().get(CWA_HASH);
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }
}
