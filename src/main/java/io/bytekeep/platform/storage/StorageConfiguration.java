package io.bytekeep.platform.storage;

import java.net.URI;
import java.time.Duration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.embedded.EmbeddedS3Server;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 client of the application (and, beside it, {@code exportS3Client} for the distribution's export bucket). Camel's aws2-s3 endpoints pick it up from the registry, so routes
 * and Java steps talk to the same endpoint: the embedded server, MinIO, Ceph or AWS.
 */
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {

    private static final int MAX_CONNECTIONS = 256;
    private static final Duration EMBEDDED_SOCKET_TIMEOUT = Duration.ofMinutes(10);

    @Primary
    @Bean(destroyMethod = "close")
    S3Client s3Client(BytekeepProperties properties,
                      @Qualifier("embeddedS3Server") ObjectProvider<EmbeddedS3Server> embedded) {
        BytekeepProperties.Storage storage = properties.storage();
        S3ClientBuilder builder = builder(storage);
        EmbeddedS3Server server = embedded.getIfAvailable();
        if (server != null) {
            // the embedded server (jclouds) completes a multipart upload by writing the whole object once more and
            // answers at the end: a 1 GiB object took 1.3-4.1 s here, the largest raw file (max-stream-size, 64 GB)
            // minutes, not the SDK's 30 s without a byte
            builder.endpointOverride(server.endpoint())
                    .httpClientBuilder(ApacheHttpClient.builder().maxConnections(MAX_CONNECTIONS).socketTimeout(EMBEDDED_SOCKET_TIMEOUT));
        } else if (storage.endpoint() != null && !storage.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(storage.endpoint()));
        }
        S3Client client = builder.build();
        if (storage.createBuckets()) {
            createIfMissing(client, storage.rawBucket());
        }
        return client;
    }

    /**
     * The client of the distribution's export bucket: the embedded exports server when it runs, else
     * {@code bytekeep.distribution.export-endpoint}, else the storage endpoint, with the storage credentials. No
     * retries of the SDK's own: the export uploader retries by its settings and counts the failures.
     */
    @Bean(destroyMethod = "close")
    S3Client exportS3Client(BytekeepProperties properties,
                            @Qualifier("embeddedS3ExportsServer") ObjectProvider<EmbeddedS3Server> embedded) {
        BytekeepProperties.Storage storage = properties.storage();
        String endpoint = properties.distribution().exportEndpoint();
        S3ClientBuilder builder = builder(storage)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
        EmbeddedS3Server server = embedded.getIfAvailable();
        if (server != null) {
            builder.endpointOverride(server.endpoint());
        } else if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        } else if (storage.endpoint() != null && !storage.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(storage.endpoint()));
        }
        S3Client client = builder.build();
        if (storage.createBuckets()) {
            createIfMissing(client, properties.distribution().exportBucket());
        }
        return client;
    }

    private static S3ClientBuilder builder(BytekeepProperties.Storage storage) {
        return S3Client.builder()
                .region(Region.of(storage.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(storage.accessKey(), storage.secretKey())))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(MAX_CONNECTIONS))
                .forcePathStyle(true)
                // trailing checksums (the SDK's default since 2.30) are not understood by every S3-compatible server
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }

    @Bean
    ObjectStorageHealth s3HealthIndicator(S3Client s3, BytekeepProperties properties) {
        return new ObjectStorageHealth(s3, properties.storage().rawBucket());
    }

    /** Creates the bucket when it is missing (also after the transient exports server restarted). */
    public static void createIfMissing(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(b -> b.bucket(bucket));
        }
    }
}
