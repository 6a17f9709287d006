package io.bytekeep.trust;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.paginators.ListObjectsV2Iterable;

import io.bytekeep.publication.ExportFile;
import io.bytekeep.publication.Publication;
import io.bytekeep.publication.PublishPlan;
import io.bytekeep.publication.PublishResult;
import io.bytekeep.publication.Upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TUF lock is taken and released inside each publication step: a publication whose upload fails leaves the
 * next one free to run, and its plan is the copies in parallel, then the metadata in order, timestamp.json last. In a
 * run it goes after every archive and before any index file is in the bucket, or fails.
 */
class TrustPublisherLockTest {

    /** An empty bucket: every HEAD is 404, every listing empty. */
    private static S3Client emptyBucket() {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "headObject" -> throw NoSuchKeyException.builder().statusCode(404).build();
                    case "listObjectsV2Paginator" -> new ListObjectsV2Iterable((S3Client) proxy,
                            ListObjectsV2Request.builder().bucket("b").build());
                    case "listObjectsV2" -> ListObjectsV2Response.builder().isTruncated(false).build();
                    case "close" -> null;
                    case "serviceName" -> "s3";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static TrustPublisher publisher(Function<PublishPlan, PublishResult> upload) {
        S3Client s3 = emptyBucket();
        TrustRepository repository = new TrustRepository(new HashBins(4), TestTrustKeys.keys(),
                TrustRepository.Expiries.defaults(), Clock.systemUTC(), new InMemoryTrustStateStore());
        return new TrustPublisher(repository, null, s3, upload,
                new SupersededFiles(repository, "tuf", s3, "b", Duration.ofDays(1), Clock.systemUTC()),
                new TrustPublisher.Settings(true, "b", "tuf", 100, 5));
    }

    private static List<ExportFile> tree() {
        return List.of(ExportFile.index("version/v1/index.txt", "x".getBytes(StandardCharsets.UTF_8), ExportFile.TEXT_PLAIN));
    }

    @Test
    void aFailedUploadReleasesTheLockAndTheNextPublicationRuns() {
        List<PublishPlan> plans = new ArrayList<>();
        boolean[] fail = {true};
        TrustPublisher publisher = publisher(plan -> {
            plans.add(plan);
            if (fail[0]) {
                throw new IllegalStateException("the bucket is away");
            }
            return PublishResult.NONE;
        });

        assertThatThrownBy(() -> publisher.publishTree(tree())).hasMessageContaining("the bucket is away");
        fail[0] = false;
        assertThat(publisher.refresh()).as("not 'another TUF publication is still under way'").containsKey("timestamp");

        PublishPlan first = plans.get(0);
        assertThat(first.batches()).hasSize(2);
        assertThat(first.batches().get(0).parallel()).isTrue();
        assertThat(first.batches().get(0).files()).extracting(ExportFile::objectKey)
                .singleElement().asString().matches("version/v1/[0-9a-f]{64}\\.index\\.txt");
        assertThat(first.batches().get(1).parallel()).isFalse();
        assertThat(first.batches().get(1).stopsOnFailure()).isTrue();
        assertThat(first.batches().get(1).files()).last().extracting(ExportFile::objectKey).isEqualTo("tuf/timestamp.json");
    }

    @Test
    void anUploadThatLeavesAFileOutFailsThePublicationAndReleasesTheLock() {
        PublishResult missing = new PublishResult(0, 1, 0, 0, 0, 0, 1, List.of("tuf/timestamp.json"), 0, false);
        boolean[] fail = {true};
        TrustPublisher publisher = publisher(plan -> fail[0] ? missing : PublishResult.NONE);
        assertThatThrownBy(() -> publisher.publishTree(tree())).isInstanceOf(PublishResult.Failed.class);
        fail[0] = false;
        assertThat(publisher.publishTree(tree())).containsKey("snapshot");
    }

    @Test
    void anArchiveNotInTheBucketIsNotPublished() {
        TrustPublisher publisher = publisher(plan -> PublishResult.NONE);
        byte[] bin = {1, 2, 3};
        ExportFile archive = ExportFile.archive("version/v1/a/hour/1", ExportFile.Kind.HOURLY_ARCHIVE, bin, bin);
        assertThatThrownBy(() -> publisher.publishTree(List.of(archive))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("upload the tree's archives first");
        assertThat(publisher.publishTree(tree())).as("the lock is free").containsKey("timestamp");
    }

    @Test
    void indexFilesUploadedBeforeTheTufMetadataFailThePublication() {
        TrustPublisher publisher = publisher(plan -> PublishResult.NONE);
        List<ExportFile> tree = tree();
        Upload upload = new Upload(new Publication(5)
                .plan(PublishPlan.Batch.inOrder("index files", tree)));
        upload.uploaded(tree.get(0));
        assertThatThrownBy(() -> publisher.publishTree(tree)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before the index files");
    }
}
