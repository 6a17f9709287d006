package io.bytekeep.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Where Bytes keeps the stored form of its raw files (bytes/bytes/raw/file_raw_repository.py at cae5e26): the file
 * repository ({@code BYTES_DATA_DIR/<organization>/<first 3 characters of the raw id>/<raw id>}) or the S3 repository
 * ({@link BytesSettings.S3}). The bytes come out as stored, still encrypted by Bytes' middleware.
 */
interface BytesStorage extends AutoCloseable {

    /** The stored bytes of one raw file and their length. */
    record Stored(InputStream bytes, long size) implements AutoCloseable {

        @Override
        public void close() throws IOException {
            bytes.close();
        }
    }

    /** The stored bytes of a raw file, or null when the repository has none. */
    Stored open(String organization, UUID rawId) throws IOException;

    /** Where a raw file is, for messages. */
    String location(String organization, UUID rawId);

    @Override
    default void close() {
    }

    static BytesStorage of(BytesSettings settings) {
        return settings.s3() != null ? new S3Repository(settings.s3()) : new FileRepository(settings.dataDir());
    }

    /** Bytes' FileRawRepository. */
    final class FileRepository implements BytesStorage {

        private static final int UUID_INDEX = 3;

        private final Path base;

        FileRepository(Path base) {
            this.base = base.toAbsolutePath().normalize();
        }

        @Override
        public Stored open(String organization, UUID rawId) throws IOException {
            Path file = path(organization, rawId);
            try {
                return new Stored(Files.newInputStream(file), Files.size(file));
            } catch (NoSuchFileException missing) {
                return null;
            }
        }

        @Override
        public String location(String organization, UUID rawId) {
            return path(organization, rawId).toString();
        }

        private Path path(String organization, UUID rawId) {
            String id = rawId.toString();
            Path file = base.resolve(organization).resolve(id.substring(0, UUID_INDEX)).resolve(id).normalize();
            if (!file.startsWith(base)) {
                throw new IllegalArgumentException("organisation " + organization + " leads out of " + base);
            }
            return file;
        }
    }

    /** Bytes' S3RawRepository. */
    final class S3Repository implements BytesStorage {

        private final BytesSettings.S3 settings;
        private final S3Client s3;

        S3Repository(BytesSettings.S3 settings) {
            this.settings = settings;
            S3ClientBuilder builder = S3Client.builder().region(Region.of(settings.region()))
                    // what boto3 talks to (MinIO, Ceph, S3Proxy) need not know the SDK's newer checksum headers
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            if (settings.endpoint() != null) {
                builder.endpointOverride(settings.endpoint()).forcePathStyle(true);
            }
            builder.credentialsProvider(settings.accessKey() != null && settings.secretKey() != null
                    ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()))
                    : DefaultCredentialsProvider.builder().build());
            this.s3 = builder.build();
        }

        @Override
        public Stored open(String organization, UUID rawId) {
            try {
                ResponseInputStream<GetObjectResponse> object = s3.getObject(b -> b.bucket(settings.bucketOf(organization))
                        .key(settings.keyOf(organization, rawId.toString())));
                return new Stored(object, object.response().contentLength());
            } catch (NoSuchKeyException | NoSuchBucketException missing) {
                return null;
            }
        }

        @Override
        public String location(String organization, UUID rawId) {
            return "s3://" + settings.bucketOf(organization) + "/" + settings.keyOf(organization, rawId.toString());
        }

        @Override
        public void close() {
            s3.close();
        }
    }
}
