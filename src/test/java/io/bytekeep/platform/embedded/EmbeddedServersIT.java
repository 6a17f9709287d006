package io.bytekeep.platform.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import ch.qos.logback.classic.Level;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Both embedded servers of the "embedded default" run, in-process on free ports, exercised with
 * the clients the application uses: AWS SDK v2 for S3, Spring AMQP (RabbitMQ client) for AMQP 0-9-1.
 */
class EmbeddedServersIT {

    private static final String ACCESS_KEY = "bytekeep-it";
    private static final String SECRET_KEY = "bytekeep-it-secret";
    private static final String AMQP_USER = "bytekeep";
    private static final String AMQP_PASSWORD = "bytekeep-pw";
    private static final int MiB = 1024 * 1024;

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void quietLogging() {
        // Without Spring Boot's logging setup logback's default is DEBUG for everything.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void s3ApiStoresSmallLargeAndMultipartObjectsOnTheFilesystem() throws Exception {
        EmbeddedS3Server server = new EmbeddedS3Server("filesystem", tmp.resolve("s3"), 0, ACCESS_KEY, SECRET_KEY);
        server.start();
        server.start(); // idempotent
        closeables.add(server::stop);
        assertThat(server.endpoint().toString()).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(server.port()).isPositive();

        S3Client s3 = s3Client(server);
        closeables.add(s3);
        String bucket = "evidence";
        s3.createBucket(b -> b.bucket(bucket));
        assertThat(s3.listBuckets().buckets()).anyMatch(b -> b.name().equals(bucket));

        // 1 KiB
        byte[] small = randomBytes(1024, 1);
        s3.putObject(b -> b.bucket(bucket).key("small/one.bin").contentType("application/octet-stream"),
                RequestBody.fromBytes(small));
        ResponseBytes<GetObjectResponse> smallBack = s3.getObjectAsBytes(b -> b.bucket(bucket).key("small/one.bin"));
        assertThat(smallBack.asByteArray()).isEqualTo(small);
        // the object is a file under the base directory
        assertThat(tmp.resolve("s3").resolve(bucket).resolve("small").resolve("one.bin")).exists();

        // a bounded throughput probe of 1 KiB PUTs (reported, loosely asserted), after a JIT warm-up
        for (int i = 0; i < 300; i++) {
            String k = "warmup/" + i;
            s3.putObject(b -> b.bucket(bucket).key(k), RequestBody.fromBytes(small));
        }
        int count = 1000;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            String k = "probe/" + i;
            s3.putObject(b -> b.bucket(bucket).key(k), RequestBody.fromBytes(small));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double perSecond = count / seconds;
        System.out.printf("EmbeddedServersIT: %d sequential 1 KiB PUTs in %.2f s = %.0f PUT/s (filesystem backend)%n",
                count, seconds, perSecond);
        assertThat(perSecond).isGreaterThan(20);

        // 50 MB streamed from a file (aws-chunked, STREAMING-AWS4-HMAC-SHA256-PAYLOAD over http)
        Path large = tmp.resolve("large.bin");
        writeRandomFile(large, 50L * 1000 * 1000, 2);
        s3.putObject(b -> b.bucket(bucket).key("large/fifty.bin"), RequestBody.fromFile(large));
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("large/fifty.bin"));
        assertThat(head.contentLength()).isEqualTo(Files.size(large));
        assertThat(head.contentEncoding()).as("aws-chunked is a transfer marker, not stored").isNull();
        Path largeBack = tmp.resolve("large.back");
        s3.getObject(b -> b.bucket(bucket).key("large/fifty.bin"), ResponseTransformer.toFile(largeBack));
        assertThat(Files.mismatch(large, largeBack)).isEqualTo(-1L);

        // 3-part multipart upload, parts of 5 MiB, 5 MiB and 6 MiB
        byte[][] parts = {randomBytes(5 * MiB, 3), randomBytes(5 * MiB, 4), randomBytes(6 * MiB, 5)};
        String key = "multi/three-parts.bin";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        List<CompletedPart> completed = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            int partNumber = i + 1;
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
                    RequestBody.fromBytes(parts[partNumber - 1])).eTag();
            completed.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build()));
        byte[] multiBack = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        assertThat(multiBack).hasSize(16 * MiB);
        byte[] expected = new byte[16 * MiB];
        System.arraycopy(parts[0], 0, expected, 0, 5 * MiB);
        System.arraycopy(parts[1], 0, expected, 5 * MiB, 5 * MiB);
        System.arraycopy(parts[2], 0, expected, 10 * MiB, 6 * MiB);
        assertThat(multiBack).isEqualTo(expected);

        server.stop();
        server.stop(); // idempotent
    }

    @Test
    void s3ApiTransientBackendStoresKeysThatArePrefixes() {
        EmbeddedS3Server server = new EmbeddedS3Server(EmbeddedS3Server.Backend.TRANSIENT, null, 0, ACCESS_KEY, SECRET_KEY);
        server.start();
        closeables.add(server::stop);
        S3Client s3 = s3Client(server);
        closeables.add(s3);
        s3.createBucket(b -> b.bucket("scratch"));
        s3.putObject(b -> b.bucket("scratch").key("a"), RequestBody.fromString("parent"));
        s3.putObject(b -> b.bucket("scratch").key("a/b"), RequestBody.fromString("child"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("scratch").key("a")).asUtf8String()).isEqualTo("parent");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("scratch").key("a/b")).asUtf8String()).isEqualTo("child");
    }

    /**
     * The export bucket's backend: keys that are prefixes of other keys on disk, listed in S3's order (also page by
     * page), with their metadata and ACL, deleted, multipart-uploaded, and still there after a restart.
     */
    @Test
    void s3ApiFilesystemBackendForPrefixKeysStoresThemOnDisk() throws Exception {
        Path dir = tmp.resolve("s3-exports");
        EmbeddedS3Server server = new EmbeddedS3Server(EmbeddedS3Server.Backend.FILESYSTEM_PREFIX_KEYS, dir, 0,
                ACCESS_KEY, SECRET_KEY);
        server.start();
        closeables.add(server::stop);
        S3Client s3 = s3Client(server);
        closeables.add(s3);
        s3.createBucket(b -> b.bucket("tree"));
        List<String> keys = List.of("v/date", "v/date-x", "v/date/2026-12-01", "v/date/2026-12-01/hour",
                "v/date/2026-12-01/hour/5", "v/date/2026-12-01/hour/6", "v/datum");
        for (String key : keys) {
            s3.putObject(b -> b.bucket("tree").key(key).contentType("application/json").cacheControl("public,max-age=300")
                    .metadata(Map.of("cwa-hash", "h-" + key.length())).acl(ObjectCannedACL.PUBLIC_READ),
                    RequestBody.fromString("content of " + key));
        }
        assertThat(listAll(s3, "tree", null)).containsExactlyElementsOf(keys);
        assertThat(listAll(s3, "tree", 2)).as("page by page").containsExactlyElementsOf(keys);
        assertThat(s3.listObjectsV2(b -> b.bucket("tree").prefix("v/date/2026-12-01/hour/")).contents())
                .extracting(S3Object::key).containsExactly("v/date/2026-12-01/hour/5", "v/date/2026-12-01/hour/6");
        assertThat(s3.listObjectsV2(b -> b.bucket("tree").prefix("v/date/").delimiter("/")).commonPrefixes())
                .extracting(p -> p.prefix()).containsExactly("v/date/2026-12-01/");

        // the AWS CLI, the tool docs/VERIFY.md reads the export bucket with, sees the same keys and bytes
        assertThat(awsCli(server, "s3api", "list-objects-v2", "--bucket", "tree", "--page-size", "3",
                "--query", "Contents[].Key", "--output", "text").trim().split("\\s+")).containsExactlyElementsOf(keys);
        Path fetched = tmp.resolve("hour-listing");
        awsCli(server, "s3api", "get-object", "--bucket", "tree", "--key", "v/date/2026-12-01/hour", fetched.toString());
        assertThat(Files.readString(fetched)).isEqualTo("content of v/date/2026-12-01/hour");

        var object = s3.getObjectAsBytes(b -> b.bucket("tree").key("v/date/2026-12-01/hour"));
        assertThat(object.asUtf8String()).isEqualTo("content of v/date/2026-12-01/hour");
        assertThat(object.response().cacheControl()).isEqualTo("public,max-age=300");
        assertThat(object.response().contentType()).isEqualTo("application/json");
        assertThat(s3.headObject(b -> b.bucket("tree").key("v/date")).metadata()).containsEntry("cwa-hash", "h-6");
        assertThat(s3.getObjectAcl(b -> b.bucket("tree").key("v/date")).grants())
                .anyMatch(grant -> grant.permission() == Permission.READ);
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("tree").key("v/dat")))
                .isInstanceOf(NoSuchKeyException.class);

        s3.deleteObject(b -> b.bucket("tree").key("v/date/2026-12-01/hour"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("tree").key("v/date/2026-12-01/hour/5")).asUtf8String())
                .isEqualTo("content of v/date/2026-12-01/hour/5");

        byte[] large = new byte[6 * 1024 * 1024];
        new java.util.Random(3).nextBytes(large);
        String uploadId = s3.createMultipartUpload(b -> b.bucket("tree").key("v/big")).uploadId();
        String etag = s3.uploadPart(b -> b.bucket("tree").key("v/big").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(large)).eTag();
        s3.completeMultipartUpload(b -> b.bucket("tree").key("v/big").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("tree").key("v/big")).asByteArray()).isEqualTo(large);

        server.stop();
        server.start();
        assertThat(listAll(s3, "tree", null)).contains("v/date", "v/date/2026-12-01/hour/5", "v/big")
                .doesNotContain("v/date/2026-12-01/hour");
    }

    private static String awsCli(EmbeddedS3Server server, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", server.endpoint().toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        builder.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        // as docs/VERIFY.md says: S3Proxy does not implement the checksum mode newer AWS CLIs ask for
        builder.environment().put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
        builder.environment().put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("aws %s: %s", arguments, output).isZero();
        return output;
    }

    private static List<String> listAll(S3Client s3, String bucket, Integer pageSize) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).maxKeys(pageSize)).contents().stream()
                .map(S3Object::key).toList();
    }

    @Test
    void amqpBrokerDeliversAndKeepsPersistentMessagesAcrossARestart() {
        Path work = tmp.resolve("amqp");
        EmbeddedAmqpBroker broker = new EmbeddedAmqpBroker(work, 0, AMQP_USER, AMQP_PASSWORD, List.of());
        broker.start();
        broker.start(); // idempotent
        closeables.add(broker::stop);
        int port = broker.port();
        assertThat(port).isPositive();

        String queue = "bytekeep.it.evidence";
        CachingConnectionFactory cf = connectionFactory(port, null); // client default virtual host "/"
        RabbitAdmin admin = new RabbitAdmin(cf);
        admin.declareQueue(new Queue(queue, true, false, false));
        RabbitTemplate template = new RabbitTemplate(cf);

        template.send("", queue, persistent("hello"));
        Message received = template.receive(queue, 10_000);
        assertThat(received).isNotNull();
        assertThat(new String(received.getBody())).isEqualTo("hello");

        // explicit virtual host names reach the same virtual host
        CachingConnectionFactory named = connectionFactory(port, "default");
        new RabbitTemplate(named).send("", queue, persistent("via-named-vhost"));
        Message viaNamed = template.receive(queue, 10_000);
        assertThat(viaNamed).isNotNull();
        assertThat(new String(viaNamed.getBody())).isEqualTo("via-named-vhost");
        named.destroy();

        // a persistent message left in the durable queue survives a broker restart
        template.send("", queue, persistent("survivor"));
        assertThat(admin.getQueueInfo(queue).getMessageCount()).isEqualTo(1);
        cf.destroy();
        broker.stop();
        broker.stop(); // idempotent

        EmbeddedAmqpBroker restarted = new EmbeddedAmqpBroker(work, port, AMQP_USER, AMQP_PASSWORD, List.of());
        restarted.start();
        closeables.add(restarted::stop);
        assertThat(restarted.port()).isEqualTo(port);

        CachingConnectionFactory cf2 = connectionFactory(port, null);
        closeables.add(cf2::destroy);
        RabbitTemplate template2 = new RabbitTemplate(cf2);
        Message survivor = template2.receive(queue, 10_000);
        assertThat(survivor).isNotNull();
        assertThat(new String(survivor.getBody())).isEqualTo("survivor");
        assertThat(survivor.getMessageProperties().getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat(template2.receive(queue, 500)).isNull();
    }

    @Test
    void amqpBrokerStoresInBerkeleyDbAndKeepsTheDerbyStoreOfAnEarlierVersion() throws IOException {
        Path fresh = tmp.resolve("fresh");
        EmbeddedAmqpBroker broker = new EmbeddedAmqpBroker(fresh, 0, AMQP_USER, AMQP_PASSWORD, List.of());
        broker.start();
        broker.stop();
        assertThat(EmbeddedAmqpBroker.storeType(fresh)).isEqualTo(EmbeddedAmqpBroker.BDB);
        try (var files = Files.list(fresh.resolve("default").resolve("config"))) {
            assertThat(files.map(file -> file.getFileName().toString())).anyMatch(name -> name.endsWith(".jdb"));
        }

        // data/amqp of version be44295 (Derby) with one persistent message left in a durable queue
        Path upgraded = tmp.resolve("upgraded");
        unzip("embedded/qpid-derby-store-be44295.zip", upgraded);
        assertThat(EmbeddedAmqpBroker.storeType(upgraded)).isEqualTo(EmbeddedAmqpBroker.DERBY);
        EmbeddedAmqpBroker earlier = new EmbeddedAmqpBroker(upgraded, 0, AMQP_USER, AMQP_PASSWORD, List.of());
        earlier.start();
        closeables.add(earlier::stop);
        CachingConnectionFactory cf = connectionFactory(earlier.port(), null);
        closeables.add(cf::destroy);
        Message left = new RabbitTemplate(cf).receive("bytekeep.it.before-upgrade", 10_000);
        assertThat(left).isNotNull();
        assertThat(new String(left.getBody())).isEqualTo("queued before the upgrade");
    }

    private static void unzip(String resource, Path target) throws IOException {
        try (var zip = new java.util.zip.ZipInputStream(
                EmbeddedServersIT.class.getClassLoader().getResourceAsStream(resource))) {
            for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path file = target.resolve(entry.getName()).normalize();
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(file.getParent());
                    Files.copy(zip, file);
                }
            }
        }
    }

    private static Message persistent(String body) {
        MessageProperties props = new MessageProperties();
        props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        props.setContentType(MessageProperties.CONTENT_TYPE_TEXT_PLAIN);
        return new Message(body.getBytes(), props);
    }

    private static CachingConnectionFactory connectionFactory(int port, String virtualHost) {
        CachingConnectionFactory cf = new CachingConnectionFactory(EmbeddedAmqpBroker.HOST, port);
        cf.setUsername(AMQP_USER);
        cf.setPassword(AMQP_PASSWORD);
        if (virtualHost != null) {
            cf.setVirtualHost(virtualHost);
        }
        return cf;
    }

    private static S3Client s3Client(EmbeddedS3Server server) {
        return S3Client.builder()
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                // S3Proxy 2.6.0 does not understand the trailing checksums SDK >= 2.30 adds by default
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void writeRandomFile(Path file, long size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] buffer = new byte[MiB];
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = size;
            while (left > 0) {
                random.nextBytes(buffer);
                int n = (int) Math.min(buffer.length, left);
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }
}
