import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.Random;

import com.sun.management.ThreadMXBean;

import io.bytekeep.atrest.ChunkedAeadFormat;
import io.bytekeep.platform.embedded.EmbeddedS3Server;
import io.bytekeep.platform.storage.UnchunkedUpload;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Heap bytes the calling thread allocates per PUT of a pack of 16 stored 1 KiB files to the embedded S3 server, signed
 * aws-chunked (the SDK's default for PutObject) and as one payload ({@code UnchunkedUpload}, as {@code RawPacker} does).
 * Run from the repository after {@code ./mvnw package}:
 * {@code java -cp "target/classes:$(./mvnw -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" bench/client/PackPutAllocation.java}
 */
public class PackPutAllocation {
    public static void main(String[] args) throws Exception {
        EmbeddedS3Server server = new EmbeddedS3Server(Files.createTempDirectory("pack-alloc"), 0, "access", "secret-0123456789");
        server.start();
        S3Client s3 = S3Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret-0123456789")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED).build();
        s3.createBucket(b -> b.bucket("bucket"));
        // 16 stored forms of 1 KiB (ENVELOPE_AES_GCM: header, bytes, one tag), as RawPacker packs them
        byte[] pack = new byte[16 * (int) ChunkedAeadFormat.storedSize(1024, ChunkedAeadFormat.MIN_CHUNK)];
        new Random(1).nextBytes(pack);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        int n = 3000;
        for (int round = 0; round < 3; round++) {
            for (boolean unchunked : new boolean[] {false, true}) {
                long before = threads.getCurrentThreadAllocatedBytes();
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    String key = "packs/" + round + "-" + unchunked + "-" + i;
                    s3.putObject(b -> {
                        b.bucket("bucket").key(key).contentLength((long) pack.length);
                        if (unchunked) {
                            b.overrideConfiguration(o -> o.addPlugin(UnchunkedUpload.PLUGIN));
                        }
                    }, RequestBody.fromBytes(pack));
                }
                long bytes = threads.getCurrentThreadAllocatedBytes() - before;
                System.out.printf("round %d %-12s %8.1f KB allocated per PUT (calling thread), %6.0f µs per PUT%n", round,
                        unchunked ? "one payload" : "aws-chunked", bytes / 1024.0 / n, (System.nanoTime() - t0) / 1000.0 / n);
            }
        }
        s3.close();
        server.stop();
    }
}
