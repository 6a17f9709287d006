package io.bytekeep.platform.storage;

import java.util.List;

import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.SdkServiceClientConfiguration;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/**
 * A per-request plugin of an {@code S3Client} (of no other client: it changes S3's auth scheme) for a PUT whose body
 * is already in memory (a pack of small files): signed as one payload instead of {@code aws-chunked}. For PutObject
 * the SDK signs every body in chunks of 128 KiB and allocates a fresh chunk buffer for each one, the last empty one
 * too, whatever the body's size: the PUT of a 17 KB pack allocated 356 KB of heap, 104 KB signed as one payload
 * ({@code bench/client/PackPutAllocation.java}). A body in memory can be hashed before it is sent, so nothing is
 * gained by chunks. The client keeps chunked signing for streams.
 * <p>
 * Use: {@code request.overrideConfiguration(o -> o.addPlugin(UnchunkedUpload.PLUGIN))}.
 */
public final class UnchunkedUpload implements SdkPlugin {

    public static final UnchunkedUpload PLUGIN = new UnchunkedUpload();

    private UnchunkedUpload() {
    }

    @Override
    public void configureClient(SdkServiceClientConfiguration.Builder config) {
        S3ServiceClientConfiguration.Builder s3 = (S3ServiceClientConfiguration.Builder) config;
        S3AuthSchemeProvider signed = s3.authSchemeProvider();
        s3.authSchemeProvider(params -> unchunked(signed.resolveAuthScheme(params)));
    }

    private static List<AuthSchemeOption> unchunked(List<AuthSchemeOption> options) {
        return options.stream()
                .map(option -> option.toBuilder().putSignerProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, false).build())
                .toList();
    }
}
