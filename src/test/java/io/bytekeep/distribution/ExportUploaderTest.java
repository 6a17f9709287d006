package io.bytekeep.distribution;

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

/** The steps of the upload route: change detection by HEAD, headers of the put, the tally and its decisions. */
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

    private static Exchange about(Exchange run, ExportFile file) {
        run.setProperty(ExportUploader.FILE, file);
        return run;
    }

    @Test
    void archivesGoFirstAndIndexFilesOnlyWhenEveryArchiveIsThere() {
        ExportUploader uploader = uploader(new FakeS3());
        Exchange run = exchange();
        List<ExportFile> tree = tree(3);

        uploader.begin(run);
        assertThat(uploader.archives(tree, run)).extracting(ExportFile::objectKey).containsExactly("a/hour/0", "a/hour/1", "a/hour/2");
        for (ExportFile archive : tree.subList(0, 3)) {
            uploader.uploaded(about(run, archive));
        }
        assertThat(uploader.indexes(run)).extracting(ExportFile::objectKey).containsExactly("a/hour", "version");
        uploader.uploaded(about(run, tree.get(3)));
        uploader.skipped(about(run, tree.get(4)));

        ExportUploader.Result result = uploader.result(run);
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
        uploader.begin(run);
        uploader.archives(tree, run);
        uploader.uploaded(about(run, tree.get(0)));
        uploader.retrying(run);
        uploader.failed(about(run, tree.get(1)));

        assertThat(uploader.isStopped(run)).isFalse();
        assertThatThrownBy(() -> uploader.indexes(run)).isInstanceOfSatisfying(ExportUploader.Failed.class, failed -> {
            assertThat(failed.result().failedKeys()).containsExactly("a/hour/1");
            assertThat(failed.result().notAttempted()).isEqualTo(2);
            assertThat(failed.result().retries()).isEqualTo(1);
            assertThat(failed.result().aborted()).isFalse();
        });
    }

    @Test
    void anUploadInsideTheRunsKeepsItsOwnTallyAndTheRunsContinuesAfterIt() {
        ExportUploader uploader = uploader(new FakeS3());
        Exchange run = exchange();
        List<ExportFile> tree = tree(2);
        uploader.begin(run);
        uploader.archives(tree, run);
        uploader.uploaded(about(run, tree.get(0)));
        uploader.skipped(about(run, tree.get(1)));
        uploader.archivesUploaded(run);
        assertThat(ExportUploader.progress(run).notAttempted()).isEqualTo(2);

        // the TUF publication between the run's archives and its index files: copies and metadata
        List<ExportFile> tuf = List.of(archive("a/hour/abc.0"), index("tuf/timestamp.json"));
        uploader.begin(run);
        assertThat(uploader.archives(tuf, run)).extracting(ExportFile::objectKey).containsExactly("a/hour/abc.0");
        uploader.uploaded(about(run, tuf.get(0)));
        assertThat(uploader.indexes(run)).extracting(ExportFile::objectKey).containsExactly("tuf/timestamp.json");
        uploader.failed(about(run, tuf.get(1)));
        assertThat(uploader.isStopped(run)).isTrue();
        assertThatThrownBy(() -> uploader.result(run)).isInstanceOfSatisfying(ExportUploader.Failed.class,
                failed -> assertThat(failed.result().failedKeys()).containsExactly("tuf/timestamp.json"));

        // the run's own tally again: its index files, not stopped by the publication's failure
        assertThat(uploader.isStopped(run)).isFalse();
        assertThat(uploader.indexes(run)).extracting(ExportFile::objectKey).containsExactly("a/hour", "version");
        uploader.uploaded(about(run, tree.get(2)));
        uploader.uploaded(about(run, tree.get(3)));
        ExportUploader.Result result = uploader.result(run);
        assertThat(result.succeeded()).isTrue();
        assertThat(result.uploaded()).isEqualTo(3);
        assertThat(result.skipped()).isEqualTo(1);
        assertThat(ExportUploader.progress(run)).as("no upload under way").isNull();
    }

    @Test
    void theUploadStopsAtTheThresholdOfFailedOperations() {
        ExportUploader uploader = uploader(new FakeS3());
        Exchange run = exchange();
        List<ExportFile> tree = tree(20);
        uploader.begin(run);
        uploader.archives(tree, run);
        for (int i = 0; i < 5; i++) {
            assertThat(uploader.isStopped(run)).isFalse();
            uploader.failed(about(run, tree.get(i)));
        }
        assertThat(uploader.isStopped(run)).isTrue();
        assertThatThrownBy(() -> uploader.result(run)).isInstanceOfSatisfying(ExportUploader.Failed.class, failed -> {
            assertThat(failed.result().aborted()).isTrue();
            assertThat(failed.result().failedOperations()).isEqualTo(5);
            assertThat(failed.result().notAttempted()).isEqualTo(17);
            assertThat(failed.getMessage()).startsWith("aborted after 5 failed upload operation(s)");
        });
    }

    @Test
    void aFailedIndexFileStopsTheIndexFilesAfterIt() {
        ExportUploader uploader = uploader(new FakeS3());
        Exchange run = exchange();
        List<ExportFile> tree = tree(1);
        uploader.begin(run);
        uploader.archives(tree, run);
        uploader.uploaded(about(run, tree.get(0)));
        uploader.indexes(run);
        uploader.failed(about(run, tree.get(1)));
        assertThat(uploader.isStopped(run)).isTrue();
        assertThatThrownBy(() -> uploader.result(run)).isInstanceOf(ExportUploader.Failed.class);
    }

    @Test
    void changeDetectionComparesTheCwaHashOfTheObjectInTheBucket() {
        FakeS3 s3 = new FakeS3();
        ExportUploader uploader = uploader(s3);
        ExportFile file = archive("a/hour/1");
        Exchange run = exchange();
        uploader.begin(run);
        uploader.archives(List.of(file), run);

        assertThat(uploader.isUnchanged(about(run, file))).as("not in the bucket").isFalse();
        s3.objects.put(file.objectKey(), Map.of(ExportUploader.CWA_HASH, "another hash"));
        assertThat(uploader.isUnchanged(about(run, file))).as("changed").isFalse();
        s3.objects.put(file.objectKey(), Map.of(ExportUploader.CWA_HASH, file.cwaHash(), ExportUploader.SHA256, "00".repeat(32)));
        s3.lengths.put(file.objectKey(), 10L);
        assertThat(uploader.isUnchanged(about(run, file))).as("unchanged").isTrue();
    }

    @Test
    void anArchiveNotMadeIsKeptOnlyWhenTheBucketSaysItsSha256AndTakesTheStoredFacts() {
        FakeS3 s3 = new FakeS3();
        ExportUploader uploader = uploader(s3);
        ExportFile file = ExportFile.archive("a/hour/1", ExportFile.Kind.HOURLY_ARCHIVE, () -> {
            throw new AssertionError("a kept archive is not made");
        }, new byte[] {1, 2, 3});
        Exchange run = exchange();
        uploader.begin(run);
        uploader.archives(List.of(file), run);

        s3.objects.put(file.objectKey(), Map.of(ExportUploader.CWA_HASH, file.cwaHash()));
        assertThat(uploader.isUnchanged(about(run, file))).as("put before the sha256 metadata: put once more").isFalse();
        String sha256 = "ab".repeat(32);
        s3.objects.put(file.objectKey(), Map.of(ExportUploader.CWA_HASH, file.cwaHash(), ExportUploader.SHA256, sha256));
        s3.lengths.put(file.objectKey(), 4321L);
        assertThat(uploader.isUnchanged(about(run, file))).isTrue();
        uploader.skipped(about(run, file));

        assertThat(file.size()).isEqualTo(4321);
        assertThat(file.sha256()).isEqualTo(sha256);
        assertThat(file.content().storedAt()).isEqualTo("a/hour/1");
    }

    @Test
    void filesJoinTheUploadOnceAndTheirBytesGoOnceTheBucketHasThem() {
        ExportUploader uploader = uploader(new FakeS3());
        Exchange run = exchange();
        uploader.begin(run);
        List<ExportFile> firstDate = List.of(archive("a/date/1/hour/0"), archive("a/date/1"));
        assertThat(uploader.archives(firstDate, run)).hasSize(2);
        firstDate.forEach(file -> uploader.uploaded(about(run, file)));
        assertThat(firstDate).allSatisfy(file -> assertThatThrownBy(file::bytes)
                .as("the maker let go").isInstanceOf(IllegalStateException.class));

        List<ExportFile> whole = new ArrayList<>(firstDate);
        whole.add(archive("a/date/2"));
        whole.add(index("a/date"));
        assertThat(uploader.archives(whole, run)).as("only what the upload does not have")
                .extracting(ExportFile::objectKey).containsExactly("a/date/2");
        uploader.uploaded(about(run, whole.get(2)));
        uploader.uploaded(about(run, whole.get(3)));
        ExportUploader.Result result = uploader.result(run);
        assertThat(result.archives()).isEqualTo(3);
        assertThat(result.indexes()).isEqualTo(1);
        assertThat(result.succeeded()).isTrue();

        // a TUF copy of a stored archive: copied in the bucket with its metadata and, as configured, public-read
        ExportFile stored = firstDate.get(1);
        ExportFile copy = new ExportFile("a/" + stored.sha256() + ".1", stored.content(), stored.contentType(),
                stored.cwaHash(), stored.kind());
        Exchange copying = exchange();
        assertThat(uploader.isStoredElsewhere(about(copying, copy))).isTrue();
        assertThat(uploader.isStoredElsewhere(about(copying, stored))).isFalse();
        uploader.prepareCopy(about(copying, copy));
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
        uploader.prepareUpload(about(run, file));

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
