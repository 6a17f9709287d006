package io.bytekeep.vault;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;

/**
 * One S3 multipart upload that either completes or is aborted: the parts of a write that failed do not stay behind
 * (a process killed in between leaves them to the orphan sweep or the bucket's lifecycle rule).
 */
final class MultipartWrite {

    /** S3 takes at most this many parts. */
    static final int MAX_PARTS = 10_000;

    private MultipartWrite() {
    }

    /**
     * Creates the upload of {@code bucket}/{@code key} ({@code create} adds content type and metadata), lets
     * {@code parts} write the parts under the upload id and completes the upload with the parts it answers.
     */
    static void write(S3Client s3, String bucket, String key, Consumer<CreateMultipartUploadRequest.Builder> create,
                      Function<String, List<CompletedPart>> parts) {
        String uploadId = s3.createMultipartUpload(b -> create.accept(b.bucket(bucket).key(key))).uploadId();
        try {
            List<CompletedPart> written = parts.apply(uploadId);
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(written)));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    /** The part size for {@code size} bytes: {@code configured}, or larger where {@value #MAX_PARTS} would not hold them. */
    static long partSize(long configured, long size) {
        return Math.max(configured, (size + MAX_PARTS - 1) / MAX_PARTS);
    }

    static CompletedPart completed(int number, String eTag) {
        return CompletedPart.builder().partNumber(number).eTag(eTag).build();
    }
}
