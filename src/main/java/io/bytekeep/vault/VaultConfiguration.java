package io.bytekeep.vault;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.custody.EncryptionMiddleware;
import io.bytekeep.custody.EncryptionMiddlewares;
import io.bytekeep.custody.Encryptor;
import io.bytekeep.custody.HashRecorder;
import io.bytekeep.custody.HashRepository;
import io.bytekeep.custody.InMemoryHashRepository;
import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.web.ApiJson;
import io.bytekeep.platform.web.JsonBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Vault's named steps, as the route files call them ({@code ref: proofHasher}, ...). Which hash repository
 * runs is decided here, from {@code bytekeep.vault.*}; the encryption middlewares come from EncryptionConfiguration.
 */
@Configuration(proxyBeanMethods = false)
public class VaultConfiguration {

    private static final int MAX_PAGE = 1000;

    @Bean
    VaultStore vaultStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, ApiJson json, Clock clock) {
        return new VaultStore(jdbc, transactions, json.mapper(), clock);
    }

    @Bean
    MetaReader metaReader(JsonBody body, VaultStore store) {
        return new MetaReader(body, store);
    }

    @Bean
    VaultQueries vaultQueries(VaultStore store) {
        return new VaultQueries(store, MAX_PAGE);
    }

    @Bean
    RawUploadReader rawUploadReader(JsonBody body, VaultStore store, BytekeepProperties properties) {
        BytekeepProperties.Vault vault = properties.vault();
        return new RawUploadReader(body, store, vault.allowEmptyFiles(), vault.maxStreamSize().toBytes(),
                properties.dataDir().resolve("spool"));
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
    HashRepository hashRepository(BytekeepProperties properties) {
        return new InMemoryHashRepository(properties.vault().inMemoryHashCapacity());
    }

    @Bean
    HashRecorder hashRecorder(HashRepository repository) {
        return new HashRecorder(repository);
    }

    @Bean
    Encryptor encryptor(EncryptionMiddleware writer) {
        return new Encryptor(writer);
    }

    @Bean
    OrphanGuard orphanGuard(S3Client s3, BytekeepProperties properties) {
        return new OrphanGuard(s3, properties.storage().rawBucket());
    }

    @Bean
    ObjectKeys objectKeys() {
        return new ObjectKeys();
    }

    @Bean
    RawRecorder rawRecorder(VaultStore store, BytekeepProperties properties) {
        return new RawRecorder(store, properties.events().rawFileReceivedQueue());
    }

    @Bean
    RawVerifier rawVerifier(EncryptionMiddlewares middlewares) {
        return new RawVerifier(middlewares.byName());
    }

    @Bean
    RawFileEncoder rawFileEncoder() {
        return new RawFileEncoder();
    }

    @Bean
    VaultMetrics vaultMetrics(VaultStore store, BytekeepProperties properties, Clock clock) {
        return new VaultMetrics(store, properties.vault().metricsTtl(), clock);
    }
}
