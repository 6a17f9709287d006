package io.bytekeep.sharing;

import java.net.URI;
import java.time.Clock;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.platform.messaging.TraceParent;
import io.bytekeep.platform.storage.ListingPosition;
import io.bytekeep.platform.storage.StorageConfiguration;
import io.bytekeep.platform.web.ApiJson;
import io.bytekeep.platform.web.JsonBody;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Shared documents of routes/sharing-documents.camel.yaml; settings from {@code bytekeep.sharing.*}. */
@Configuration(proxyBeanMethods = false)
public class SharingConfiguration {

    /**
     * Signs URLs for the endpoint clients reach: {@code bytekeep.sharing.public-endpoint}, else the embedded S3
     * server, else the storage endpoint (else AWS). Path-style, as the application's S3 client.
     */
    @Bean(destroyMethod = "close")
    S3Presigner sharingPresigner(SharingProperties sharing, BytekeepProperties properties,
                                 @Qualifier("embeddedS3Server") ObjectProvider<EmbeddedS3Server> embedded) {
        BytekeepProperties.Storage storage = properties.storage();
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(Region.of(storage.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(storage.accessKey(), storage.secretKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
        EmbeddedS3Server server = embedded.getIfAvailable();
        if (sharing.publicEndpoint() != null && !sharing.publicEndpoint().isBlank()) {
            builder.endpointOverride(URI.create(sharing.publicEndpoint()));
        } else if (server != null) {
            builder.endpointOverride(server.endpoint());
        } else if (storage.endpoint() != null && !storage.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(storage.endpoint()));
        }
        return builder.build();
    }

    @Bean
    DocumentObjects documentObjects(S3Client s3Client, S3Presigner sharingPresigner, SharingProperties sharing,
                                    BytekeepProperties properties) {
        if (properties.storage().createBuckets()) {
            StorageConfiguration.createIfMissing(s3Client, sharing.bucket());
        }
        return new DocumentObjects(s3Client, sharingPresigner, sharing.bucket());
    }

    /** Declared by Spring's RabbitAdmin on the first connection; the outbox relay publishes audit events to it. */
    @Bean
    Queue sharingAuditQueue(SharingProperties sharing) {
        return QueueBuilder.durable(sharing.auditQueue()).build();
    }

    @Bean
    SharingStore sharingStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, ApiJson json, Clock clock,
                              SharingProperties sharing, TraceParent traceParent) {
        return new SharingStore(jdbc, transactions, json.mapper(), clock, sharing.auditQueue(), traceParent);
    }

    @Bean
    UserKeys sharingUserKeys(JsonBody body, SharingStore store) {
        return new UserKeys(body, store);
    }

    @Bean
    SharingOrganizations sharingOrganizations(BytekeepProperties properties, SharingProperties sharing) {
        return new SharingOrganizations(properties.security().users(), sharing.crossOrganization());
    }

    @Bean
    DocumentUploads documentUploads(JsonBody body, SharingStore store, DocumentObjects objects, SharingProperties sharing,
                                    SharingOrganizations organizations, Clock clock) {
        return new DocumentUploads(body, store, objects, sharing, organizations, clock);
    }

    @Bean
    DocumentReads documentReads(SharingStore store, DocumentObjects objects, SharingProperties sharing, Clock clock) {
        return new DocumentReads(store, objects, sharing.urlTtl(), clock);
    }

    @Bean
    DocumentShares documentShares(JsonBody body, SharingStore store, SharingOrganizations organizations) {
        return new DocumentShares(body, store, organizations);
    }

    @Bean
    DocumentDeletions documentDeletions(SharingStore store, DocumentObjects objects) {
        return new DocumentDeletions(store, objects);
    }

    /** The sweep of routes/sharing-abandoned-sweep.camel.yaml. */
    @Bean
    AbandonedUploadSweeper abandonedUploadSweeper(SharingStore store, DocumentObjects objects, SharingProperties sharing,
                                                  JdbcTemplate jdbc, Clock clock, MeterRegistry meters) {
        return new AbandonedUploadSweeper(store, objects, sharing.abandonedAfter(), sharing.uploadUrlTtl(),
                sharing.abandonedSweep().maxObjectsPerSweep(),
                new ListingPosition(jdbc, "abandoned-upload-sweep:" + sharing.bucket(), clock), clock, meters);
    }
}
