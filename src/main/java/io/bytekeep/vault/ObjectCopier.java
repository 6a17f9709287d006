package io.bytekeep.vault;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Copies an object to another key of its bucket inside S3, keeping its content type and user metadata: one
 * CopyObject up to the single-copy limit, above it a multipart copy of byte ranges (UploadPartCopy), which is aborted
 * if a step fails.
 */
public class ObjectCopier {

    /** The largest object S3's CopyObject copies. */
    public static final long S3_SINGLE_COPY_LIMIT = 5L * 1024 * 1024 * 1024;
    public static final long DEFAULT_PART_SIZE = 512L * 1024 * 1024;

    private final S3Client s3;
    private final long singleCopyLimit;
    private final long partSize;

    public ObjectCopier(S3Client s3, long singleCopyLimit, long partSize) {
        this.s3 = s3;
        this.singleCopyLimit = singleCopyLimit;
        this.partSize = partSize;
    }

    /** Copies {@code from} (of {@code size} bytes) to {@code to}; an object at {@code to} is replaced. */
    public void copy(String bucket, String from, String to, long size) {
        if (size <= singleCopyLimit) {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to));
        } else {
            copyInParts(bucket, from, to, size);
        }
    }

    private void copyInParts(String bucket, String from, String to, long size) {
        HeadObjectResponse source = s3.headObject(b -> b.bucket(bucket).key(from));
        // S3 takes at most 10,000 parts: a 5 TiB object gets parts of 525 MiB (MultipartWrite)
        MultipartWrite.write(s3, bucket, to, b -> b.contentType(source.contentType()).metadata(source.metadata()), size, partSize,
                (uploadId, number, offset, length) -> s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(from)
                        .destinationBucket(bucket).destinationKey(to).uploadId(uploadId).partNumber(number)
                        .copySourceRange("bytes=" + offset + "-" + (offset + length - 1))).copyPartResult().eTag());
    }
}
