package io.bytekeep.support;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import io.bytekeep.platform.embedded.EmbeddedS3Server;

/**
 * The environment an operator gives the prod profile, pointed at this machine's PostgreSQL and RabbitMQ and an S3
 * endpoint of the test's own; queue and bucket names carry the test's name so tests do not read each other's.
 */
public final class ProdEnvironment {

    /** The credentials the prod profile gets for the test's S3 endpoint. */
    public static final String S3_ACCESS_KEY = "prod-access";
    public static final String S3_SECRET_KEY = "prod-secret-0123456789";

    private ProdEnvironment() {
    }

    /**
     * An S3 endpoint of the test's own, in the test's JVM (S3Proxy, in memory: the export tree has keys that are also
     * prefixes of other keys, which the filesystem backend cannot hold). It outlives the application processes a test
     * kills, so what they left in it can be read afterwards. Not started.
     */
    public static EmbeddedS3Server s3Server() {
        return new EmbeddedS3Server(EmbeddedS3Server.Backend.TRANSIENT, null, 0, S3_ACCESS_KEY, S3_SECRET_KEY);
    }

    /** A client of that endpoint with the same credentials and checksum settings as the application. */
    public static S3Client s3Client(URI endpoint) {
        return s3Client(endpoint, S3_ACCESS_KEY, S3_SECRET_KEY);
    }

    /** A client of an S3 endpoint with these credentials. */
    public static S3Client s3Client(URI endpoint, String accessKey, String secretKey) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                // S3Proxy answers the SDK's default checksum headers with 501
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    public static Map<String, Object> of(String test, URI s3Endpoint, String dataDir) {
        Map<String, Object> environment = new LinkedHashMap<>();
        // default properties rank below config/application.yaml: its server.port is ${BYTEKEEP_PORT:8002}
        environment.put("BYTEKEEP_PORT", "0");
        environment.put("bytekeep.routes.reload-enabled", "false");
        environment.put("BYTEKEEP_DATA_DIR", dataDir);
        environment.put("BYTEKEEP_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        environment.put("BYTEKEEP_JWT_SECRET", "prod-profile-test-signing-key-0123456789abcdef");
        environment.put("BYTEKEEP_USERNAME", "operator");
        environment.put("BYTEKEEP_PASSWORD", "prod-password");
        environment.put("BYTEKEEP_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + TestServices.DATABASE);
        environment.put("BYTEKEEP_DB_USERNAME", "postgres");
        environment.put("BYTEKEEP_S3_ENDPOINT", s3Endpoint.toString());
        environment.put("BYTEKEEP_S3_ACCESS_KEY", S3_ACCESS_KEY);
        environment.put("BYTEKEEP_S3_SECRET_KEY", S3_SECRET_KEY);
        environment.put("BYTEKEEP_S3_CREATE_BUCKETS", "true");
        environment.put("BYTEKEEP_RAW_FILE_RECEIVED_QUEUE", "bytekeep_" + test + "_raw_file_received");
        environment.put("BYTEKEEP_SUBMISSION_QUEUE", "bytekeep_" + test + "_diagnosis_key_submissions");
        environment.put("BYTEKEEP_DISTRIBUTION_FAILURE_QUEUE", "bytekeep_" + test + "_distribution_failed");
        environment.put("BYTEKEEP_EXPORT_BUCKET", "bytekeep-" + test.replace('_', '-') + "-exports");
        environment.put("BYTEKEEP_EXPORT_SIGNING_KEY",
                Path.of("src/test/resources/test-config/export-signing-key.pem").toAbsolutePath().toString());
        environment.put("BYTEKEEP_CUSTODY_SIGNING_KEY",
                Path.of("src/test/resources/test-config/custody/custody-signing-key.pem").toAbsolutePath().toString());
        environment.put("BYTEKEEP_KEK_B64", "cHJvZC1wcm9maWxlLXRlc3Qta2VrLTAxMjM0NTY3ODk=");
        for (String role : new String[] {"root", "targets", "snapshot", "timestamp", "bins", "bin"}) {
            environment.put("BYTEKEEP_TRUST_" + role.toUpperCase(java.util.Locale.ROOT) + "_KEY",
                    Path.of("src/test/resources/test-config/trust/" + role + ".pem").toAbsolutePath().toString());
        }
        environment.put("BYTEKEEP_AMQP_USERNAME", "guest");
        environment.put("BYTEKEEP_AMQP_PASSWORD", "guest");
        return environment;
    }
}
