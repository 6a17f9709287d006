package io.bytekeep.platform.storage;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import io.bytekeep.platform.embedded.EmbeddedS3Server;

import static org.assertj.core.api.Assertions.assertThat;

/** A PUT with the plugin reaches a real S3 API (the embedded server) signed over its whole payload, not in chunks. */
class UnchunkedUploadTest {

    @TempDir
    Path data;

    private EmbeddedS3Server server;
    private S3Client s3;
    private final List<SdkHttpRequest> sent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new EmbeddedS3Server(data, 0, "access", "secret-0123456789");
        server.start();
        s3 = S3Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret-0123456789")))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        sent.add(context.httpRequest());
                    }
                }))
                .build();
        s3.createBucket(b -> b.bucket("bucket"));
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
        server.stop();
    }

    @Test
    void aPackIsSignedAsOnePayloadAndStoredIntact() throws Exception {
        byte[] pack = new byte[16 * 1024 + 7];
        new Random(18).nextBytes(pack);

        sent.clear();
        s3.putObject(b -> b.bucket("bucket").key("packs/one").overrideConfiguration(o -> o.addPlugin(UnchunkedUpload.PLUGIN)),
                RequestBody.fromBytes(pack));

        SdkHttpRequest put = sent.get(0);
        assertThat(put.firstMatchingHeader("x-amz-content-sha256"))
                .contains(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pack)));
        assertThat(put.firstMatchingHeader("Content-Encoding")).isEmpty();
        assertThat(put.firstMatchingHeader("Content-Length")).contains(String.valueOf(pack.length));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("bucket").key("packs/one")).asByteArray()).isEqualTo(pack);
    }

    @Test
    void withoutItTheSameClientSignsInChunks() {
        sent.clear();
        s3.putObject(b -> b.bucket("bucket").key("packs/two"), RequestBody.fromBytes(new byte[1024]));

        assertThat(sent.get(0).firstMatchingHeader("x-amz-content-sha256")).hasValueSatisfying(
                value -> assertThat(value).startsWith("STREAMING-"));
    }
}
