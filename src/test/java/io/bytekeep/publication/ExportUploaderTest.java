package io.bytekeep.publication;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bytekeep.platform.ExchangeProperties;

/** The steps of the upload route: change detection by HEAD, headers of the put, an upload of a plan and its decisions. */
class ExportUploaderTest {

    /** Metadata by key, as a bucket answers HEADs. */
    static final class FakeS3 {
        final Map<String, Map<String, String>> objects = new ConcurrentHashMap<>();
        final Map<String, Long> lengths = new ConcurrentHashMap<>();

        @SuppressWarnings("unchecked")
        S3Client client() {
            return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "headObject" -> {
                            HeadObjectRequest.Builder head = HeadObjectRequest.builder();
                            ((Consumer<HeadObjectRequest.Builder>) args[0]).accept(head);
                            Map<String, String> metadata = objects.get(head.build().key());
                            if (metadata == null) {
                                throw NoSuchKeyException.builder().statusCode(404).build();
                            }
                            yield HeadObjectResponse.builder().metadata(metadata)
                                    .contentLength(lengths.get(head.build().key())).build();
                        }
                        case "close" -> null;
                        case "serviceName" -> "s3";
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    private static ExportFile archive(String key) {
        byte[] content = key.getBytes(StandardCharsets.UTF_8);
        return ExportFile.archive(key, ExportFile.Kind.HOURLY_ARCHIVE, content, content);
    }

    private static ExportFile index(String key) {
        return ExportFile.index(key, "[]".getBytes(StandardCharsets.UTF_8), ExportFile.APPLICATION_JSON);
    }

    private static List<ExportFile> tree(int archives) {
        List<ExportFile> tree = new ArrayList<>();
        for (int i = 0; i < archives; i++) {
            tree.add(archive("a/hour/" + i));
        }
        tree.add(index("a/hour"));
        tree.add(index("version"));
        return tree;
    }

    private static ExportUploader uploader(FakeS3 s3) {
        return new ExportUploader(s3.client(), new ExportUploader.Settings("exports", 300, true, 4, 3, 1, 5));
    }

    private static Exchange exchange() {
        return new DefaultExchange(new DefaultCamelContext());
    }

    private static Exchange about(Exchange run, Upload.Put put) {
        run.setProperty(ExchangeProperties.EXPORT_PUT, put);
        return run;
    }

    /** The put of a file in an upload of its own (for the steps that look at one file only). */
    private static Upload.Put alone(ExportFile file) {
        PublishPlan plan = new Publication(5).plan(PublishPlan.Batch.parallel("archives", List.of(file)));
        return new Upload(plan).stages().get(0).puts().get(0);
    }

    /** A run's plan of the tree: its archives in parallel, then its index files in order. */
    private static PublishPlan plan(Publication publication, List<ExportFile> tree) {
        return publication.plan(PublishPlan.Batch.parallel("archives", tree.stream().filter(ExportFile::isArchive).toList()),
                PublishPlan.Batch.inOrder("index files", tree.stream().filter(f -> !f.isArchive()).toList()));
    }

    private static List<String> keys(List<Upload.Put> puts) {
        return puts.stream().map(put -> put.file().objectKey()).toList();
    }

    @Test
    void archivesGoFirstAndIndexFilesOnlyWhenEveryArchiveIsThere() {
        ExportUploader uploader = uploader(new FakeS3());
        Exchange run = exchange();
        List<ExportFile> tree = tree(3);

        Upload upload = uploader.start(plan(new Publication(5), tree));
        List<Upload.Stage> stages = uploader.stages(upload);
        List<Upload.Put> archives = uploader.puts(stages.get(0));
        assertThat(uploader.isParallel(stages.get(0))).isTrue();
        assertThat(keys(archives)).containsExactly("a/hour/0", "a/hour/1", "a/hour/2");
        assertThat(uploader.puts(stages.get(1))).as("not before every archive is there").isEmpty();
        for (Upload.Put archive : archives) {
            uploader.uploaded(about(run, archive));
        }
        List<Upload.Put> indexes = uploader.puts(stages.get(1));
        assertThat(uploader.isParallel(stages.get(1))).isFalse();
        assertThat(keys(indexes)).containsExactly("a/hour", "version");
        uploader.uploaded(about(run, indexes.get(0)));
        uploader.skipped(about(run, indexes.get(1)));

        PublishResult result = uploader.result(upload);
        assertThat(result.succeeded()).isTrue();
        assertThat(result.uploaded()).isEqualTo(4);
        assertThat(result.skipped()).isEqualTo(1);
        assertThat(result.bytes()).isEqualTo(tree.subList(0, 4).stream().mapToLong(ExportFile::size).sum());
    }

    @Test
    void aFailedArchiveHoldsBackEveryIndexFile() {
        ExportUploader uploader = uploader(new FakeS3());
        Exchange run = exchange();
        List<ExportFile> tree = tree(2);
        Upload upload = uploader.start(plan(new Publication(5), tree));
        List<Upload.Put> archives = uploader.puts(upload.stages().get(0));
        uploader.uploaded(about(run, archives.get(0)));
        uploader.retrying(run);
        uploader.failed(about(run, archives.get(1)));

        assertThat(uploader.isStopped(run)).isFalse();
        assertThat(uploader.puts(upload.stages().get(1))).as("held back").isEmpty();
        PublishResult result = uploader.result(upload);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.failedKeys()).containsExactly("a/hour/1");
        assertThat(result.notAttempted()).isEqualTo(2);
        assertThat(result.retries()).isEqualTo(1);
        assertThat(result.aborted()).isFalse();
    }

    @Test
    void anUploadOfAnotherPublicationKeepsItsOwnCountsAndTheRunsContinuesAfterIt() {
        ExportUploader uploader = uploader(new FakeS3());
        Exchange run = exchange();
        List<ExportFile> tree = tree(2);
        Publication runs = new Publication(5);
        Upload archives = uploader.start(runs.plan(PublishPlan.Batch.parallel("archives", tree.subList(0, 2))));
        List<Upload.Put> puts = uploader.puts(archives.stages().get(0));
        uploader.uploaded(about(run, puts.get(0)));
        uploader.skipped(about(run, puts.get(1)));
        uploader.result(archives);
        assertThat(runs.total().plus(PublishResult.notAttempted(runs.unplanned(tree))).notAttempted()).isEqualTo(2);

        // the TUF publication between the run's archives and its index files: copies and metadata
        List<ExportFile> tuf = List.of(archive("a/hour/abc.0"), index("tuf/timestamp.json"));
        Upload publication = uploader.start(new Publication(5).plan(PublishPlan.Batch.parallel("copies", tuf.subList(0, 1)),
                PublishPlan.Batch.inOrder("metadata", tuf.subList(1, 2))));
        List<Upload.Put> copies = uploader.puts(publication.stages().get(0));
        assertThat(keys(copies)).containsExactly("a/hour/abc.0");
        uploader.uploaded(about(run, copies.get(0)));
        List<Upload.Put> metadata = uploader.puts(publication.stages().get(1));
        assertThat(keys(metadata)).containsExactly("tuf/timestamp.json");
        uploader.failed(about(run, metadata.get(0)));
        assertThat(uploader.isStopped(run)).isTrue();
        assertThat(uploader.result(publication).failedKeys()).containsExactly("tuf/timestamp.json");

        // the run's own uploads again: its index files, not stopped by the publication's failure
        Upload indexes = uploader.start(runs.plan(PublishPlan.Batch.inOrder("index files", runs.unplanned(tree))));
        List<Upload.Put> indexPuts = uploader.puts(indexes.stages().get(0));
        assertThat(uploader.isStopped(about(run, indexPuts.get(0)))).isFalse();
        assertThat(keys(indexPuts)).containsExactly("a/hour", "version");
        uploader.uploaded(about(run, indexPuts.get(0)));
        uploader.uploaded(about(run, indexPuts.get(1)));
        uploader.result(indexes);
        PublishResult result = runs.total();
        assertThat(result.succeeded()).isTrue();
        assertThat(result.uploaded()).isEqualTo(3);
        assertThat(result.skipped()).isEqualTo(1);
        assertThatThrownBy(() -> uploader.result(indexes)).as("no upload under way").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theUploadStopsAtTheThresholdOfFailedOperations() {
        ExportUploader uploader = uploader(new FakeS3());
        Exchange run = exchange();
        List<ExportFile> tree = tree(20);
        Upload upload = uploader.start(plan(new Publication(5), tree));
        List<Upload.Put> archives = uploader.puts(upload.stages().get(0));
        for (int i = 0; i < 5; i++) {
            assertThat(uploader.isStopped(about(run, archives.get(i)))).isFalse();
            uploader.failed(about(run, archives.get(i)));
        }
        assertThat(uploader.isStopped(run)).isTrue();
        PublishResult result = uploader.result(upload);
        assertThat(result.aborted()).isTrue();
        assertThat(result.failedOperations()).isEqualTo(5);
        assertThat(result.notAttempted()).isEqualTo(17);
        assertThat(new PublishResult.Failed(result).getMessage()).startsWith("aborted after 5 failed upload operation(s)");
    }

    @Test
    void theFailureCounterIsThePublicationsAcrossItsUploads() {
        ExportUploader uploader = uploader(new FakeS3());
        Exchange run = exchange();
        Publication publication = new Publication(2);
        Upload first = uploader.start(publication.plan(PublishPlan.Batch.parallel("date 1", List.of(archive("a/1")))));
        uploader.failed(about(run, uploader.puts(first.stages().get(0)).get(0)));
        uploader.result(first);
        Upload second = uploader.start(publication.plan(PublishPlan.Batch.parallel("date 2", List.of(archive("a/2"), archive("a/3")))));
        List<Upload.Put> puts = uploader.puts(second.stages().get(0));
        assertThat(uploader.isStopped(about(run, puts.get(0)))).isFalse();
        uploader.failed(run);
        assertThat(uploader.isStopped(about(run, puts.get(1)))).as("2 failed operations in the publication").isTrue();
        uploader.result(second);
        assertThat(publication.total().failedOperations()).isEqualTo(2);
        assertThat(publication.total().notAttempted()).isEqualTo(1);
        assertThat(publication.total().aborted()).isTrue();
        assertThatThrownBy(() -> publication.plan(PublishPlan.Batch.parallel("again", List.of(archive("a/1")))))
                .as("a file goes in one plan of a publication").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedIndexFileStopsTheIndexFilesAfterIt() {
        ExportUploader uploader = uploader(new FakeS3());
        Exchange run = exchange();
        List<ExportFile> tree = tree(1);
        Upload upload = uploader.start(plan(new Publication(5), tree));
        uploader.uploaded(about(run, uploader.puts(upload.stages().get(0)).get(0)));
        List<Upload.Put> indexes = uploader.puts(upload.stages().get(1));
        uploader.failed(about(run, indexes.get(0)));
        assertThat(uploader.isStopped(about(run, indexes.get(1)))).isTrue();
        assertThat(uploader.result(upload).succeeded()).isFalse();
    }

    @Test
    void changeDetectionComparesTheCwaHashOfTheObjectInTheBucket() {
        FakeS3 s3 = new FakeS3();
        ExportUploader uploader = uploader(s3);
        ExportFile file = archive("a/hour/1");
        Exchange run = about(exchange(), alone(file));

        assertThat(uploader.isUnchanged(run)).as("not in the bucket").isFalse();
        s3.objects.put(file.objectKey(), Map.of(ExportUploader.CWA_HASH, "another hash"));
        assertThat(uploader.isUnchanged(run)).as("changed").isFalse();
        s3.objects.put(file.objectKey(), Map.of(ExportUploader.CWA_HASH, file.cwaHash(), ExportUploader.SHA256, "00".repeat(32)));
        s3.lengths.put(file.objectKey(), 10L);
        assertThat(uploader.isUnchanged(run)).as("unchanged").isTrue();
    }

    @Test
    void anArchiveNotMadeIsKeptOnlyWhenTheBucketSaysItsSha256AndTakesTheStoredFacts() {
        FakeS3 s3 = new FakeS3();
        ExportUploader uploader = uploader(s3);
        ExportFile file = ExportFile.archive("a/hour/1", ExportFile.Kind.HOURLY_ARCHIVE, () -> {
            throw new AssertionError("a kept archive is not made");
        }, new byte[] {1, 2, 3});
        Exchange run = about(exchange(), alone(file));

        s3.objects.put(file.objectKey(), Map.of(ExportUploader.CWA_HASH, file.cwaHash()));
        assertThat(uploader.isUnchanged(run)).as("put before the sha256 metadata: put once more").isFalse();
        String sha256 = "ab".repeat(32);
        s3.objects.put(file.objectKey(), Map.of(ExportUploader.CWA_HASH, file.cwaHash(), ExportUploader.SHA256, sha256));
        s3.lengths.put(file.objectKey(), 4321L);
        assertThat(uploader.isUnchanged(run)).isTrue();
        uploader.skipped(run);

        assertThat(file.size()).isEqualTo(4321);
        assertThat(file.sha256()).isEqualTo(sha256);
        assertThat(file.content().storedAt()).isEqualTo("a/hour/1");
    }

    @Test
    void filesJoinTheUploadOnceAndTheirBytesGoOnceTheBucketHasThem() {
        ExportUploader uploader = uploader(new FakeS3());
        Exchange run = exchange();
        Publication publication = new Publication(5);
        List<ExportFile> firstDate = List.of(archive("a/date/1/hour/0"), archive("a/date/1"));
        Upload first = uploader.start(publication.plan(PublishPlan.Batch.parallel("date 1", firstDate)));
        List<Upload.Put> firstPuts = uploader.puts(first.stages().get(0));
        assertThat(firstPuts).hasSize(2);
        firstPuts.forEach(put -> uploader.uploaded(about(run, put)));
        uploader.result(first);
        assertThat(firstDate).allSatisfy(file -> assertThatThrownBy(file::bytes)
                .as("the maker let go").isInstanceOf(IllegalStateException.class));

        List<ExportFile> whole = new ArrayList<>(firstDate);
        whole.add(archive("a/date/2"));
        whole.add(index("a/date"));
        assertThat(publication.unplanned(whole.subList(0, 3))).as("only what the publication does not have")
                .extracting(ExportFile::objectKey).containsExactly("a/date/2");
        Upload rest = uploader.start(plan(publication, publication.unplanned(whole)));
        uploader.uploaded(about(run, uploader.puts(rest.stages().get(0)).get(0)));
        uploader.uploaded(about(run, uploader.puts(rest.stages().get(1)).get(0)));
        uploader.result(rest);
        PublishResult result = publication.total();
        assertThat(result.archives()).isEqualTo(3);
        assertThat(result.indexes()).isEqualTo(1);
        assertThat(result.succeeded()).isTrue();

        // a TUF copy of a stored archive: copied in the bucket with its metadata and, as configured, public-read
        ExportFile stored = firstDate.get(1);
        ExportFile copy = new ExportFile("a/" + stored.sha256() + ".1", stored.content(), stored.contentType(),
                stored.cwaHash(), stored.kind());
        Exchange copying = exchange();
        assertThat(uploader.isStoredElsewhere(about(copying, alone(copy)))).isTrue();
        assertThat(uploader.isStoredElsewhere(about(copying, alone(stored)))).isFalse();
        uploader.prepareCopy(about(copying, alone(copy)));
        CopyObjectRequest request = copying.getIn().getBody(CopyObjectRequest.class);
        assertThat(request.sourceKey()).isEqualTo("a/date/1");
        assertThat(request.destinationKey()).isEqualTo(copy.objectKey());
        assertThat(request.sourceBucket()).isEqualTo("exports");
        assertThat(request.destinationBucket()).isEqualTo("exports");
        assertThat(request.metadataDirective()).isEqualTo(MetadataDirective.COPY);
        assertThat(request.acl()).isEqualTo(ObjectCannedACL.PUBLIC_READ);
    }

    @Test
    void thePutCarriesTypeCacheControlHashAndAcl() {
        ExportUploader uploader = uploader(new FakeS3());
        ExportFile file = archive("a/hour/1");
        Exchange run = exchange();
        uploader.prepareUpload(about(run, alone(file)));

        assertThat(run.getIn().getHeader("CamelAwsS3Key")).isEqualTo("a/hour/1");
        assertThat(run.getIn().getHeader("CamelAwsS3ContentType")).isEqualTo("application/zip");
        assertThat(run.getIn().getHeader("CamelAwsS3ContentControl")).isEqualTo("public,max-age=300");
        assertThat(run.getIn().getHeader("CamelAwsS3Metadata")).isEqualTo(Map.of(ExportUploader.CWA_HASH, file.cwaHash(),
                ExportUploader.SHA256, file.sha256()));
        // aws2-s3 reads the header with ObjectCannedACL.valueOf: the constant's name (TrustPublishIT puts with it)
        assertThat(run.getIn().getHeader("CamelAwsS3CannedAcl")).isEqualTo("PUBLIC_READ");
        assertThat(run.getIn().getBody(byte[].class)).isEqualTo(file.bytes());
    }
}
