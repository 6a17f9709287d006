package io.bytekeep.trust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.publication.PublishPlan;
import io.bytekeep.publication.PublishResult;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The TUF repository of routes/trust-publish.camel.yaml: keys from {@code bytekeep.trust.keys.*} (in the embedded
 * default generated on first start under {@code <data-dir>/trust/}: Ed25519 for root, targets, snapshot and
 * timestamp, ECDSA P-256 for bins and the bin roles, as the seed), the state in the database, the export bucket.
 * Enabled without keys and without generation (production), the start fails naming the missing keys.
 */
@Configuration(proxyBeanMethods = false)
public class TrustConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(TrustConfiguration.class);

    /** The route that uploads a publish plan (routes/export-upload.camel.yaml). */
    static final String EXPORT_UPLOAD = "direct:export-upload";

    /**
     * The publication steps. A publication's files go through routes/export-upload.camel.yaml (its retries and
     * error handler), called from inside the step that holds the TUF lock.
     */
    @Bean
    TrustPublisher trustPublisher(TrustProperties trust, BytekeepProperties properties,
                                  @Qualifier("exportS3Client") S3Client exportS3, JdbcTemplate jdbc,
                                  TransactionTemplate transactions, ProducerTemplate producer, Clock clock,
                                  @Value("${bytekeep.generate-missing-secrets:false}") boolean generate) {
        String bucket = properties.distribution().exportBucket();
        TrustPublisher.Settings settings = new TrustPublisher.Settings(trust.enabled(), bucket, trust.metadataPrefix(),
                trust.lockTimeout().toMillis(), properties.distribution().maxFailedOperations());
        if (!trust.enabled()) {
            return new TrustPublisher(null, null, exportS3, plan -> upload(producer, plan), null, settings);
        }
        Path dir = properties.dataDir().resolve("trust");
        TrustProperties.Keys k = trust.keys();
        TrustRepository.Keys keys = new TrustRepository.Keys(
                signer("root", k.rootKey(), TrustSigner.KeyType.ED25519, generate, dir),
                signer("targets", k.targetsKey(), TrustSigner.KeyType.ED25519, generate, dir),
                signer("snapshot", k.snapshotKey(), TrustSigner.KeyType.ED25519, generate, dir),
                signer("timestamp", k.timestampKey(), TrustSigner.KeyType.ED25519, generate, dir),
                signer("bins", k.binsKey(), TrustSigner.KeyType.ECDSA, generate, dir),
                signer("bin", k.binKey(), TrustSigner.KeyType.ECDSA, generate, dir));
        TrustSigner previousRoot = k.previousRootKey() == null || k.previousRootKey().isBlank() ? null
                : TrustSigner.fromPem(pem(k.previousRootKey()));
        TrustProperties.Expiry e = trust.expiry();
        TrustRepository repository = new TrustRepository(new HashBins(trust.numberOfBins()), keys,
                new TrustRepository.Expiries(e.root(), e.targets(), e.bins(), e.bin(), e.snapshot(), e.timestamp()),
                clock, new JdbcTrustStateStore(jdbc, transactions));
        SupersededFiles superseded = new SupersededFiles(repository, trust.metadataPrefix(), exportS3, bucket,
                trust.keepSuperseded(), clock);
        return new TrustPublisher(repository, previousRoot, exportS3, plan -> upload(producer, plan), superseded,
                settings);
    }

    /** The plan uploaded by routes/export-upload.camel.yaml; what fails there fails the caller as it is. */
    private static PublishResult upload(ProducerTemplate producer, PublishPlan plan) {
        try {
            return producer.requestBody(EXPORT_UPLOAD, plan, PublishResult.class);
        } catch (CamelExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * {@code bytekeep_trust_timestamp_expiry_seconds}: seconds until the committed timestamp.json expires (NaN without
     * one, or with the publication off); ops/prometheus alerts before clients would refuse it.
     */
    @Bean
    MeterBinder trustMetrics(TrustPublisher publisher, Clock clock) {
        return registry -> Gauge.builder("bytekeep.trust.timestamp.expiry", publisher, p -> {
                    Metadata timestamp = p.isEnabled() ? p.repository().metadata(TrustRepository.TIMESTAMP) : null;
                    return timestamp == null ? Double.NaN
                            : Duration.between(clock.instant(), timestamp.expires()).toMillis() / 1000.0;
                }).baseUnit("seconds").description("time until the published TUF timestamp expires")
                .register(registry);
    }

    @Bean
    TrustFileCheck trustFileCheck(TrustPublisher publisher, Clock clock) {
        return new TrustFileCheck(publisher.repository(), new TrustVerifier(clock));
    }

    /**
     * The configured key; else, in the embedded default, the one generated on first start in {@code dir}; else a
     * start-up failure naming the key.
     */
    private static TrustSigner signer(String role, String configured, TrustSigner.KeyType type, boolean generate,
                                      Path dir) {
        if (configured != null && !configured.isBlank()) {
            return TrustSigner.fromPem(pem(configured));
        }
        if (!generate) {
            throw new IllegalStateException("TUF publishing (bytekeep.trust.enabled) needs a " + role + " key: set "
                    + "BYTEKEEP_TRUST_" + role.toUpperCase(Locale.ROOT) + "_KEY (PKCS#8 PEM text or a file path), "
                    + "or bytekeep.trust.enabled=false");
        }
        Path file = dir.resolve(role + ".pem");
        try {
            if (!Files.isRegularFile(file)) {
                Files.createDirectories(dir);
                Files.createFile(file);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
                Files.writeString(file, TrustSigner.generate(type).privateKeyPem());
                LOG.info("Generated the TUF {} key ({}) for the embedded default in {}", role, type, file);
            }
            return TrustSigner.fromPem(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the TUF " + role + " key in " + dir, e);
        }
    }

    private static String pem(String configured) {
        try {
            return configured.contains("-----BEGIN") ? configured : Files.readString(Path.of(configured.trim()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TUF key file " + configured.trim(), e);
        }
    }
}
