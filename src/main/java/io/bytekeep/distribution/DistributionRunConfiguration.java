package io.bytekeep.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import io.bytekeep.platform.BytekeepProperties;
import io.bytekeep.platform.web.ApiJson;
import io.bytekeep.publication.ExportUploader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The distribution run of routes/distribution-run.camel.yaml: the export tree (policies, encoder, signer), the
 * uploader on {@code exportS3Client}, the failure report and its durable queue; settings from
 * {@code bytekeep.distribution.*}.
 */
@Configuration(proxyBeanMethods = false)
public class DistributionRunConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(DistributionRunConfiguration.class);

    /** File names of the key generated for the embedded default, under {@code <data-dir>/distribution}. */
    static final String GENERATED_KEY = "export-signing-key.pem";
    static final String GENERATED_PUBLIC_KEY = "export-signing-key.pub.pem";

    @Bean
    Queue distributionFailureQueue(BytekeepProperties properties) {
        return QueueBuilder.durable(properties.distribution().failureQueue()).build();
    }

    /** The signer of every published file, or (signer null) why there is none. */
    record ExportSigning(ExportSigner signer, String missingReason) {
    }

    @Bean
    ExportSigning exportSigning(BytekeepProperties properties,
                                @Value("${bytekeep.generate-missing-secrets:false}") boolean generate) {
        PrivateKey signingKey = signingKey(properties.distribution().signingKeyPem(), generate, properties.dataDir());
        if (signingKey == null) {
            String reason = "no export signing key: set BYTEKEEP_EXPORT_SIGNING_KEY (PKCS#8 PEM text or a file path)";
            LOG.warn("Distribution runs fail until a signing key is configured: {}", reason);
            return new ExportSigning(null, reason);
        }
        return new ExportSigning(new ExportSigner(signingKey), null);
    }

    @Bean
    DistributionRun distributionRun(BytekeepProperties properties, DiagnosisKeyStore keys, ExportSigning signing,
                                    @Qualifier("exportS3Client") S3Client exportS3, PublishedInputs publishedInputs,
                                    Clock clock) {
        BytekeepProperties.Distribution d = properties.distribution();
        TransmissionRiskEncoding riskEncoding = transmissionRiskEncoding(d.transmissionRiskEncoding());
        SmallBundlePolicy smallBundlePolicy = smallBundlePolicy(d);
        ExportTreeBuilder builder = signing.signer() == null ? null
                : new ExportTreeBuilder(ExportTreeBuilder.Settings.cwaDefaults(d.supportedCountries(), d.originCountry(),
                        d.maximumKeysPerBundle(), d.minimumTransmissionRiskLevel()),
                new ExpiryPolicy(d.expiryPolicyMinutes()), smallBundlePolicy,
                new ExportEncoder(signatureSettings(d), riskEncoding), signing.signer(), new ArchiveZipper(), clock);
        return new DistributionRun(keys, builder, signing.missingReason(), d.exportBucket(), exportS3, d.retentionDays(),
                publishedInputs, d.maxFailedOperations(), clock);
    }

    /** {@code bytekeep_distribution_last_completed_seconds}: ops/prometheus alerts when runs stop completing. */
    @Bean
    MeterBinder distributionRunMetrics(DistributionRun run) {
        return registry -> Gauge.builder("bytekeep.distribution.last.completed", run,
                        DistributionRun::lastCompletedEpochSeconds).baseUnit("seconds")
                .description("when the last distribution run of this instance completed, seconds since the epoch")
                .register(registry);
    }

    /**
     * The inputs of the last completed run. The settings part is one digest of every distribution and TUF setting and
     * of the signing key: whatever of them changes, the next run builds the tree again.
     */
    @Bean
    PublishedInputs publishedInputs(BytekeepProperties properties, ExportSigning signing, Environment environment,
                                    ConfigurationPublication documents, NamedParameterJdbcTemplate jdbc,
                                    @Qualifier("exportS3Client") S3Client exportS3, Clock clock) {
        String trust = Binder.get(environment).bind("bytekeep.trust", Bindable.mapOf(String.class, Object.class))
                .map(Object::toString).orElse("");
        String settings = PublishedInputs.settingsDigest(properties.distribution().toString(), trust,
                signing.signer() == null ? null : signing.signer().publicKey());
        return new PublishedInputs(jdbc, exportS3, properties.distribution().exportBucket(), settings, documents, clock);
    }

    /** The configuration documents; a file that does not read, or does not decode the published TRLs, stops the start. */
    @Bean
    ConfigurationPublication configurationPublication(BytekeepProperties properties, ExportSigning signing) {
        BytekeepProperties.Distribution d = properties.distribution();
        ConfigurationFiles files = signing.signer() == null ? null
                : new ConfigurationFiles(d.originCountry(), signatureSettings(d), signing.signer(), new ArchiveZipper());
        return new ConfigurationPublication(d.configurationFile(), d.supportedCountries(),
                transmissionRiskEncoding(d.transmissionRiskEncoding()), d.minimumTransmissionRiskLevel(), files);
    }

    private static SignatureSettings signatureSettings(BytekeepProperties.Distribution d) {
        return SignatureSettings.cwaDefaults(d.appBundleId(), d.androidPackage());
    }

    @Bean
    ExportUploader exportUploader(BytekeepProperties properties, @Qualifier("exportS3Client") S3Client exportS3) {
        BytekeepProperties.Distribution d = properties.distribution();
        return new ExportUploader(exportS3, new ExportUploader.Settings(d.exportBucket(), d.cacheMaxAge(), d.publicRead(),
                d.uploadThreads(), d.retryAttempts(), d.retryBackoffMillis(), d.maxFailedOperations()));
    }

    /** Counts each retry of the upload route's error handler (its onRedelivery step). */
    @Bean
    org.apache.camel.Processor exportUploadRetry(ExportUploader uploader) {
        return uploader::retrying;
    }

    @Bean
    DistributionFailures distributionFailures(MeterRegistry registry, ApiJson json, Clock clock) {
        return new DistributionFailures(registry, json.mapper(), clock);
    }

    /** Shifting (CWA's) or padding with fake keys; padding without a secret of 32 characters stops the start. */
    static SmallBundlePolicy smallBundlePolicy(BytekeepProperties.Distribution d) {
        int threshold = d.shiftingPolicyThreshold();
        if (!d.smallBundlePolicy().equals("pad")) {
            return new ShiftingPolicy(threshold);
        }
        byte[] secret = d.paddingSecret() == null ? new byte[0] : d.paddingSecret().getBytes(StandardCharsets.UTF_8);
        if (secret.length < PaddingPolicy.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("bytekeep.distribution.padding-secret (BYTEKEEP_PADDING_SECRET) must have at least "
                    + PaddingPolicy.MIN_SECRET_BYTES + " characters with small-bundle-policy pad");
        }
        return new PaddingPolicy(threshold, secret);
    }

    /** The table of the settings, or null when keys are published as submitted; a bad table stops the start. */
    static TransmissionRiskEncoding transmissionRiskEncoding(BytekeepProperties.TransmissionRiskEncoding table) {
        if (!table.enabled()) {
            return null;
        }
        String prefix = "bytekeep.distribution.transmission-risk-encoding";
        Map<Integer, ReportType> reportTypes = new HashMap<>();
        table.reportType().forEach((level, name) -> {
            try {
                reportTypes.put(level, ReportType.valueOf(name.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + ".report-type." + level + ": " + name
                        + " is not a report type; one of " + Arrays.toString(ReportType.values()), e);
            }
        });
        try {
            return new TransmissionRiskEncoding(reportTypes, table.daysSinceOnsetOfSymptoms());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ": " + e.getMessage(), e);
        }
    }

    /**
     * The configured key (PEM text, or the path of a PEM file); else, in the embedded default, a key generated on
     * first start under {@code <data-dir>/distribution/}, its public key beside it; else null.
     */
    static PrivateKey signingKey(String configured, boolean generate, Path dataDir) {
        try {
            if (configured != null && !configured.isBlank()) {
                String pem = configured.contains("-----BEGIN") ? configured : Files.readString(Path.of(configured.trim()));
                return ExportSigningKey.fromPem(pem);
            }
            if (!generate) {
                return null;
            }
            Path dir = dataDir.resolve("distribution");
            Path file = dir.resolve(GENERATED_KEY);
            Path publicFile = dir.resolve(GENERATED_PUBLIC_KEY);
            if (!Files.isRegularFile(file)) {
                Files.createDirectories(dir);
                KeyPair pair = ExportSigningKey.generate();
                Files.createFile(file);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
                Files.writeString(file, ExportSigningKey.toPem(pair.getPrivate()));
                Files.writeString(publicFile, ExportSigningKey.toPem(pair.getPublic()));
                LOG.info("Generated an export signing key for the embedded default in {}", file);
            }
            LOG.info("Exports are signed with the key in {}; its public key (for verification) is {}", file, publicFile);
            return ExportSigningKey.fromPem(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the export signing key", e);
        }
    }
}
