package io.bytekeep.publication;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.S3Exception;

import io.bytekeep.platform.ExchangeProperties;

/**
 * The steps of routes/export-upload.camel.yaml, which uploads one {@link PublishPlan} to the export bucket (CWA's S3
 * publisher). The route does the puts ({@code aws2-s3}) and the retries (its error handler); this class reads the
 * bucket (a HEAD per file) and decides. It keeps nothing between calls: what one upload did is its {@link Upload},
 * made by {@link #start} and carried in the bodies of the route's steps, and its {@link #result} goes to the plan's
 * {@link Publication}.
 * <ul>
 *   <li><b>change detection</b>: an object whose {@code cwa-hash} user metadata (read with a HEAD, not from a local
 *       cache) equals the file's hash is skipped; the others are put with their content type,
 *       {@code Cache-Control: public,max-age=N} (as the CWA server writes it), the {@code cwa-hash}, the
 *       {@code sha256} of the bytes and, if configured, the {@code public-read} ACL. An archive the run has not made
 *       is skipped only when the stored object says its {@code sha256} (length and SHA-256 are what TUF names): an
 *       object put before that metadata existed is put once more;</li>
 *   <li><b>no bytes kept</b>: once the bucket holds a file's bytes (put, or kept as unchanged) its maker is let go,
 *       and a second key for the same bytes (a TUF copy {@code dir/SHA256.name}) is a copy in the bucket;</li>
 *   <li><b>order</b>: the plan's batches one after the other, each only once every file of the batches before it is
 *       in the bucket; a batch's files in parallel or in order, as the plan says;</li>
 *   <li><b>failure</b>: an operation that still fails after its retries counts as failed in the publication's
 *       {@link FailureCounter}; at {@link Settings#maxFailedOperations()} no further file is started, and a failed
 *       file of a batch that stops on failure (index files, metadata) stops the files after it. Objects already
 *       uploaded stay: each is complete and valid, and the next run skips them by their hash.</li>
 * </ul>
 */
public final class ExportUploader {

    private static final Logger LOG = LoggerFactory.getLogger(ExportUploader.class);

    /** The user metadata key of the hash ({@code x-amz-meta-cwa-hash}). */
    public static final String CWA_HASH = "cwa-hash";
    /** The user metadata key of the SHA-256 of the object's bytes, lower-case hex ({@code x-amz-meta-sha256}). */
    public static final String SHA256 = "sha256";

    /**
     * @param bucket              the export bucket
     * @param cacheMaxAgeSeconds  {@code Cache-Control: public,max-age=} of every object (CWA: 300)
     * @param publicRead          put with the canned ACL {@code public-read}
     * @param threads             archives uploaded in parallel
     * @param retryAttempts       retries of a failed operation (CWA: 3), done by the route's error handler
     * @param retryBackoffMillis  pause before each retry (CWA: 2000), idem
     * @param maxFailedOperations failed operations after which a publication stops (CWA: 5)
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

    /** The start of an upload of the plan (the body of {@code export-upload}). */
    public Upload start(PublishPlan plan) {
        LOG.debug("Uploading {}", plan.batches().stream().map(b -> b.files().size() + " " + b.name()).toList());
        return new Upload(plan);
    }

    /** The plan's batches, in order. */
    public List<Upload.Stage> stages(Upload upload) {
        return upload.stages();
    }

    public boolean isParallel(Upload.Stage stage) {
        return stage.parallel();
    }

    /** The files of the batch to put, or none if a file of an earlier batch is not in the bucket. */
    public List<Upload.Put> puts(Upload.Stage stage) {
        return stage.puts();
    }

    /**
     * The end of the upload: its {@link PublishResult}, added to the plan's publication. It does not fail when a file
     * is missing: the one that made the plan decides (a run goes on date by date, and checks before its index files).
     */
    public PublishResult result(Upload upload) {
        return upload.finish();
    }

    /** True once no further file may be started: the threshold was reached, or a file that stops on failure failed. */
    public boolean isStopped(Exchange exchange) {
        return put(exchange).upload().isStopped();
    }

    /**
     * The HEAD of change detection: true if the bucket holds the file with the same {@code cwa-hash} and, for an
     * archive not made yet, says the SHA-256 of its bytes (which the file then takes as its own).
     */
    public boolean isUnchanged(Exchange exchange) {
        ExportFile file = put(exchange).file();
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
        ExportFile file = put(exchange).file();
        String source = file.content().storedAt();
        return source != null && !source.equals(file.objectKey());
    }

    /**
     * The body of the {@code aws2-s3} copy ({@code pojoRequest}) of the bytes from where the bucket holds them: the
     * metadata (type, Cache-Control, hashes) goes with them, and the ACL as configured (a copy does not take the
     * source's).
     */
    public void prepareCopy(Exchange exchange) {
        ExportFile file = put(exchange).file();
        CopyObjectRequest.Builder copy = CopyObjectRequest.builder()
                .sourceBucket(settings.bucket()).sourceKey(file.content().storedAt())
                .destinationBucket(settings.bucket()).destinationKey(file.objectKey())
                .metadataDirective(MetadataDirective.COPY);
        if (settings.publicRead()) {
            copy.acl(ObjectCannedACL.PUBLIC_READ);
        }
        // aws2-s3 asks for the key header before it looks at the request
        exchange.getIn().setHeader(AWS2S3Constants.KEY, file.content().storedAt());
        exchange.getIn().setBody(copy.build());
    }

    /** Headers and body of the {@code aws2-s3} put of the file. */
    public void prepareUpload(Exchange exchange) {
        ExportFile file = put(exchange).file();
        var message = exchange.getIn();
        message.setHeader(AWS2S3Constants.KEY, file.objectKey());
        message.setHeader(AWS2S3Constants.CONTENT_TYPE, file.contentType());
        byte[] content = file.bytes();
        message.setHeader(AWS2S3Constants.CONTENT_LENGTH, (long) content.length);
        message.setHeader(AWS2S3Constants.CACHE_CONTROL, "public,max-age=" + settings.cacheMaxAgeSeconds());
        message.setHeader(AWS2S3Constants.METADATA, Map.of(CWA_HASH, file.cwaHash(), SHA256, file.sha256()));
        if (settings.publicRead()) {
            // aws2-s3 takes the enum constant's name (ObjectCannedACL.valueOf), not the wire value "public-read"
            message.setHeader(AWS2S3Constants.CANNED_ACL, ObjectCannedACL.PUBLIC_READ.name());
        }
        message.setBody(content);
    }

    public void uploaded(Exchange exchange) {
        // the split keeps its finished exchanges until the last one: without this, every archive of a run stayed
        // on the heap until the upload ended
        exchange.getIn().setBody(null);
        Upload.Put put = put(exchange);
        put.upload().uploaded(put.file());
    }

    public void skipped(Exchange exchange) {
        Upload.Put put = put(exchange);
        put.upload().skipped(put.file());
    }

    /** Before each retry of the route's error handler. */
    public void retrying(Exchange exchange) {
        put(exchange).upload().retrying();
    }

    /** The error-handler route's step: an operation failed after its retries. */
    public void failed(Exchange exchange) {
        Upload.Put put = put(exchange);
        int count = put.upload().failed(put);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.warn("Upload of {} failed after {} retries ({} of at most {} failed operations): {}", put.file().objectKey(),
                settings.retryAttempts(), count, settings.maxFailedOperations(), cause == null ? "?" : cause.getMessage());
    }

    private static Upload.Put put(Exchange exchange) {
        Upload.Put put = exchange.getProperty(ExchangeProperties.EXPORT_PUT, Upload.Put.class);
        if (put == null) {
            put = exchange.getIn().getBody(Upload.Put.class);
        }
        if (put == null) {
            throw new IllegalStateException("export-put uploads one file of an upload: call direct:export-upload with a plan");
        }
        return put;
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
}
