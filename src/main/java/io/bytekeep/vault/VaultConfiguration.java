package io.bytekeep.vault;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.atrest.EncryptionMiddlewares;
import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.messaging.EventsPublishedNow;
import io.bytekeep.platform.messaging.TraceParent;
import io.bytekeep.platform.web.ApiJson;
import io.bytekeep.platform.web.JsonBody;
import io.bytekeep.proof.HashRepository;
import io.bytekeep.proof.ProofProperties;
import io.bytekeep.proof.ProofQueue;
import io.bytekeep.proof.ProofStore;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Vault's named steps, as the route files call them ({@code ref: proofHasher}, ...). The hash repository comes
 * from ProofConfiguration, the encryption middlewares from EncryptionConfiguration.
 */
@Configuration(proxyBeanMethods = false)
public class VaultConfiguration {


    @Bean
    MetaStore metaStore(NamedParameterJdbcTemplate jdbc, ApiJson json) {
        return new JdbcMetaStore(jdbc, json.mapper());
    }

    @Bean
    RawStore rawStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, ApiJson json, Clock clock) {
        return new JdbcRawStore(jdbc, transactions, json.mapper(), clock);
    }

    @Bean
    RawCounts rawCounts(NamedParameterJdbcTemplate jdbc) {
        return new JdbcRawCounts(jdbc);
    }

    @Bean
    MetaReader metaReader(JsonBody body, RawStore store) {
        return new MetaReader(body, store);
    }

    @Bean
    VaultQueries vaultQueries(MetaStore metas, RawStore raws, RawCounts counts, BytekeepProperties properties) {
        return new VaultQueries(metas, raws, counts, properties.vault().maxListedFileSize().toBytes());
    }

    /** Request and answer bodies on disk while an exchange needs them; a killed run's are deleted here. */
    @Bean
    ExchangeSpool exchangeSpool(BytekeepProperties properties) throws IOException {
        ExchangeSpool spool = new ExchangeSpool(properties.dataDir().resolve("spool"));
        spool.deleteLeftovers();
        return spool;
    }

    @Bean
    RawUploadReader rawUploadReader(JsonBody body, MetaStore store, BytekeepProperties properties, ExchangeSpool spool) {
        BytekeepProperties.Vault vault = properties.vault();
        return new RawUploadReader(body, store, vault.allowEmptyFiles(), vault.maxStreamSize().toBytes(), spool);
    }

    @Bean
    DuplicateRawFinder duplicateRawFinder(RawStore store) {
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
        BytekeepProperties.Storage storage = properties.storage();
        return new RawObjectPut(s3, storage.rawBucket(), storage.multipartThreshold().toBytes(), storage.partSize().toBytes());
    }

    @Bean
    RawStorageFacts rawStorageFacts(RawStore store, BytekeepProperties properties) {
        return new RawStorageFacts(store, properties.storage().rawBucket());
    }

    @Bean(destroyMethod = "close")
    RawPacker rawPacker(S3Client s3, JdbcTemplate jdbc, TransactionTemplate transactions, BytekeepProperties properties,
                        OrphanSweepProperties sweep, Clock clock, MeterRegistry meters) {
        BytekeepProperties.Storage storage = properties.storage();
        // a third of the sweep's minimum age: a key handed out at the end of that leaves two thirds for its pack's write
        PackIntents intents = new PackIntents(jdbc, transactions, storage.rawBucket(), sweep.minAge().dividedBy(3), clock);
        return new RawPacker(s3, intents, storage.rawBucket(), storage.packThreshold().toBytes(),
                properties.vault().batchLinger(), meters);
    }

    @Bean(destroyMethod = "close")
    RawRecorder rawRecorder(RawStore store, ProofQueue proofQueue, TransactionTemplate transactions, BytekeepProperties properties,
                            Clock clock, TraceParent traceParent, MeterRegistry meters) {
        BytekeepProperties.Events events = properties.events();
        return new RawRecorder(store, proofQueue, transactions, events.rawFileReceivedQueue(),
                EventsPublishedNow.relayGrace(events.relayConfirmTimeout()), properties.vault().batchLinger(), clock,
                traceParent, meters);
    }

    @Bean
    BytesImport bytesImport(JsonBody body, MetaStore metas, RawStore raws, TransactionTemplate transactions,
                            BytekeepProperties properties) {
        return new BytesImport(body, metas, raws, transactions, properties.events().rawFileReceivedQueue());
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
    ProofQueries proofQueries(ProofStore store, ProofProperties proofs) {
        return new ProofQueries(store, proofs.batchIntervalMillis());
    }

    @Bean
    VaultMetrics vaultMetrics(RawCounts store, BytekeepProperties properties, Clock clock) {
        return new VaultMetrics(store, properties.vault().metricsTtl(), clock);
    }
}
