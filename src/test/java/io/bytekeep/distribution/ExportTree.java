package io.bytekeep.distribution;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.bytekeep.trust.TrustPublisher;
import io.bytekeep.trust.TrustVerifier;

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

    /**
     * The tree as a TUF client reads it (consistent snapshots, as tuf-js): the metadata under {@code tuf/} from the
     * trusted {@code tuf/1.root.json}, every file fetched by the copy {@code dir/SHA256.name} the metadata names and
     * checked against it. It walks what a client of the tree follows: the version listing, the central index and
     * every archive it names, the country listing, each country's dates, each date's daily archive and hours, each
     * hour's archive.
     */
    static TufView readAsTufClient(S3Client s3, String bucket) throws Exception {
        TufView view = new TufView(s3, bucket);
        ExportPaths paths = new ExportPaths("v1");
        view.fetch(paths.versionIndex());
        for (String archive : view.named(paths.centralIndex())) {
            view.fetch(archive);
        }
        for (String country : view.named(paths.countryIndex())) {
            for (String date : view.named(country + "/date")) {
                view.fetch(date);
                for (String hour : view.named(date + "/hour")) {
                    view.fetch(hour);
                }
            }
        }
        return view;
    }

    /** What a TUF client got: the files it verified (and their content), and the reasons of those it rejected. */
    static final class TufView {
        private final S3Client s3;
        private final String bucket;
        private final byte[] root;
        private final TrustVerifier verifier = new TrustVerifier(Clock.systemUTC());
        private final Map<String, Optional<byte[]>> metadata = new HashMap<>();
        final Map<String, byte[]> verified = new LinkedHashMap<>();
        final Set<String> rejected = new LinkedHashSet<>();

        TufView(S3Client s3, String bucket) {
            this.s3 = s3;
            this.bucket = bucket;
            this.root = object(s3, bucket, "tuf/1.root.json");
        }

        /** The target's content from its copy, verified; null (and the reason in {@link #rejected}) if it fails. */
        byte[] fetch(String path) {
            if (verified.containsKey(path)) {
                return verified.get(path);
            }
            try {
                TrustVerifier.Verified listed = verifier.target(root, this::metadata, path);
                String copyKey = TrustPublisher.hashedKey(path, listed.target().sha256());
                byte[] copy = object(s3, bucket, copyKey);
                if (copy == null) {
                    throw new TrustVerifier.Rejected("its copy " + copyKey + " is not in the bucket");
                }
                verifier.verify(root, this::metadata, path, copy.length, sha256(copy));
                verified.put(path, copy);
                return copy;
            } catch (TrustVerifier.Rejected e) {
                rejected.add(path + ": " + e.getMessage());
                return null;
            }
        }

        /** What the index file at the path names, as fetched by {@link #fetch}; none if it was rejected. */
        List<String> named(String path) throws Exception {
            byte[] index = fetch(path);
            return index == null ? List.of() : ExportTree.named(path, new String(index, StandardCharsets.UTF_8));
        }

        /**
         * Checks a file as a client that fetched it by its plain key checks it: against the same metadata; null if it
         * verifies, else the reason.
         */
        String rejects(String path, byte[] content) {
            try {
                verifier.verify(root, this::metadata, path, content.length, sha256(content));
                return null;
            } catch (TrustVerifier.Rejected e) {
                return e.getMessage();
            }
        }

        private byte[] metadata(String name) {
            return metadata.computeIfAbsent(name, n -> Optional.ofNullable(object(s3, bucket, "tuf/" + n))).orElse(null);
        }
    }

    static byte[] sha256(byte[] content) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(content);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The object's content, or null if the bucket does not have it. */
    static byte[] object(S3Client s3, String bucket, String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException absent) {
            return null;
        }
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
