package io.bytekeep.distribution;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.platform.storage.StorageConfiguration;
import io.bytekeep.publication.ExportFile;
import io.bytekeep.publication.Publication;
import io.bytekeep.publication.PublishPlan;
import io.bytekeep.publication.PublishResult;

/**
 * The steps of one distribution run, in the order routes/distribution-run.camel.yaml calls them: retention of the
 * keys, the keys of the retention window, the export tree and its publish plans, retention of the exports, the summary.
 * The run's uploads are one {@link Publication} (one failure counter, one sum of counts): its archives date by date,
 * the rest of its archives, then its index files, each a {@link PublishPlan} that the route hands to
 * routes/export-upload.camel.yaml. Between the archives and the index files the route publishes the TUF metadata.
 * Each plan checks what must come before it from the publication itself, not from the order of the route's steps:
 * no index file is planned while an archive of the tree is not in the bucket. A run whose tree is not whole in the
 * bucket ends in a {@link PublishResult.Failed}, which the run's error handler reports.
 */
public class DistributionRun {

    private static final Logger LOG = LoggerFactory.getLogger(DistributionRun.class);

    private final DiagnosisKeyStore keys;
    private final ExportTreeBuilder treeBuilder;
    private final String missingTreeBuilderReason;
    private final String bucket;
    private final S3Client exportS3;
    private final int retentionDays;
    private final PublishedInputs publishedInputs;
    private final int maxFailedOperations;
    private final Clock clock;
    private volatile Instant lastCompleted;

    /** @param treeBuilder null when there is no signing key; every run then fails with the reason given */
    public DistributionRun(DiagnosisKeyStore keys, ExportTreeBuilder treeBuilder, String missingTreeBuilderReason,
                           String bucket, S3Client exportS3, int retentionDays, PublishedInputs publishedInputs,
                           int maxFailedOperations, Clock clock) {
        this.keys = keys;
        this.treeBuilder = treeBuilder;
        this.missingTreeBuilderReason = missingTreeBuilderReason;
        this.bucket = bucket;
        this.exportS3 = exportS3;
        this.retentionDays = retentionDays;
        this.publishedInputs = publishedInputs;
        this.maxFailedOperations = maxFailedOperations;
        this.clock = clock;
    }

    /** Retention in the database: deletes the keys submitted before the cutoff date (today - retention days). */
    public void deleteExpiredKeys(Exchange exchange) {
        long now = clock.millis();
        exchange.setProperty(ExchangeProperties.DISTRIBUTION_STARTED, now);
        exchange.setProperty(ExchangeProperties.DISTRIBUTION_PHASE_STARTED, now);
        exchange.setProperty(ExchangeProperties.DISTRIBUTION_PHASES, new LinkedHashMap<String, Long>());
        int deleted = keys.deleteSubmittedBefore(cutoffHour());
        if (deleted > 0) {
            LOG.info("Distribution run: deleted {} keys submitted before {}", deleted, cutoffDate());
        }
        phaseDone(exchange, "keyRetention");
    }

    /**
     * Whether the tree the last completed run published is the tree this run would build ({@link PublishedInputs}):
     * the same inputs, and its central index still in the bucket. Then the run loads, builds and uploads nothing; its
     * summary is the last run's, every file skipped.
     */
    public boolean publishedTreeIsCurrent(Exchange exchange) {
        if (treeBuilder == null) {
            return false;
        }
        String inputs = publishedInputs.inputs(currentHour(), cutoffHour(), keys.stateSince(cutoffHour()),
                publishedInputs.documentsFile());
        PublishedInputs.Published current = publishedInputs.currentWith(inputs, treeBuilder.paths().centralIndex());
        if (current != null) {
            exchange.setProperty(ExchangeProperties.DISTRIBUTION_KEYS, Math.toIntExact(current.keys()));
            exchange.setProperty(ExchangeProperties.DISTRIBUTION_RESULT, PublishResult.unchanged(current.archives(), current.indexes()));
        }
        phaseDone(exchange, "check");
        return current != null;
    }

    /**
     * The start of a full run: answers the dates of the retention window, ascending, for {@link #archivesOf} one by
     * one. The keys of the window are counted for the run's inputs before any is loaded: a key stored later is in the
     * tree but not in the recorded inputs, so the next run is a full one again (never the other way round: only key
     * retention deletes keys, and it ran before). From here on the run changes the bucket: the record of the last
     * completed run goes until this one completes. The run's uploads start: one {@link Publication}.
     */
    public List<LocalDate> startTree(Exchange exchange) {
        if (treeBuilder == null) {
            throw new IllegalStateException(missingTreeBuilderReason);
        }
        byte[] documents = publishedInputs.documentsFile();
        exchange.setProperty(ExchangeProperties.DISTRIBUTION_DOCUMENTS, documents);
        exchange.setProperty(ExchangeProperties.DISTRIBUTION_INPUTS, publishedInputs.inputs(currentHour(), cutoffHour(), keys.stateSince(cutoffHour()),
                documents));
        publishedInputs.forget();
        exchange.setProperty(ExchangeProperties.DISTRIBUTION_ASSEMBLY, treeBuilder.start());
        exchange.setProperty(ExchangeProperties.DISTRIBUTION_PUBLICATION, new Publication(maxFailedOperations));
        try {
            StorageConfiguration.createIfMissing(exportS3, bucket);
        } catch (SdkException e) {
            // the uploads fail as well, and are retried and counted there
            LOG.warn("Cannot check the export bucket {}: {}", bucket, e.getMessage());
        }
        return cutoffDate().datesUntil(DistributionTimeSlots.dateOf(currentHour()).plusDays(1)).toList();
    }

    /**
     * The keys submitted on the date, loaded, and the plan of the archives they complete (of that date, or with keys
     * shifted from earlier dates), in parallel: to be uploaded before the next date's keys are loaded.
     */
    public PublishPlan archivesOf(LocalDate date, Exchange exchange) {
        long firstHour = DistributionTimeSlots.firstHourOf(date);
        List<ExportFile> archives = assembly(exchange).add(date, keys.submittedBetween(firstHour,
                DistributionTimeSlots.firstHourOf(date.plusDays(1))));
        return publication(exchange).plan(PublishPlan.Batch.parallel("archives of " + date, archives));
    }

    /** After the last date: the whole tree, archives first (most of them uploaded date by date), then the index files. */
    public List<ExportFile> finishTree(Exchange exchange) {
        ExportTreeBuilder.Assembly assembly = assembly(exchange);
        List<ExportFile> tree = assembly.finish();
        exchange.setProperty(ExchangeProperties.DISTRIBUTION_KEYS, assembly.keys());
        exchange.removeProperty(ExchangeProperties.DISTRIBUTION_ASSEMBLY);
        String centralIndex = treeBuilder.paths().centralIndex();
        tree.stream().filter(file -> file.objectKey().equals(centralIndex)).findFirst()
                .ifPresent(file -> exchange.setProperty(ExchangeProperties.DISTRIBUTION_CENTRAL_INDEX_HASH, file.cwaHash()));
        phaseDone(exchange, "archives");
        return tree;
    }

    private static ExportTreeBuilder.Assembly assembly(Exchange exchange) {
        ExportTreeBuilder.Assembly assembly = exchange.getProperty(ExchangeProperties.DISTRIBUTION_ASSEMBLY, ExportTreeBuilder.Assembly.class);
        if (assembly == null) {
            throw new IllegalStateException("no tree under way: the run route calls distributionRun.startTree first");
        }
        return assembly;
    }

    /**
     * The plan of the tree's archives not planned yet ({@link ExchangeProperties#EXPORT_TREE}: the configuration documents, and any archive the
     * dates did not complete), in parallel.
     */
    public PublishPlan archivePlan(Exchange exchange) {
        List<ExportFile> archives = tree(exchange).stream().filter(ExportFile::isArchive).toList();
        Publication publication = publication(exchange);
        return publication.plan(PublishPlan.Batch.parallel("archives", publication.unplanned(archives)));
    }

    /**
     * After the archives: nothing, or {@link PublishResult.Failed} (ending the run) when one is not in the bucket, as
     * nothing may name it then: neither the TUF publication nor an index file.
     */
    public void archivesUploaded(Exchange exchange) {
        List<ExportFile> archives = tree(exchange).stream().filter(ExportFile::isArchive).toList();
        Publication publication = publication(exchange);
        List<ExportFile> missing = publication.missing(archives);
        if (!missing.isEmpty() || publication.total().failedOperations() > 0) {
            PublishResult progress = progress(exchange);
            LOG.warn("{} archive(s) not in the bucket ({} failed operations): none of the {} index files is uploaded",
                    missing.size(), progress.failedOperations(), progress.indexes());
            throw new PublishResult.Failed(progress);
        }
    }

    /**
     * The plan of the tree's index files, one after the other in the tree's order (deepest first), a failure
     * stopping the rest; {@link PublishResult.Failed} instead if an archive of the tree is not in the bucket.
     */
    public PublishPlan indexPlan(Exchange exchange) {
        archivesUploaded(exchange);
        List<ExportFile> indexes = tree(exchange).stream().filter(file -> !file.isArchive()).toList();
        return publication(exchange).plan(PublishPlan.Batch.inOrder("index files", indexes));
    }

    /**
     * After the index files: keeps what the run's uploads did for the summary, or {@link PublishResult.Failed} unless
     * every file of the tree is in the bucket.
     */
    public void uploaded(Exchange exchange) {
        List<ExportFile> tree = tree(exchange);
        Publication publication = publication(exchange);
        PublishResult progress = progress(exchange);
        if (!publication.missing(tree).isEmpty() || !progress.succeeded()) {
            throw new PublishResult.Failed(progress);
        }
        exchange.setProperty(ExchangeProperties.DISTRIBUTION_RESULT, progress);
        phaseDone(exchange, "upload");
    }

    /**
     * What the uploads of the run under way did so far, the files of its tree not planned yet counted as not
     * attempted (for the report of a run that failed); null before its uploads started.
     */
    static PublishResult progress(Exchange exchange) {
        Publication publication = exchange.getProperty(ExchangeProperties.DISTRIBUTION_PUBLICATION, Publication.class);
        if (publication == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        List<ExportFile> tree = exchange.getProperty(ExchangeProperties.EXPORT_TREE, List.class);
        PublishResult total = publication.total();
        return tree == null ? total : total.plus(PublishResult.notAttempted(publication.unplanned(tree)));
    }

    private static Publication publication(Exchange exchange) {
        Publication publication = exchange.getProperty(ExchangeProperties.DISTRIBUTION_PUBLICATION, Publication.class);
        if (publication == null) {
            throw new IllegalStateException("no upload under way: the run route calls distributionRun.startTree first");
        }
        return publication;
    }

    @SuppressWarnings("unchecked")
    private static List<ExportFile> tree(Exchange exchange) {
        List<ExportFile> tree = exchange.getProperty(ExchangeProperties.EXPORT_TREE, List.class);
        if (tree == null) {
            throw new IllegalStateException("no export tree on the exchange (property " + ExchangeProperties.EXPORT_TREE + "): the run route sets "
                    + "it after distributionRun.finishTree");
        }
        return tree;
    }

    /**
     * Retention in the export bucket: deletes every object under the prefixes of dates before the cutoff. Runs after
     * the upload, so the new listings no longer name those dates ({@link ExportPaths#retentionPrefixes}).
     */
    public void deleteExpiredExports(Exchange exchange) {
        List<String> existing = new ArrayList<>();
        exportS3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> existing.add(o.key()));
        List<String> prefixes = new ExportPaths(treeBuilder.settings().version()).retentionPrefixes(cutoffDate(), existing);
        List<String> doomed = existing.stream()
                .filter(key -> prefixes.stream().anyMatch(prefix -> key.equals(prefix) || key.startsWith(prefix + "/")))
                .toList();
        // one DELETE per object: S3Proxy answers the multi-object delete with 501 for the SDK's checksum header
        for (String key : doomed) {
            exportS3.deleteObject(b -> b.bucket(bucket).key(key));
        }
        if (!doomed.isEmpty()) {
            LOG.info("Distribution run: deleted {} export objects of dates before {}", doomed.size(), cutoffDate());
        }
        phaseDone(exchange, "exportRetention");
    }

    /** The end of a completed full run: its inputs recorded, for the next run to compare with its own. */
    public void published(Exchange exchange) {
        PublishResult result = exchange.getProperty(ExchangeProperties.DISTRIBUTION_RESULT, PublishResult.class);
        publishedInputs.record(new PublishedInputs.Published(exchange.getProperty(ExchangeProperties.DISTRIBUTION_INPUTS, String.class),
                exchange.getProperty(ExchangeProperties.DISTRIBUTION_CENTRAL_INDEX_HASH, String.class), result.archives(), result.indexes(),
                exchange.getProperty(ExchangeProperties.DISTRIBUTION_KEYS, Long.class)));
    }

    /** The summary of a completed run, logged and answered to a manual trigger. */
    public Map<String, Object> summary(Exchange exchange) {
        PublishResult result = exchange.getProperty(ExchangeProperties.DISTRIBUTION_RESULT, PublishResult.class);
        long started = exchange.getProperty(ExchangeProperties.DISTRIBUTION_STARTED, clock.millis(), Long.class);
        Map<String, Object> summary = summarize("completed", result, clock.millis() - started, exchange);
        lastCompleted = clock.instant();
        LOG.info("Distribution run completed: {} keys, {} archives, {} index files, {} uploaded, {} skipped, {} bytes, "
                        + "{} ms {}", summary.get("keys"), result.archives(), result.indexes(), result.uploaded(),
                result.skipped(), result.bytes(), summary.get("millis"), summary.get("phases"));
        return summary;
    }

    /**
     * When the last run of this process completed (its tree whole in the bucket), as seconds since the epoch; NaN
     * before the first ({@code bytekeep_distribution_last_completed_seconds}).
     */
    public double lastCompletedEpochSeconds() {
        Instant completed = lastCompleted;
        return completed == null ? Double.NaN : completed.toEpochMilli() / 1000.0;
    }

    static Map<String, Object> summarize(String status, PublishResult result, long millis, Exchange exchange) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("status", status);
        summary.put("keys", exchange.getProperty(ExchangeProperties.DISTRIBUTION_KEYS));
        if (result != null) {
            summary.put("archives", result.archives());
            summary.put("indexes", result.indexes());
            summary.put("uploaded", result.uploaded());
            summary.put("skipped", result.skipped());
            summary.put("bytes", result.bytes());
            summary.put("retries", result.retries());
            summary.put("failedOperations", result.failedOperations());
            summary.put("notAttempted", result.notAttempted());
        }
        summary.put("millis", millis);
        summary.put("phases", exchange.getProperty(ExchangeProperties.DISTRIBUTION_PHASES));
        return summary;
    }

    @SuppressWarnings("unchecked")
    private void phaseDone(Exchange exchange, String phase) {
        long now = clock.millis();
        long started = exchange.getProperty(ExchangeProperties.DISTRIBUTION_PHASE_STARTED, now, Long.class);
        Map<String, Long> phases = exchange.getProperty(ExchangeProperties.DISTRIBUTION_PHASES, Map.class);
        if (phases != null) {
            phases.put(phase, now - started);
        }
        exchange.setProperty(ExchangeProperties.DISTRIBUTION_PHASE_STARTED, now);
    }

    private LocalDate cutoffDate() {
        return ExportPaths.retentionCutoff(clock, retentionDays);
    }

    private long currentHour() {
        return DistributionTimeSlots.hourOf(clock.instant());
    }

    private long cutoffHour() {
        return DistributionTimeSlots.firstHourOf(cutoffDate());
    }
}
