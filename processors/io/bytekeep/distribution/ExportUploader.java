package io.bytekeep.distribution;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The steps of publishing one run's tree to the export bucket, as routes/distribution-run.camel.yaml calls them
 * (CWA's S3 publisher). The route does the puts ({@code aws2-s3}) and the retries (its error handler); this class
 * keeps the tally of the run and decides:
 * <ul>
 *   <li><b>change detection</b>: an object whose {@code cwa-hash} user metadata (read with a HEAD, not from a local
 *       cache) equals the file's hash is skipped; the others are put with their content type,
 *       {@code Cache-Control: public,max-age=N} (as the CWA server writes it), the {@code cwa-hash} and, if configured, the {@code public-read} ACL;</li>
 *   <li><b>order</b>: archives first (in parallel), index files only when every archive is there, deepest first, so a
 *       reader never sees an index entry before its archive. The run publishes its TUF metadata between the two
 *       (routes/distribution-run.camel.yaml); that publication's own upload, inside the run's, keeps a tally of its
 *       own until its {@link #result}, after which the run's continues;</li>
 *   <li><b>failure</b>: an operation that still fails after its retries counts as failed; at
 *       {@link Settings#maxFailedOperations()} failed operations no further file is started, and a failed index file
 *       stops the index files after it. Objects already uploaded stay: each is complete and valid, and the next run
 *       skips them by their hash.</li>
 * </ul>
 */
public final class ExportUploader {

    private static final Logger LOG = LoggerFactory.getLogger(ExportUploader.class);

    /** The user metadata key of the hash ({@code x-amz-meta-cwa-hash}). */
    public static final String CWA_HASH = "cwa-hash";
    /** Exchange property: the tally of the run (shared by the parallel uploads of a split). */
    static final String TALLY = "bytekeep.exportUpload";
    /** Exchange property: the file one upload is about. */
    static final String FILE = "bytekeep.exportFile";

    /**
     * @param bucket              the export bucket
     * @param cacheMaxAgeSeconds  {@code Cache-Control: public,max-age=} of every object (CWA: 300)
     * @param publicRead          put with the canned ACL {@code public-read}
     * @param threads             archives uploaded in parallel
     * @param retryAttempts       retries of a failed operation (CWA: 3), done by the route's error handler
     * @param retryBackoffMillis  pause before each retry (CWA: 2000), idem
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

    /** The upload did not put every file of the tree in the bucket; {@link #result()} says what it did. */
    public static final class Failed extends RuntimeException {

        private final transient Result result;

        Failed(Result result) {
            super((result.aborted() ? "aborted after " : "") + result.failedOperations() + " failed upload operation(s) ("
                    + String.join(", ", result.failedKeys().stream().limit(5).toList())
                    + (result.failedKeys().size() > 5 ? ", ..." : "") + "); " + result.notAttempted()
                    + " file(s) not attempted");
            this.result = result;
        }

        public Result result() {
            return result;
        }
    }

    private final S3Client s3;
    private final Settings settings;

    /** @param s3 the client of the export bucket, for the HEAD of change detection */
    public ExportUploader(S3Client s3, Settings settings) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Starts the tally of an upload (a run's tree, or a TUF publication's files); answers the archives, which go
     * first. An upload started while another is under way on the exchange has its own tally until its {@link #result}.
     */
    public List<ExportFile> archives(List<ExportFile> tree, Exchange exchange) {
        Tally tally = new Tally(tree, exchange.getProperty(TALLY, Tally.class));
        exchange.setProperty(TALLY, tally);
        return tally.archives;
    }

    /** After the archives: {@link Failed} (ending the upload) when one is missing, as nothing may name it then. */
    public void archivesUploaded(Exchange exchange) {
        Tally tally = tally(exchange);
        if (tally.failed.get() > 0) {
            LOG.warn("{} archive upload(s) failed: none of the {} index files is uploaded", tally.failed.get(),
                    tally.indexes.size());
            throw new Failed(end(exchange));
        }
    }

    /** After the archives: the index files, or {@link Failed} when an archive is missing (no index may name it). */
    public List<ExportFile> indexes(Exchange exchange) {
        archivesUploaded(exchange);
        return tally(exchange).indexes;
    }

    /**
     * What the upload under way on the exchange did so far (for the report of a run that failed elsewhere), or null
     * if there is none.
     */
    public static Result progress(Exchange exchange) {
        Tally tally = exchange.getProperty(TALLY, Tally.class);
        return tally == null ? null : tally.result();
    }

    /** True once no further file may be started: the threshold was reached, or an index file failed. */
    public boolean isStopped(Exchange exchange) {
        return tally(exchange).stopped.get();
    }

    /** The HEAD of change detection: true if the bucket holds the file with the same {@code cwa-hash}. */
    public boolean isUnchanged(Exchange exchange) {
        ExportFile file = file(exchange);
        return file.cwaHash().equals(existingHash(file.objectKey()));
    }

    /**
     * Whether the file's content was put by this run under another key, so the bucket can copy it (not with
     * {@link Settings#publicRead()}: a copy does not take the ACL). Only this run's puts: an archive skipped as
     * unchanged has the same export.bin, but its zip may be signed with an earlier key, and a TUF target copy must be
     * the bytes the metadata names.
     */
    public boolean isCopyOfAPut(Exchange exchange) {
        ExportFile file = file(exchange);
        String source = file.content().putAt();
        return !settings.publicRead() && source != null && !source.equals(file.objectKey());
    }

    /** Headers of the {@code aws2-s3} copy of the content from where this run put it. */
    public void prepareCopy(Exchange exchange) {
        ExportFile file = file(exchange);
        var message = exchange.getIn();
        message.setHeader("CamelAwsS3Key", file.content().putAt());
        message.setHeader("CamelAwsS3BucketDestinationName", settings.bucket());
        message.setHeader("CamelAwsS3DestinationKey", file.objectKey());
    }

    /** Headers and body of the {@code aws2-s3} put of the file. */
    public void prepareUpload(Exchange exchange) {
        ExportFile file = file(exchange);
        var message = exchange.getIn();
        message.setHeader("CamelAwsS3Key", file.objectKey());
        message.setHeader("CamelAwsS3ContentType", file.contentType());
        byte[] content = file.bytes();
        message.setHeader("CamelAwsS3ContentLength", (long) content.length);
        message.setHeader("CamelAwsS3ContentControl", "public,max-age=" + settings.cacheMaxAgeSeconds());
        message.setHeader("CamelAwsS3Metadata", Map.of(CWA_HASH, file.cwaHash()));
        if (settings.publicRead()) {
            // aws2-s3 takes the enum constant's name (ObjectCannedACL.valueOf), not the wire value "public-read"
            message.setHeader("CamelAwsS3CannedAcl", ObjectCannedACL.PUBLIC_READ.name());
        }
        message.setBody(content);
    }

    public void uploaded(Exchange exchange) {
        // the split keeps its finished exchanges until the last one: without this, every archive of a run stayed
        // on the heap until the upload ended
        exchange.getIn().setBody(null);
        ExportFile file = file(exchange);
        if (file.content().putAt() == null) {
            file.content().putAt(file.objectKey());
        }
        Tally tally = tally(exchange);
        tally.uploaded.incrementAndGet();
        tally.bytes.addAndGet(file.size());
    }

    public void skipped(Exchange exchange) {
        tally(exchange).skipped.incrementAndGet();
    }

    /** Before each retry of the route's error handler. */
    public void retrying(Exchange exchange) {
        tally(exchange).retries.incrementAndGet();
    }

    /** The error-handler route's step: an operation failed after its retries. */
    public void failed(Exchange exchange) {
        Tally tally = tally(exchange);
        ExportFile file = file(exchange);
        int count = tally.failed.incrementAndGet();
        tally.failedKeys.add(file.objectKey());
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.warn("Upload of {} failed after {} retries ({} of at most {} failed operations): {}", file.objectKey(),
                settings.retryAttempts(), count, settings.maxFailedOperations(), cause == null ? "?" : cause.getMessage());
        if (count >= settings.maxFailedOperations()) {
            tally.aborted.set(true);
            tally.stopped.set(true);
        }
        if (!file.isArchive()) {
            tally.stopped.set(true);
        }
    }

    /**
     * The end of the upload: its {@link Result}, or {@link Failed} unless every file is in the bucket. The upload it
     * was started inside, if any, is the one under way again.
     */
    public Result result(Exchange exchange) {
        Result result = end(exchange);
        if (!result.succeeded()) {
            throw new Failed(result);
        }
        return result;
    }

    /** Ends the upload under way: its result; the enclosing upload's tally is the current one again. */
    private static Result end(Exchange exchange) {
        Tally tally = tally(exchange);
        if (tally.enclosing == null) {
            exchange.removeProperty(TALLY);
        } else {
            exchange.setProperty(TALLY, tally.enclosing);
        }
        return tally.result();
    }

    private static Tally tally(Exchange exchange) {
        Tally tally = exchange.getProperty(TALLY, Tally.class);
        if (tally == null) {
            throw new IllegalStateException("the upload route does not start with exportUploader.archives");
        }
        return tally;
    }

    private static ExportFile file(Exchange exchange) {
        ExportFile file = exchange.getProperty(FILE, ExportFile.class);
        return file != null ? file : exchange.getIn().getBody(ExportFile.class);
    }

    /** The {@code cwa-hash} of the object in the bucket, or null if there is no such object. */
    private String existingHash(String key) {
        return storedCwaHash(s3, settings.bucket(), key);
    }

    /** The {@value #CWA_HASH} metadata of an object, or null when the bucket does not have it (a HEAD request). */
    public static String storedCwaHash(S3Client s3, String bucket, String key) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
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

    /** The counters of one run's upload. */
    private static final class Tally {
        final List<ExportFile> archives;
        final List<ExportFile> indexes;
        /** The upload this one was started inside (a run's, for its TUF publication), or null. */
        final Tally enclosing;
        final AtomicInteger uploaded = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
        final AtomicInteger retries = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicBoolean aborted = new AtomicBoolean();
        final AtomicBoolean stopped = new AtomicBoolean();
        final List<String> failedKeys = Collections.synchronizedList(new ArrayList<>());

        Tally(List<ExportFile> tree, Tally enclosing) {
            this.archives = tree.stream().filter(ExportFile::isArchive).toList();
            this.indexes = tree.stream().filter(file -> !file.isArchive()).toList();
            this.enclosing = enclosing;
        }

        /** One consistent reading of the counters (each read once). */
        Result result() {
            int put = uploaded.get();
            int unchanged = skipped.get();
            int failures = failed.get();
            int notAttempted = archives.size() + indexes.size() - put - unchanged - failures;
            return new Result(archives.size(), indexes.size(), put, unchanged, bytes.get(), retries.get(), failures,
                    List.copyOf(failedKeys), notAttempted, aborted.get());
        }
    }
}
