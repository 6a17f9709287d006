package io.bytekeep.distribution;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
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
 *       {@code Cache-Control: public,max-age=N} (as the CWA server writes it), the {@code cwa-hash}, the
 *       {@code sha256} of the bytes and, if configured, the {@code public-read} ACL. An archive the run has not made
 *       is skipped only when the stored object says its {@code sha256} (length and SHA-256 are what TUF names): an
 *       object put before that metadata existed is put once more;</li>
 *   <li><b>no bytes kept</b>: once the bucket holds a file's bytes (put, or kept as unchanged) its maker is let go,
 *       and a second key for the same bytes (a TUF copy {@code dir/SHA256.name}) is a copy in the bucket;</li>
 *   <li><b>order</b>: archives first (in parallel, in as many lists as the caller has: a run uploads each date's
 *       archives once they are built), index files only when every archive is there, deepest first, so a
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
    /** The user metadata key of the SHA-256 of the object's bytes, lower-case hex ({@code x-amz-meta-sha256}). */
    public static final String SHA256 = "sha256";
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
     * Starts the tally of an upload (a run's tree, or a TUF publication's files). An upload started while another is
     * under way on the exchange has its own tally until its {@link #result}.
     */
    public void begin(Exchange exchange) {
        exchange.setProperty(TALLY, new Tally(exchange.getProperty(TALLY, Tally.class)));
    }

    /**
     * Adds the files the upload does not have yet (by object key) and answers the archives among them, which go
     * first; the index files wait for {@link #indexes}.
     */
    public List<ExportFile> archives(List<ExportFile> files, Exchange exchange) {
        return tally(exchange).add(files);
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
        Tally tally = tally(exchange);
        synchronized (tally) {
            return List.copyOf(tally.indexes);
        }
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

    /**
     * The HEAD of change detection: true if the bucket holds the file with the same {@code cwa-hash} and, for an
     * archive not made yet, says the SHA-256 of its bytes (which the file then takes as its own).
     */
    public boolean isUnchanged(Exchange exchange) {
        ExportFile file = file(exchange);
        HeadObjectResponse stored = head(s3, settings.bucket(), file.objectKey());
        if (stored == null || !file.cwaHash().equals(stored.metadata().get(CWA_HASH))) {
            return false;
        }
        if (file.content().hasFacts()) {
            return true;
        }
        String sha256 = stored.metadata().get(SHA256);
        if (sha256 == null || stored.contentLength() == null) {
            return false;
        }
        file.content().storedAs(file.objectKey(), new ExportFile.Facts(Math.toIntExact(stored.contentLength()), sha256));
        return true;
    }

    /**
     * Whether the bucket holds the file's bytes under another key this run put or kept, so the bucket can copy them
     * (a TUF target copy of an archive, whose maker is let go by then).
     */
    public boolean isStoredElsewhere(Exchange exchange) {
        ExportFile file = file(exchange);
        String source = file.content().storedAt();
        return source != null && !source.equals(file.objectKey());
    }

    /**
     * The body of the {@code aws2-s3} copy ({@code pojoRequest}) of the bytes from where the bucket holds them: the
     * metadata (type, Cache-Control, hashes) goes with them, and the ACL as configured (a copy does not take the
     * source's).
     */
    public void prepareCopy(Exchange exchange) {
        ExportFile file = file(exchange);
        CopyObjectRequest.Builder copy = CopyObjectRequest.builder()
                .sourceBucket(settings.bucket()).sourceKey(file.content().storedAt())
                .destinationBucket(settings.bucket()).destinationKey(file.objectKey())
                .metadataDirective(MetadataDirective.COPY);
        if (settings.publicRead()) {
            copy.acl(ObjectCannedACL.PUBLIC_READ);
        }
        // aws2-s3 asks for the key header before it looks at the request
        exchange.getIn().setHeader("CamelAwsS3Key", file.content().storedAt());
        exchange.getIn().setBody(copy.build());
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
        message.setHeader("CamelAwsS3Metadata", Map.of(CWA_HASH, file.cwaHash(), SHA256, file.sha256()));
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
        file.content().storedAt(file.objectKey());
        file.content().release();
        Tally tally = tally(exchange);
        tally.uploaded.incrementAndGet();
        tally.bytes.addAndGet(file.size());
    }

    public void skipped(Exchange exchange) {
        ExportFile file = file(exchange);
        file.content().storedAt(file.objectKey());
        file.content().release();
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
            throw new IllegalStateException("the upload route does not start with exportUploader.begin");
        }
        return tally;
    }

    private static ExportFile file(Exchange exchange) {
        ExportFile file = exchange.getProperty(FILE, ExportFile.class);
        return file != null ? file : exchange.getIn().getBody(ExportFile.class);
    }

    /** The {@value #CWA_HASH} metadata of an object, or null when the bucket does not have it (a HEAD request). */
    public static String storedCwaHash(S3Client s3, String bucket, String key) {
        HeadObjectResponse head = head(s3, bucket, key);
        return head == null ? null : head.metadata().get(CWA_HASH);
    }

    /** The HEAD of an object, or null when the bucket does not have it. */
    private static HeadObjectResponse head(S3Client s3, String bucket, String key) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The files and counters of one run's upload. */
    private static final class Tally {
        final Set<String> keys = new HashSet<>();
        final List<ExportFile> archives = new ArrayList<>();
        final List<ExportFile> indexes = new ArrayList<>();
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

        Tally(Tally enclosing) {
            this.enclosing = enclosing;
        }

        /** The files not added before; answers the archives among them. */
        synchronized List<ExportFile> add(List<ExportFile> files) {
            List<ExportFile> newArchives = new ArrayList<>();
            for (ExportFile file : files) {
                if (keys.add(file.objectKey())) {
                    (file.isArchive() ? newArchives : indexes).add(file);
                }
            }
            archives.addAll(newArchives);
            return newArchives;
        }

        /** One consistent reading of the counters (each read once). */
        synchronized Result result() {
            int put = uploaded.get();
            int unchanged = skipped.get();
            int failures = failed.get();
            int notAttempted = archives.size() + indexes.size() - put - unchanged - failures;
            return new Result(archives.size(), indexes.size(), put, unchanged, bytes.get(), retries.get(), failures,
                    List.copyOf(failedKeys), notAttempted, aborted.get());
        }
    }
}
