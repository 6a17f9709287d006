package io.bytekeep.platform.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.bytekeep.support.ProdEnvironment;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectStorageClass;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.StorageClass;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded S3 API's filesystem backend pages a listing as S3 does: keys in order with their sizes, from any
 * start-after key and under any prefix (also one that ends inside a name), a page at a time, whatever the directories
 * the keys make ("a-b" before "a/x": '-' sorts before '/').
 */
class PagedFileListingTest {

    private static final String BUCKET = "bucket";

    @TempDir
    static Path data;

    private static EmbeddedS3Server server;
    private static S3Client s3;
    /** Every key stored, with its size. */
    private static final TreeMap<String, Long> stored = new TreeMap<>();

    @BeforeAll
    static void storeKeysOfEveryShape() {
        server = new EmbeddedS3Server(data, 0, "access", "secret-0123456789");
        server.start();
        s3 = ProdEnvironment.s3Client(server.endpoint(), "access", "secret-0123456789");
        s3.createBucket(b -> b.bucket(BUCKET));
        Random random = new Random(20261205);
        List<String> keys = new ArrayList<>(List.of("a-b", "a.c", "a/x", "a/y/z", "a/y-z", "b", "raw/org-a/" + UUID.randomUUID(),
                "raw/org-a/" + UUID.randomUUID() + "." + UUID.randomUUID(), "packs/0f/" + UUID.randomUUID()));
        String alphabet = "ab-./";
        while (keys.size() < 300) {
            StringBuilder key = new StringBuilder();
            int length = 1 + random.nextInt(7);
            for (int i = 0; i < length; i++) {
                key.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            keys.add(key.toString());
        }
        for (String key : keys) {
            if (storable(key)) {
                byte[] bytes = new byte[random.nextInt(40)];
                s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
                stored.put(key, (long) bytes.length);
            }
        }
    }

    /** A key the filesystem can hold beside the others: no empty or dot segment, not a directory of another key. */
    private static boolean storable(String key) {
        if (key.startsWith("/") || key.endsWith("/") || key.contains("//") || List.of(key.split("/")).stream()
                .anyMatch(segment -> segment.equals(".") || segment.equals(".."))) {
            return false;
        }
        return stored.keySet().stream().noneMatch(other -> other.startsWith(key + "/") || key.startsWith(other + "/"));
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.stop();
    }

    @Test
    void everyPrefixStartAndPageSizeListsTheKeysInOrderWithTheirSizes() {
        Random random = new Random(7);
        List<String> starts = new ArrayList<>(stored.keySet());
        starts.addAll(List.of("a", "a/", "a/y", "a/y/", "raw/", "zzz"));
        for (int query = 0; query < 60; query++) {
            String prefix = List.of("", "a", "a/", "a/y", "b", "raw/", "raw/org-a/", ".", "-", "packs/").get(random.nextInt(10));
            String startAfter = random.nextBoolean() ? null : starts.get(random.nextInt(starts.size()));
            int pageSize = 1 + random.nextInt(7);
            List<S3Object> listed = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                String continuation = token;
                ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix.isEmpty() ? null : prefix)
                        .startAfter(continuation == null ? startAfter : null).continuationToken(continuation).maxKeys(pageSize));
                assertThat(page.contents().size()).isLessThanOrEqualTo(pageSize);
                listed.addAll(page.contents());
                token = page.isTruncated() ? page.nextContinuationToken() : null;
                pages++;
            } while (token != null);

            TreeMap<String, Long> expected = new TreeMap<>(stored.subMap(startAfter == null ? "" : startAfter, false,
                    "\uffff", false));
            expected.keySet().removeIf(key -> !key.startsWith(prefix));
            assertThat(listed).extracting(S3Object::key).as("prefix '%s' after '%s' by %d", prefix, startAfter, pageSize)
                    .containsExactlyElementsOf(expected.keySet());
            assertThat(listed).extracting(S3Object::size).containsExactlyElementsOf(expected.values());
            assertThat(listed).allSatisfy(object -> assertThat(object.lastModified()).isNotNull());
            assertThat(pages).isLessThanOrEqualTo(expected.size() / pageSize + 1);
        }
    }

    @Test
    void anEntryShowsWhatTheBackendsOwnListingShows() {
        String prefix = "shapes/";
        String bucket = "shapes";
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key(prefix + "plain"), RequestBody.fromString("plain"));
        s3.putObject(b -> b.bucket(bucket).key(prefix + "empty"), RequestBody.empty());
        s3.putObject(b -> b.bucket(bucket).key(prefix + "typed").contentType("text/plain").metadata(Map.of("k", "v")),
                RequestBody.fromString("typed"));
        s3.putObject(b -> b.bucket(bucket).key(prefix + "tiered").storageClass(StorageClass.STANDARD_IA),
                RequestBody.fromString("tiered"));
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(prefix + "plain").destinationBucket(bucket).destinationKey(prefix + "copied"));
        String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key(prefix + "parts")).uploadId();
        byte[] part = new byte[5 * 1024 * 1024];
        String first = s3.uploadPart(b -> b.bucket(bucket).key(prefix + "parts").uploadId(upload).partNumber(1),
                RequestBody.fromBytes(part)).eTag();
        String second = s3.uploadPart(b -> b.bucket(bucket).key(prefix + "parts").uploadId(upload).partNumber(2),
                RequestBody.fromString("tail")).eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(prefix + "parts").uploadId(upload).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(first).build(), CompletedPart.builder().partNumber(2).eTag(second).build())));

        // a delimiter none of the keys holds: the same objects, listed by jclouds itself
        List<S3Object> own = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).delimiter("~")).contents();
        List<S3Object> paged = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents();

        assertThat(own).extracting(S3Object::key).containsExactly(prefix + "copied", prefix + "empty", prefix + "parts",
                prefix + "plain", prefix + "tiered", prefix + "typed");
        assertThat(paged).containsExactlyElementsOf(own);
        assertThat(paged).filteredOn(object -> object.key().endsWith("parts")).singleElement()
                .satisfies(multipart -> assertThat(multipart.eTag()).endsWith("-2\""));
        assertThat(paged).filteredOn(object -> object.key().endsWith("tiered")).singleElement()
                .satisfies(tiered -> assertThat(tiered.storageClass()).isEqualTo(ObjectStorageClass.STANDARD_IA));
    }

    @Test
    void aPageOfNoKeysIsEmpty() {
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).maxKeys(0)).contents()).isEmpty();
    }

    @Test
    void aWriteUnderWayIsNotListed() throws Exception {
        String key = "half/" + UUID.randomUUID();
        Files.createDirectories(data.resolve(BUCKET).resolve("half"));
        Files.writeString(data.resolve(BUCKET).resolve(key + "-" + UUID.randomUUID()), "half an object");

        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("half/")).contents()).isEmpty();
    }
}
