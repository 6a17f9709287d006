package io.bytekeep.distribution;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** ExportUploader against an in-memory S3Client that fails the puts a test chooses. */
class ExportUploaderTest {

    /** Metadata by key; puts of keys matching {@code failing} throw, as a server that is away. */
    static final class FakeS3 {
        final Map<String, Map<String, String>> objects = new ConcurrentHashMap<>();
        final List<String> puts = Collections.synchronizedList(new ArrayList<>());
        final List<PutObjectRequest> requests = Collections.synchronizedList(new ArrayList<>());
        volatile Predicate<String> failing = key -> false;

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
                            yield HeadObjectResponse.builder().metadata(metadata).build();
                        }
                        case "putObject" -> {
                            PutObjectRequest put = (PutObjectRequest) args[0];
                            puts.add(put.key());
                            if (failing.test(put.key())) {
                                throw SdkClientException.create("connection refused");
                            }
                            requests.add(put);
                            objects.put(put.key(), put.metadata());
                            yield null;
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

    private static ExportUploader uploader(FakeS3 s3, int threads) {
        return new ExportUploader(s3.client(), new ExportUploader.Settings("exports", 300, true, threads, 3, 1, 5));
    }

    @Test
    void putsEverythingWithHashCacheControlAndAcl_archivesBeforeIndexes() {
        FakeS3 s3 = new FakeS3();
        ExportUploader.Result result = uploader(s3, 4).upload(tree(10));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.uploaded()).isEqualTo(12);
        assertThat(s3.puts.subList(10, 12)).containsExactly("a/hour", "version");
        PutObjectRequest put = s3.requests.get(0);
        assertThat(put.cacheControl()).isEqualTo("max-age=300");
        assertThat(put.aclAsString()).isEqualTo("public-read");
        assertThat(put.metadata()).containsKey(ExportUploader.CWA_HASH);
    }

    @Test
    void unchangedObjectsAreSkipped() {
        FakeS3 s3 = new FakeS3();
        uploader(s3, 2).upload(tree(3));
        s3.puts.clear();

        ExportUploader.Result again = uploader(s3, 2).upload(tree(3));
        assertThat(again.uploaded()).isZero();
        assertThat(again.skipped()).isEqualTo(5);
        assertThat(s3.puts).isEmpty();
    }

    @Test
    void oneFailedArchiveIsRetriedThreeTimesAndHoldsBackEveryIndex() {
        FakeS3 s3 = new FakeS3();
        s3.failing = key -> key.equals("a/hour/1");
        ExportUploader.Result result = uploader(s3, 1).upload(tree(3));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.aborted()).isFalse();
        assertThat(result.failedOperations()).isEqualTo(1);
        assertThat(result.retries()).isEqualTo(3);
        assertThat(s3.puts.stream().filter("a/hour/1"::equals)).hasSize(4);
        assertThat(result.failedKeys()).containsExactly("a/hour/1");
        assertThat(s3.objects).containsOnlyKeys("a/hour/0", "a/hour/2");
        assertThat(result.notAttempted()).isEqualTo(2);
    }

    @Test
    void theRunAbortsAtTheThresholdOfFailedOperations() {
        FakeS3 s3 = new FakeS3();
        s3.failing = key -> true;
        ExportUploader.Result result = uploader(s3, 1).upload(tree(20));

        assertThat(result.aborted()).isTrue();
        assertThat(result.failedOperations()).isEqualTo(5);
        assertThat(result.retries()).isEqualTo(15);
        assertThat(s3.puts).hasSize(20);
        assertThat(result.notAttempted()).isEqualTo(15 + 2);
    }

    @Test
    void aLaterRunCompletesTheTree() {
        FakeS3 s3 = new FakeS3();
        s3.failing = key -> key.endsWith("/7");
        assertThat(uploader(s3, 3).upload(tree(10)).succeeded()).isFalse();

        s3.failing = key -> false;
        ExportUploader.Result later = uploader(s3, 3).upload(tree(10));
        assertThat(later.succeeded()).isTrue();
        assertThat(later.uploaded()).isEqualTo(3);
        assertThat(later.skipped()).isEqualTo(9);
    }
}
