package io.bytekeep.distribution;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;

/** The export tree in a bucket as a reader sees it: what the indexes name, and whether it is there. */
final class ExportTree {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A TUF consistent-snapshot copy {@code dir/SHA256.name} of a tree file. */
    private static final Pattern HASHED_COPY = Pattern.compile("(.*/)?[0-9a-f]{64}\\.[^/]+");

    private ExportTree() {
    }

    static List<String> listing(S3Client s3, String bucket) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    /** A file of the tree itself: not TUF metadata (under {@code tuf/}), not a TUF copy {@code dir/SHA256.name}. */
    static boolean isTreeFile(String key) {
        return !key.startsWith("tuf/") && !HASHED_COPY.matcher(key).matches();
    }

    /**
     * Every child an index names that is not in the bucket, as "index names child". The indexes are fetched first and
     * the bucket listed after, so objects put in between (while a run publishes) cannot hide a gap. JSON-array indexes
     * name children (an object or a prefix of objects); index.txt names archive keys, one a line.
     */
    static List<String> missingChildren(S3Client s3, String bucket) throws Exception {
        Map<String, String> indexes = new LinkedHashMap<>();
        for (String key : listing(s3, bucket)) {
            if (isTreeFile(key)) {
                byte[] body = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
                indexes.put(key, new String(body, StandardCharsets.UTF_8));
            }
        }
        List<String> keys = listing(s3, bucket);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> index : indexes.entrySet()) {
            for (String child : named(index.getKey(), index.getValue())) {
                if (keys.stream().noneMatch(k -> k.equals(child) || k.startsWith(child + "/"))) {
                    missing.add(index.getKey() + " names " + child);
                }
            }
        }
        return missing;
    }

    static void assertNoIndexNamesAMissingObject(S3Client s3, String bucket) throws Exception {
        assertThat(missingChildren(s3, bucket)).as("index entries without their object").isEmpty();
    }

    /** The object keys an index file names; none for an archive. */
    static List<String> named(String key, String text) throws Exception {
        List<String> named = new ArrayList<>();
        if (key.endsWith(ExportPaths.CENTRAL_INDEX_NAME)) {
            text.lines().filter(line -> !line.isBlank()).forEach(named::add);
        } else if (text.startsWith("[")) {
            JsonNode entries = JSON.readTree(text);
            entries.forEach(entry -> named.add(key + "/" + entry.asText()));
        }
        return named;
    }
}
