import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the export bucket holds, for bench/distribution-run.sh: lists every object (ListObjectsV2, paginated) and
 * prints key=value lines: objects and bytes in total and by kind of export file (hourly archive, daily archive, batch
 * file 2.., central index, other index listings), plus objects under other prefixes (e.g. the bench's own).
 * <p>
 * Compile and run against the libraries inside the app's jar (AWS SDK v2, as the app builds its client):
 * {@code javac -cp 'BOOT-INF/lib/*' -d out ExportBucket.java;
 * java -cp "out:BOOT-INF/lib/*" ExportBucket http://127.0.0.1:19491 ACCESS SECRET bytekeep-exports}
 */
public final class ExportBucket {

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: ExportBucket <endpoint> <access-key> <secret-key> <bucket>");
            System.exit(2);
        }
        Map<String, long[]> kinds = new TreeMap<>();
        long[] total = new long[2];
        try (S3Client s3 = S3Client.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(args[1], args[2])))
                .httpClientBuilder(ApacheHttpClient.builder())
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .endpointOverride(URI.create(args[0]))
                .build()) {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(args[3]).maxKeys(1000)).contents()) {
                long[] kind = kinds.computeIfAbsent(kindOf(object.key()), k -> new long[2]);
                kind[0]++;
                kind[1] += object.size();
                total[0]++;
                total[1] += object.size();
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("objects", Long.toString(total[0]));
        out.put("bytes", Long.toString(total[1]));
        kinds.forEach((kind, n) -> {
            out.put(kind + "_objects", Long.toString(n[0]));
            out.put(kind + "_bytes", Long.toString(n[1]));
        });
        out.forEach((k, v) -> System.out.println(k + "=" + v));
    }

    /** The kind of an export object by its key (see processors/io/bytekeep/distribution/ExportPaths.java). */
    static String kindOf(String key) {
        if (!key.startsWith("version")) {
            return "foreign";
        }
        if (key.matches(".*/batch/[0-9]+")) {
            return "batch_file";
        }
        if (key.matches(".*/country/[^/]+/date/[0-9-]+/hour/[0-9]+")) {
            return "hourly_archive";
        }
        if (key.matches(".*/country/[^/]+/date/[0-9-]+")) {
            return "daily_archive";
        }
        if (key.endsWith("/index.txt")) {
            return "central_index";
        }
        return "index_listing";
    }
}
