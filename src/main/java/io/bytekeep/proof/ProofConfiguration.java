package io.bytekeep.proof;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.metrics.BacklogGauges;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Proof of existence: which hash repository witnesses the proof hashes ({@code bytekeep.vault.hash-repository}) and,
 * for RFC3161, how ({@code bytekeep.custody.proofs.*}): one TSA request per file (SINGLE) or per Merkle batch (MERKLE,
 * the queue filled by rawRecorder and emptied by the schedule of routes/custody-proofs.camel.yaml).
 */
@Configuration(proxyBeanMethods = false)
public class ProofConfiguration {

    static final String RFC3161 = "RFC3161";

    @Bean
    ProofStore proofStore(NamedParameterJdbcTemplate jdbc, Clock clock) {
        return new ProofStore(jdbc, clock);
    }

    @Bean
    HashRepository hashRepository(BytekeepProperties properties, ProofProperties proofs) {
        if (!RFC3161.equals(properties.vault().hashRepository())) {
            return new InMemoryHashRepository(properties.vault().inMemoryHashCapacity());
        }
        return proofs.merkle() ? new QueuedHashRepository(tsaUrl(proofs).toString()) : new Rfc3161HashRepository(timestampClient(proofs));
    }

    @Bean
    ProofQueue proofQueue(BytekeepProperties properties, ProofProperties proofs, ProofStore store) {
        return batching(properties, proofs) ? store::enqueue : ProofQueue.NONE;
    }

    @Bean
    ProofBatches proofBatches(BytekeepProperties properties, ProofProperties proofs, ProofStore store,
                              TransactionTemplate transactions, Clock clock) {
        if (!batching(properties, proofs)) {
            return ProofBatches.NONE;
        }
        return new MerkleBatcher(store, timestampClient(proofs), proofs.imprintAlgorithm(), transactions, proofs.maxBatchSize(), clock);
    }

    /**
     * {@code bytekeep_proofs_pending} and {@code bytekeep_proofs_oldest_age_seconds}: proof hashes waiting for a
     * timestamped batch (ops/prometheus alerts when they wait much longer than the batch interval).
     */
    @Bean
    MeterBinder proofBacklogMetrics(NamedParameterJdbcTemplate jdbc, Clock clock) {
        return registry -> BacklogGauges.register(registry, "bytekeep.proofs", "proof hashes for a timestamped batch", jdbc,
                "select raw_file_id from raw_file_proof where batch_id is null limit :cap",
                "select queued_at from raw_file_proof where batch_id is null order by queued_at limit 1",
                Duration.ofSeconds(10), clock);
    }

    private static boolean batching(BytekeepProperties properties, ProofProperties proofs) {
        return RFC3161.equals(properties.vault().hashRepository()) && proofs.merkle();
    }

    private static TimestampClient timestampClient(ProofProperties proofs) {
        if (proofs.tsaCertificate() == null || proofs.tsaCertificate().isBlank()) {
            throw new IllegalStateException("bytekeep.vault.hash-repository RFC3161 needs the TSA's certificate (or its CA's) "
                    + "to verify replies: set bytekeep.custody.proofs.tsa-certificate (BYTEKEEP_TSA_CERTIFICATE) to a PEM file");
        }
        return new TimestampClient(tsaUrl(proofs), proofs.imprintAlgorithm(),
                TimestampVerifier.fromFile(Path.of(proofs.tsaCertificate())), proofs.connectTimeout(), proofs.requestTimeout());
    }

    private static URI tsaUrl(ProofProperties proofs) {
        if (proofs.tsaUrl() == null || !proofs.tsaUrl().matches("https?://.+")) {
            throw new IllegalStateException("bytekeep.vault.hash-repository RFC3161 needs the TSA's http(s) URL: set "
                    + "bytekeep.custody.proofs.tsa-url (BYTEKEEP_TSA_URL), e.g. https://freetsa.org/tsr; was '" + proofs.tsaUrl() + "'");
        }
        return URI.create(proofs.tsaUrl());
    }
}
