package io.bytekeep.vault;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;

/**
 * One S3 multipart upload of {@code size} bytes, in consecutive parts, that either completes or is aborted: the parts
 * of a write that failed do not stay behind (a process killed in between leaves them to the bucket's lifecycle rule).
 */
final class MultipartWrite {

    /** S3 takes at most this many parts. */
    static final int MAX_PARTS = 10_000;

    /** Writes one part; answers its ETag. */
    @FunctionalInterface
    interface Part {
        String write(String uploadId, int number, long offset, long length);
    }

    private MultipartWrite() {
    }

    /**
     * Creates the upload of {@code bucket}/{@code key} ({@code create} adds content type and metadata), writes its
     * parts in order, each {@code partSize} bytes (larger where {@value #MAX_PARTS} would not hold {@code size}; the
     * last one the rest), and completes it; any failure aborts it.
     */
    static void write(S3Client s3, String bucket, String key, Consumer<CreateMultipartUploadRequest.Builder> create,
                      long size, long partSize, Part part) {
        long length = Math.max(partSize, (size + MAX_PARTS - 1) / MAX_PARTS);
        String uploadId = s3.createMultipartUpload(b -> create.accept(b.bucket(bucket).key(key))).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0; offset < size; offset += length) {
                int number = parts.size() + 1;
                String eTag = part.write(uploadId, number, offset, Math.min(length, size - offset));
                parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }
}
