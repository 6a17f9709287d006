package io.bytekeep.vault;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.custody.EncryptionMiddlewares;
import io.bytekeep.custody.Encryptor;
import io.bytekeep.custody.HashRecorder;
import io.bytekeep.custody.HashRepository;
import io.bytekeep.custody.proof.ProofQueue;
import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.messaging.EventsPublishedNow;
import io.bytekeep.platform.messaging.TraceParent;
import io.bytekeep.platform.web.ApiJson;
import io.bytekeep.platform.web.JsonBody;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Vault's named steps, as the route files call them ({@code ref: proofHasher}, ...). The hash repository comes
 * from ProofConfiguration, the encryption middlewares from EncryptionConfiguration.
 */
@Configuration(proxyBeanMethods = false)
public class VaultConfiguration {


    @Bean
    VaultStore vaultStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, ApiJson json, Clock clock) {
        return new VaultStore(jdbc, transactions, json.mapper(), clock);
    }

    @Bean
    MetaReader metaReader(JsonBody body, VaultStore store) {
        return new MetaReader(body, store);
    }

    @Bean
    VaultQueries vaultQueries(VaultStore store, BytekeepProperties properties) {
        return new VaultQueries(store, properties.vault().maxListedFileSize().toBytes());
    }

    /** Request and answer bodies on disk while an exchange needs them; a killed run's are deleted here. */
    @Bean
    ExchangeSpool exchangeSpool(BytekeepProperties properties) throws IOException {
        ExchangeSpool spool = new ExchangeSpool(properties.dataDir().resolve("spool"));
        spool.deleteLeftovers();
        return spool;
    }

    @Bean
    RawUploadReader rawUploadReader(JsonBody body, VaultStore store, BytekeepProperties properties, ExchangeSpool spool) {
        BytekeepProperties.Vault vault = properties.vault();
        return new RawUploadReader(body, store, vault.allowEmptyFiles(), vault.maxStreamSize().toBytes(), spool);
    }

    @Bean
    DuplicateRawFinder duplicateRawFinder(VaultStore store) {
        return new DuplicateRawFinder(store);
    }

    @Bean
    ProofHasher proofHasher(BytekeepProperties properties) {
        return new ProofHasher(properties.vault().hashAlgorithm());
    }

    @Bean
    HashRecorder hashRecorder(HashRepository repository) {
        return new HashRecorder(repository);
    }

    @Bean
    Encryptor encryptor(EncryptionMiddlewares middlewares, BytekeepProperties properties) {
        Map<String, String> byOrganization = properties.vault().organizationEncryption();
        return new Encryptor(middlewares.writer(),
                middlewares.writersByOrganization(byOrganization == null ? Map.of() : byOrganization));
    }

    @Bean
    OrphanGuard orphanGuard(S3Client s3, BytekeepProperties properties) {
        return new OrphanGuard(s3);
    }

    @Bean
    RawObjectPut rawObjectPut(S3Client s3, BytekeepProperties properties) {
        return new RawObjectPut(s3, properties.storage().rawBucket());
    }

    @Bean
    RawStorageFacts rawStorageFacts(VaultStore store, BytekeepProperties properties) {
        return new RawStorageFacts(store, properties.storage().rawBucket());
    }

    @Bean(destroyMethod = "close")
    RawPacker rawPacker(S3Client s3, BytekeepProperties properties, MeterRegistry meters) {
        BytekeepProperties.Storage storage = properties.storage();
        return new RawPacker(s3, storage.rawBucket(), storage.packThreshold().toBytes(), meters);
    }

    @Bean(destroyMethod = "close")
    RawRecorder rawRecorder(VaultStore store, ProofQueue proofQueue, TransactionTemplate transactions, BytekeepProperties properties,
                            Clock clock, TraceParent traceParent, MeterRegistry meters) {
        BytekeepProperties.Events events = properties.events();
        return new RawRecorder(store, proofQueue, transactions, events.rawFileReceivedQueue(),
                EventsPublishedNow.relayGrace(events.relayConfirmTimeout()), clock, traceParent, meters);
    }

    @Bean
    BytesImport bytesImport(JsonBody body, VaultStore store, TransactionTemplate transactions, BytekeepProperties properties) {
        return new BytesImport(body, store, transactions, properties.events().rawFileReceivedQueue());
    }

    @Bean
    RawVerifier rawVerifier(EncryptionMiddlewares middlewares, ExchangeSpool spool) {
        return new RawVerifier(middlewares.byName(), spool);
    }

    @Bean
    RawFilesAnswer rawFilesAnswer(ProducerTemplate producer, ApiJson json) {
        return new RawFilesAnswer(producer, json.mapper());
    }

    @Bean
    VaultMetrics vaultMetrics(VaultStore store, BytekeepProperties properties, Clock clock) {
        return new VaultMetrics(store, properties.vault().metricsTtl(), clock);
    }
}
