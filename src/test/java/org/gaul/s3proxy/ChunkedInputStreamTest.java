package org.gaul.s3proxy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bytekeep's replacement of S3Proxy 2.6.0's aws-chunked decoder (see the class): same bytes, bulk reads, no short objects. */
class ChunkedInputStreamTest {

    @Test
    void theReplacementIsTheClassS3ProxyLoadsAndS3ProxyIsStillTheVersionItReplaces() throws Exception {
        // application classes come first: S3ProxyHandler's `new ChunkedInputStream(...)` gets this one
        assertThat(ChunkedInputStream.class.getProtectionDomain().getCodeSource().getLocation().toString())
                .doesNotContain("s3proxy");
        assertThat(S3Proxy.class.getProtectionDomain().getCodeSource().getLocation().toString())
                .as("S3Proxy changed: compare its ChunkedInputStream with Bytekeep's replacement, drop it if fixed upstream")
                .contains("s3proxy-2.6.0.jar");
    }

    @Test
    void decodesBodiesOfAnyChunkingThroughBothReadMethods() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            byte[] content = new byte[random.nextInt(300_000)];
            random.nextBytes(content);
            byte[] encoded = awsChunked(content, 1 + random.nextInt(70_000));

            assertThat(readInPieces(new ChunkedInputStream(new ByteArrayInputStream(encoded)), random)).isEqualTo(content);
            ByteArrayOutputStream oneByOne = new ByteArrayOutputStream();
            try (InputStream in = new ChunkedInputStream(new ByteArrayInputStream(encoded))) {
                for (int b; (b = in.read()) >= 0; ) {
                    oneByOne.write(b);
                }
            }
            assertThat(oneByOne.toByteArray()).isEqualTo(content);
        }
    }

    @Test
    void aBodyThatStopsBeforeItsLastChunkFails() {
        byte[] encoded = awsChunked(new byte[100_000], 8192);
        for (int cut : new int[] {encoded.length - 5 - 64 - 2, 8192 + 90, 50}) {
            byte[] truncated = Arrays.copyOf(encoded, cut);
            assertThatThrownBy(() -> new ChunkedInputStream(new ByteArrayInputStream(truncated)).readAllBytes())
                    .as("cut at %d of %d", cut, encoded.length).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aChunkLargerThanTheLimitIsRefusedBeforeItIsAllocated() {
        byte[] header = (Integer.toHexString(ChunkedInputStream.MAX_CHUNK_BYTES + 1) + ";chunk-signature=00\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new ChunkedInputStream(new ByteArrayInputStream(header)).read(new byte[10]))
                .isInstanceOf(IOException.class).hasMessageContaining("at most");
    }

    private static byte[] readInPieces(InputStream in, Random random) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[100_000];
        for (int n; (n = in.read(buffer, 7, 1 + random.nextInt(buffer.length - 7))) >= 0; ) {
            assertThat(n).isPositive();
            out.write(buffer, 7, n);
        }
        return out.toByteArray();
    }

    /** The body as the AWS SDK sends it with STREAMING-AWS4-HMAC-SHA256-PAYLOAD (signatures not checked here). */
    static byte[] awsChunked(byte[] content, int chunkSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String signature = ";chunk-signature=" + "0".repeat(64) + "\r\n";
        for (int from = 0; from < content.length; from += chunkSize) {
            int length = Math.min(chunkSize, content.length - from);
            out.writeBytes((Integer.toHexString(length) + signature).getBytes(StandardCharsets.US_ASCII));
            out.write(content, from, length);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("0" + signature + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
