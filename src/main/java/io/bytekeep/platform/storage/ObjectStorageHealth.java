package io.bytekeep.platform.storage;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import software.amazon.awssdk.services.s3.S3Client;

/** Actuator indicator "s3": the raw-file bucket answers a HEAD. */
public class ObjectStorageHealth extends AbstractHealthIndicator {

    private final S3Client s3;
    private final String bucket;

    public ObjectStorageHealth(S3Client s3, String bucket) {
        super("Object storage is not reachable");
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        s3.headBucket(b -> b.bucket(bucket));
        builder.up().withDetail("bucket", bucket);
    }
}
