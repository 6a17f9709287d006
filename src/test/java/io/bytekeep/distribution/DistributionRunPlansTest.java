package io.bytekeep.distribution;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.bytekeep.platform.ExchangeProperties;
import io.bytekeep.publication.ExportFile;
import io.bytekeep.publication.Publication;
import io.bytekeep.publication.PublishPlan;
import io.bytekeep.publication.PublishResult;
import io.bytekeep.publication.Upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The run's publish plans: each checks from the run's publication what must be in the bucket before it, so a step of
 * the run route that is dropped or moved fails the run instead of publishing an index that names a missing archive.
 */
class DistributionRunPlansTest {

    private final DistributionRun run = new DistributionRun(null, null, "no signing key", "exports", null, 14, null, 5,
            Clock.systemUTC());

    private static ExportFile archive(String key) {
        byte[] content = key.getBytes(StandardCharsets.UTF_8);
        return ExportFile.archive(key, ExportFile.Kind.HOURLY_ARCHIVE, content, content);
    }

    private static Exchange runUnderWay(List<ExportFile> tree) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(ExchangeProperties.DISTRIBUTION_PUBLICATION, new Publication(5));
        exchange.setProperty(ExchangeProperties.EXPORT_TREE, tree);
        return exchange;
    }

    /** Uploads every file of the plan, as export-upload does when the bucket takes them all. */
    private static void uploadAll(PublishPlan plan) {
        Upload upload = new Upload(plan);
        upload.stages().forEach(stage -> stage.puts().forEach(put -> upload.uploaded(put.file())));
        upload.finish();
    }

    /** A tree of two archives and two index files (deepest first), none in the bucket yet. */
    private static List<ExportFile> fresh() {
        return List.of(archive("a/hour/0"), archive("a/hour/1"),
                ExportFile.index("a/hour", "[0,1]".getBytes(StandardCharsets.UTF_8), ExportFile.APPLICATION_JSON),
                ExportFile.index("version", "[\"v1\"]".getBytes(StandardCharsets.UTF_8), ExportFile.APPLICATION_JSON));
    }

    @Test
    void aRunCompletesWhenItsArchivesThenItsIndexFilesAreInTheBucket() {
        Exchange exchange = runUnderWay(fresh());
        uploadAll(run.archivePlan(exchange));
        run.archivesUploaded(exchange);
        PublishPlan indexes = run.indexPlan(exchange);
        assertThat(indexes.batches()).singleElement().satisfies(batch -> {
            assertThat(batch.parallel()).isFalse();
            assertThat(batch.stopsOnFailure()).isTrue();
            assertThat(batch.files()).extracting(ExportFile::objectKey).containsExactly("a/hour", "version");
        });
        uploadAll(indexes);
        run.uploaded(exchange);
        PublishResult result = exchange.getProperty(ExchangeProperties.DISTRIBUTION_RESULT, PublishResult.class);
        assertThat(result.succeeded()).isTrue();
        assertThat(result.archives()).isEqualTo(2);
        assertThat(result.indexes()).isEqualTo(2);
        assertThat(result.uploaded()).isEqualTo(4);
    }

    @Test
    void aFailedArchiveHoldsBackEveryIndexFile() {
        Exchange exchange = runUnderWay(fresh());
        Upload upload = new Upload(run.archivePlan(exchange));
        List<Upload.Put> puts = upload.stages().get(0).puts();
        upload.uploaded(puts.get(0).file());
        upload.retrying();
        upload.failed(puts.get(1));
        upload.finish();

        assertThat(upload.isStopped()).isFalse();
        assertThatThrownBy(() -> run.indexPlan(exchange)).isInstanceOfSatisfying(PublishResult.Failed.class, failed -> {
            assertThat(failed.result().failedKeys()).containsExactly("a/hour/1");
            assertThat(failed.result().notAttempted()).isEqualTo(2);
            assertThat(failed.result().retries()).isEqualTo(1);
            assertThat(failed.result().aborted()).isFalse();
        });
    }

    @Test
    void droppedOrReorderedStepsFailTheRunLoudly() {
        Exchange withoutArchives = runUnderWay(fresh());
        assertThatThrownBy(() -> run.archivesUploaded(withoutArchives)).as("the archives' upload dropped")
                .isInstanceOfSatisfying(PublishResult.Failed.class,
                        failed -> assertThat(failed.result().notAttempted()).isEqualTo(4));
        assertThatThrownBy(() -> run.indexPlan(withoutArchives)).as("index files before the archives")
                .isInstanceOf(PublishResult.Failed.class);

        Exchange withoutIndexes = runUnderWay(fresh());
        uploadAll(run.archivePlan(withoutIndexes));
        assertThatThrownBy(() -> run.uploaded(withoutIndexes)).as("the index files' upload dropped")
                .isInstanceOfSatisfying(PublishResult.Failed.class,
                        failed -> assertThat(failed.result().notAttempted()).isEqualTo(2));
        assertThat(run.indexPlan(withoutIndexes).files()).hasSize(2);
        assertThatThrownBy(() -> run.indexPlan(withoutIndexes)).as("the index files planned twice")
                .isInstanceOf(IllegalArgumentException.class);

        Exchange noRun = new DefaultExchange(new DefaultCamelContext());
        assertThatThrownBy(() -> run.archivePlan(noRun)).as("no startTree before").isInstanceOf(IllegalStateException.class);
    }
}
