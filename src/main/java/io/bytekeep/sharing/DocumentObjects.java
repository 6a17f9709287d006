package io.bytekeep.sharing;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import io.bytekeep.platform.storage.ListingPosition;
import io.bytekeep.platform.storage.ResumableListing;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The documents bucket: multipart uploads and presigned URLs, each scoped to one object (and one part) and signed
 * for a limited time. The URLs carry a signature; they go into responses only, never into a log line.
 */
public class DocumentObjects {

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public DocumentObjects(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    public String startMultipart(String key) {
        return s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType("application/octet-stream")).uploadId();
    }

    public URI presignPut(String key, Duration ttl) {
        return toUri(presigner.presignPutObject(p -> p.signatureDuration(ttl)
                .putObjectRequest(r -> r.bucket(bucket).key(key))).url());
    }

    public List<URI> presignParts(String key, String uploadId, int parts, Duration ttl) {
        return IntStream.rangeClosed(1, parts).mapToObj(number -> toUri(presigner.presignUploadPart(p -> p.signatureDuration(ttl)
                .uploadPartRequest(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number))).url())).toList();
    }

    public URI presignGet(String key, Duration ttl) {
        return toUri(presigner.presignGetObject(p -> p.signatureDuration(ttl)
                .getObjectRequest(r -> r.bucket(bucket).key(key))).url());
    }

    /** Completes a multipart upload; S3 refuses parts that were not uploaded or whose ETag differs. */
    public void completeMultipart(String key, String uploadId, List<CompletedPart> parts) {
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
    }

    /** The stored size, or empty when there is no object. */
    public Optional<Long> size(String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    /** Aborts a multipart upload: its parts are deleted. One that is no longer open (aborted, completed) is fine. */
    public void abortMultipart(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (NoSuchUploadException e) {
            // already gone
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
    }

    /**
     * Whatever S3 holds of a document: its open multipart upload (parts) and its object (complete at S3 even if
     * not in the database). Idempotent; throws when S3 does not confirm, so the caller keeps its row.
     */
    public void discard(SharedDocument d) {
        if (d.uploadId() != null) {
            abortMultipart(d.objectKey(), d.uploadId());
        }
        delete(d.objectKey());
    }

    /** Open multipart uploads under a prefix, page by page (up to 1000 each), listed as they are read. */
    public Iterable<List<MultipartUpload>> multipartUploadPages(String prefix) {
        return () -> s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(prefix)).stream()
                .map(ListMultipartUploadsResponse::uploads).iterator();
    }

    /** The objects under a prefix, at most {@code maxObjects} per walk, each walk going on where the last stopped. */
    public ResumableListing listing(String prefix, int maxObjects, ListingPosition position) {
        return new ResumableListing(s3, bucket, List.of(prefix), maxObjects, position);
    }

    private static URI toUri(java.net.URL url) {
        try {
            return url.toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
